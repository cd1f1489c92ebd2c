"""The figures' stored view: the facts of each incident, indexed by when it was reported."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking

from projections.batches import Item, fold_each_incident, micros, rows_by_incident
from projections.figures import Facts, figures, first_facts, fold, listing
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables

# The newest incidents of a range listed with its figures; the figures count them all.
LISTED = 500


class FiguresView(ViewTables):
    TABLES = ("figures_incidents",)
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {figures_incidents} ("
            "incident_id TEXT PRIMARY KEY, received_at {bigint} NOT NULL, facts {blob} NOT NULL)"
        ),
        (
            "CREATE INDEX IF NOT EXISTS figures_incidents_received "
            "ON {figures_incidents} (received_at)"
        ),
    )

    def apply(self, tracking: Tracking, items: Sequence[Item], since: int | None = None) -> None:
        # Keyed by the id's integer: hashing a UUID runs Python code, an int does not.
        incidents = {e.originator_id.int: e.originator_id for _, e in items}

        def write(cursor: Any, changed: dict[int, Facts]) -> None:
            if changed:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {figures_incidents} (incident_id, received_at, facts) "
                        "VALUES (?, ?, ?) ON CONFLICT (incident_id) DO UPDATE "
                        "SET received_at = excluded.received_at, facts = excluded.facts"
                    ),
                    [_stored(incidents[key], facts) for key, facts in changed.items()],
                )

        self.fold_batch(
            tracking,
            since,
            read=lambda cursor: self._load(cursor, incidents.values()),
            fold=lambda facts: fold_each_incident(facts, items, first_facts, fold),
            write=write,
        )

    def figures(self, since: datetime, until: datetime, now: datetime) -> dict[str, Any]:
        """Figures over the incidents reported in [since, until), and the newest of them."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT incident_id, facts FROM {figures_incidents} "
                    "WHERE received_at >= ? AND received_at < ?"
                ),
                (micros(since), micros(until)),
            )
            found = [(row["incident_id"], orjson.loads(row["facts"])) for row in cursor.fetchall()]
        return {
            **figures((facts for _, facts in found), now),
            "incidents": listing(found, LISTED),
        }

    def _load(self, cursor: Any, ids: Iterable[UUID]) -> dict[int, Facts]:
        """The stored facts of these incidents, by the integer of their id."""
        select = "SELECT incident_id, facts FROM {figures_incidents} WHERE incident_id IN ({ids})"
        return {
            int(row["incident_id"], 16): orjson.loads(row["facts"])
            for row in rows_by_incident(cursor, self.sql, select, ids)
        }


def _stored(incident_id: UUID, facts: Facts | None) -> tuple[str, int, bytes]:
    assert facts is not None
    received = datetime.fromisoformat(facts["received_at"])
    return incident_id.hex, micros(received), orjson.dumps(facts)


class SQLiteFiguresView(SQLiteView, FiguresView):
    pass


class PostgresFiguresView(PostgresView, FiguresView):
    pass


class FiguresProjection(BatchProjection[FiguresView]):
    name = "figures"

    def process_batch(
        self, items: Sequence[Item], tracking: Tracking, since: int | None = None
    ) -> None:
        self.view.apply(tracking, items, since)
