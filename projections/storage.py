"""The two homes of a stored view: SQLite and PostgreSQL.

A view's SQL is written once, with `?` placeholders and `{table}` names; the
backend base class turns it into its own dialect and supplies the library's
tracking recorder, whose row is written first in every view transaction (the
write lock before any read, and a repeated position rolls the whole batch back).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL

# Placeholders for the column types that differ between the two.
SQLITE_TYPES = {"blob": "BLOB", "bigint": "INTEGER"}
POSTGRES_TYPES = {"blob": "BYTEA", "bigint": "BIGINT"}


class ViewTables:
    """What a view declares: its tables. Statements name them as `{name}`."""

    TABLES: Sequence[str] = ()  # table names, each a `{name}` in the SQL below
    CREATE: Sequence[str] = ()  # statements that create them, `{blob}`/`{bigint}` for types

    def sql(self, text: str) -> str:
        raise NotImplementedError

    @contextmanager
    def writing(self, tracking: Tracking) -> Iterator[Any]:
        """A transaction that records `tracking` first, then lets the view write."""
        raise NotImplementedError
        yield

    @contextmanager
    def reading(self) -> Iterator[Any]:
        raise NotImplementedError
        yield

    def position(self, cursor: Any, tracking_name: str) -> int:
        raise NotImplementedError

    def clear(self, tracking_name: str) -> None:
        """Forget every row and the position, so the next run rebuilds from the log."""
        with self.reading_for_write() as cursor:
            for table in self.TABLES:
                cursor.execute(self.sql(f"DELETE FROM {{{table}}}"))
            self.forget_position(cursor, tracking_name)

    @contextmanager
    def reading_for_write(self) -> Iterator[Any]:
        raise NotImplementedError
        yield

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a stable order: for comparing two builds."""
        with self.reading() as cursor:
            tables = {}
            for table in self.TABLES:
                cursor.execute(self.sql(f"SELECT * FROM {{{table}}}"))
                tables[table] = sorted(plain_row(row) for row in cursor.fetchall())
            return tables


def plain_row(row: Any) -> tuple[Any, ...]:
    values = row.values() if isinstance(row, dict) else tuple(row)
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in values)


class SQLiteView(SQLiteTrackingRecorder, ViewTables):
    datastore: SQLiteDatastore

    def close(self) -> None:
        self.datastore.close()

    def construct_create_table_statements(self) -> list[str]:
        own = [s.format(**SQLITE_TYPES, **{t: t for t in self.TABLES}) for s in self.CREATE]
        return [*super().construct_create_table_statements(), *own]

    def sql(self, text: str) -> str:
        return _sqlite_sql(text, tuple(self.TABLES))

    @contextmanager
    def writing(self, tracking: Tracking) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            yield cursor

    @contextmanager
    def reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    @contextmanager
    def reading_for_write(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    def position(self, cursor: Any, tracking_name: str) -> int:
        return self._max_tracking_id(tracking_name, cursor) or 0

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute("DELETE FROM tracking WHERE application_name = ?", (tracking_name,))


@cache
def _sqlite_sql(text: str, tables: tuple[str, ...]) -> str:
    return text.format(**{t: t for t in tables})


class PostgresView(PostgresTrackingRecorder, ViewTables):
    datastore: PostgresDatastore

    def close(self) -> None:
        self.datastore.close()

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        names = {t: self._table(t) for t in self.TABLES}
        for statement in self.CREATE:
            self.sql_create_statements.append(SQL(statement.format(**POSTGRES_TYPES, **names)))  # type: ignore[arg-type]

    def _table(self, name: str) -> str:
        return f'"{self.datastore.schema}"."{name}"'

    def sql(self, text: str) -> str:
        return _postgres_sql(text, tuple((t, self._table(t)) for t in self.TABLES))

    @contextmanager
    def writing(self, tracking: Tracking) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            yield cursor

    @contextmanager
    def reading(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=False) as cursor:
            yield cursor

    @contextmanager
    def reading_for_write(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as cursor:
            yield cursor

    def position(self, cursor: Any, tracking_name: str) -> int:
        return self._max_tracking_id(tracking_name, cursor) or 0

    def forget_position(self, cursor: Any, tracking_name: str) -> None:
        cursor.execute(
            f"DELETE FROM {self._table(self.tracking_table_name)} WHERE application_name = %s",
            (tracking_name,),
        )


@cache
def _postgres_sql(text: str, tables: tuple[tuple[str, str], ...]) -> str:
    return text.replace("?", "%s").format(**dict(tables))
