"""The after-action timeline: every event of an incident in log order, with who,
when and what, and how long each phase of the response took.

The view keeps each event's own fields (`params`) rather than finished sentences,
so the Chinese and English summaries are written when asked, from stored rows.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Any, NamedTuple

from domain.contact import PersonalText
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


class Entry(NamedTuple):
    position: int
    incident_id: str
    version: int
    at: str
    actor: str
    role: str
    type: str
    params: dict[str, Any]

    @classmethod
    def from_stored(cls, incident_id: str, values: list[Any]) -> "Entry":
        position, *rest = values
        return cls(position, incident_id, *rest)


def stored_entry(item: Item) -> list[Any]:
    """An entry as its incident's stored array keeps it, in `Entry`'s order without the
    incident. Times, enums and ids are left for orjson to write: it does so natively."""
    position, event = item
    return [
        position,
        event.originator_version,
        event.timestamp,
        event.actor,
        event.role,
        type(event).__name__,
        params_of(event),
    ]


def params_of(event: IncidentEvent) -> dict[str, Any]:
    state = event.__dict__
    params = {name: state[name] for name in _param_names(type(event), tuple(state))}
    for name, value in params.items():
        if isinstance(value, PersonalText):
            params[name] = str(value)  # the view never stores personal text
    return params


@cache
def _param_names(_: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """The event's own fields, worked out once per shape of event."""
    return tuple(name for name in names if name not in NOT_PARAMS)


def timeline(
    incident_id: str, entries: Iterable[Entry], language: Language, zone: tzinfo = UTC
) -> dict[str, Any]:
    """The incident's entries and those of complaints linked to it, with its phases;
    times inside the summaries are shown in `zone`."""
    shown = []
    own: list[tuple[str, str, dict[str, Any]]] = []
    for entry in entries:
        params = entry.params
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
                "summary": summarize(entry.type, params, language, zone),
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
