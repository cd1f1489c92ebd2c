"""What every incident event carries, whatever happened."""

from dataclasses import field
from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.vocabulary import Role


class IncidentEvent(Aggregate.Event):
    """Who caused it, the role they acted in and, when the client sent one, the
    idempotency key of the request: a retry is answered from the event it
    already produced."""

    actor: str = field(kw_only=True)
    role: Role = field(kw_only=True)
    request_key: str | None = field(default=None, kw_only=True)
    request_digest: str | None = field(default=None, kw_only=True)

    @property
    def at(self) -> datetime:
        """Server time when the event was recorded."""
        return self.timestamp

    def mutate(self, aggregate: Any) -> Any:
        incident = super().mutate(aggregate)
        if self.request_key is not None and incident is not None:
            key = handled_key(self.actor, self.request_key)
            incident.handled[key] = f"{self.originator_version}:{self.request_digest}"
        return incident


def handled_key(actor: str, request_key: str) -> str:
    """Idempotency keys are the client's own, so they are kept per user."""
    return f"{actor}\n{request_key}"
