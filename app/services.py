"""The running pieces the routes use: the store plus the socket hub."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from uuid import UUID

from fastapi import Request

from app.bootstrap import Store
from app.live.hub import Hub
from domain.errors import NotFound
from projections.summaries import Language
from projections.timeline import timeline

# How long a reader asking for its own write may wait for the views to catch up.
READ_YOUR_WRITE_TIMEOUT = 5.0


@dataclass
class Services(Store):
    hub: Hub
    heartbeat: float = 10.0  # seconds between heartbeats on a quiet socket

    def caught_up_to(self, position: int | None) -> None:
        """Read-your-writes: wait (a little) until every view reflects `position`."""
        if position is not None:
            self.follower.wait_for(position, READ_YOUR_WRITE_TIMEOUT)

    def board_position(self) -> int:
        """How far the board has folded the log."""
        return self.board.current_position(self.follower.tracking_name("board"))

    def live_board(self) -> dict[str, Any]:
        """The board now; `stale` says it does not follow the log right now."""
        current = self.board.board(self.follower.tracking_name("board"), self.incidents.clock())
        return {**current, "stale": self.follower.stale}

    def live_timeline(
        self, incident_id: UUID, language: Language, zone: tzinfo = UTC
    ) -> dict[str, Any]:
        entries = self.timeline.entries(incident_id)
        if not entries and not self.incidents.exists(incident_id):
            raise NotFound("incident_not_found", f"no incident {incident_id}")
        return {
            **timeline(incident_id.hex, entries, language, zone),
            "position": self.follower.position_of("timeline"),
            "stale": self.follower.stale,
        }

    def live_figures(self, since: datetime, until: datetime) -> dict[str, Any]:
        figures = self.figures.figures(since, until, self.incidents.clock())
        return {
            "from": since.isoformat(),
            "to": until.isoformat(),
            **figures,
            "position": self.follower.position_of("figures"),
            "stale": self.follower.stale,
        }

    def open_orders(self, assignee: str | None) -> dict[str, Any]:
        """Open orders of `assignee` (everyone's with None), soonest deadline first."""
        found = self.work.orders(self.follower.tracking_name("work"), assignee)
        return {**found, "stale": self.follower.stale}

    def logistics_queue(self, incident_id: UUID | None) -> dict[str, Any]:
        """Requests logistics staff still have to act on, soonest needed first."""
        found = self.work.requests(self.follower.tracking_name("work"), incident_id)
        return {**found, "stale": self.follower.stale}


async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
