"""Stored topics of events that have since moved, so that old logs still replay.

The first release nested every event class inside `Incident`.
"""

from eventsourcing.utils import register_topic

from domain import incident, leadership, orders

_MOVED = {
    "Reported": incident.Reported,
    "Verified": incident.Verified,
    "Linked": incident.Linked,
    "Classified": leadership.Classified,
    "OrderIssued": orders.OrderIssued,
    "OrderCompleted": orders.OrderCompleted,
    "ResponsePosted": incident.ResponsePosted,
    "Resolved": incident.Resolved,
    "Closed": incident.Closed,
}


def register_moved_events() -> None:
    for name, event_class in _MOVED.items():
        register_topic(f"domain.incident:Incident.{name}", event_class)
