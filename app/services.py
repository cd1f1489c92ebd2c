"""The running pieces the routes use: the store plus the socket hub."""

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from app.bootstrap import Store
from app.live.hub import Hub


@dataclass
class Services(Store):
    hub: Hub

    def live_board(self) -> dict[str, Any]:
        """The board now; `stale` says it does not follow the log right now."""
        current = self.board.board(self.follower.tracking_name("board"), self.incidents.clock())
        return {**current, "stale": self.follower.stale}


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found
