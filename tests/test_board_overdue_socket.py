"""The board as leadership watches it: orders going overdue with no new event, and
the order of its rows and its totals."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import WebSocketTestSession

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, MovableClock, auth, receive_within

L, IN, R = Role.LEADERSHIP, Role.INTAKE, Role.RESPONDER
START = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


def messages_within(socket: WebSocketTestSession, seconds: float) -> list[dict[str, Any]]:
    """Every message that arrives in the next `seconds`."""
    received = []
    ends = time.monotonic() + seconds
    while (left := ends - time.monotonic()) > 0:
        message = receive_within(socket, left)
        if message is None:
            break
        received.append(message)
    return received


def on(incident: str, tail: str) -> str:
    return f"/api/incidents/{incident}{tail}"


def crisis(api: Api, title: str, severity: str) -> str:
    incident = api.report({**CRISIS, "title": title})
    api.ok(IN, on(incident, "/verify"), {"note": "核实"})
    api.ok(L, on(incident, "/classify"), {"severity": severity, "rationale": "影响范围大"})
    return incident


def order(api: Api, clock: MovableClock, incident: str, minutes: float) -> str:
    deadline = (clock.now + timedelta(minutes=minutes)).isoformat()
    body = {"assignee": "抢修一队", "instruction": "抢修", "deadline": deadline}
    order_id: str = api.ok(L, on(incident, "/orders"), body)["order_id"]
    return order_id


def row_of(api: Api, incident: str) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {row["id"]: row for row in api.board()["rows"]}
    return rows[incident]


def watching(api: Api) -> Any:
    """A board socket opened once the board shows every write so far: its snapshot
    covers them, and only what happens next arrives as events."""
    api.board()
    return api.client.websocket_connect("/ws/board", headers=auth(api.tokens[L]))


def test_an_order_past_its_deadline_is_pushed_as_overdue_without_a_new_event(
    api: Api, clock: MovableClock
) -> None:
    incident = crisis(api, "变电站故障", "II")
    with watching(api) as socket:
        assert socket.receive_json()["type"] == "snapshot"
        order(api, clock, incident, minutes=5)
        issued = socket.receive_json()
        assert (issued["type"], issued["event"]["type"]) == ("event", "OrderIssued")
        assert issued["row"]["overdue_orders"] == 0
        stored = api.events_stored()
        clock.advance(minutes=6)
        pushed = receive_within(socket, 4)
    assert pushed is not None
    assert (pushed["type"], pushed["reason"], pushed["incident_id"]) == ("row", "overdue", incident)
    assert (pushed["row"]["open_orders"], pushed["row"]["overdue_orders"]) == (1, 1)
    assert api.events_stored() == stored
    assert row_of(api, incident)["overdue_orders"] == 1
    assert api.board()["totals"]["overdue_orders"] == 1


def test_a_completed_order_is_never_pushed_as_overdue(api: Api, clock: MovableClock) -> None:
    incident = crisis(api, "变电站故障", "II")
    with watching(api) as socket:
        socket.receive_json()
        order_id = order(api, clock, incident, minutes=5)
        api.ok(R, on(incident, f"/orders/{order_id}/complete"), {"outcome": "已恢复供电"})
        events = [socket.receive_json()["event"]["type"] for _ in range(2)]
        assert events == ["OrderIssued", "OrderCompleted"]
        clock.advance(minutes=6)
        assert receive_within(socket, 2.5) is None
    assert (row_of(api, incident)["open_orders"], row_of(api, incident)["overdue_orders"]) == (0, 0)


def test_an_order_whose_deadline_a_tick_lands_on_is_still_pushed_once_it_passes(
    api: Api, clock: MovableClock
) -> None:
    incident = crisis(api, "变电站故障", "II")
    with watching(api) as socket:
        socket.receive_json()
        order(api, clock, incident, minutes=5)
        socket.receive_json()
        clock.advance(minutes=5)  # exactly the deadline: not yet overdue
        early = messages_within(socket, 1.6)
        clock.advance(minutes=1)
        late = messages_within(socket, 2.5)
    assert [m["row"]["overdue_orders"] for m in early + late if m["type"] == "row"][-1:] == [1]
    assert row_of(api, incident)["overdue_orders"] == 1


def test_the_board_puts_severity_first_then_overdue_orders_then_age(
    api: Api, clock: MovableClock
) -> None:
    api.report({**COMPLAINT, "title": "未定级投诉"})
    clock.advance(minutes=1)
    older = crisis(api, "较早的Ⅱ级", "II")
    order(api, clock, older, minutes=120)
    clock.advance(minutes=1)
    overdue = crisis(api, "有超期指令的Ⅱ级", "II")
    order(api, clock, overdue, minutes=10)
    clock.advance(minutes=1)
    crisis(api, "Ⅰ级", "I")
    clock.advance(minutes=1)
    crisis(api, "较新的Ⅱ级", "II")
    clock.advance(minutes=1)
    inquiry = api.report({**COMPLAINT, "kind": "inquiry", "title": "较新的咨询"})
    api.ok(IN, on(inquiry, "/verify"), {"note": "核实"})
    clock.advance(minutes=30)

    board = api.board()
    assert [row["title"] for row in board["rows"]] == [
        "Ⅰ级",
        "有超期指令的Ⅱ级",
        "较早的Ⅱ级",
        "较新的Ⅱ级",
        "未定级投诉",
        "较新的咨询",
    ]
    assert board["totals"] == {
        "open": 6,
        "open_orders": 2,
        "overdue_orders": 1,
        "by_severity": {"I": 1, "II": 3, "ungraded": 2},
        "by_status": {"responding": 4, "reported": 1, "verified": 1},
        "by_kind": {"crisis": 4, "complaint": 1, "inquiry": 1},
    }


def test_among_equals_the_older_report_comes_first_whatever_its_time_zone(api: Api) -> None:
    api.report({**COMPLAINT, "title": "较新", "received_at": "2026-11-26T05:30:00+00:00"})
    api.report({**COMPLAINT, "title": "较早", "received_at": "2026-11-26T13:00:00+08:00"})
    assert [row["title"] for row in api.board()["rows"]] == ["较早", "较新"]


def test_a_dismissed_report_leaves_the_board(api: Api) -> None:
    rumour = api.report({**COMPLAINT, "title": "听说水厂被投毒"})
    assert [row["id"] for row in api.board()["rows"]] == [rumour]
    assert api.board()["totals"]["by_status"] == {"reported": 1}
    api.ok(IN, on(rumour, "/dismiss"), {"reason": "rumour", "note": "已澄清"})
    board = api.board()
    assert board["rows"] == []
    assert board["totals"]["open"] == 0


def test_a_closed_crisis_leaves_the_board(api: Api) -> None:
    incident = crisis(api, "变电站故障", "III")
    api.report({**COMPLAINT, "title": "停电投诉"})
    api.ok(L, on(incident, "/resolve"), {"resolution": "fixed", "summary": "已恢复供电"})
    assert row_of(api, incident)["status"] == "resolved"
    api.ok(L, on(incident, "/close"), {"note": "结案"})
    board = api.board()
    assert [row["title"] for row in board["rows"]] == ["停电投诉"]
    assert board["totals"]["by_severity"] == {"ungraded": 1}
