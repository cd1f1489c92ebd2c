"""The live command board: a pure fold from incident events to one row per incident.

Overdue orders depend on the current time, not on events, so rows keep the
deadlines of their open orders and `present` counts what is overdue when asked.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.event import IncidentEvent
from domain.incident import (
    Closed,
    Dismissed,
    Linked,
    Reopened,
    Reported,
    Resolved,
    ResponsePosted,
    Verified,
)
from domain.leadership import Classified, CommandActivated, RoleAssigned, RoleRelieved
from domain.logistics import (
    LogisticsDeclined,
    LogisticsDelivered,
    LogisticsRequested,
    LogisticsReturned,
)
from domain.orders import OrderCancelled, OrderCompleted, OrderIssued, OrderProgressed
from domain.review import ReviewRecorded
from domain.vocabulary import Channel, CommandRole, Kind, Resource, Severity, Status

FINISHED = (Status.CLOSED, Status.REVIEWED, Status.DISMISSED)


@dataclass(frozen=True)
class BoardRow:
    id: UUID
    title: str
    kind: Kind
    channel: Channel
    category: str
    location: str
    status: Status
    reported_at: datetime
    updated_at: datetime
    severity: Severity | None = None
    commander: str | None = None
    parent_id: UUID | None = None
    open_order_deadlines: dict[str, datetime] = field(default_factory=dict)
    # Logistics requests not yet settled: request id -> resource.
    pending_requests: dict[str, str] = field(default_factory=dict)
    last_update: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "kind": self.kind.value,
            "channel": self.channel.value,
            "category": self.category,
            "location": self.location,
            "status": self.status.value,
            "reported_at": self.reported_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "severity": self.severity.value if self.severity else None,
            "commander": self.commander,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "open_order_deadlines": {
                k: v.isoformat() for k, v in self.open_order_deadlines.items()
            },
            "pending_requests": self.pending_requests,
            "last_update": self.last_update,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BoardRow":
        return cls(
            id=UUID(data["id"]),
            title=data["title"],
            kind=Kind(data["kind"]),
            channel=Channel(data["channel"]),
            category=data["category"],
            location=data["location"],
            status=Status(data["status"]),
            reported_at=datetime.fromisoformat(data["reported_at"]),
            updated_at=datetime.fromisoformat(data["updated_at"]),
            severity=Severity(data["severity"]) if data["severity"] else None,
            commander=data["commander"],
            parent_id=UUID(data["parent_id"]) if data["parent_id"] else None,
            open_order_deadlines={
                k: datetime.fromisoformat(v) for k, v in data["open_order_deadlines"].items()
            },
            pending_requests=data.get("pending_requests", {}),
            last_update=data["last_update"],
        )


def fold(row: BoardRow | None, event: IncidentEvent) -> BoardRow | None:
    """The row after `event`; None only before the incident was reported."""
    if isinstance(event, Reported):
        return BoardRow(
            id=event.originator_id,
            title=event.title,
            kind=event.kind,
            channel=event.channel,
            category=event.category,
            location=event.location,
            status=Status.REPORTED,
            reported_at=event.received_at,
            updated_at=event.at,
        )
    if row is None:
        return None
    return _evolve(row, updated_at=event.at, **_changed(row, event))


def _evolve(row: BoardRow, **changes: Any) -> BoardRow:
    """`dataclasses.replace` without re-running every field through `__init__`:
    the fold runs once per event of the log, so this is the rebuild's hot path."""
    evolved = object.__new__(BoardRow)
    evolved.__dict__.update(row.__dict__, **changes)
    return evolved


