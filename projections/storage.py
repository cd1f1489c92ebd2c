"""The two homes of a stored view: SQLite and PostgreSQL.

A view's SQL is written once, with `?` placeholders and `{table}` names; the
backend base class turns it into its own dialect and supplies the library's
tracking recorder, whose row is written first in every view transaction (the
write lock before any read, and a repeated position rolls the whole batch back).

A view reads the rows a batch touches, folds them, then writes them with its
position (`fold_batch`). On SQLite the read is a transaction of its own and
the fold holds no lock: the write lock is shared with the event store and
with the processes of a parallel rebuild (folding inside it made a 2-process
rebuild 26 % slower). On PostgreSQL all three happen in the write transaction:
on the live path each round trip counts. Either is safe because only the
view's own runner writes its rows (one runner per view, or one per share of
the incidents during a parallel rebuild), so what it read is still what is
stored; and if another runner did record the batch, the tracking row or the
claim refuses it and nothing is written.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import (
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)
from psycopg.sql import SQL

TRead = TypeVar("TRead")
TFolded = TypeVar("TFolded")

# Placeholders for the column types that differ between the two.
SQLITE_TYPES = {"blob": "BLOB", "bigint": "INTEGER"}
POSTGRES_TYPES = {"blob": "BYTEA", "bigint": "BIGINT"}


class ViewTables:
    """What a view declares (its tables) and how it writes them; a backend base
    class below supplies the datastore, the tracking recorder and the dialect."""

    TABLES: Sequence[str] = ()  # table names, each a `{name}` in the SQL below
    CREATE: Sequence[str] = ()  # statements that create them, `{blob}`/`{bigint}` for types

    datastore: Any  # the library's SQLite or PostgreSQL datastore

    def sql(self, text: str) -> str:
        raise NotImplementedError

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        """The view's own position and those of any shares of a parallel rebuild."""
        raise NotImplementedError

    def forget_shares(self, cursor: Any, tracking_name: str) -> None:
        raise NotImplementedError

    READ_IN_WRITE = False  # read a batch's rows inside its write transaction

    def fold_batch(
        self,
        tracking: Tracking,
        since: int | None,
        read: Callable[[Any], TRead],
        fold: Callable[[TRead], TFolded],
        write: Callable[[Any, TFolded], None],
    ) -> TFolded:
        """Read what a batch touches, fold it, write it with `tracking` (see above)."""
        if self.READ_IN_WRITE:
            with self.writing(tracking, since) as cursor:
                folded = fold(read(cursor))
                write(cursor, folded)
            return folded
        with self.reading() as cursor:
            before = read(cursor)
        folded = fold(before)
        with self.writing(tracking, since) as cursor:
            write(cursor, folded)
        return folded

    @contextmanager
    def writing(self, tracking: Tracking, since: int | None = None) -> Iterator[Any]:
        """A transaction that records `tracking` first, then lets the view write.
        With `since` (the position the batch was folded from), only if the view
        is still there: see `claim`."""
        with self.datastore.transaction(commit=True) as cursor:
            if since is not None:
                self.claim(cursor, tracking.application_name, since)
            self._insert_tracking(cursor, tracking)
            yield cursor

    def claim(self, cursor: Any, tracking_name: str, since: int) -> None:
        """Refuse a batch folded from a position the view has moved on from.

        The library's tracking row refuses a position that is not past the last
        one, which is enough while one runner writes a view. When the folding
        passes from one process to another (the owner died mid-commit, say), the
        newcomer may have read the view before the last batch of the other
        landed: its batch would then apply those events a second time. Checking
        the position it folded from, with a write (so the lock comes first),
        closes that gap; a refused batch is folded again from the new position."""
        table = self.tracking_table()
        if since:
            statement = (
                f"UPDATE {table} SET notification_id = notification_id "
                "WHERE application_name = ? AND notification_id = ? RETURNING application_name"
            )
            cursor.execute(self.sql(statement), (tracking_name, since))
        else:
            statement = (
                f"INSERT INTO {table} (application_name, notification_id) VALUES (?, 0) "
                "ON CONFLICT (application_name) DO NOTHING RETURNING application_name"
            )
            cursor.execute(self.sql(statement), (tracking_name,))
        if cursor.fetchone() is None:
            msg = f"{tracking_name} is no longer at {since}: another runner folded it"
            raise IntegrityError(msg)

    def tracking_table(self) -> str:
        raise NotImplementedError

    @contextmanager
    def reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    def position(self, cursor: Any, tracking_name: str) -> int:
        found: int | None = self._max_tracking_id(tracking_name, cursor)
        return found or 0

    def current_position(self, tracking_name: str) -> int:
        with self.reading() as cursor:
            return self.position(cursor, tracking_name)

    def clear(self, tracking_name: str) -> None:
        """Forget every row and the position, so the next run rebuilds from the log."""
        with self.datastore.transaction(commit=True) as cursor:
            for table in self.TABLES:
                cursor.execute(self.sql(f"DELETE FROM {{{table}}}"))
            self.forget_position(cursor, tracking_name)

    def adopt(self, tracking_name: str, position: int) -> None:
        """The shares of a parallel rebuild all reached `position`: it becomes the view's."""
        with self.writing(Tracking(tracking_name, position)) as cursor:
            self.forget_shares(cursor, tracking_name)

    def close(self) -> None:
        self.datastore.close()

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a stable order: for comparing two builds."""
        with self.reading() as cursor:
            tables = {}
            for table in self.TABLES:
                cursor.execute(self.sql(f"SELECT * FROM {{{table}}}"))
                tables[table] = sorted(plain_row(row) for row in cursor.fetchall())
            return tables

    # The library's tracking recorders provide these two.
    def _insert_tracking(self, cursor: Any, tracking: Tracking) -> None:
        raise NotImplementedError

    def _max_tracking_id(self, application_name: str, cursor: Any) -> int | None:
        raise NotImplementedError


def plain_row(row: Any) -> tuple[Any, ...]:
    values = row.values() if isinstance(row, dict) else tuple(row)
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in values)


class ViewConnections(SQLiteConnectionPool):
    """Connections whose commits do not wait for the disk (WAL, synchronous=NORMAL).

    A view can always be folded again: its rows and its tracked position commit
    together and atomically, so a power cut can only take back the last batches,
    which the next start folds again. The events keep their synced commits."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
        return connection


