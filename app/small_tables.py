"""The store's few tables of its own (users, personal data keys), in the same
database as the events: a SQLite file or PostgreSQL.

Statements are written once with `?` placeholders; PostgreSQL gets `%s`.
"""

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg_pool import ConnectionPool


class Duplicate(Exception):
    """A row with that key exists already."""


class SmallTables(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement in its own transaction; returns the rows changed."""

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def erase(self, sql: str, params: Sequence[Any] = ()) -> None:
        """A delete whose old bytes must not linger in the database files."""

    def close(self) -> None: ...


class SQLiteTables:
    """One connection, taken in turns: cheaper than opening one per call."""

    def __init__(self, path: Path, *, synchronous: str = "FULL") -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            with self._lock, self._db:
                return self._db.execute(sql, params).rowcount
        except sqlite3.IntegrityError as error:
            raise Duplicate(str(error)) from None

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            found: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
            return found

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def erase(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._lock:
            with self._db:
                # Overwrite the freed bytes, then fold the write-ahead log back
                # and empty it, so no older copy of the row stays on disk.
                self._db.execute("PRAGMA secure_delete=ON")
                self._db.execute(sql, params)
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._db.close()


class PostgresTables:
    def __init__(self, dsn: str, schema: str) -> None:
        self._pool = ConnectionPool(
            dsn,
            min_size=1,
            max_size=4,
            kwargs={"options": f"-c search_path={schema}", "autocommit": True},
            open=True,
        )

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        try:
            with self._pool.connection() as db:
                return db.execute(_pg(sql), params).rowcount
        except psycopg.errors.UniqueViolation as error:
            raise Duplicate(str(error)) from None

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._pool.connection() as db:
            return db.execute(_pg(sql), params).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._pool.connection() as db:
            return db.execute(_pg(sql), params).fetchall()

    def erase(self, sql: str, params: Sequence[Any] = ()) -> None:
        table = sql.split("FROM", 1)[1].split()[0]
        with self._pool.connection() as db:
            db.execute(_pg(sql), params)
            db.execute(f"VACUUM {table}")  # dead row versions go at once, not some day

    def close(self) -> None:
        self._pool.close()


def _pg(sql: str) -> str:
    return sql.replace("?", "%s").replace(" BLOB", " BYTEA")
