"""The timeline's stored view: one row per incident holding its entries in log
order, and the crisis a complaint was linked to (whose timeline shows them).

A row per incident, not per event: a batch appends to each incident's array
once (the stored JSON is extended, never parsed), and reading a timeline is a
read of a few rows.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking

from domain.incident import Linked
from projections.batches import Item, rows_by_incident
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables
from projections.timeline import Entry, stored_entry


class TimelineView(ViewTables):
    TABLES = ("timeline_incidents",)
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {timeline_incidents} ("
            "incident_id TEXT PRIMARY KEY, parent TEXT, entries {blob} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS timeline_incidents_parent ON {timeline_incidents} (parent)",
    )

    def apply(self, tracking: Tracking, items: Sequence[Item]) -> None:
        appended: dict[UUID, list[list[Any]]] = {}
        parents: dict[UUID, str] = {}
        for item in items:
            event = item[1]
            appended.setdefault(event.originator_id, []).append(stored_entry(item))
            if isinstance(event, Linked):
                parents[event.originator_id] = event.parent_id.hex
        select = (
            "SELECT incident_id, parent, entries FROM {timeline_incidents} "
            "WHERE incident_id IN ({ids})"
        )
        with self.reading() as cursor:
            before = {
                row["incident_id"]: (row["parent"], bytes(row["entries"]))
                for row in rows_by_incident(cursor, self.sql, select, appended)
            }
        with self.writing(tracking) as cursor:
            rows = []
            for incident, new in appended.items():
                parent, old = before.get(incident.hex, (None, b"[]"))
                entries = _extended(old, orjson.dumps(new))
                rows.append((incident.hex, parents.get(incident, parent), entries))
            if rows:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {timeline_incidents} (incident_id, parent, entries) "
                        "VALUES (?, ?, ?) ON CONFLICT (incident_id) DO UPDATE "
                        "SET parent = excluded.parent, entries = excluded.entries"
                    ),
                    rows,
                )

    def entries(self, incident_id: UUID) -> list[Entry]:
        """The entries of the incident and of the complaints linked to it, in log order."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT incident_id, entries FROM {timeline_incidents} "
                    "WHERE incident_id = ? OR parent = ?"
                ),
                (incident_id.hex, incident_id.hex),
            )
            found = [
                Entry.from_stored(row["incident_id"], values)
                for row in cursor.fetchall()
                for values in orjson.loads(row["entries"])
            ]
        return sorted(found, key=lambda entry: entry.position)


def _extended(old: bytes, new: bytes) -> bytes:
    """Two JSON arrays joined into one, without parsing either."""
    return new if old == b"[]" else old[:-1] + b"," + new[1:]


class SQLiteTimelineView(SQLiteView, TimelineView):
    pass


class PostgresTimelineView(PostgresView, TimelineView):
    pass


class TimelineProjection(BatchProjection[TimelineView]):
    name = "timeline"

    def process_batch(self, items: Sequence[Item], tracking: Tracking) -> None:
        self.view.apply(tracking, items)
