"""Events and incidents as JSON-ready dicts, with personal data shown per role."""

from typing import Any

from app.masking import mask_reporter
from app.permissions import sees_personal_data
from domain.incident import Incident
from domain.orders import Order
from domain.vocabulary import Role

_LIBRARY_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic"}
)


def reporter_for(reporter: dict[str, str] | None, viewer: Role) -> dict[str, str] | None:
    if reporter is None or sees_personal_data(viewer):
        return reporter
    return mask_reporter(reporter)


def event_json(event: Incident.Event, viewer: Role | None = None) -> dict[str, Any]:
    """One event; without a viewer (broadcasts) personal data is left out entirely."""
    fields = {k: v for k, v in vars(event).items() if k not in _LIBRARY_FIELDS}
    if "reporter" in fields:
        if viewer is None:
            del fields["reporter"]
        else:
            fields["reporter"] = reporter_for(fields["reporter"], viewer)
    return {
        "type": type(event).__name__,
        "incident_id": event.originator_id,
        "version": event.originator_version,
        "at": event.timestamp,
        **fields,
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "assignee": order.assignee,
        "instruction": order.instruction,
        "deadline": order.deadline,
        "priority": order.priority,
        "status": order.status,
        "issued_at": order.issued_at,
        "issued_by": order.issued_by,
        "outcome": order.outcome,
        "completed_at": order.completed_at,
    }


def incident_json(incident: Incident, viewer: Role) -> dict[str, Any]:
    return {
        "id": incident.id,
        "version": incident.version,
        "kind": incident.kind,
        "channel": incident.channel,
        "category": incident.category,
        "title": incident.title,
        "description": incident.description,
        "location": incident.location,
        "reporter": reporter_for(incident.reporter, viewer),
        "received_at": incident.received_at,
        "reported_at": incident.created_on,
        "updated_at": incident.modified_on,
        "status": incident.status,
        "severity": incident.severity,
        "scope": incident.scope,
        "risk": incident.risk,
        "parent_id": incident.parent_id,
        "commander": incident.commander,
        "orders": [order_json(o) for o in incident.orders.values()],
        "last_update": incident.last_update,
        "resolution": incident.resolution,
        "summary": incident.summary,
    }
