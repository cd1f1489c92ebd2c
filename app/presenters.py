"""Events and incidents as JSON-ready dicts, with personal data shown per role."""

from dataclasses import asdict
from typing import Any

from app.masking import mask_reporter
from app.permissions import sees_personal_data
from domain.contact import PersonalText, Reporter
from domain.event import IncidentEvent
from domain.incident import Incident
from domain.vocabulary import Role

# The library's bookkeeping and the idempotency keys are nobody's business on the wire.
_HIDDEN_FIELDS = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "request_key",
        "request_digest",
    }
)


def reporter_json(reporter: Reporter | None, viewer: Role) -> dict[str, Any] | None:
    if reporter is None:
        return None
    if reporter.erased:
        return {"erased": True}
    plain = {"name": reporter.name, "phone": reporter.phone, "email": reporter.email}
    return plain if sees_personal_data(viewer) else mask_reporter(plain)


def description_json(incident: Incident, viewer: Role) -> str:
    """The description, or the account intake marked personal, as this role may see it."""
    reporter = incident.reporter
    if reporter is None or not (reporter.account or reporter.erased):
        return incident.description
    if reporter.erased:
        return incident.description or "[erased]"
    return reporter.account if sees_personal_data(viewer) else "[personal]"


def text_json(text: str | PersonalText, viewer: Role | None) -> str:
    """Free text; if marked personal, as this role may see it (never in a broadcast)."""
    if not isinstance(text, PersonalText):
        return text
    if text.erased or viewer is None or not sees_personal_data(viewer):
        return str(text)
    return text.text


def event_json(event: IncidentEvent, viewer: Role | None = None) -> dict[str, Any]:
    """One event; without a viewer (broadcasts) personal data is left out entirely."""
    fields: dict[str, Any] = {
        k: text_json(v, viewer) if isinstance(v, PersonalText) else v
        for k, v in vars(event).items()
        if k not in _HIDDEN_FIELDS
    }
    if "reporter" in fields:
        if viewer is None:
            del fields["reporter"]
        else:
            fields["reporter"] = reporter_json(fields["reporter"], viewer)
    if "actions" in fields:
        fields["actions"] = [asdict(a) for a in fields["actions"]]
    return {
        "type": type(event).__name__,
        "incident_id": event.originator_id,
        "version": event.originator_version,
        "at": event.timestamp,
        **fields,
    }


def incident_json(incident: Incident, viewer: Role) -> dict[str, Any]:
    return {
        "id": incident.id,
        "version": incident.version,
        "kind": incident.kind,
        "channel": incident.channel,
        "category": incident.category,
        "title": incident.title,
        "description": description_json(incident, viewer),
        "location": incident.location,
        "reporter": reporter_json(incident.reporter, viewer),
        "received_at": incident.received_at,
        "reported_at": incident.created_on,
        "updated_at": incident.modified_on,
        "status": incident.status,
        "severity": incident.severity,
        "scope": incident.scope,
        "risk": incident.risk,
        "dismiss_reason": incident.dismiss_reason,
        "duplicate_of": incident.duplicate_of,
        "parent_id": incident.parent_id,
        "plan": incident.plan,
        "commander": incident.commander,
        "roles": {role.value: person for role, person in incident.roles.items()},
        "orders": [asdict(o) for o in incident.orders.values()],
        "logistics": [{**asdict(r), "settled": r.is_settled} for r in incident.logistics.values()],
        "statements": [asdict(s) for s in incident.statements],
        "statement_by_channel": {
            channel.value: asdict(s) for channel, s in incident.statement_by_channel.items()
        },
        "notices": [
            {**asdict(n), "message": text_json(n.message, viewer)} for n in incident.notices
        ],
        "notified_of_result": incident.notified_of_result,
        "callbacks": [
            {**asdict(c), "comment": text_json(c.comment, viewer)} for c in incident.callbacks
        ],
        "last_update": incident.last_update,
        "resolution": incident.resolution,
        "summary": incident.summary,
        "reopened": incident.reopened,
        "review": asdict(incident.review) if incident.review else None,
        "improvements": [asdict(a) for a in incident.improvements.values()],
    }
