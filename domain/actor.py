"""Who caused an event: the authenticated user and the role they acted in."""

from dataclasses import dataclass

from domain.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
