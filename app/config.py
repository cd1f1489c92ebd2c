"""Settings from the environment, in one place."""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE = "./incidents.db"


@dataclass(frozen=True)
class Settings:
    database: str = DEFAULT_DATABASE
    # How often the log follower looks for writes made by other processes (icc commands).
    poll_interval: float = 0.25
    # The master key that wraps each reporter's own key: base64 of 32 bytes, or
    # else kept in `key_file` (created on first use, readable by its owner only).
    master_key: str | None = None
    key_file: str | None = None
    # Optional: the library's cipher over every whole stored event as well.
    cipher_key: str | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database=os.environ.get("ICC_DATABASE", DEFAULT_DATABASE),
            master_key=os.environ.get("ICC_MASTER_KEY") or None,
            key_file=os.environ.get("ICC_KEY_FILE") or None,
            cipher_key=os.environ.get("ICC_CIPHER_KEY") or None,
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
    def master_key_path(self) -> Path:
        """Beside the database by default, so the two are backed up together
        but a copy of the database file alone reveals no personal data."""
        if self.key_file:
            return Path(self.key_file)
        return self.sqlite_path.with_name(self.sqlite_path.name + ".key")

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's own settings for the store."""
        if self.is_postgres:
            raise NotImplementedError(
                "PostgreSQL storage is not available yet; use a SQLite file path for ICC_DATABASE"
            )
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(self.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
        if self.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cryptography:AESCipher"
            env["CIPHER_KEY"] = self.cipher_key
        return env