class SQLiteViewStore(SQLiteDatastore):
    """Where the SQLite views live: one file beside the log's, shared by every view
    (see `Settings.views_path`)."""

    def __init__(self, db_name: str, lock_timeout: int | None = None) -> None:
        super().__init__(db_name, lock_timeout=lock_timeout)
        self.pool.close()
        self.pool = ViewConnections(db_name=db_name, lock_timeout=lock_timeout)


class SQLiteView(SQLiteTrackingRecorder, ViewTables):
    datastore: SQLiteDatastore

    def construct_create_table_statements(self) -> list[str]:
        own = [s.format(**SQLITE_TYPES, **{t: t for t in self.TABLES}) for s in self.CREATE]
        return [*super().construct_create_table_statements(), *own]

    def sql(self, text: str) -> str:
        return _sqlite_sql(text, tuple(self.TABLES))

    def tracking_table(self) -> str:
        return "tracking"  # the library's, on SQLite, whatever the view

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute("DELETE FROM tracking WHERE application_name = ?", (tracking_name,))
        self.forget_shares(cursor, tracking_name)

    def forget_shares(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute(
            "DELETE FROM tracking WHERE application_name LIKE ?", (tracking_name + "/%",)
        )


@cache
def _sqlite_sql(text: str, tables: tuple[str, ...]) -> str:
    return text.format(**{t: t for t in tables})


class PostgresView(PostgresTrackingRecorder, ViewTables):
    datastore: PostgresDatastore
    READ_IN_WRITE = True

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        names = {t: self._table(t) for t in self.TABLES}
        for statement in self.CREATE:
            self.sql_create_statements.append(SQL(statement.format(**POSTGRES_TYPES, **names)))  # type: ignore[arg-type]

    def _table(self, name: str) -> str:
        return f'"{self.datastore.schema}"."{name}"'

    def sql(self, text: str) -> str:
        return _postgres_sql(text, tuple((t, self._table(t)) for t in self.TABLES))

    def tracking_table(self) -> str:
        return self._table(self.tracking_table_name)

    @contextmanager
    def writing(self, tracking: Tracking, since: int | None = None) -> Iterator[Any]:
        """As every view writes, and once committed, a wake-up for the processes
        that serve this view but do not fold it (see `app/live/shared.py`)."""
        with super().writing(tracking, since) as cursor:
            yield cursor
            cursor.execute("SELECT pg_notify(%s, %s)", (views_channel(self.datastore.schema), ""))

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """One snapshot for every read inside (a position and the rows it covers);
        PostgreSQL's default would let each statement see newer commits."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield cursor

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute(
            f"DELETE FROM {self._table(self.tracking_table_name)} WHERE application_name = %s",
            (tracking_name,),
        )
        self.forget_shares(cursor, tracking_name)

    def forget_shares(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute(
            f"DELETE FROM {self._table(self.tracking_table_name)} WHERE application_name LIKE %s",
            (tracking_name + "/%",),
        )


def views_channel(schema: str) -> str:
    """The channel a committed view batch is announced on, one per schema."""
    return f"icc_views_{schema}"


@cache
def _postgres_sql(text: str, tables: tuple[tuple[str, str], ...]) -> str:
    return text.replace("?", "%s").format(**dict(tables))
