"""What a socket streams: the whole board, or one incident.

Each opens with a snapshot, or, for a client resuming `?after=p`, with the
events after `p` read back from the log; then the live messages it has not
covered yet. Both are read in a worker thread (they touch the database).
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from app.jsonio import dumps
from app.live.follower import Delivery
from app.live.hub import Message
from app.live.messages import event_message
from app.presenters import incident_json
from app.services import Services
from domain.event import IncidentEvent
from domain.vocabulary import Role
from projections.board import present

# A client further behind than this many events gets a fresh snapshot instead.
REPLAY_LIMIT = 10_000


@dataclass
class Opening:
    """What a socket is sent first, and what that covers: every event up to
    `position` and, on an incident's socket, every version up to `version`."""

    texts: list[str]
    position: int
    version: int = 0

    def covers(self, message: Message) -> bool:
        if not message.in_log:  # a row the clock recounted: always news
            return False
        return message.position <= self.position or message.version <= self.version

    def advance(self, message: Message) -> None:
        if message.in_log:
            self.position = message.position


class Stream:
    """The board: every event, with the board row it changed."""

    incident_id: UUID | None = None

    def __init__(self, svc: Services, heartbeat: float) -> None:
        self.svc = svc
        self.heartbeat = heartbeat

    def snapshot(self) -> Opening:
        board = self.svc.live_board()
        body = {"type": "snapshot", "heartbeat": self.heartbeat, **board}
        return Opening([dumps(body).decode()], board["position"])

    def resume(self, after: int) -> Opening | None:
        """The events after `after` that the board has folded, from the log; None
        when `after` is not a position this board has passed, or too far back."""
        svc = self.svc
        folded = svc.board_position()
        if after > folded:
            return None
        notifications = svc.incidents.recorder.select_notifications(
            start=after, stop=folded, limit=REPLAY_LIMIT + 1, inclusive_of_start=False
        )
        if len(notifications) > REPLAY_LIMIT:
            return None
        events = [
            (n.id, svc.incidents.mapper.to_domain_event(n))
            for n in notifications
            if self.incident_id is None or n.originator_id == self.incident_id
        ]
        # Each event goes with its incident's row as it is now: the row a live
        # message would carry last.
        rows = svc.board.rows({event.originator_id for _, event in events})
        now = svc.incidents.clock()
        texts = []
        for position, event in events:
            assert isinstance(event, IncidentEvent)
            delivery = Delivery(position, event, rows.get(event.originator_id.int))
            texts.append(event_message(delivery, now).text)
        version = events[-1][1].originator_version if events else 0
        return Opening(texts, folded, version if self.incident_id else 0)


class IncidentStream(Stream):
    """One incident: its state as the caller's role may see it, then its events."""

    def __init__(self, svc: Services, heartbeat: float, incident_id: UUID, role: Role) -> None:
        super().__init__(svc, heartbeat)
        self.incident_id = incident_id
        self.role = role

    def snapshot(self) -> Opening:
        svc = self.svc
        assert self.incident_id is not None
        folded = svc.board_position()
        # Read after the position: it holds at least every event up to there.
        incident = svc.incidents.get_incident(self.incident_id)
        row = svc.board.row(self.incident_id)
        now = svc.incidents.clock()
        body: dict[str, Any] = {
            "type": "snapshot",
            "heartbeat": self.heartbeat,
            "position": folded,
            "incident": incident_json(incident, self.role),
            "row": present(row, now) if row else None,
            "stale": svc.follower.stale,
        }
        return Opening([dumps(body).decode()], folded, incident.version)
