"""Small helpers that speak the API's terms."""

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import anyio
import orjson
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from app.application import Ack
from app.bootstrap import Store
from domain import commands
from domain.actor import Actor
from domain.vocabulary import Channel, Kind, Priority, Role, Severity


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll a condition with a bound, for states another thread or process reaches."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.02)
    return True


class MovableClock:
    """The server's clock, moved by the test: pinned at `start` when given, else
    following real time; `advance` moves it either way."""

    def __init__(self, start: datetime | None = None) -> None:
        self._pinned = start
        self._offset = timedelta()

    @property
    def now(self) -> datetime:
        return self._pinned if self._pinned is not None else datetime.now(UTC) + self._offset

    @now.setter
    def now(self, moment: datetime) -> None:
        self._pinned = moment

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        if self._pinned is not None:
            self._pinned += timedelta(**delta)
        else:
            self._offset += timedelta(**delta)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


COMPLAINT: dict[str, Any] = {
    "kind": "complaint",
    "channel": "hotline",
    "category": "供水水质",
    "title": "自来水发黄有异味",
    "description": "来电人反映水发黄、有异味、水压低",
    "location": "阳光花园小区 5栋",
    "reporter": {"name": "张桂英", "phone": "13812345678", "email": "zhang@example.cn"},
}

CRISIS: dict[str, Any] = {
    "kind": "crisis",
    "channel": "monitoring",
    "category": "供水水质",
    "title": "3号加压泵站浊度报警",
    "location": "3号加压泵站",
}


class Api:
    """Commands as a user in `role` sends them; each returns the HTTP response."""

    def __init__(self, client: TestClient, tokens: dict[Role, str]) -> None:
        self.client = client
        self.tokens = tokens

    def post(self, role: Role, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(path, json=body, headers={**auth(self.tokens[role]), **headers})

    def get(self, role: Role, path: str) -> Any:
        return self.client.get(path, headers=auth(self.tokens[role]))

    def report(self, body: dict[str, Any] | None = None, role: Role = Role.INTAKE) -> str:
        response = self.post(role, "/api/incidents", body or COMPLAINT)
        assert response.status_code == 201, response.text
        incident_id: str = response.json()["id"]
        return incident_id

    def verified(self, body: dict[str, Any] | None = None) -> str:
        incident_id = self.report(body)
        self.ok(Role.INTAKE, f"/api/incidents/{incident_id}/verify", {"note": "回拨确认"})
        return incident_id

    def graded_crisis(self, severity: str = "III") -> str:
        incident_id = self.verified(CRISIS)
        self.ok(
            Role.LEADERSHIP,
            f"/api/incidents/{incident_id}/classify",
            {"severity": severity, "rationale": "约2000户受影响"},
        )
        return incident_id

    def order(self, incident_id: str, hours: float = 2) -> str:
        response = self.ok(
            Role.LEADERSHIP,
            f"/api/incidents/{incident_id}/orders",
            {"assignee": "市水质检测中心", "instruction": "五点取样", "deadline": in_hours(hours)},
        )
        order_id: str = response["order_id"]
        return order_id

    def ok(self, role: Role, path: str, body: Any) -> dict[str, Any]:
        response = self.post(role, path, body)
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def events_stored(self) -> int:
        count: int = self.client.app.state.services.incidents.recorder.max_notification_id() or 0
        return count

    def board(self, role: Role = Role.LEADERSHIP) -> dict[str, Any]:
        position = self.events_stored()
        response = self.client.get(
            f"/api/board?min_position={position}", headers=auth(self.tokens[role])
        )
        assert response.status_code == 200, response.text
        board: dict[str, Any] = response.json()
        return board


LEADER = Actor("王主任", Role.LEADERSHIP)


def graded_crisis_in(store: Store) -> UUID:
    """A verified power-outage crisis graded II, written through the use cases."""
    app = store.incidents
    incident = app.report(
        LEADER,
        kind=Kind.CRISIS,
        channel=Channel.MONITORING,
        category="供电",
        title="变电站故障",
        description="",
        location="城东",
        reporter=None,
        received_at=None,
    ).id
    app.execute(LEADER, incident, commands.verify())
    app.execute(LEADER, incident, commands.classify(Severity.II, rationale="医院受影响"))
    return incident


def issue_order_in(store: Store, incident: UUID, n: int = 0, if_match: int | None = None) -> Ack:
    app = store.incidents
    order = commands.issue_order(
        app.new_id(), f"抢修{n}队", "抢修", app.clock() + timedelta(hours=2), Priority.URGENT
    )
    return app.execute(LEADER, incident, order, if_match=if_match)


def timeline_entries(store: Store) -> int:
    """How many events the timeline view holds, over every incident's row."""
    rows = store.timeline.dump()["timeline_pages"]
    return sum(len(orjson.loads(row[-1])) for row in rows)


def receive_within(socket: WebSocketTestSession, seconds: float) -> dict[str, Any] | None:
    """The next socket message, or None when none comes in time (TestClient's own
    `receive_json` waits forever, so this waits on the session's private stream of
    server messages, in its own event loop). Raises WebSocketDisconnect if the
    server closed."""

    async def next_message() -> Any:
        with anyio.move_on_after(seconds):
            return await socket._send_rx.receive()
        return None

    message = socket.portal.call(next_message)
    if message is None:
        return None
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason", ""))
    assert message["type"] == "websocket.send", message
    found: dict[str, Any] = json.loads(message["text"])
    return found
