"""What a socket receives for one event: the event and the board row it changed."""

from datetime import datetime

from app.jsonio import dumps
from app.live.follower import Delivery
from app.live.hub import Message
from app.presenters import event_json
from projections.board import present


def event_message(delivery: Delivery, now: datetime) -> Message:
    event = delivery.event
    body = {
        "type": "event",
        "position": delivery.position,
        "incident_id": event.originator_id,
        "event": event_json(event),  # no viewer: personal data is never broadcast
        "row": present(delivery.row, now) if delivery.row else None,
    }
    text = dumps(body).decode()
    return Message(delivery.position, event.originator_id, text, event.originator_version)
