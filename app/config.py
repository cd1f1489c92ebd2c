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

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(database=os.environ.get("ICC_DATABASE", DEFAULT_DATABASE))

    @property
    def is_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        if self.is_postgres:
            raise ValueError("not a SQLite database")
        return Path(self.database)

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's own settings for the store."""
        if self.is_postgres:
            raise NotImplementedError(
                "PostgreSQL storage is not available yet; use a SQLite file path for ICC_DATABASE"
            )
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(self.sqlite_path),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
