"""Reporters' personal data, sealed at rest with a key of each reporter's own.

The domain holds a `Reporter` in plain form; this transcoding seals it on the
way into the store (events and snapshots alike) with the library's AES-GCM
cipher under that reporter's key, and opens it on the way out. Each key is kept
wrapped under a master key that lives outside the database, so the database
files never hold personal data in plain text; destroying one key erases one
person's data without rewriting any event.
"""

import base64
import os
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import Transcoding
from eventsourcing.utils import Environment

from app.config import Settings
from app.small_tables import SmallTables
from domain.contact import PersonalText, Reporter

KEY_BYTES = 32
# A row sealed under the master key, to tell a wrong master key at once.
MASTER_CHECK = "master-key-check"


class WrongMasterKey(Exception):
    pass


def cipher_for(key: bytes) -> AESCipher:
    return AESCipher(Environment(env={"CIPHER_KEY": base64.b64encode(key).decode()}))


def load_master_key(settings: Settings) -> bytes:
    """From ICC_MASTER_KEY, or from the key file, created on first use."""
    if settings.master_key:
        key = base64.b64decode(settings.master_key)
    else:
        path = settings.master_key_path
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(base64.b64encode(os.urandom(KEY_BYTES)).decode() + "\n")
        key = base64.b64decode(path.read_text().strip())
    AESCipher.check_key_size(len(key))
    return key


class PersonalKeys:
    """One key per reporter, each stored wrapped under the master key.

    Kept in the store's own database. On SQLite a new key is committed without
    its own fsync (synchronous=NORMAL): it lands in the write-ahead log before
    the event that uses it, whose commit is synced and so makes the key durable
    too. A report thus pays one fsync, not two.
    """

    def __init__(self, tables: SmallTables, master_key: bytes) -> None:
        self._master = cipher_for(master_key)
        self._ciphers: dict[UUID, AESCipher] = {}
        self.tables = tables
        tables.execute(
            "CREATE TABLE IF NOT EXISTS personal_keys (key_id TEXT PRIMARY KEY, key BLOB)"
        )
        self._insert(MASTER_CHECK, self._master.encrypt(MASTER_CHECK.encode()))
        try:
            self._master.decrypt(self._wrapped(MASTER_CHECK) or b"")
        except ValueError:
            self.close()
            raise WrongMasterKey(
                "the master key does not open this database's personal data keys; "
                "set ICC_MASTER_KEY or ICC_KEY_FILE to the key it was created with"
            ) from None

    def cipher(self, key_id: UUID, *, create: bool) -> AESCipher | None:
        """The reporter's cipher; None once their key was destroyed (or never made)."""
        found = self._ciphers.get(key_id)
        if found is not None:
            return found
        if create:
            # Write first: a twin writer's key, if it got there first, wins.
            self._insert(key_id.hex, self._master.encrypt(os.urandom(KEY_BYTES)))
        wrapped = self._wrapped(key_id.hex)
        if wrapped is None:
            return None
        cipher = cipher_for(self._master.decrypt(wrapped))
        self._ciphers[key_id] = cipher
        return cipher

    def destroy(self, key_id: UUID) -> None:
        """Erasure: the reporter's key is gone, so nothing sealed with it opens again."""
        self._ciphers.pop(key_id, None)
        self.tables.erase("DELETE FROM personal_keys WHERE key_id = ?", (key_id.hex,))

    def close(self) -> None:
        self.tables.close()

    def _insert(self, key_id: str, wrapped: bytes) -> None:
        self.tables.execute(
            "INSERT INTO personal_keys (key_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (key_id, wrapped),
        )

    def _wrapped(self, key_id: str) -> bytes | None:
        row = self.tables.fetchone("SELECT key FROM personal_keys WHERE key_id = ?", (key_id,))
        return None if row is None else bytes(row[0])


class _Sealing(Transcoding):
    """Bytes sealed with a reporter's key, stored beside the key's id; nothing
    (`sealed: null`) once the data is erased or the key destroyed."""

    def __init__(self, keys: PersonalKeys) -> None:
        self.keys = keys

    def seal(self, key_id: UUID, plain: bytes | None, *, create: bool) -> dict[str, Any]:
        cipher = None if plain is None else self.keys.cipher(key_id, create=create)
        if cipher is None or plain is None:
            return {"key_id": key_id.hex, "sealed": None}
        return {"key_id": key_id.hex, "sealed": base64.b64encode(cipher.encrypt(plain)).decode()}

    def open(self, data: dict[str, Any]) -> tuple[UUID, bytes | None]:
        key_id = UUID(data["key_id"])
        cipher = self.keys.cipher(key_id, create=False) if data["sealed"] else None
        if cipher is None:
            return key_id, None
        return key_id, cipher.decrypt(base64.b64decode(data["sealed"]))


class ReporterSealing(_Sealing):
    type = Reporter
    name = "Reporter"

    def encode(self, obj: Reporter) -> dict[str, Any]:
        plain = None if obj.erased else orjson.dumps([obj.name, obj.phone, obj.email, obj.account])
        return self.seal(obj.key_id, plain, create=True)

    def decode(self, data: dict[str, Any]) -> Reporter:
        key_id, plain = self.open(data)
        if plain is None:
            return Reporter(key_id=key_id, erased=True)
        # Sealed before descriptions could be personal: three fields, no account.
        name, phone, email, *account = orjson.loads(plain)
        return Reporter(key_id, name, phone, email, account=account[0] if account else "")


class PersonalTextSealing(_Sealing):
    """Free text marked personal, sealed with its reporter's key."""

    type = PersonalText
    name = "PersonalText"

    def encode(self, obj: PersonalText) -> dict[str, Any]:
        # Never a new key: the reporter's was made with the report, and once
        # destroyed (erasure) nothing may be sealed under that name again.
        plain = None if obj.erased else obj.text.encode()
        return self.seal(obj.key_id, plain, create=False)

    def decode(self, data: dict[str, Any]) -> PersonalText:
        key_id, plain = self.open(data)
        return (
            PersonalText(key_id, erased=True)
            if plain is None
            else PersonalText(key_id, plain.decode())
        )
