"""The work still to do, across incidents: open orders (each assignee's list) and
the logistics queue (requests logistics staff still have to act on).

A pure fold keeps, per incident, what its rows show: the incident's title,
kind, grade and status, its open orders and its unsettled requests. Completed
or cancelled orders and settled requests are dropped at once, as they never
open again. Rows are shown only while the incident is open (not closed,
reviewed or dismissed), so a reopened incident shows its open work again.
"""

from typing import Any
from uuid import UUID

from domain.event import IncidentEvent
from domain.incident import (
    Closed,
    Dismissed,
    Reopened,
    Reported,
    Resolved,
    ResponsePosted,
    Verified,
)
from domain.leadership import Classified, CommandActivated
from domain.logistics import (
    LogisticsAllocated,
    LogisticsDeclined,
    LogisticsDelivered,
    LogisticsRequested,
    LogisticsReturned,
)
from domain.orders import (
    OrderAcknowledged,
    OrderCancelled,
    OrderCompleted,
    OrderIssued,
    OrderProgressed,
    OrderReassigned,
)
from domain.review import ReviewRecorded
from domain.vocabulary import Kind, LogisticsStatus, Status
from projections.board import CONSUMED, FINISHED

Work = dict[str, Any]

# The states of an open order as the pages show them.
ISSUED, ACKNOWLEDGED, IN_PROGRESS = "issued", "acknowledged", "in_progress"
FINISHED_VALUES = frozenset(s.value for s in FINISHED)


def first_work(event: Reported) -> Work:
    return {
        "title": event.title,
        "kind": event.kind.value,
        "severity": None,
        "status": Status.REPORTED.value,
        "location": event.location,
        "orders": {},
        "requests": {},
    }


def fold(work: Work | None, event: IncidentEvent) -> bool:
    """Update `work` in place; False when the event changes none of it.
    The commonest events are matched first."""
    if work is None:
        return False
    match event:
        case ResponsePosted():
            return _responding(work)
        case OrderProgressed(order_id=order_id, note=note, percent=percent):
            order = work["orders"].get(order_id.hex)
            if order is None:
                return False
            order.update(state=IN_PROGRESS, last_note=note, updated_at=event.at.isoformat())
            if percent is not None:
                order["percent"] = percent
        case Resolved():
            work["status"] = Status.RESOLVED.value
        case Closed():
            work["status"] = Status.CLOSED.value
        case Verified():
            work["status"] = Status.VERIFIED.value
        case OrderIssued():
            work["orders"][event.order_id.hex] = {
                "assignee": event.assignee,
                "instruction": event.instruction,
                "deadline": event.deadline.isoformat(),
                "priority": event.priority.value,
                "state": ISSUED,
                "percent": None,
                "last_note": None,
                "issued_at": event.at.isoformat(),
                "updated_at": event.at.isoformat(),
            }
            work["status"] = Status.RESPONDING.value
        case OrderAcknowledged(order_id=order_id):
            order = work["orders"].get(order_id.hex)
            if order is None:
                return False
            # Acknowledging late does not take back progress already reported.
            if order["state"] == ISSUED:
                order["state"] = ACKNOWLEDGED
            order["updated_at"] = event.at.isoformat()
        case OrderReassigned(order_id=order_id, assignee=assignee):
            order = work["orders"].get(order_id.hex)
            if order is None:
                return False
            # The new assignee has acknowledged nothing yet (as the domain says);
            # the progress so far stays with the order.
            order.update(assignee=assignee, state=ISSUED, updated_at=event.at.isoformat())
        case OrderCompleted(order_id=order_id) | OrderCancelled(order_id=order_id):
            return work["orders"].pop(order_id.hex, None) is not None
        case LogisticsRequested():
            work["requests"][event.request_id.hex] = {
                "resource": event.resource.value,
                "item": event.item,
                "quantity": event.quantity,
                "needed_by": event.needed_by.isoformat(),
                "purpose": event.purpose,
                "state": LogisticsStatus.REQUESTED.value,
                "allocated_quantity": None,
                "delivered_quantity": None,
                "source": None,
                "requested_by": event.actor,
                "requested_at": event.at.isoformat(),
                "updated_at": event.at.isoformat(),
            }
        case LogisticsAllocated(request_id=request_id, quantity=quantity, source=source):
            request = work["requests"].get(request_id.hex)
            if request is None:
                return False
            request.update(
                state=LogisticsStatus.ALLOCATED.value,
                allocated_quantity=quantity,
                source=source,
                updated_at=event.at.isoformat(),
            )
        case LogisticsDelivered(request_id=request_id, quantity=quantity):
            request = work["requests"].get(request_id.hex)
            if request is None:
                return False
            if request["resource"] in CONSUMED:  # used up on delivery: settled
                del work["requests"][request_id.hex]
            else:  # still to be taken back
                request.update(
                    state=LogisticsStatus.DELIVERED.value,
                    delivered_quantity=quantity,
                    updated_at=event.at.isoformat(),
                )
        case LogisticsReturned(request_id=request_id) | LogisticsDeclined(request_id=request_id):
            return work["requests"].pop(request_id.hex, None) is not None
        case Classified(severity=severity):
            work["severity"] = severity.value
            if work["kind"] == Kind.COMPLAINT.value:
                work["kind"] = Kind.CRISIS.value  # grading a complaint escalates it
            _responding(work)
        case CommandActivated() | Reopened():
            work["status"] = Status.RESPONDING.value
        case Dismissed():
            work["status"] = Status.DISMISSED.value
        case ReviewRecorded():
            work["status"] = Status.REVIEWED.value
        case _:
            return False
    return True


def _responding(work: Work) -> bool:
    """A verified incident is in response once anything is done about it."""
    if work["status"] != Status.VERIFIED.value:
        return False
    work["status"] = Status.RESPONDING.value
    return True


def is_open(work: Work) -> bool:
    return work["status"] not in FINISHED_VALUES


def assignee_key(name: str) -> str:
    """Names typed by people: compared without surrounding spaces or case."""
    return name.strip().casefold()


def order_rows(incident_id: UUID, work: Work) -> list[dict[str, Any]]:
    """The incident's open orders as the order list shows them; none once it is finished."""
    if not is_open(work):
        return []
    incident = {
        "incident_id": str(incident_id),
        "incident_title": work["title"],
        "incident_kind": work["kind"],
        "severity": work["severity"],
        "incident_status": work["status"],
        "location": work["location"],
    }
    return [
        {**incident, "order_id": str(UUID(order_id)), **order}
        for order_id, order in work["orders"].items()
    ]


def request_rows(incident_id: UUID, work: Work) -> list[dict[str, Any]]:
    """The incident's unsettled requests as the logistics queue shows them; none once
    it is finished. No reporter's data: only what logistics staff need to act."""
    if not is_open(work):
        return []
    incident = {
        "incident_id": str(incident_id),
        "incident_title": work["title"],
        "severity": work["severity"],
    }
    return [
        {**incident, "request_id": str(UUID(request_id)), **request}
        for request_id, request in work["requests"].items()
    ]
