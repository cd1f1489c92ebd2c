"""The after-action timeline: every event of an incident in log order, with who,
when and what, and how long each phase of the response took.

The view keeps each event's own fields (`params`) rather than finished sentences,
so the Chinese and English summaries are written when asked, from stored rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from domain.event import IncidentEvent
from projections.batches import Item
from projections.summaries import Language, summarize

# Bookkeeping, and what is personal or long: the timeline shows neither.
NOT_PARAMS = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "actor",
        "role",
        "request_key",
        "request_digest",
        "reporter",
        "description",
    }
)

# Each phase ends at the first event of its type; all are counted from the report.
PHASES = {
    "verify": "Verified",
    "grade": "Classified",
    "first_order": "OrderIssued",
    "first_response": "ResponsePosted",
    "resolve": "Resolved",
    "close": "Closed",
}


@dataclass(frozen=True)
class Entry:
    position: int
    incident_id: str
    version: int
    at: str
    actor: str
    role: str
    type: str
    params: bytes

    @property
    def stored(self) -> tuple[int, str, int, str, str, str, str, bytes]:
        return (
            self.position,
            self.incident_id,
            self.version,
            self.at,
            self.actor,
            self.role,
            self.type,
            self.params,
        )

    @classmethod
    def of(cls, item: Item) -> "Entry":
        position, event = item
        return cls(
            position=position,
            incident_id=event.originator_id.hex,
            version=event.originator_version,
            at=event.at.isoformat(),
            actor=event.actor,
            role=event.role.value,
            type=type(event).__name__,
            params=orjson.dumps(params_of(event)),
        )


def params_of(event: IncidentEvent) -> dict[str, Any]:
    return {k: v for k, v in event.__dict__.items() if k not in NOT_PARAMS}


def timeline(incident_id: str, entries: Iterable[Entry], language: Language) -> dict[str, Any]:
    """The incident's entries and those of complaints linked to it, with its phases."""
    shown = []
    own: list[tuple[str, str, dict[str, Any]]] = []
    for entry in entries:
        params = orjson.loads(entry.params)
        if entry.incident_id == incident_id:
            own.append((entry.type, entry.at, params))
        shown.append(
            {
                "position": entry.position,
                "incident_id": _hyphenated(entry.incident_id),
                "version": entry.version,
                "at": entry.at,
                "occurred_at": params.get("occurred_at"),
                "actor": entry.actor,
                "role": entry.role,
                "type": entry.type,
                "summary": summarize(entry.type, params, language),
                "linked": entry.incident_id != incident_id,
            }
        )
    return {
        "incident_id": _hyphenated(incident_id),
        "language": language,
        "entries": shown,
        "phases": phases(own),
    }


def phases(events: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """Seconds from the report (when the customer's report was received) to the
    first verification, grading, order, field response, resolution and closing.
    A field update sent late counts from when it really happened (`occurred_at`)."""
    if not events or events[0][0] != "Reported":
        return {}
    started = datetime.fromisoformat(events[0][2]["received_at"])
    firsts: dict[str, datetime] = {}
    for type_, at, params in events:
        # A late field update counts from when it really happened.
        happened = datetime.fromisoformat(params.get("occurred_at") or at)
        if type_ not in firsts or happened < firsts[type_]:
            firsts[type_] = happened
    result: dict[str, Any] = {"reported_at": started.isoformat()}
    for phase, type_ in PHASES.items():
        reached = firsts.get(type_)
        result[phase] = None if reached is None else (reached - started).total_seconds()
    return result


def _hyphenated(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"
