"""The socket contract as a client lives it: resuming with `?after=`, the incident's
own socket, heartbeats on a quiet line, a client too slow to keep up, and log order
under many writers."""

import json
import math
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

import anyio
import pytest
from starlette import testclient
from starlette.testclient import WebSocketTestSession
from starlette.types import Message
from starlette.websockets import WebSocketDisconnect

from app.services import Services
from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, auth, receive_within, wait_until

L, IN, R, AUD = Role.LEADERSHIP, Role.INTAKE, Role.RESPONDER, Role.AUDITOR
PHONE = COMPLAINT["reporter"]["phone"]


# --- a client's view of a socket ------------------------------------------------


def next_message(socket: WebSocketTestSession, seconds: float = 5.0) -> dict[str, Any]:
    message = receive_within(socket, seconds)
    assert message is not None, f"nothing arrived within {seconds} s"
    return message


def next_events(socket: WebSocketTestSession, count: int) -> list[dict[str, Any]]:
    """The next `count` messages, each of which must be an event."""
    messages = [next_message(socket) for _ in range(count)]
    assert [m["type"] for m in messages] == ["event"] * count, messages
    return messages


def events_until(socket: WebSocketTestSession, position: int) -> list[dict[str, Any]]:
    """Events until one at `position` or beyond arrives; nothing but events (and
    heartbeats, left out) may come in between."""
    received: list[dict[str, Any]] = []
    while not received or received[-1]["position"] < position:
        message = next_message(socket)
        if message["type"] == "heartbeat":
            continue
        assert message["type"] == "event", message
        received.append(message)
    return received


def positions(messages: list[dict[str, Any]]) -> list[int]:
    return [m["position"] for m in messages]


def nothing_more(socket: WebSocketTestSession, seconds: float = 0.15) -> None:
    message = receive_within(socket, seconds)
    assert message is None or message["type"] == "heartbeat", message


def refusal(api: Api, url: str, **headers: str) -> int:
    """The close code of a socket the server refuses (or closes before any message)."""
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        api.client.websocket_connect(url, headers=headers) as socket,
    ):
        socket.receive_json()
    code: int = refused.value.code
    return code


# --- commands -------------------------------------------------------------------


def services(api: Api) -> Services:
    found: Services = api.client.app.state.services  # type: ignore[attr-defined]
    return found


def report(api: Api, title: str = "投诉", **extra: Any) -> tuple[str, int]:
    """A complaint reported; its incident id and its event's log position."""
    response = api.post(IN, "/api/incidents", {**COMPLAINT, "title": title, **extra})
    assert response.status_code == 201, response.text
    body = response.json()
    return body["id"], body["position"]


def crisis(api: Api, title: str = "泵站浊度报警") -> str:
    incident = api.report({**CRISIS, "title": title})
    api.ok(IN, f"/api/incidents/{incident}/verify", {"note": "核实"})
    api.ok(L, f"/api/incidents/{incident}/classify", {"severity": "III", "rationale": "影响较大"})
    return incident


def order(api: Api, incident: str, n: int = 0) -> int:
    """An order issued on a graded crisis; its event's log position."""
    body = {"assignee": f"抢修{n}队", "instruction": "抢修", "deadline": "2099-01-01T00:00:00Z"}
    position: int = api.ok(L, f"/api/incidents/{incident}/orders", body)["position"]
    return position


def board_folded(api: Api) -> None:
    """Wait until the board has folded every event stored, so a snapshot covers them
    (quicker than `api.board()`, which waits for every view)."""
    svc, stored = services(api), api.events_stored()
    assert wait_until(lambda: svc.follower.position_of("board") >= stored)


def board_socket(api: Api, query: str = "", role: Role = L) -> Any:
    return api.client.websocket_connect(f"/ws/board{query}", headers=auth(api.tokens[role]))


def incident_socket(api: Api, incident: str, query: str = "", role: Role = L) -> Any:
    url = f"/ws/incidents/{incident}{query}"
    return api.client.websocket_connect(url, headers=auth(api.tokens[role]))


