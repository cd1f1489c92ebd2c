"""The incident's state and the checks every group of commands shares.

The commands live beside the entities they act on (orders, logistics,
contact, review) as mixins of this class; `domain.incident` puts them together.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.actor import Actor
from domain.errors import RuleBroken
from domain.vocabulary import (
    Channel,
    CommandRole,
    DismissReason,
    Kind,
    Resolution,
    Severity,
    Status,
)

if TYPE_CHECKING:
    from domain.contact import Callback, Notice, Reporter, Statement
    from domain.event import IncidentEvent
    from domain.logistics import LogisticsRequest
    from domain.orders import Order
    from domain.review import ImprovementAction, Review

# Clocks of the intake desk, a responder's phone and the server may differ a little.
CLOCK_SKEW = timedelta(minutes=2)

ACTIVE = (Status.VERIFIED, Status.RESPONDING)
OPEN = (Status.REPORTED, *ACTIVE, Status.RESOLVED)

_REFUSAL_BY_STATUS: dict[Status, tuple[str, str]] = {
    Status.REPORTED: ("not_verified", "the incident has not been verified yet"),
    Status.VERIFIED: ("already_verified", "the incident is already verified"),
    Status.RESPONDING: ("incident_responding", "the incident is in response, not resolved"),
    Status.RESOLVED: ("incident_resolved", "the incident is resolved; reopen it first"),
    Status.CLOSED: ("incident_closed", "the incident is closed"),
    Status.REVIEWED: ("incident_reviewed", "the incident is closed and reviewed"),
    Status.DISMISSED: ("incident_dismissed", "the report was dismissed"),
}


class IncidentState:
    kind: Kind
    channel: Channel
    category: str
    title: str
    description: str
    location: str
    reporter: Reporter | None
    received_at: datetime
    status: Status
    severity: Severity | None
    scope: str | None
    risk: str | None
    dismiss_reason: DismissReason | None
    duplicate_of: UUID | None
    parent_id: UUID | None
    plan: str | None
    commander: str | None
    roles: dict[CommandRole, str]
    orders: dict[UUID, Order]
    logistics: dict[UUID, LogisticsRequest]
    statements: list[Statement]
    notices: list[Notice]
    callbacks: list[Callback]
    last_update: str | None
    resolution: Resolution | None
    summary: str | None
    review: Review | None
    improvements: dict[UUID, ImprovementAction]
    reopened: int
    # Idempotency keys already answered: "actor\nkey" -> "version:digest".
    handled: dict[str, str]

    # Provided by the library's Aggregate, which the finished Incident also is.
    id: UUID
    trigger_event: Any

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise RuleBroken(*_REFUSAL_BY_STATUS[self.status])

    def _record(
        self, event_class: type[IncidentEvent], at: datetime, by: Actor, **fields: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, **by.stamp(), **fields)
