"""The board's stored view on SQLite, written with its tracking row in one transaction."""

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteCursor, SQLiteTrackingRecorder

from domain.event import IncidentEvent
from projections.board import BoardRow, board, fold


class SQLiteBoardView(SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            (
                "CREATE TABLE IF NOT EXISTS board_rows ("
                "incident_id TEXT PRIMARY KEY, is_open INTEGER NOT NULL, row BLOB NOT NULL)"
            ),
            "CREATE INDEX IF NOT EXISTS board_rows_open ON board_rows (is_open)",
        ]

    def apply(self, tracking: Tracking, event: IncidentEvent) -> BoardRow | None:
        """Fold one event into its row; exactly once, thanks to the tracking guard."""
        with self.datastore.transaction(commit=True) as cursor:
            # Tracking first: it takes the write lock before any read, and a
            # repeated notification fails here, rolling the whole fold back.
            self._insert_tracking(cursor, tracking)
            before = self._load(cursor, event.originator_id)
            after = fold(before, event)
            if after is not None and after != before:
                cursor.execute(
                    "INSERT INTO board_rows (incident_id, is_open, row) VALUES (?, ?, ?) "
                    "ON CONFLICT (incident_id) DO UPDATE SET is_open = excluded.is_open, "
                    "row = excluded.row",
                    (after.id.hex, int(after.is_open), orjson.dumps(after.to_json())),
                )
        return after

    def board(self, tracking_name: str, now: datetime) -> dict[str, Any]:
        """The open rows and the position they reflect, read in one snapshot."""
        with self.datastore.transaction(commit=False) as cursor:
            position = self._max_tracking_id(tracking_name, cursor) or 0
            cursor.execute("SELECT row FROM board_rows WHERE is_open = 1")
            rows = [BoardRow.from_json(orjson.loads(r["row"])) for r in cursor.fetchall()]
        return board(rows, now, position)

    def row(self, incident_id: UUID) -> BoardRow | None:
        with self.datastore.transaction(commit=False) as cursor:
            return self._load(cursor, incident_id)

    def clear(self, tracking_name: str) -> None:
        """Forget every row and the position, so the next run rebuilds from the log."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("DELETE FROM board_rows")
            cursor.execute("DELETE FROM tracking WHERE application_name = ?", (tracking_name,))

    @staticmethod
    def _load(cursor: SQLiteCursor, incident_id: UUID) -> BoardRow | None:
        cursor.execute("SELECT row FROM board_rows WHERE incident_id = ?", (incident_id.hex,))
        found = cursor.fetchone()
        return BoardRow.from_json(orjson.loads(found["row"])) if found else None


class BoardProjection(Projection[SQLiteBoardView]):
    name = "board"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        # Only incident events exist in this log; anything else just moves the position.
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, domain_event: IncidentEvent, tracking: Tracking) -> None:
        self.view.apply(tracking, domain_event)