# --- 1. resuming where the client left off --------------------------------------


def test_a_client_that_reconnects_after_its_last_position_misses_nothing_and_sees_nothing_twice(
    api: Api,
) -> None:
    for n in range(3):
        report(api, f"之前{n}")
    board_folded(api)  # the snapshot covers all three
    with board_socket(api) as socket:
        snapshot = next_message(socket)
        assert (snapshot["type"], snapshot["position"]) == ("snapshot", 3)
        seen = [report(api, f"在线{n}")[1] for n in range(2)]
        first = next_events(socket, 2)
    assert positions(first) == seen == [4, 5]

    missed = [report(api, f"离线{n}")[1] for n in range(4)]
    with board_socket(api, f"?after={first[-1]['position']}") as socket:
        replayed = next_events(socket, 4)
        _, live = report(api, "重连后")
        latest = next_events(socket, 1)
        nothing_more(socket)
    assert positions(replayed) == missed == [6, 7, 8, 9]
    assert [m["event"]["title"] for m in replayed] == [f"离线{n}" for n in range(4)]
    assert all(m["row"]["title"] == m["event"]["title"] for m in replayed)
    assert positions(latest) == [live] == [10]

    received = list(range(1, snapshot["position"] + 1)) + positions(first + replayed + latest)
    assert received == list(range(1, api.events_stored() + 1))


def test_reconnecting_while_commands_keep_coming_misses_none_and_repeats_none(api: Api) -> None:
    """Commands land before, during and after the gap; every position is seen once."""
    total = 30
    done = threading.Event()

    def write() -> None:
        for n in range(total):
            report(api, f"持续{n}")
        done.set()

    writer = threading.Thread(target=write)
    with board_socket(api) as socket:
        snapshot = next_message(socket)
        assert snapshot["type"] == "snapshot"
        writer.start()
        first = next_events(socket, 5)
    with board_socket(api, f"?after={first[-1]['position']}") as socket:
        writer.join(timeout=30)
        assert done.is_set()
        rest = events_until(socket, api.events_stored())
        nothing_more(socket)
    covered = list(range(1, snapshot["position"] + 1))
    assert covered + positions(first + rest) == list(range(1, total + 1))


def test_after_zero_replays_every_event_in_the_log(api: Api) -> None:
    stored = [report(api, f"事件{n}")[1] for n in range(4)]
    board_folded(api)
    with board_socket(api, "?after=0") as socket:
        replayed = next_events(socket, 4)
        nothing_more(socket)
    assert positions(replayed) == stored == [1, 2, 3, 4]
    assert [m["event"]["type"] for m in replayed] == ["Reported"] * 4
    assert PHONE not in str(replayed)  # personal data is never broadcast, replayed or live


def test_after_the_current_position_sends_only_what_comes_next(api: Api) -> None:
    report(api, "已有")
    board_folded(api)
    with board_socket(api, f"?after={api.events_stored()}") as socket:
        assert receive_within(socket, 0.2) is None  # neither a snapshot nor a replay
        _, live = report(api, "新的")
        assert positions(next_events(socket, 1)) == [live]


# --- 2. when resuming is not possible --------------------------------------------


def test_after_a_position_beyond_the_log_the_client_is_told_to_resync_and_gets_a_snapshot(
    api: Api,
) -> None:
    report(api)
    board_folded(api)
    with board_socket(api, f"?after={api.events_stored() + 5}") as socket:
        assert next_message(socket) == {"type": "resync", "reason": "cannot_resume"}
        snapshot = next_message(socket)
        assert (snapshot["type"], snapshot["position"]) == ("snapshot", 1)
        assert len(snapshot["rows"]) == 1
        _, live = report(api, "新的")
        assert positions(next_events(socket, 1)) == [live]


