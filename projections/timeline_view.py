"""The timeline's stored view: one row per event, and which complaints were linked
to which crisis (their entries appear in the crisis's timeline)."""

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import Tracking

from domain.incident import Linked
from projections.batches import Item
from projections.runner import BatchProjection
from projections.storage import PostgresView, SQLiteView, ViewTables, plain_row
from projections.timeline import Entry


class TimelineView(ViewTables):
    TABLES = ("timeline_entries", "timeline_links")
    CREATE = (
        (
            "CREATE TABLE IF NOT EXISTS {timeline_entries} ("
            "position {bigint} PRIMARY KEY, incident_id TEXT NOT NULL, version INTEGER NOT NULL, "
            "at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, type TEXT NOT NULL, "
            "params {blob} NOT NULL)"
        ),
        (
            "CREATE INDEX IF NOT EXISTS timeline_entries_incident "
            "ON {timeline_entries} (incident_id, position)"
        ),
        (
            "CREATE TABLE IF NOT EXISTS {timeline_links} ("
            "child TEXT PRIMARY KEY, parent TEXT NOT NULL)"
        ),
        "CREATE INDEX IF NOT EXISTS timeline_links_parent ON {timeline_links} (parent)",
    )

    def apply(self, tracking: Tracking, items: Sequence[Item]) -> None:
        entries = [Entry.of(item) for item in items]
        links = [(e.originator_id.hex, e.parent_id.hex) for _, e in items if isinstance(e, Linked)]
        with self.writing(tracking) as cursor:
            if entries:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {timeline_entries} "
                        "(position, incident_id, version, at, actor, role, type, params) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    ),
                    [
                        (
                            e.position,
                            e.incident_id,
                            e.version,
                            e.at,
                            e.actor,
                            e.role,
                            e.type,
                            e.params,
                        )
                        for e in entries
                    ],
                )
            if links:
                cursor.executemany(
                    self.sql(
                        "INSERT INTO {timeline_links} (child, parent) VALUES (?, ?) "
                        "ON CONFLICT (child) DO UPDATE SET parent = excluded.parent"
                    ),
                    links,
                )

    def entries(self, incident_id: UUID) -> list[Entry]:
        """The entries of the incident and of the complaints linked to it, in log order."""
        with self.reading() as cursor:
            cursor.execute(
                self.sql(
                    "SELECT * FROM {timeline_entries} WHERE incident_id = ? "
                    "OR incident_id IN (SELECT child FROM {timeline_links} WHERE parent = ?) "
                    "ORDER BY position"
                ),
                (incident_id.hex, incident_id.hex),
            )
            return [Entry(*plain_row(row)) for row in cursor.fetchall()]


class SQLiteTimelineView(SQLiteView, TimelineView):
    pass


class PostgresTimelineView(PostgresView, TimelineView):
    pass


class TimelineProjection(BatchProjection[TimelineView]):
    name = "timeline"

    def process_batch(self, items: Sequence[Item], tracking: Tracking) -> None:
        self.view.apply(tracking, items)
