"""The board's stored view: one row per incident, and the deadlines of open orders
(so a clock can find the orders that just went overdue without reading every row)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking

from projections.batches import Item, micros, rows_by_incident
from projections.board import BoardRow, board, fold
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables


class BoardView(ViewTables):
    TABLES = ("board_rows", "board_deadlines")
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {board_rows} ("
            "incident_id TEXT PRIMARY KEY, is_open INTEGER NOT NULL, row {blob} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS board_rows_open ON {board_rows} (is_open)",
        (
            "CREATE TABLE IF NOT EXISTS {board_deadlines} ("
            "order_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, due {bigint} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS board_deadlines_due ON {board_deadlines} (due)",
    )

    def apply(
        self, tracking: Tracking, items: Sequence[Item], since: int | None = None
    ) -> list[BoardRow | None]:
        """Fold a batch; returns each event's row as it stood right after that event."""
        # Keyed by the id's integer: hashing a UUID runs Python code, an int does not.
        incidents = {event.originator_id.int: event.originator_id for _, event in items}
        folded = self.fold_batch(
            tracking,
            since,
            read=lambda cursor: self._load(cursor, incidents.values()),
            fold=lambda before: _fold_rows(before, items),
            write=self._write,
        )
        return folded.after_each

    def _write(self, cursor: Any, folded: "_FoldedRows") -> None:
        if folded.changed:
            self._store(cursor, folded.changed, folded.before)

    def _store(
        self, cursor: Any, changed: list[BoardRow], before: dict[int, BoardRow | None]
    ) -> None:
        cursor.executemany(
            self.sql(
                "INSERT INTO {board_rows} (incident_id, is_open, row) VALUES (?, ?, ?) "
                "ON CONFLICT (incident_id) DO UPDATE SET is_open = excluded.is_open, "
                "row = excluded.row"
            ),
            [(r.id.hex, int(r.is_open), orjson.dumps(r.to_json())) for r in changed],
        )
        gone, due = [], []
        for row in changed:
            old, new = _watched(before.get(row.id.int)), _watched(row)
            gone += [(order,) for order in old.keys() - new.keys()]
            due += [(order, row.id.hex, micros(new[order])) for order in new.keys() - old.keys()]
        if gone:
            cursor.executemany(self.sql("DELETE FROM {board_deadlines} WHERE order_id = ?"), gone)
        if due:
            cursor.executemany(
                self.sql(
                    "INSERT INTO {board_deadlines} (order_id, incident_id, due) VALUES (?, ?, ?)"
                ),
                due,
            )

    def board(self, tracking_name: str, now: datetime) -> dict[str, Any]:
        """The open rows and the position they reflect, read in one snapshot."""
        with self.reading() as cursor:
            position = self.position(cursor, tracking_name)
            cursor.execute(self.sql("SELECT row FROM {board_rows} WHERE is_open = 1"))
            rows = [BoardRow.from_json(orjson.loads(r["row"])) for r in cursor.fetchall()]
        return board(rows, now, position)

    def row(self, incident_id: UUID) -> BoardRow | None:
        return self.rows({incident_id}).get(incident_id.int)

    def rows(self, ids: Iterable[UUID]) -> dict[int, BoardRow | None]:
        """The stored rows of these incidents, by the integer of their id."""
        with self.reading() as cursor:
            return self._load(cursor, ids)

    def falling_due(self, after: datetime, until: datetime) -> list[UUID]:
        """Incidents with an open order whose deadline passed in [after, until): an
        order is overdue once its deadline lies before now, as `present` counts."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT DISTINCT incident_id FROM {board_deadlines} WHERE due >= ? AND due < ?"
                ),
                (micros(after), micros(until)),
            )
            return [UUID(r["incident_id"]) for r in cursor.fetchall()]

    def _load(self, cursor: Any, ids: Iterable[UUID]) -> dict[int, BoardRow | None]:
        """The stored rows of these incidents, by the integer of their id."""
        found: dict[int, BoardRow | None] = {}
        select = "SELECT row FROM {board_rows} WHERE incident_id IN ({ids})"
        for stored in rows_by_incident(cursor, self.sql, select, ids):
            row = BoardRow.from_json(orjson.loads(stored["row"]))
            found[row.id.int] = row
        return found


@dataclass
class _FoldedRows:
    before: dict[int, BoardRow | None]
    changed: list[BoardRow]
    after_each: list[BoardRow | None]  # each event's row as it stood right after it


def _fold_rows(before: dict[int, BoardRow | None], items: Sequence[Item]) -> _FoldedRows:
    rows = dict(before)
    after_each = []
    for _, event in items:
        key = event.originator_id.int
        row = fold(rows.get(key), event)
        rows[key] = row
        after_each.append(row)
    changed = [r for key, r in rows.items() if r is not None and r != before.get(key)]
    return _FoldedRows(before, changed, after_each)


def _watched(row: BoardRow | None) -> dict[str, datetime]:
    """The deadlines the clock watches: those of open orders on the board."""
    return row.open_order_deadlines if row is not None and row.is_open else {}


class SQLiteBoardView(SQLiteView, BoardView):
    pass


class PostgresBoardView(PostgresView, BoardView):
    pass


class BoardProjection(BatchProjection[BoardView]):
    name = "board"
    version = 2

    def process_batch(
        self, items: Sequence[Item], tracking: Tracking, since: int | None = None
    ) -> list[BoardRow | None]:
        return self.view.apply(tracking, items, since)
