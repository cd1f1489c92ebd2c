"""The Incident aggregate: every report opens one.

Each public command checks its rule and raises a named error; the event's
`apply` only assigns, because it runs again on every replay. Time, ids and the
actor come in as arguments: nothing here reads a clock or makes an id.
"""

from dataclasses import field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import Invalid, NotFound, RuleBroken
from domain.orders import Order
from domain.vocabulary import (
    Channel,
    Kind,
    OrderStatus,
    Priority,
    Resolution,
    ResponseStatus,
    Role,
    Severity,
    Status,
)

# Clocks of the intake desk and of the server may differ a little.
CLOCK_SKEW = timedelta(minutes=2)

_REFUSAL_BY_STATUS: dict[Status, tuple[str, str]] = {
    Status.REPORTED: ("not_verified", "the incident has not been verified yet"),
    Status.VERIFIED: ("already_verified", "the incident is already verified"),
    Status.RESPONDING: ("already_verified", "the incident is already verified and in response"),
    Status.RESOLVED: ("incident_resolved", "the incident is resolved; reopen it first"),
    Status.CLOSED: ("incident_closed", "the incident is closed"),
    Status.DISMISSED: ("incident_dismissed", "the report was dismissed"),
}

ACTIVE = (Status.VERIFIED, Status.RESPONDING)


