"""The Incident aggregate: every report opens one.

Each public command checks its rules and raises a named error before it
records an event; the event's `apply` only assigns, because it runs again on
every replay. Time, ids and the actor come in as arguments: nothing here reads
a clock or makes an id. Commands on orders, logistics, contact with the public
and the review live beside those entities and are mixed in here.
"""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.contact import ContactCommands, Reporter
from domain.errors import Invalid, RuleBroken
from domain.event import IncidentEvent, handled_key
from domain.leadership import LeadershipCommands
from domain.logistics import LogisticsCommands
from domain.orders import OrderCommands
from domain.review import ReviewCommands
from domain.state import ACTIVE, CLOCK_SKEW, OPEN, IncidentState
from domain.vocabulary import (
    Channel,
    DismissReason,
    Kind,
    Resolution,
    ResponseStatus,
    Status,
)

# A letter registered late is fine; a report from last decade is a typo.
LATE_REGISTRATION = timedelta(days=365)


class Reported(IncidentEvent, Aggregate.Created):
    class_version = 2

    kind: Kind
    channel: Channel
    category: str
    title: str
    description: str
    location: str
    reporter: Reporter | None
    received_at: datetime

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 1 kept the reporter as a plain dict with no key of its own."""
        if isinstance(state.get("reporter"), dict):
            state["reporter"] = Reporter(key_id=state["originator_id"], **state["reporter"])

    def apply(self, incident: IncidentState) -> None:
        incident.kind = self.kind
        incident.channel = self.channel
        incident.category = self.category
        incident.title = self.title
        incident.description = self.description
        incident.location = self.location
        incident.reporter = self.reporter
        incident.received_at = self.received_at
        incident.status = Status.REPORTED
        incident.severity = incident.scope = incident.risk = None
        incident.dismiss_reason = incident.duplicate_of = incident.parent_id = None
        incident.plan = incident.commander = None
        incident.roles = {}
        incident.orders = {}
        incident.logistics = {}
        incident.statements = []
        incident.notices = []
        incident.callbacks = []
        incident.last_update = incident.resolution = incident.summary = None
        incident.review = None
        incident.improvements = {}
        incident.reopened = 0
        incident.handled = {}


class Verified(IncidentEvent):
    note: str

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.VERIFIED


class Dismissed(IncidentEvent):
    reason: DismissReason
    duplicate_of: UUID | None
    note: str

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.DISMISSED
        incident.dismiss_reason = self.reason
        incident.duplicate_of = self.duplicate_of


class Linked(IncidentEvent):
    parent_id: UUID

    def apply(self, incident: IncidentState) -> None:
        incident.parent_id = self.parent_id


class ResponsePosted(IncidentEvent):
    note: str
    status: ResponseStatus
    customer_contacted: bool
    occurred_at: datetime | None

    def apply(self, incident: IncidentState) -> None:
        incident.last_update = self.note
        if incident.status is Status.VERIFIED:
            incident.status = Status.RESPONDING


class Resolved(IncidentEvent):
    resolution: Resolution
    summary: str

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.RESOLVED
        incident.resolution = self.resolution
        incident.summary = incident.last_update = self.summary


class Closed(IncidentEvent):
    note: str

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.CLOSED


class Reopened(IncidentEvent):
    reason: str

    def apply(self, incident: IncidentState) -> None:
        incident.status = Status.RESPONDING
        incident.resolution = incident.summary = None
        incident.reopened += 1
        incident.last_update = self.reason
        # The customer must hear the new result before the case closes again.
        for notice in incident.notices:
            notice.of_result = False


class Incident(
    LeadershipCommands, OrderCommands, LogisticsCommands, ContactCommands, ReviewCommands, Aggregate
):
    def __init__(self) -> None:
        """State is set by `Reported.apply`; the explicit init keeps the state's
        annotations from becoming constructor arguments."""

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
        reporter: Reporter | None,
        received_at: datetime | None,
    ) -> "Incident":
        if received_at is not None and received_at > at + CLOCK_SKEW:
            raise Invalid("received_in_future", "received_at lies in the future")
        if received_at is not None and received_at < at - LATE_REGISTRATION:
            raise Invalid("received_too_long_ago", "received_at lies more than a year back")
        return cls._create(
            Reported,
            id=incident_id,
            timestamp=at,
            **by.stamp(),
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
        self._record(Verified, at, by, note=note)

    def dismiss(
        self,
        *,
        at: datetime,
        by: Actor,
        reason: DismissReason,
        duplicate_of: "Incident | None",
        note: str,
    ) -> None:
        self._require(Status.REPORTED)
        if (reason is DismissReason.DUPLICATE) != (duplicate_of is not None):
            raise Invalid("duplicate_of_needed", "name duplicate_of exactly when it is a duplicate")
        if duplicate_of is not None and duplicate_of.id == self.id:
            raise RuleBroken("cannot_link_to_itself", "a report cannot duplicate itself")
        original = duplicate_of.id if duplicate_of else None
        self._record(Dismissed, at, by, reason=reason, duplicate_of=original, note=note)

    def link(self, *, at: datetime, by: Actor, parent: "Incident") -> None:
        if parent.id == self.id:
            raise RuleBroken("cannot_link_to_itself", "a report cannot be linked to itself")
        if parent.kind is not Kind.CRISIS:
            raise RuleBroken("parent_not_crisis", "reports can only be linked to a crisis")
        if parent.status not in OPEN:
            raise RuleBroken("parent_closed", "the crisis is closed or dismissed")
        if self.parent_id == parent.id:
            raise RuleBroken("already_linked", "the report is already linked to this crisis")
        if parent.parent_id is not None:
            # Links stay one level deep, so they can never form a loop.
            raise RuleBroken("parent_is_linked", "link to the crisis this one is linked to")
        self._require(*OPEN)
        self._record(Linked, at, by, parent_id=parent.id)

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
        self._require(*ACTIVE, Status.RESOLVED)
        if occurred_at is not None and occurred_at > at + CLOCK_SKEW:
            raise Invalid("occurred_in_future", "occurred_at lies in the future")
        self._record(
            ResponsePosted,
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
        self._record(Resolved, at, by, resolution=resolution, summary=summary)

    def close(self, *, at: datetime, by: Actor, note: str) -> None:
        self._require(Status.RESOLVED)
        if self.outstanding_logistics:
            count = len(self.outstanding_logistics)
            raise RuleBroken("logistics_outstanding", f"{count} logistics request(s) not settled")
        if self.reporter is not None and self.reporter.has_contact and not self.notified_of_result:
            raise RuleBroken("customer_not_notified", "the customer has not been told the result")
        self._record(Closed, at, by, note=note)

    def reopen(self, *, at: datetime, by: Actor, reason: str) -> None:
        self._require(Status.RESOLVED, Status.CLOSED)
        self._record(Reopened, at, by, reason=reason)

    def handled_request(self, actor: str, request_key: str) -> tuple[int, str] | None:
        """The version and request digest an idempotency key already produced."""
        found = self.handled.get(handled_key(actor, request_key))
        if found is None:
            return None
        version, _, digest = found.partition(":")
        return int(version), digest
