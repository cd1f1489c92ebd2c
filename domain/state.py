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

LIFECYCLE = (
    Status.REPORTED,
    Status.VERIFIED,
    Status.RESPONDING,
    Status.RESOLVED,
    Status.CLOSED,
    Status.REVIEWED,
)
# A command that comes too early names the step still missing...
_TOO_EARLY: dict[Status, tuple[str, str]] = {
    Status.VERIFIED: ("not_verified", "the incident has not been verified yet"),
    Status.RESPONDING: ("not_verified", "the incident has not been verified yet"),
    Status.RESOLVED: ("not_resolved", "the incident has not been resolved yet"),
    Status.CLOSED: ("not_closed", "the incident has not been closed yet"),
}
# ...and one that comes too late names the stage the incident has passed to.
_TOO_LATE: dict[Status, tuple[str, str]] = {
    Status.REPORTED: ("not_verified", "the incident has not been verified yet"),
    Status.VERIFIED: ("already_verified", "the incident is already verified"),
    Status.RESPONDING: ("already_verified", "the incident is already verified and in response"),
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
        if self.status in allowed:
            return
        earliest = min(allowed, key=LIFECYCLE.index)
        if self.status in LIFECYCLE and LIFECYCLE.index(self.status) < LIFECYCLE.index(earliest):
            raise RuleBroken(*_TOO_EARLY[earliest])
        raise RuleBroken(*_TOO_LATE[self.status])

    def _record(
        self, event_class: type[IncidentEvent], at: datetime, by: Actor, **fields: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, **by.stamp(), **fields)
