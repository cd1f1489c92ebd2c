"""Users and their tokens. A token is shown once; only its hash is kept."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from app.small_tables import Duplicate, SmallTables
from domain.vocabulary import Role

TOKEN_PREFIX = "icc_"
REMEMBER_FOR = 1.0  # seconds a known token is trusted without asking the database
REMEMBERED_TOKENS = 10_000


@dataclass(frozen=True)
class User:
    name: str
    role: Role


class UserExists(Exception):
    pass


class UnknownUser(Exception):
    pass


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a plain hash cannot be brute-forced.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class UserStore:
    """Kept in the same database as the events, in a table of its own."""

    def __init__(self, tables: SmallTables) -> None:
        self.tables = tables
        self._recent: dict[str, tuple[User, float]] = {}  # token hash -> user, until
        tables.execute(
            "CREATE TABLE IF NOT EXISTS users ("
            "name TEXT PRIMARY KEY, role TEXT NOT NULL, "
            "token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)"
        )

    def add(self, name: str, role: Role) -> str:
        token = new_token()
        try:
            self.tables.execute(
                "INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, role.value, token_hash(token), datetime.now(UTC).isoformat()),
            )
        except Duplicate:
            raise UserExists(name) from None
        return token

    def rotate(self, name: str) -> str:
        """A new token for an existing user; the old one stops working."""
        token = new_token()
        changed = self.tables.execute(
            "UPDATE users SET token_hash = ? WHERE name = ?", (token_hash(token), name)
        )
        if not changed:
            raise UnknownUser(name)
        self._recent.clear()
        return token

    def authenticate(self, token: str) -> User | None:
        """Who holds the token. A known token is remembered for a second, so a
        request costs no database round trip; a rotated token therefore stops
        working within a second, on every process."""
        digest = token_hash(token)
        now = time.monotonic()
        remembered = self._recent.get(digest)
        if remembered is not None and remembered[1] > now:
            return remembered[0]
        found = self.tables.fetchone("SELECT name, role FROM users WHERE token_hash = ?", (digest,))
        if found is None:
            self._recent.pop(digest, None)
            return None
        user = User(found[0], Role(found[1]))
        if len(self._recent) >= REMEMBERED_TOKENS:
            self._recent.clear()
        self._recent[digest] = (user, now + REMEMBER_FOR)
        return user

    def all(self) -> list[User]:
        rows = self.tables.fetchall("SELECT name, role FROM users ORDER BY name")
        return [User(name, Role(role)) for name, role in rows]
