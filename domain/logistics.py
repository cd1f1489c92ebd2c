"""Logistics requests (后勤保障): resources asked for, allocated, delivered,
returned or declined. The entity, its events and its commands."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.errors import Invalid, NotFound, RuleBroken
from domain.event import IncidentEvent
from domain.state import ACTIVE, CLOCK_SKEW, IncidentState
from domain.vocabulary import LogisticsStatus, Resource, Status


@dataclass
class LogisticsRequest:
    request_id: UUID
    resource: Resource
    item: str
    quantity: int
    needed_by: datetime
    purpose: str
    requested_at: datetime
    requested_by: str
    status: LogisticsStatus = LogisticsStatus.REQUESTED
    allocated_quantity: int | None = None
    source: str | None = None
    delivered_quantity: int | None = None
    returned_quantity: int | None = None
    note: str | None = None

    @property
    def is_settled(self) -> bool:
        """Declined, returned, or delivered and used up: nothing left to chase."""
        if self.status is LogisticsStatus.DELIVERED:
            return self.resource.is_consumed
        return self.status in (LogisticsStatus.DECLINED, LogisticsStatus.RETURNED)

    def require(self, *allowed: LogisticsStatus, doing: str) -> None:
        if self.status not in allowed:
            raise RuleBroken(
                f"logistics_{self.status.value}",
                f"the request is {self.status.value}; it cannot be {doing}",
            )


class LogisticsRequested(IncidentEvent):
    request_id: UUID
    resource: Resource
    item: str
    quantity: int
    needed_by: datetime
    purpose: str

    def apply(self, incident: IncidentState) -> None:
        incident.logistics[self.request_id] = LogisticsRequest(
            request_id=self.request_id,
            resource=self.resource,
            item=self.item,
            quantity=self.quantity,
            needed_by=self.needed_by,
            purpose=self.purpose,
            requested_at=self.at,
            requested_by=self.actor,
        )


class LogisticsAllocated(IncidentEvent):
    request_id: UUID
    quantity: int
    source: str
    note: str

    def apply(self, incident: IncidentState) -> None:
        request = incident.logistics[self.request_id]
        request.status = LogisticsStatus.ALLOCATED
        request.allocated_quantity = self.quantity
        request.source = self.source
        request.note = self.note or request.note


class LogisticsDelivered(IncidentEvent):
    request_id: UUID
    quantity: int
    note: str

    def apply(self, incident: IncidentState) -> None:
        request = incident.logistics[self.request_id]
        request.status = LogisticsStatus.DELIVERED
        request.delivered_quantity = self.quantity
        request.note = self.note or request.note


class LogisticsReturned(IncidentEvent):
    request_id: UUID
    quantity: int
    note: str

    def apply(self, incident: IncidentState) -> None:
        request = incident.logistics[self.request_id]
        request.status = LogisticsStatus.RETURNED
        request.returned_quantity = self.quantity
        request.note = self.note or request.note


class LogisticsDeclined(IncidentEvent):
    request_id: UUID
    note: str

    def apply(self, incident: IncidentState) -> None:
        request = incident.logistics[self.request_id]
        request.status = LogisticsStatus.DECLINED
        request.note = self.note


class LogisticsCommands(IncidentState):
    def request_logistics(
        self,
        *,
        at: datetime,
        by: Actor,
        request_id: UUID,
        resource: Resource,
        item: str,
        quantity: int,
        needed_by: datetime,
        purpose: str,
    ) -> None:
        self._require(*ACTIVE)
        if quantity < 1:
            raise Invalid("quantity_not_positive", "ask for at least one")
        if needed_by < at - CLOCK_SKEW:
            raise Invalid("needed_by_in_past", "needed_by must not lie in the past")
        if request_id in self.logistics:
            raise RuleBroken("request_exists", f"a request {request_id} was already made")
        self._record(
            LogisticsRequested,
            at,
            by,
            request_id=request_id,
            resource=resource,
            item=item,
            quantity=quantity,
            needed_by=needed_by,
            purpose=purpose,
        )

    def allocate_logistics(
        self,
        *,
        at: datetime,
        by: Actor,
        request_id: UUID,
        quantity: int | None,
        source: str,
        note: str,
    ) -> None:
        request = self.logistics_request(request_id)
        request.require(LogisticsStatus.REQUESTED, doing="allocated")
        amount = _amount(quantity, request.quantity, "requested")
        self._record(
            LogisticsAllocated,
            at,
            by,
            request_id=request_id,
            quantity=amount,
            source=source,
            note=note,
        )

    def deliver_logistics(
        self, *, at: datetime, by: Actor, request_id: UUID, quantity: int | None, note: str
    ) -> None:
        request = self.logistics_request(request_id)
        request.require(LogisticsStatus.ALLOCATED, doing="delivered")
        amount = _amount(quantity, request.allocated_quantity or 0, "allocated")
        self._record(LogisticsDelivered, at, by, request_id=request_id, quantity=amount, note=note)

    def return_logistics(
        self, *, at: datetime, by: Actor, request_id: UUID, quantity: int | None, note: str
    ) -> None:
        request = self.logistics_request(request_id)
        request.require(LogisticsStatus.ALLOCATED, LogisticsStatus.DELIVERED, doing="returned")
        sent = request.delivered_quantity or request.allocated_quantity or 0
        amount = _amount(quantity, sent, "sent")
        self._record(LogisticsReturned, at, by, request_id=request_id, quantity=amount, note=note)

    def decline_logistics(self, *, at: datetime, by: Actor, request_id: UUID, note: str) -> None:
        self.logistics_request(request_id).require(LogisticsStatus.REQUESTED, doing="declined")
        self._record(LogisticsDeclined, at, by, request_id=request_id, note=note)

    def logistics_request(self, request_id: UUID) -> LogisticsRequest:
        """A request to act on: the incident must still be open."""
        self._require(*ACTIVE, Status.RESOLVED)
        try:
            return self.logistics[request_id]
        except KeyError:
            msg = f"no logistics request {request_id} in this incident"
            raise NotFound("request_not_found", msg) from None

    @property
    def outstanding_logistics(self) -> list[LogisticsRequest]:
        return [r for r in self.logistics.values() if not r.is_settled]


def _amount(quantity: int | None, most: int, what: str) -> int:
    """The quantity given, or all of `most`; never more than `most`, never none."""
    amount = most if quantity is None else quantity
    if not 1 <= amount <= most:
        raise Invalid("quantity_out_of_range", f"the quantity must be 1 to {most} ({what})")
    return amount