def test_after_a_position_too_far_back_the_client_gets_a_snapshot_instead_of_a_replay(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.live.streams.REPLAY_LIMIT", 3)
    for n in range(5):
        report(api, f"事件{n}")
    board_folded(api)
    with board_socket(api, "?after=1") as socket:  # four behind: one too many
        assert next_message(socket) == {"type": "resync", "reason": "cannot_resume"}
        snapshot = next_message(socket)
        assert (snapshot["type"], snapshot["position"]) == ("snapshot", 5)
        assert snapshot["totals"]["open"] == 5
    with board_socket(api, "?after=2") as socket:  # exactly the limit: replayed
        assert positions(next_events(socket, 3)) == [3, 4, 5]
        nothing_more(socket)


def test_an_after_that_is_not_a_log_position_is_refused(api: Api) -> None:
    report(api)
    incident = api.report()
    token = api.tokens[AUD]
    for after in ("-1", "abc", "1.5", "", "+3", "0x10", " 1"):
        assert refusal(api, f"/ws/board?after={after}&token={token}") == 4400, after
        url = f"/ws/incidents/{incident}?after={after}&token={token}"
        assert refusal(api, url) == 4400, after


def test_an_after_of_unicode_digits_is_refused_like_any_other_non_position(api: Api) -> None:
    """`str.isdigit` says yes to "²" (and "³", "①"...), which `int` then rejects."""
    token = api.tokens[AUD]
    assert refusal(api, f"/ws/board?after=%C2%B2&token={token}") == 4400


# --- 3. one incident's socket ------------------------------------------------------


def test_the_incident_socket_opens_with_the_incident_as_the_role_reads_it(api: Api) -> None:
    incident, _ = report(api, "水发黄")
    api.ok(IN, f"/api/incidents/{incident}/verify", {"note": "回拨确认"})
    board_folded(api)
    for role in (L, IN, R, AUD):
        with incident_socket(api, incident, role=role) as socket:
            snapshot = next_message(socket)
        assert snapshot["type"] == "snapshot"
        assert snapshot["position"] == api.events_stored()
        assert snapshot["stale"] is False
        assert snapshot["incident"] == api.get(role, f"/api/incidents/{incident}").json()
        assert snapshot["incident"]["version"] == 2
        assert snapshot["row"]["id"] == incident
        assert snapshot["row"]["status"] == "verified"


def test_a_reporters_phone_reaches_only_the_roles_that_may_see_personal_data(api: Api) -> None:
    incident, _ = report(api, "水发黄")
    for role in (L, IN, Role.ADMIN):
        with incident_socket(api, incident, role=role) as socket:
            snapshot = next_message(socket)
        assert snapshot["incident"]["reporter"]["phone"] == PHONE, role
    for role in (R, AUD, Role.LOGISTICS, Role.SPOKESPERSON):
        with incident_socket(api, incident, role=role) as socket:
            snapshot = next_message(socket)
        assert snapshot["incident"]["reporter"]["phone"] == "138****5678", role
        assert PHONE not in json.dumps(snapshot, ensure_ascii=False), role
        assert COMPLAINT["reporter"]["email"] not in json.dumps(snapshot, ensure_ascii=False)


def test_the_incident_socket_sends_its_own_events_once_and_no_others(api: Api) -> None:
    mine, other = crisis(api, "我的"), crisis(api, "别人的")
    board_folded(api)
    with incident_socket(api, mine) as socket:
        snapshot = next_message(socket)
        assert snapshot["incident"]["version"] == 3
        expected = []
        for n in range(3):
            order(api, other, n)
            expected.append(order(api, mine, n))
            report(api, f"无关{n}")
        order(api, other, 9)
        expected.append(order(api, mine, 9))  # after the others: any leak arrives before it
        received = next_events(socket, 4)
        nothing_more(socket)
    assert positions(received) == expected
    assert {m["incident_id"] for m in received} == {mine}
    assert [m["event"]["version"] for m in received] == [4, 5, 6, 7]
    assert [m["event"]["type"] for m in received] == ["OrderIssued"] * 4


def test_the_incident_socket_resumes_with_that_incidents_events_only(api: Api) -> None:
    mine, other = crisis(api, "我的"), crisis(api, "别人的")
    board_folded(api)
    with incident_socket(api, mine) as socket:
        snapshot = next_message(socket)
    resume_at = snapshot["position"]
    missed = []
    for n in range(3):
        missed.append(order(api, mine, n))
        order(api, other, n)
    board_folded(api)
    with incident_socket(api, mine, f"?after={resume_at}") as socket:
        replayed = next_events(socket, 3)
        order(api, other, 8)
        live = order(api, mine, 9)
        latest = next_events(socket, 1)
        nothing_more(socket)
    assert positions(replayed) == missed
    assert {m["incident_id"] for m in replayed + latest} == {mine}
    assert [m["event"]["version"] for m in replayed + latest] == [4, 5, 6, 7]
    assert positions(latest) == [live]


def test_the_incident_socket_from_the_start_replays_its_report_without_personal_data(
    api: Api,
) -> None:
    report(api, "别人的")
    incident, reported_at = report(api, "我的")
    api.ok(IN, f"/api/incidents/{incident}/verify", {"note": "回拨确认"})
    board_folded(api)
    with incident_socket(api, incident, "?after=0", role=IN) as socket:
        replayed = next_events(socket, 2)
        nothing_more(socket)
    assert [m["event"]["type"] for m in replayed] == ["Reported", "Verified"]
    assert replayed[0]["position"] == reported_at
    assert PHONE not in json.dumps(replayed, ensure_ascii=False)


def test_the_incident_socket_after_a_position_beyond_the_log_resyncs(api: Api) -> None:
    incident, _ = report(api)
    board_folded(api)
    with incident_socket(api, incident, "?after=999") as socket:
        assert next_message(socket) == {"type": "resync", "reason": "cannot_resume"}
        snapshot = next_message(socket)
    assert snapshot["type"] == "snapshot"
    assert snapshot["incident"]["id"] == incident


def test_the_incident_socket_refuses_the_unknown_the_malformed_and_the_anonymous(
    api: Api,
) -> None:
    incident, _ = report(api)
    token = api.tokens[AUD]
    assert refusal(api, f"/ws/incidents/{uuid4()}", **auth(token)) == 4404
    assert refusal(api, "/ws/incidents/not-an-id", **auth(token)) == 4400
    assert refusal(api, f"/ws/incidents/{incident}") == 1008
    assert refusal(api, f"/ws/incidents/{incident}", **auth("icc_forged")) == 1008
    assert refusal(api, f"/ws/incidents/{incident}?token=icc_forged") == 1008
    # Without a valid token nothing about the incident is given away.
    assert refusal(api, f"/ws/incidents/{uuid4()}") == 1008
    assert refusal(api, "/ws/board?after=abc") == 1008


def test_the_incident_socket_accepts_a_token_in_the_query_and_the_session_cookie(
    api: Api,
) -> None:
    incident, _ = report(api)
    url = f"/ws/incidents/{incident}?token={api.tokens[R]}"
    with api.client.websocket_connect(url) as socket:
        assert next_message(socket)["type"] == "snapshot"
    api.client.post("/api/session", json={"token": api.tokens[R]})
    with api.client.websocket_connect(f"/ws/incidents/{incident}") as socket:
        assert next_message(socket)["type"] == "snapshot"


# --- 4. heartbeats ----------------------------------------------------------------


def test_a_quiet_socket_gets_a_heartbeat_with_the_position_it_has_reached(api: Api) -> None:
    interval = 0.2
    services(api).heartbeat = interval
    report(api)
    board_folded(api)
    with board_socket(api) as socket:
        snapshot = next_message(socket)
        assert (snapshot["heartbeat"], snapshot["position"]) == (interval, 1)
        started = time.monotonic()
        beat = next_message(socket, 2 * interval)
        assert time.monotonic() - started < 2 * interval
        assert beat == {"type": "heartbeat", "position": 1, "stale": False}

        _, live = report(api, "新的")
        assert positions(next_events(socket, 1)) == [live]
        assert next_message(socket, 2 * interval) == {
            "type": "heartbeat",
            "position": live,
            "stale": False,
        }


def test_a_quiet_incident_socket_gets_heartbeats_too(api: Api) -> None:
    interval = 0.2
    services(api).heartbeat = interval
    incident, at = report(api)
    board_folded(api)
    with incident_socket(api, incident) as socket:
        assert next_message(socket)["heartbeat"] == interval
        beat = next_message(socket, 2 * interval)
    assert beat == {"type": "heartbeat", "position": at, "stale": False}


# --- 5. a client too slow to keep up ------------------------------------------------


class UnreadSession(WebSocketTestSession):
    """A client that takes nothing the server sends until it reads: each send waits
    for the client, as a full TCP window does (TestClient's own buffer is unbounded)."""

    async def _run(self, *, task_status: Any) -> None:
        send_tx, send_rx = anyio.create_memory_object_stream[Message](0)
        receive_tx, receive_rx = anyio.create_memory_object_stream[Message](math.inf)
        with send_tx, send_rx, receive_tx, receive_rx, anyio.CancelScope() as cs:
            self._receive_tx = receive_tx
            self._send_rx = send_rx
            task_status.started(cs)
            await self.app(self.scope, receive_rx.receive, send_tx.send)
            await anyio.sleep_forever()


@contextmanager
def unread_board_socket(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with monkeypatch.context() as patch:
        patch.setattr(testclient, "WebSocketTestSession", UnreadSession)
        session = board_socket(api)
    with session as socket:
        yield socket


def test_a_client_too_slow_to_keep_up_is_told_to_resync_and_never_holds_up_the_others(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    report(api, "之前")
    board_folded(api)
    hub = services(api).hub
    with board_socket(api) as reader:
        assert next_message(reader)["type"] == "snapshot"
        hub.queue_limit = 3  # only for sockets opened from here on
        with unread_board_socket(api, monkeypatch) as sleeper:
            assert next_message(sleeper)["type"] == "snapshot"
            (backlog,) = [s.queue for s in hub.subscribers if s.queue.maxsize == 3]
            acked: list[int] = []
            # Well past its queue, ending with events queued behind the resync (which
            # the snapshot it is about to get already holds: they must not follow it).
            while len(acked) < 12 or backlog.qsize() < 2:
                assert len(acked) < 40
                acked.append(report(api, f"积压{len(acked)}")[1])
                # The reader is never held up: it has each event before the next command.
                assert positions(next_events(reader, 1)) == acked[-1:]
            late = []
            while (message := next_message(sleeper))["type"] == "event":
                late.append(message)  # what it was sent before it fell behind
            assert message == {"type": "resync", "reason": "too_slow"}
            snapshot = next_message(sleeper)
            assert snapshot["type"] == "snapshot"
            assert snapshot["position"] == acked[-1]
            assert snapshot["totals"]["open"] == len(acked) + 1
            assert len(late) < len(acked) and positions(late) == acked[: len(late)]
            nothing_more(sleeper)  # nothing the snapshot already covers
            _, live = report(api, "追上之后")
            assert positions(next_events(sleeper, 1)) == [live]
        assert positions(next_events(reader, 1)) == [live]


# --- 6. many writers, one log order -------------------------------------------------


def test_events_from_many_concurrent_writers_arrive_once_each_in_log_order(api: Api) -> None:
    board_folded(api)
    with board_socket(api) as socket:
        assert next_message(socket)["position"] == 0

        def write(writer: int) -> list[int]:
            return [report(api, f"并发{writer}-{n}")[1] for n in range(10)]

        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(write, w) for w in range(4)]
            received = next_events(socket, 40)  # read while they write
            acked = [p for future in futures for p in future.result()]
        nothing_more(socket)
    got = positions(received)
    assert all(a < b for a, b in zip(got, got[1:], strict=False)), got
    assert sorted(acked) == got == list(range(1, 41))
    assert len({m["incident_id"] for m in received}) == 40