class Incident(Aggregate):
    class Event(Aggregate.Event):
        """Every event records who caused it and the role they acted in."""

        actor: str = field(kw_only=True)
        role: Role = field(kw_only=True)

        @property
        def at(self) -> datetime:
            """Server time when the event was recorded."""
            return self.timestamp

    class Reported(Event, Aggregate.Created):
        kind: Kind
        channel: Channel
        category: str
        title: str
        description: str
        location: str
        reporter: dict[str, str] | None
        received_at: datetime

        def apply(self, incident: "Incident") -> None:
            incident.kind = self.kind
            incident.channel = self.channel
            incident.category = self.category
            incident.title = self.title
            incident.description = self.description
            incident.location = self.location
            incident.reporter = self.reporter
            incident.received_at = self.received_at
            incident.status = Status.REPORTED
            incident.severity = None
            incident.scope = None
            incident.risk = None
            incident.parent_id = None
            incident.commander = None
            incident.orders = {}
            incident.last_update = None
            incident.resolution = None
            incident.summary = None

    class Verified(Event):
        note: str

        def apply(self, incident: "Incident") -> None:
            incident.status = Status.VERIFIED

    class Linked(Event):
        parent_id: UUID

        def apply(self, incident: "Incident") -> None:
            incident.parent_id = self.parent_id

    class Classified(Event):
        severity: Severity
        scope: str
        risk: str
        rationale: str

        def apply(self, incident: "Incident") -> None:
            incident.severity = self.severity
            incident.scope = self.scope
            incident.risk = self.risk
            if incident.kind is Kind.COMPLAINT:
                incident.kind = Kind.CRISIS  # grading a complaint escalates it
            if incident.status is Status.VERIFIED:
                incident.status = Status.RESPONDING

    class OrderIssued(Event):
        order_id: UUID
        assignee: str
        instruction: str
        deadline: datetime
        priority: Priority

        def apply(self, incident: "Incident") -> None:
            incident.orders[self.order_id] = Order(
                order_id=self.order_id,
                assignee=self.assignee,
                instruction=self.instruction,
                deadline=self.deadline,
                priority=self.priority,
                issued_at=self.at,
                issued_by=self.actor,
            )
            incident.status = Status.RESPONDING

    class OrderCompleted(Event):
        order_id: UUID
        outcome: str

        def apply(self, incident: "Incident") -> None:
            order = incident.orders[self.order_id]
            order.status = OrderStatus.COMPLETED
            order.outcome = self.outcome
            order.completed_at = self.at

    class ResponsePosted(Event):
        note: str
        status: ResponseStatus
        customer_contacted: bool
        occurred_at: datetime | None

        def apply(self, incident: "Incident") -> None:
            incident.last_update = self.note
            if incident.status is Status.VERIFIED:
                incident.status = Status.RESPONDING

    class Resolved(Event):
        resolution: Resolution
        summary: str

        def apply(self, incident: "Incident") -> None:
            incident.status = Status.RESOLVED
            incident.resolution = self.resolution
            incident.summary = self.summary

    class Closed(Event):
        note: str

        def apply(self, incident: "Incident") -> None:
            incident.status = Status.CLOSED

    # The state the events build, declared for readers and type checkers.
    kind: Kind
    channel: Channel
    category: str
    title: str
    description: str
    location: str
    reporter: dict[str, str] | None
    received_at: datetime
    status: Status
    severity: Severity | None
    scope: str | None
    risk: str | None
    parent_id: UUID | None
    commander: str | None
    orders: dict[UUID, Order]
    last_update: str | None
    resolution: Resolution | None
    summary: str | None

    def __init__(self) -> None:
        """State is set by `Reported.apply`; the explicit init keeps the
        annotations above from becoming constructor arguments."""

    # -- commands ---------------------------------------------------------

    @classmethod
    def report(
        cls,
        *,
        incident_id: UUID,
        at: datetime,
        by: Actor,
        kind: Kind,
        channel: Channel,
        category: str,
        title: str,
        description: str,
        location: str,
        reporter: dict[str, str] | None,
        received_at: datetime | None,
    ) -> "Incident":
        if received_at is not None and received_at > at + CLOCK_SKEW:
            raise Invalid("received_in_future", "received_at lies in the future")
        return cls._create(
            cls.Reported,
            id=incident_id,
            timestamp=at,
            actor=by.name,
            role=by.role,
            kind=kind,
            channel=channel,
            category=category,
            title=title,
            description=description,
            location=location,
            reporter=reporter,
            received_at=received_at or at,
        )

    def verify(self, *, at: datetime, by: Actor, note: str) -> None:
        self._require(Status.REPORTED)
        self._record(self.Verified, at, by, note=note)

    def link(self, *, at: datetime, by: Actor, parent: "Incident") -> None:
        if parent.id == self.id:
            raise RuleBroken("cannot_link_to_itself", "a report cannot be linked to itself")
        if parent.kind is not Kind.CRISIS:
            raise RuleBroken("parent_not_crisis", "reports can only be linked to a crisis")
        if parent.status in (Status.CLOSED, Status.DISMISSED):
            raise RuleBroken("parent_closed", "the crisis is closed or dismissed")
        if self.parent_id == parent.id:
            raise RuleBroken("already_linked", "the report is already linked to this crisis")
        self._require_not_finished()
        self._record(self.Linked, at, by, parent_id=parent.id)

    def classify(
        self, *, at: datetime, by: Actor, severity: Severity, scope: str, risk: str, rationale: str
    ) -> None:
        # Re-grading is allowed at every open stage after verification.
        self._require(Status.VERIFIED, Status.RESPONDING, Status.RESOLVED)
        self._record(
            self.Classified, at, by, severity=severity, scope=scope, risk=risk, rationale=rationale
        )

    def issue_order(
        self,
        *,
        at: datetime,
        by: Actor,
        order_id: UUID,
        assignee: str,
        instruction: str,
        deadline: datetime,
        priority: Priority,
    ) -> None:
        self._require(*ACTIVE)
        if self.kind is Kind.CRISIS and self.severity is None:
            raise RuleBroken(
                "crisis_not_graded", "a crisis must be graded before orders are issued"
            )
        if deadline <= at:
            raise Invalid("deadline_in_past", "the deadline must lie in the future")
        self._record(
            self.OrderIssued,
            at,
            by,
            order_id=order_id,
            assignee=assignee,
            instruction=instruction,
            deadline=deadline,
            priority=priority,
        )

    def complete_order(self, *, at: datetime, by: Actor, order_id: UUID, outcome: str) -> None:
        order = self.order(order_id)
        if not order.is_open:
            raise RuleBroken("order_not_open", "the order is already completed")
        self._record(self.OrderCompleted, at, by, order_id=order_id, outcome=outcome)

    def post_response(
        self,
        *,
        at: datetime,
        by: Actor,
        note: str,
        status: ResponseStatus,
        customer_contacted: bool,
        occurred_at: datetime | None,
    ) -> None:
        self._require(Status.VERIFIED, Status.RESPONDING, Status.RESOLVED)
        if occurred_at is not None and occurred_at > at + CLOCK_SKEW:
            raise Invalid("occurred_in_future", "occurred_at lies in the future")
        self._record(
            self.ResponsePosted,
            at,
            by,
            note=note,
            status=status,
            customer_contacted=customer_contacted,
            occurred_at=occurred_at,
        )

    def resolve(self, *, at: datetime, by: Actor, resolution: Resolution, summary: str) -> None:
        self._require(*ACTIVE)
        if self.open_orders:
            raise RuleBroken("orders_open", f"{len(self.open_orders)} order(s) are still open")
        self._record(self.Resolved, at, by, resolution=resolution, summary=summary)

    def close(self, *, at: datetime, by: Actor, note: str) -> None:
        if self.status in ACTIVE:
            raise RuleBroken("not_resolved", "the incident must be resolved before it is closed")
        self._require(Status.RESOLVED)
        self._record(self.Closed, at, by, note=note)

    # -- queries ----------------------------------------------------------

    def order(self, order_id: UUID) -> Order:
        try:
            return self.orders[order_id]
        except KeyError:
            raise NotFound("order_not_found", f"no order {order_id} in this incident") from None

    @property
    def open_orders(self) -> list[Order]:
        return [o for o in self.orders.values() if o.is_open]

    # -- helpers ----------------------------------------------------------

    def _require(self, *allowed: Status) -> None:
        if self.status not in allowed:
            raise RuleBroken(*_REFUSAL_BY_STATUS[self.status])

    def _require_not_finished(self) -> None:
        if self.status in (Status.CLOSED, Status.DISMISSED):
            raise RuleBroken(*_REFUSAL_BY_STATUS[self.status])

    def _record(self, event_class: type[Event], at: datetime, by: Actor, **fields: Any) -> None:
        self.trigger_event(event_class, timestamp=at, actor=by.name, role=by.role, **fields)
