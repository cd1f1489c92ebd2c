"""Orders go overdue with no event to say so: a clock finds the deadlines that
just passed and sends the rows they belong to, so every board recounts at once."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import anyio

from app.jsonio import dumps
from app.live.hub import Hub, Message
from projections.board import present
from projections.board_view import BoardView

log = logging.getLogger(__name__)

TICK = 1.0  # seconds: "within a few seconds" with room to spare


class DeadlineWatch:
    def __init__(self, board: BoardView, hub: Hub, clock: Callable[[], datetime]) -> None:
        self.board = board
        self.hub = hub
        self.clock = clock
        self.checked_until = clock()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            try:
                for message in await anyio.to_thread.run_sync(self.passed):
                    self.hub.publish(message)
            except Exception:
                log.exception("deadline watch failed; trying again at the next tick")

    def passed(self) -> list[Message]:
        """One `row` message per incident with an order that went overdue since the last tick."""
        now = self.clock()
        messages = []
        for incident_id in self.board.falling_due(self.checked_until, now):
            row = self.board.row(incident_id)
            if row is None or not row.is_open:
                continue
            body = {
                "type": "row",
                "reason": "overdue",
                "incident_id": incident_id,
                "row": present(row, now),
            }
            messages.append(Message(0, incident_id, dumps(body).decode(), in_log=False))
        self.checked_until = now  # only once read: a failed tick is tried again
        return messages
