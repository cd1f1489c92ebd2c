"""Tamper evidence: a hash chain over the stored events, in log order.

Each event's link is SHA-256 over the previous link, its position, id, version,
topic and stored bytes; the first event's previous link is 32 zero bytes. The
links are written by the event store's own recorder, in the very transaction
that stores the events, so no acknowledged event is ever unchained. Anyone can
recompute the chain from the stored events (or from an export) with nothing
but the standard library; `verify` names the first position where the stored
events and the chain part ways.
"""

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

GENESIS = bytes(32)
CHAIN_TABLE = "event_chain"
VERIFY_BATCH = 5000


def link(
    previous: bytes,
    position: int,
    originator_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The chain's link for one stored event."""
    identity = originator_id.hex if isinstance(originator_id, UUID) else originator_id
    digest = hashlib.sha256(previous)
    digest.update(f"{position}\n{identity}\n{version}\n{topic}\n".encode())
    digest.update(state)
    return digest.digest()


def links(
    previous: bytes, positions: Sequence[int], events: Sequence[StoredEvent]
) -> list[tuple[int, bytes]]:
    chained = []
    for position, event in zip(positions, events, strict=True):
        previous = link(
            previous,
            position,
            event.originator_id,
            event.originator_version,
            event.topic,
            event.state,
        )
        chained.append((position, previous))
    return chained


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position INTEGER PRIMARY KEY, hash BLOB)",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            # The insert above holds the write lock: the head cannot move under us.
            c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
            head = c.fetchone()
            previous = bytes(head[0]) if head else GENESIS
            c.executemany(
                f"INSERT INTO {CHAIN_TABLE} (position, hash) VALUES (?, ?)",
                links(previous, positions, stored_events),
            )
        return positions

    def create_table(self) -> None:
        super().create_table()
        self._chain_earlier_events()

    def _chain_earlier_events(self) -> None:
        """A store from before the chain existed gets its events chained once, at start."""
        with self.datastore.transaction(commit=True) as c:
            # A write first: it takes the lock, so no event is stored meanwhile.
            c.execute(f"DELETE FROM {CHAIN_TABLE} WHERE position < 0")
            c.execute(f"SELECT 1 FROM {CHAIN_TABLE} LIMIT 1")
            if c.fetchone():
                return
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} ORDER BY rowid"
            )
            rows = c.fetchall()
            previous, chained = GENESIS, []
            for position, originator_id, version, topic, state in rows:
                previous = link(previous, position, originator_id, version, topic, bytes(state))
                chained.append((position, previous))
            c.executemany(f"INSERT INTO {CHAIN_TABLE} (position, hash) VALUES (?, ?)", chained)

    def chain(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT position, hash FROM {CHAIN_TABLE} WHERE position > ? "
                "ORDER BY position LIMIT ?",
                (after, limit),
            )
            return [(row[0], bytes(row[1])) for row in c.fetchall()]


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain_table = (
            Identifier(self.datastore.schema),
            Identifier(f"{self.events_table_name}_chain"),
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {}.{} (position bigint PRIMARY KEY, hash bytea)"
            ).format(*self.chain_table)
        )

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if positions:
            # The library's table lock is held until commit: the head cannot move under us.
            curs.execute(
                SQL("SELECT hash FROM {}.{} ORDER BY position DESC LIMIT 1").format(
                    *self.chain_table
                )
            )
            head = curs.fetchone()
            previous = bytes(head["hash"]) if head else GENESIS
            curs.executemany(
                SQL("INSERT INTO {}.{} (position, hash) VALUES (%s, %s)").format(*self.chain_table),
                links(previous, positions, stored_events),
            )
        return positions

    def chain(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL(
                    "SELECT position, hash FROM {}.{} "
                    "WHERE position > %s ORDER BY position LIMIT %s"
                ).format(*self.chain_table),
                (after, limit),
            )
            return [(row["position"], bytes(row["hash"])) for row in c.fetchall()]


@dataclass(frozen=True)
class Verdict:
    checked: int  # events whose links were recomputed
    head: bytes  # the last link that matched
    bad_position: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.bad_position is None


def verify(recorder: ApplicationRecorder) -> Verdict:
    """Recompute the chain over the stored events and compare it with the stored one."""
    stored: Any = recorder
    events = notifications(recorder)
    chain = chained(stored)
    previous, checked = GENESIS, 0
    event, linked = next(events, None), next(chain, None)
    while event is not None or linked is not None:
        if linked is None or (event is not None and event.id < linked[0]):
            assert event is not None
            return Verdict(checked, previous, event.id, "an event the chain never saw (inserted)")
        if event is None or linked[0] < event.id:
            return Verdict(checked, previous, linked[0], "a chained event is missing (deleted)")
        expected = link(
            previous,
            event.id,
            event.originator_id,
            event.originator_version,
            event.topic,
            event.state,
        )
        if expected != linked[1]:
            return Verdict(checked, previous, event.id, "the event differs from its link (changed)")
        previous, checked = expected, checked + 1
        event, linked = next(events, None), next(chain, None)
    return Verdict(checked, previous)


def notifications(recorder: ApplicationRecorder) -> Iterator[Notification]:
    """Every stored event in log order, read in batches."""
    position = 0
    while batch := recorder.select_notifications(
        start=position, limit=VERIFY_BATCH, inclusive_of_start=False
    ):
        yield from batch
        position = batch[-1].id


def chained(recorder: Any) -> Iterator[tuple[int, bytes]]:
    """Every stored link (position, hash) in log order, read in batches."""
    position = 0
    while batch := recorder.chain(position, VERIFY_BATCH):
        yield from batch
        position = batch[-1][0]
