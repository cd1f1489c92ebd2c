"""The live command board over HTTP and over its socket."""

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, MovableClock, auth, wait_until


def rows_by_title(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["title"]: row for row in board["rows"]}


def test_the_board_shows_one_row_per_open_incident_with_totals(api: Api) -> None:
    crisis = api.graded_crisis("II")
    api.order(crisis)
    api.order(crisis)
    api.report()
    board = api.board()
    assert board["position"] == api.events_stored()
    rows = rows_by_title(board)
    assert rows[CRISIS["title"]]["severity"] == "II"
    assert rows[CRISIS["title"]]["open_orders"] == 2
    assert rows[COMPLAINT["title"]]["status"] == "reported"
    assert board["totals"]["open"] == 2
    assert board["totals"]["open_orders"] == 2
    assert board["totals"]["by_severity"] == {"II": 1, "ungraded": 1}
    assert board["stale"] is False


def test_the_board_puts_the_most_severe_first(api: Api) -> None:
    api.report()
    for severity in ("IV", "I", "III"):
        api.graded_crisis(severity)
    assert [row["severity"] for row in api.board()["rows"]] == ["I", "III", "IV", None]


def test_an_order_past_its_deadline_counts_as_overdue_without_a_new_event(
    api: Api, clock: MovableClock
) -> None:
    crisis = api.graded_crisis()
    api.order(crisis, hours=1)
    api.order(crisis, hours=3)
    assert api.board()["rows"][0]["overdue_orders"] == 0
    stored = api.events_stored()
    clock.advance(hours=2)
    board = api.board()
    assert api.events_stored() == stored
    assert board["rows"][0]["overdue_orders"] == 1
    assert board["totals"]["overdue_orders"] == 1


def test_closed_incidents_leave_the_board(api: Api) -> None:
    incident = api.verified()
    api.ok(
        Role.INTAKE,
        f"/api/incidents/{incident}/resolve",
        {"resolution": "explained", "summary": "已解释"},
    )
    assert rows_by_title(api.board())[COMPLAINT["title"]]["status"] == "resolved"
    notice = {"channel": "sms", "message": "已处理"}
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/notify", notice)
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/close", {})
    assert api.board()["rows"] == []


def test_linked_reports_name_their_crisis(api: Api) -> None:
    crisis = api.graded_crisis()
    complaint = api.verified()
    api.ok(Role.INTAKE, f"/api/incidents/{complaint}/link", {"parent_id": crisis})
    assert rows_by_title(api.board())[COMPLAINT["title"]]["parent_id"] == crisis


def test_every_role_may_read_the_board(api: Api) -> None:
    api.report()
    for role in Role:
        assert len(api.board(role)["rows"]) == 1


def test_the_socket_sends_a_snapshot_then_each_event_in_log_order(api: Api) -> None:
    crisis = api.graded_crisis()
    api.board()
    token = api.tokens[Role.LEADERSHIP]
    with api.client.websocket_connect("/ws/board", headers=auth(token)) as socket:
        snapshot = socket.receive_json()
        assert snapshot["type"] == "snapshot"
        assert snapshot["position"] == 3
        assert [row["id"] for row in snapshot["rows"]] == [crisis]
        order_id = api.order(crisis)
        api.ok(
            Role.RESPONDER,
            f"/api/incidents/{crisis}/orders/{order_id}/complete",
            {"outcome": "完成"},
        )
        complaint = api.report()
        messages = [socket.receive_json() for _ in range(3)]
    assert [m["type"] for m in messages] == ["event"] * 3
    assert [m["position"] for m in messages] == [4, 5, 6]
    assert [m["event"]["type"] for m in messages] == ["OrderIssued", "OrderCompleted", "Reported"]
    assert messages[0]["row"]["open_orders"] == 1
    assert messages[1]["row"]["open_orders"] == 0
    assert messages[2]["incident_id"] == complaint
    assert messages[2]["event"]["actor"] == "intake-user"


def test_the_socket_never_broadcasts_personal_data(api: Api) -> None:
    with api.client.websocket_connect("/ws/board", headers=auth(api.tokens[Role.AUDITOR])) as ws:
        ws.receive_json()
        api.report()
        reported = ws.receive_json()
    assert reported["event"]["type"] == "Reported"
    assert "reporter" not in reported["event"]
    assert "13812345678" not in str(reported)


def test_the_socket_accepts_the_session_cookie(api: Api) -> None:
    api.client.post("/api/session", json={"token": api.tokens[Role.LEADERSHIP]})
    with api.client.websocket_connect("/ws/board") as socket:
        assert socket.receive_json()["type"] == "snapshot"


def test_the_socket_refuses_a_caller_without_a_valid_token(api: Api) -> None:
    for headers in ({}, auth("icc_forged")):
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            api.client.websocket_connect("/ws/board", headers=headers) as socket,
        ):
            socket.receive_json()
        assert refused.value.code == 1008


def test_a_board_that_stops_following_the_log_says_it_is_stale(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.report()
    assert api.board()["stale"] is False

    def broken(*_: object) -> None:
        raise RuntimeError("the view cannot be written")

    monkeypatch.setattr("projections.board_view.fold", broken)
    api.report({**COMPLAINT, "title": "第二个投诉"})
    headers = auth(api.tokens[Role.LEADERSHIP])
    assert wait_until(lambda: api.client.get("/api/board", headers=headers).json()["stale"])
    assert len(api.client.get("/api/board", headers=headers).json()["rows"]) == 1

    monkeypatch.undo()
    board = api.board()
    assert board["stale"] is False
    assert len(board["rows"]) == 2


def test_a_socket_whose_feed_breaks_is_closed_so_the_client_reconnects(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_: object) -> dict[str, object]:
        raise RuntimeError("the board cannot be read")

    monkeypatch.setattr("app.services.Services.live_board", broken)
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        api.client.websocket_connect("/ws/board", headers=auth(api.tokens[Role.AUDITOR])) as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 1011
