"""The timeline's stored view: each incident's entries in log order, kept in
pages of a few dozen, and the crisis a complaint was linked to (whose
timeline shows the complaint's entries).

Pages, not a row per event: a batch extends the last page of each incident it
touches once (the stored JSON is extended, never parsed), and reading a
timeline is a read of a few rows. Not one row per incident either: a crisis of
thousands of events would rewrite all of them for each new one.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Tracking

from domain.incident import Linked
from projections.batches import Item, rows_with_keys
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables
from projections.timeline import Entry, stored_entry

PAGE = 64  # entries per stored page of an incident's timeline


class TimelineView(ViewTables):
    TABLES = ("timeline_pages", "timeline_links")
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {timeline_pages} ("
            "page TEXT PRIMARY KEY, incident_id TEXT NOT NULL, entries {blob} NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS timeline_pages_incident ON {timeline_pages} (incident_id)",
        (
            "CREATE TABLE IF NOT EXISTS {timeline_links} ("
            "child TEXT PRIMARY KEY, parent TEXT NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS timeline_links_parent ON {timeline_links} (parent)",
    )

    def apply(self, tracking: Tracking, items: Sequence[Item], since: int | None = None) -> None:
        appended: dict[str, tuple[str, list[list[Any]]]] = {}
        links = []
        for item in items:
            event = item[1]
            incident = event.originator_id.hex
            page = f"{incident}:{(event.originator_version - 1) // PAGE}"
            appended.setdefault(page, (incident, []))[1].append(stored_entry(item))
            if isinstance(event, Linked):
                links.append((incident, event.parent_id.hex))
        select = "SELECT page, entries FROM {timeline_pages} WHERE page IN ({ids})"

        def read(cursor: Any) -> dict[str, bytes]:
            return {
                row["page"]: bytes(row["entries"])
                for row in rows_with_keys(cursor, self.sql, select, list(appended))
            }

        def extend(before: dict[str, bytes]) -> list[tuple[str, str, bytes]]:
            return [
                (page, incident, _extended(before.get(page, b"[]"), orjson.dumps(new)))
                for page, (incident, new) in appended.items()
            ]

        def write(cursor: Any, rows: list[tuple[str, str, bytes]]) -> None:
            if rows:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {timeline_pages} (page, incident_id, entries) "
                        "VALUES (?, ?, ?) ON CONFLICT (page) DO UPDATE "
                        "SET entries = excluded.entries"
                    ),
                    rows,
                )
            if links:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {timeline_links} (child, parent) VALUES (?, ?) "
                        "ON CONFLICT (child) DO UPDATE SET parent = excluded.parent"
                    ),
                    links,
                )

        self.fold_batch(tracking, since, read=read, fold=extend, write=write)

    def entries(self, incident_id: UUID) -> list[Entry]:
        """The entries of the incident and of the complaints linked to it, in log order."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT incident_id, entries FROM {timeline_pages} WHERE incident_id = ? "
                    "OR incident_id IN (SELECT child FROM {timeline_links} WHERE parent = ?)"
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

    def process_batch(
        self, items: Sequence[Item], tracking: Tracking, since: int | None = None
    ) -> None:
        self.view.apply(tracking, items, since)