def _changed(row: BoardRow, event: IncidentEvent) -> dict[str, Any]:
    """The fields `event` changes; the commonest events are matched first."""
    match event:
        case ResponsePosted(note=note):
            return dict(last_update=note, status=_responding(row.status))
        case Resolved(summary=summary):
            return dict(status=Status.RESOLVED, last_update=summary)
        case Closed():
            return dict(status=Status.CLOSED)
        case Verified():
            return dict(status=Status.VERIFIED)
        case OrderProgressed(note=note):
            return dict(last_update=note)
        case OrderIssued(order_id=order_id, deadline=deadline):
            deadlines = {**row.open_order_deadlines, order_id.hex: deadline}
            return dict(open_order_deadlines=deadlines, status=Status.RESPONDING)
        case OrderCompleted(order_id=order_id) | OrderCancelled(order_id=order_id):
            deadlines = dict(row.open_order_deadlines)
            deadlines.pop(order_id.hex, None)
            return dict(open_order_deadlines=deadlines)
        case Linked(parent_id=parent_id):
            return dict(parent_id=parent_id)
        case Classified(severity=severity):
            kind = Kind.CRISIS if row.kind is Kind.COMPLAINT else row.kind
            return dict(severity=severity, kind=kind, status=_responding(row.status))
        case CommandActivated(commander=commander):
            return dict(commander=commander, status=Status.RESPONDING)
        case RoleAssigned(command_role=CommandRole.COMMANDER, person=person):
            return dict(commander=person)
        case RoleRelieved(command_role=CommandRole.COMMANDER):
            return dict(commander=None)
        case LogisticsRequested(request_id=request_id, resource=resource):
            pending = {**row.pending_requests, request_id.hex: resource.value}
            return dict(pending_requests=pending)
        case LogisticsDelivered(request_id=request_id) if (
            row.pending_requests.get(request_id.hex) in CONSUMED
        ):
            return _settled(row, request_id)
        case LogisticsReturned(request_id=request_id) | LogisticsDeclined(request_id=request_id):
            return _settled(row, request_id)
        case Dismissed():
            return dict(status=Status.DISMISSED)
        case Reopened(reason=reason):
            return dict(status=Status.RESPONDING, last_update=reason)
        case ReviewRecorded():
            return dict(status=Status.REVIEWED)
    return {}


CONSUMED = frozenset(r.value for r in Resource if r.is_consumed)


def _responding(status: Status) -> Status:
    return Status.RESPONDING if status is Status.VERIFIED else status


def _settled(row: BoardRow, request_id: UUID) -> dict[str, Any]:
    pending = dict(row.pending_requests)
    pending.pop(request_id.hex, None)
    return dict(pending_requests=pending)


def present(row: BoardRow, now: datetime) -> dict[str, Any]:
    """The row as the board shows it at `now`."""
    deadlines = sorted(row.open_order_deadlines.values())
    return {
        "id": str(row.id),
        "title": row.title,
        "kind": row.kind.value,
        "channel": row.channel.value,
        "category": row.category,
        "location": row.location,
        "severity": row.severity.value if row.severity else None,
        "status": row.status.value,
        "commander": row.commander,
        "parent_id": str(row.parent_id) if row.parent_id else None,
        "open_orders": len(deadlines),
        "overdue_orders": sum(1 for d in deadlines if d < now),
        "next_deadline": deadlines[0].isoformat() if deadlines else None,
        # All open deadlines, so a page can recount overdue orders as time passes.
        "deadlines": [d.isoformat() for d in deadlines],
        "pending_logistics": len(row.pending_requests),
        "last_update": row.last_update,
        "reported_at": row.reported_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def wall_order(item: dict[str, Any]) -> tuple[int, int, datetime]:
    """Most severe first, then most overdue, then oldest."""
    rank = Severity(item["severity"]).rank if item["severity"] else len(Severity)
    return (rank, -item["overdue_orders"], datetime.fromisoformat(item["reported_at"]))


def board(rows: list[BoardRow], now: datetime, position: int) -> dict[str, Any]:
    """The whole board: open incidents in wall order, with totals."""
    open_rows = [r for r in rows if r.is_open]
    items = sorted((present(r, now) for r in open_rows), key=wall_order)
    totals = {
        "open": len(items),
        "open_orders": sum(i["open_orders"] for i in items),
        "overdue_orders": sum(i["overdue_orders"] for i in items),
        "by_severity": dict(Counter(i["severity"] or "ungraded" for i in items)),
        "by_status": dict(Counter(i["status"] for i in items)),
        "by_kind": dict(Counter(i["kind"] for i in items)),
    }
    return {"position": position, "rows": items, "totals": totals}
