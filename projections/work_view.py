"""The work view: each incident's open work (the fold's state), and one row per open
order and per unsettled request of the open incidents, indexed for the two queries
(an assignee's orders by deadline, the logistics queue by when it is needed)."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking

from projections.batches import Item, fold_each_incident, micros, rows_by_incident
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables
from projections.work import Work, assignee_key, first_work, fold, order_rows, request_rows


class WorkView(ViewTables):
    TABLES = ("work_incidents", "work_orders", "work_requests")
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {work_incidents} ("
            "incident_id TEXT PRIMARY KEY, work {blob} NOT NULL)"
        ),
        (
            "CREATE TABLE IF NOT EXISTS {work_orders} ("
            "order_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, assignee TEXT NOT NULL, "
            "deadline {bigint} NOT NULL, row {blob} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS work_orders_assignee ON {work_orders} (assignee, deadline)",
        "CREATE INDEX IF NOT EXISTS work_orders_incident ON {work_orders} (incident_id)",
        (
            "CREATE TABLE IF NOT EXISTS {work_requests} ("
            "request_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL, "
            "needed_by {bigint} NOT NULL, row {blob} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS work_requests_needed ON {work_requests} (needed_by)",
        "CREATE INDEX IF NOT EXISTS work_requests_incident ON {work_requests} (incident_id)",
    )

    def apply(self, tracking: Tracking, items: Sequence[Item], since: int | None = None) -> None:
        # Keyed by the id's integer: hashing a UUID runs Python code, an int does not.
        incidents = {e.originator_id.int: e.originator_id for _, e in items}

        def write(cursor: Any, changed: dict[int, Work]) -> None:
            if changed:
                self._store(cursor, [(incidents[key], work) for key, work in changed.items()])

        self.fold_batch(
            tracking,
            since,
            read=lambda cursor: self._load(cursor, incidents.values()),
            fold=lambda works: fold_each_incident(works, items, first_work, fold),
            write=write,
        )

    def _store(self, cursor: Any, changed: list[tuple[UUID, Work]]) -> None:
        """The incidents' work, and their rows written afresh (the incident's own
        fields, its grade say, appear on every row of it)."""
        cursor.executemany(
            self.sql(
                "INSERT INTO {work_incidents} (incident_id, work) VALUES (?, ?) "
                "ON CONFLICT (incident_id) DO UPDATE SET work = excluded.work"
            ),
            [_stored(incident_id, work) for incident_id, work in changed],
        )
        ids = [(incident_id.hex,) for incident_id, _ in changed]
        cursor.executemany(self.sql("DELETE FROM {work_orders} WHERE incident_id = ?"), ids)
        cursor.executemany(self.sql("DELETE FROM {work_requests} WHERE incident_id = ?"), ids)
        orders = [
            (
                UUID(row["order_id"]).hex,
                incident_id.hex,
                assignee_key(row["assignee"]),
                _micros(row["deadline"]),
                orjson.dumps(row),
            )
            for incident_id, work in changed
            for row in order_rows(incident_id, work)
        ]
        if orders:
            cursor.executemany(
                self.sql(
                    "INSERT INTO {work_orders} (order_id, incident_id, assignee, deadline, row) "
                    "VALUES (?, ?, ?, ?, ?)"
                ),
                orders,
            )
        requests = [
            (
                UUID(row["request_id"]).hex,
                incident_id.hex,
                _micros(row["needed_by"]),
                orjson.dumps(row),
            )
            for incident_id, work in changed
            for row in request_rows(incident_id, work)
        ]
        if requests:
            cursor.executemany(
                self.sql(
                    "INSERT INTO {work_requests} (request_id, incident_id, needed_by, row) "
                    "VALUES (?, ?, ?, ?)"
                ),
                requests,
            )

    def orders(self, tracking_name: str, assignee: str | None) -> dict[str, Any]:
        """Open orders by deadline, of one assignee (however they type their name)
        or, with None, everyone's; with the position they reflect, in one snapshot."""
        args: tuple[str, ...] = ()
        where = ""
        if assignee is not None:
            where, args = "WHERE assignee = ? ", (assignee_key(assignee),)
        select = f"SELECT row FROM {{work_orders}} {where}ORDER BY deadline, order_id"
        position, rows = self._listed(tracking_name, select, args)
        return {"position": position, "orders": rows}

    def requests(self, tracking_name: str, incident_id: UUID | None) -> dict[str, Any]:
        """The logistics queue by when it is needed, of one incident or all."""
        args: tuple[str, ...] = ()
        where = ""
        if incident_id is not None:
            where, args = "WHERE incident_id = ? ", (incident_id.hex,)
        select = f"SELECT row FROM {{work_requests}} {where}ORDER BY needed_by, request_id"
        position, rows = self._listed(tracking_name, select, args)
        return {"position": position, "requests": rows}

    def _listed(
        self, tracking_name: str, select: str, args: tuple[str, ...]
    ) -> tuple[int, list[Any]]:
        """The view's position and the rows `select` finds, in one snapshot."""
        with self.reading() as cursor:
            position = self.position(cursor, tracking_name)
            cursor.execute(self.sql(select), args)
            return position, [orjson.loads(r["row"]) for r in cursor.fetchall()]

    def _load(self, cursor: Any, ids: Iterable[UUID]) -> dict[int, Work]:
        """The stored work of these incidents, by the integer of their id."""
        select = "SELECT incident_id, work FROM {work_incidents} WHERE incident_id IN ({ids})"
        return {
            int(row["incident_id"], 16): orjson.loads(row["work"])
            for row in rows_by_incident(cursor, self.sql, select, ids)
        }


def _stored(incident_id: UUID, work: Work) -> tuple[str, bytes]:
    return incident_id.hex, orjson.dumps(work)


def _micros(moment: str) -> int:
    return micros(datetime.fromisoformat(moment))


class SQLiteWorkView(SQLiteView, WorkView):
    pass


class PostgresWorkView(PostgresView, WorkView):
    pass


class WorkProjection(BatchProjection[WorkView]):
    name = "work"

    def process_batch(
        self, items: Sequence[Item], tracking: Tracking, since: int | None = None
    ) -> None:
        self.view.apply(tracking, items, since)
