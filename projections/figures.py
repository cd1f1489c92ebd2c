"""The evaluation figures of the response plans.

The view keeps a few facts per incident (a fold over its events); the figures
for a date range are computed from the facts of the incidents reported in it.
Durations are counted from when the report was received, to the first field
response (when it really happened, for an update sent late) and to the first
resolution; a reopened case keeps its first.
"""

import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from statistics import fmean, median
from typing import Any
from uuid import UUID

from domain.contact import CallbackRecorded
from domain.event import IncidentEvent
from domain.incident import Dismissed, Reopened, Reported, Resolved, ResponsePosted
from domain.leadership import Classified
from domain.orders import OrderCancelled, OrderCompleted, OrderIssued, OrderReassigned
from domain.vocabulary import DismissReason

Facts = dict[str, Any]

# An order's facts, in a list to keep the stored rows small.
ASSIGNEE, DEADLINE, COMPLETED, CANCELLED = range(4)


def fold(facts: Facts | None, event: IncidentEvent) -> bool:
    """Update `facts` in place; False when the event changes none of them.
    The commonest events are matched first."""
    if facts is None:
        return False
    match event:
        case ResponsePosted(occurred_at=occurred_at):
            # A late field update counts from when it really happened.
            responded = occurred_at or event.at
            first = facts["first_response_at"]
            if first is not None and datetime.fromisoformat(first) <= responded:
                return False
            facts["first_response_at"] = responded.isoformat()
        case Resolved(resolution=resolution):
            facts["resolution"] = resolution.value
            facts["resolved_at"] = facts["resolved_at"] or event.at.isoformat()
        case CallbackRecorded(satisfaction=satisfaction):
            facts["satisfaction"] = satisfaction  # the customer's latest word
        case OrderIssued(order_id=order_id, assignee=assignee, deadline=deadline):
            facts["orders"][order_id.hex] = [assignee, deadline.isoformat(), None, False]
        case OrderCompleted(order_id=order_id):
            facts["orders"][order_id.hex][COMPLETED] = event.at.isoformat()
        case OrderReassigned(order_id=order_id, assignee=assignee):
            facts["orders"][order_id.hex][ASSIGNEE] = assignee
        case OrderCancelled(order_id=order_id):
            facts["orders"][order_id.hex][CANCELLED] = True
        case Classified(severity=severity):
            facts["severity"] = severity.value
        case Dismissed(reason=reason):
            facts["dismissed"] = reason.value
        case Reopened():
            facts["reopened"] += 1
        case _:
            return False
    return True


def first_facts(event: Reported) -> Facts:
    return {
        "title": event.title,
        "received_at": event.received_at.isoformat(),
        "kind": event.kind.value,
        "channel": event.channel.value,
        "category": event.category,
        "severity": None,
        "resolution": None,
        "dismissed": None,
        "first_response_at": None,
        "resolved_at": None,
        "reopened": 0,
        "satisfaction": None,
        "orders": {},
    }


def figures(facts: Iterable[Facts], now: datetime) -> dict[str, Any]:
    """The figures over the incidents whose facts are given (those reported in the range)."""
    cases = list(facts)
    resolved = [f for f in cases if f["resolved_at"]]
    scores = [f["satisfaction"] for f in cases if f["satisfaction"] is not None]
    rumours = sum(1 for f in cases if f["dismissed"] == DismissReason.RUMOUR.value)
    reopened = sum(1 for f in resolved if f["reopened"])
    return {
        "reports": len(cases),
        "by_kind": _count(cases, "kind"),
        "by_category": _count(cases, "category"),
        "by_channel": _count(cases, "channel"),
        "by_severity": dict(Counter(f["severity"] or "ungraded" for f in cases)),
        "by_resolution": _count(resolved, "resolution"),
        "time_to_first_response": _spread(_seconds(cases, "first_response_at")),
        "time_to_resolve": _spread(_seconds(cases, "resolved_at")),
        "orders_on_time": _orders_on_time(cases, now),
        "satisfaction": {
            "count": len(scores),
            "average": round(fmean(scores), 2) if scores else None,
            "distribution": {str(n): scores.count(n) for n in range(1, 6)},
        },
        "reopen_rate": _share(reopened, len(resolved)),
        "rumour_share": _share(rumours, len(cases)),
    }


def listing(facts_by_id: Iterable[tuple[str, Facts]], limit: int) -> list[dict[str, Any]]:
    """The incidents behind the figures, newest first, so that an auditor can open each."""
    newest = sorted(facts_by_id, key=lambda pair: pair[1]["received_at"], reverse=True)
    return [
        {
            "id": str(UUID(incident_id)),
            "title": facts.get("title", ""),  # facts folded before titles were kept have none
            "kind": facts["kind"],
            "channel": facts["channel"],
            "severity": facts["severity"],
            "received_at": facts["received_at"],
            "resolved_at": facts["resolved_at"],
            "resolution": facts["resolution"],
            "dismissed": facts["dismissed"],
            "satisfaction": facts["satisfaction"],
        }
        for incident_id, facts in newest[:limit]
    ]


def _count(cases: list[Facts], key: str) -> dict[str, int]:
    return dict(Counter(f[key] for f in cases if f[key] is not None))


def _seconds(cases: list[Facts], key: str) -> list[float]:
    return [
        (datetime.fromisoformat(f[key]) - datetime.fromisoformat(f["received_at"])).total_seconds()
        for f in cases
        if f[key]
    ]


def _spread(seconds: list[float]) -> dict[str, Any]:
    """Median and 90th percentile (nearest rank) in seconds."""
    if not seconds:
        return {"count": 0, "median": None, "p90": None}
    ordered = sorted(seconds)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return {"count": len(ordered), "median": median(ordered), "p90": p90}


def _share(part: int, whole: int) -> dict[str, Any]:
    return {"count": part, "of": whole, "share": round(part / whole, 4) if whole else None}


def _orders_on_time(cases: list[Facts], now: datetime) -> dict[str, Any]:
    """Among orders that are due (completed, or open past their deadline; cancelled
    ones left out), the share completed by their deadline, overall and per assignee."""
    due: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    moment = now.isoformat()
    for facts in cases:
        for assignee, deadline, completed, cancelled in facts["orders"].values():
            if cancelled or (completed is None and _later(deadline, moment)):
                continue
            due[assignee] += 1
            if completed is not None and not _later(completed, deadline):
                on_time[assignee] += 1
    overall = _share(sum(on_time.values()), sum(due.values()))
    per_assignee = {name: _share(on_time[name], due[name]) for name in sorted(due)}
    return {**overall, "by_assignee": per_assignee}


def _later(first: str, second: str) -> bool:
    return datetime.fromisoformat(first) > datetime.fromisoformat(second)
