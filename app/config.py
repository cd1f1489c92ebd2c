"""Settings from the environment, in one place."""

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from psycopg.conninfo import make_conninfo

DEFAULT_DATABASE = "./incidents.db"


@dataclass(frozen=True)
class Settings:
    database: str = DEFAULT_DATABASE
    # How often the log follower looks for writes made by other processes (icc commands).
    poll_interval: float = 0.25
    # Seconds between heartbeats on a quiet socket; a side that hears nothing for
    # about two of them takes the connection for dead.
    heartbeat: float = 10.0
    # False in server workers: `icc migrate` (run by `icc serve` first) made the tables.
    create_tables: bool = True
    # The master key that wraps each reporter's own key: base64 of 32 bytes, or
    # else kept in `key_file` (created on first use, readable by its owner only).
    master_key: str | None = None
    key_file: str | None = None
    # Optional: the library's cipher over every whole stored event as well.
    cipher_key: str | None = None
    # SQLite: fold the timeline, figures and work views in a child process, so
    # they do not take the server's interpreter from the commands.
    views_process: bool = True

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database=os.environ.get("ICC_DATABASE", DEFAULT_DATABASE),
            heartbeat=float(os.environ.get("ICC_HEARTBEAT", "10")),
            create_tables=os.environ.get("ICC_CREATE_TABLES", "y").lower() not in ("n", "no", "0"),
            master_key=os.environ.get("ICC_MASTER_KEY") or None,
            key_file=os.environ.get("ICC_KEY_FILE") or None,
            cipher_key=os.environ.get("ICC_CIPHER_KEY") or None,
            views_process=os.environ.get("ICC_VIEWS_PROCESS", "y").lower() not in ("n", "no", "0"),
        )

    @property
    def is_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise ValueError("not a SQLite database")
        return Path(self.database)

    @property
    def views_path(self) -> Path:
        """The SQLite views' own file beside the log (`incidents.views.db`): folding
        them never holds the lock that commands need to commit. Derived data only,
        rebuilt from the log when missing."""
        path = self.sqlite_path
        return path.with_name(f"{path.stem}.views{path.suffix}")

    @property
    def master_key_path(self) -> Path:
        """Beside the database by default, so the two are backed up together
        but a copy of the database file alone reveals no personal data."""
        if self.key_file:
            return Path(self.key_file)
        if self.is_postgres:
            return Path(f"{self.postgres.dbname}.key")
        return self.sqlite_path.with_name(self.sqlite_path.name + ".key")

    @property
    def postgres(self) -> "PostgresAddress":
        return PostgresAddress.parse(self.database)

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's own settings for the store."""
        env = (
            self.postgres.env()
            if self.is_postgres
            else {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        )
        # The store's recorder also writes the hash chain, in the same transaction.
        recorder = "ChainedPostgresRecorder" if self.is_postgres else "ChainedSQLiteRecorder"
        env["APPLICATION_RECORDER_TOPIC"] = f"app.chain:{recorder}"
        if self.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = self.cipher_key
        return env


@dataclass(frozen=True)
class PostgresAddress:
    """`postgresql://user:password@host:port/dbname?schema=name`."""

    host: str
    port: int
    dbname: str
    user: str
    password: str
    schema: str

    @classmethod
    def parse(cls, url: str) -> "PostgresAddress":
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            dbname=unquote(parts.path.lstrip("/")) or "postgres",
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            schema=query.get("schema", ["public"])[0],
        )

    @property
    def dsn(self) -> str:
        return make_conninfo(
            host=self.host,
            port=self.port,
            dbname=self.dbname,
            user=self.user,
            password=self.password,
        )

    def env(self) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_SCHEMA": self.schema,
        }
