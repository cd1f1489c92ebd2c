"""Who caused an event: the authenticated user, the role they acted in and,
when the client sent one, the idempotency key of their request."""

from dataclasses import dataclass
from typing import Any

from domain.vocabulary import Role


@dataclass(frozen=True)
class Request:
    """An idempotency key and a digest of the command it was first sent with."""

    key: str
    digest: str


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
    request: Request | None = None

    def sending(self, request: Request | None) -> "Actor":
        # Not `dataclasses.replace`, which costs several times more on every command.
        return Actor(self.name, self.role, request)

    def stamp(self) -> dict[str, Any]:
        """The fields every event records about its cause."""
        return {
            "actor": self.name,
            "role": self.role,
            "request_key": self.request.key if self.request else None,
            "request_digest": self.request.digest if self.request else None,
        }
