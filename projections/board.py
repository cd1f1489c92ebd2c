"""The live command board: a pure fold from incident events to one row per incident.

Overdue orders depend on the current time, not on events, so rows keep the
deadlines of their open orders and `present` counts what is overdue when asked.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.incident import Incident
from domain.vocabulary import Channel, Kind, Severity, Status

FINISHED = (Status.CLOSED, Status.DISMISSED)


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
    pending_logistics: int = 0
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
            "pending_logistics": self.pending_logistics,
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
            pending_logistics=data["pending_logistics"],
            last_update=data["last_update"],
        )


def fold(row: BoardRow | None, event: Incident.Event) -> BoardRow | None:
    """The row after `event`; None only before the incident was reported."""
    if isinstance(event, Incident.Reported):
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
    row = replace(row, updated_at=event.at)
    if isinstance(event, Incident.Verified):
        return replace(row, status=Status.VERIFIED)
    if isinstance(event, Incident.Linked):
        return replace(row, parent_id=event.parent_id)
    if isinstance(event, Incident.Classified):
        kind = Kind.CRISIS if row.kind is Kind.COMPLAINT else row.kind
        status = Status.RESPONDING if row.status is Status.VERIFIED else row.status
        return replace(row, severity=event.severity, kind=kind, status=status)
    if isinstance(event, Incident.OrderIssued):
        deadlines = {**row.open_order_deadlines, event.order_id.hex: event.deadline}
        return replace(row, open_order_deadlines=deadlines, status=Status.RESPONDING)
    if isinstance(event, Incident.OrderCompleted):
        deadlines = dict(row.open_order_deadlines)
        deadlines.pop(event.order_id.hex, None)
        return replace(row, open_order_deadlines=deadlines)
    if isinstance(event, Incident.ResponsePosted):
        status = Status.RESPONDING if row.status is Status.VERIFIED else row.status
        return replace(row, last_update=event.note, status=status)
    if isinstance(event, Incident.Resolved):
        return replace(row, status=Status.RESOLVED, last_update=event.summary)
    if isinstance(event, Incident.Closed):
        return replace(row, status=Status.CLOSED)
    return row


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
        "pending_logistics": row.pending_logistics,
        "last_update": row.last_update,
        "reported_at": row.reported_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def wall_order(item: dict[str, Any]) -> tuple[int, int, str]:
    """Most severe first, then most overdue, then oldest."""
    rank = Severity(item["severity"]).rank if item["severity"] else len(Severity)
    return (rank, -item["overdue_orders"], item["reported_at"])


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
