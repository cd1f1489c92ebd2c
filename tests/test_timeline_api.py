"""The after-action timeline over HTTP: who did what, when, in log order, in zh or en."""

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, MovableClock, auth, wait_until

L, IN, R = Role.LEADERSHIP, Role.INTAKE, Role.RESPONDER
START = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")

# The free text this file sends: names and notes are shown as given, never translated.
VERIFY_NOTE = "与热线来电相互印证"
GRADE = {"severity": "II", "rationale": "医院受影响"}
PLAN = {"plan": "供水水质污染应急预案", "commander": "王主任"}
RESPONSE = {"note": "已到达泵站现场", "status": "on_scene"}
OUTCOME = {"outcome": "五点取样合格"}
RESOLUTION = {"resolution": "fixed", "summary": "更换滤芯"}
CLOSING = {"note": "结案"}
ASSIGNEE, INSTRUCTION = "市水质检测中心", "五点取样检测"
FREE_TEXT = [
    CRISIS["title"],
    CRISIS["category"],
    CRISIS["location"],
    VERIFY_NOTE,
    GRADE["rationale"],
    PLAN["plan"],
    PLAN["commander"],
    RESPONSE["note"],
    OUTCOME["outcome"],
    RESOLUTION["summary"],
    CLOSING["note"],
    ASSIGNEE,
    INSTRUCTION,
]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


def timeline(
    api: Api, incident: str, role: Role = Role.AUDITOR, query: str = "", language: str = ""
) -> Any:
    """The timeline as `role` reads it (in the browser's `language`, when given) once the
    views hold every event stored so far."""
    url = f"/api/incidents/{incident}/timeline?min_position={api.events_stored()}"
    headers = auth(api.tokens[role]) | ({"Accept-Language": language} if language else {})
    return api.client.get(f"{url}&{query}" if query else url, headers=headers)


def entries(api: Api, incident: str, language: str = "") -> list[dict[str, Any]]:
    response = timeline(api, incident, language=language)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["entries"]
    return found


def on(incident: str, tail: str) -> str:
    return f"/api/incidents/{incident}{tail}"


def deadline(clock: MovableClock, minutes: float = 60) -> str:
    return (clock.now + timedelta(minutes=minutes)).isoformat()


def crisis_walked_to_the_end(api: Api, clock: MovableClock) -> tuple[str, list[dict[str, Any]]]:
    """Report → verify → classify → activate → order → response → complete → resolve → close,
    a minute apart; returns the incident and each command's answer."""
    answers: list[dict[str, Any]] = []
    created = api.post(IN, "/api/incidents", CRISIS)
    assert created.status_code == 201, created.text
    answers.append(created.json())
    incident = created.json()["id"]

    def step(role: Role, tail: str, body: Any) -> dict[str, Any]:
        clock.advance(minutes=1)
        answers.append(api.ok(role, on(incident, tail), body))
        return answers[-1]

    step(IN, "/verify", {"note": VERIFY_NOTE})
    step(L, "/classify", GRADE)
    step(L, "/activate", PLAN)
    order = {"assignee": ASSIGNEE, "instruction": INSTRUCTION, "deadline": deadline(clock)}
    order_id = step(L, "/orders", order)["order_id"]
    step(R, "/responses", RESPONSE)
    step(R, f"/orders/{order_id}/complete", OUTCOME)
    step(L, "/resolve", RESOLUTION)
    step(L, "/close", CLOSING)
    return incident, answers


WALK = [
    ("Reported", "intake-user", "intake"),
    ("Verified", "intake-user", "intake"),
    ("Classified", "leadership-user", "leadership"),
    ("CommandActivated", "leadership-user", "leadership"),
    ("OrderIssued", "leadership-user", "leadership"),
    ("ResponsePosted", "responder-user", "responder"),
    ("OrderCompleted", "responder-user", "responder"),
    ("Resolved", "leadership-user", "leadership"),
    ("Closed", "leadership-user", "leadership"),
]


def test_a_crisis_walked_to_its_close_has_one_entry_per_event_in_log_order(
    api: Api, clock: MovableClock
) -> None:
    incident, answers = crisis_walked_to_the_end(api, clock)
    shown = entries(api, incident)
    assert [(e["type"], e["actor"], e["role"]) for e in shown] == WALK
    assert [e["version"] for e in shown] == list(range(1, 10))
    assert [e["position"] for e in shown] == [a["position"] for a in answers]
    assert [e["position"] for e in shown] == sorted({e["position"] for e in shown})
    assert [e["at"] for e in shown] == [
        (START + timedelta(minutes=n)).isoformat() for n in range(9)
    ]
    assert all(e["summary"] and e["linked"] is False for e in shown)
    assert {e["incident_id"] for e in shown} == {incident}


def test_summaries_are_chinese_for_a_chinese_reader(api: Api, clock: MovableClock) -> None:
    incident, answers = crisis_walked_to_the_end(api, clock)
    response = timeline(api, incident, language="zh-CN,zh;q=0.9")
    assert response.headers["Content-Language"] == "zh-CN"
    order_ref = answers[4]["order_id"][:8]  # the start of an order's id names it in sentences
    for entry in response.json()["entries"]:
        sentence = entry["summary"].replace(order_ref, "")
        assert CJK.search(sentence), entry
        assert not LATIN.search(sentence), entry
    verified = response.json()["entries"][1]
    assert verified["summary"] == f"核实属实：{VERIFY_NOTE}"


def test_summaries_are_english_for_an_english_reader(api: Api, clock: MovableClock) -> None:
    incident, _ = crisis_walked_to_the_end(api, clock)
    response = timeline(api, incident, language="en")
    assert response.headers["Content-Language"] == "en"
    shown = response.json()["entries"]
    assert shown[1]["summary"] == f"Report verified: {VERIFY_NOTE}"
    assert shown[2]["summary"] == f"Graded level II (serious): {GRADE['rationale']}"
    assert shown[-1]["summary"] == f"Incident closed: {CLOSING['note']}"
    for entry in shown:
        sentence = entry["summary"]
        for text in sorted(FREE_TEXT, key=len, reverse=True):  # longest first: some contain others
            sentence = sentence.replace(text, "")
        assert not CJK.search(sentence), entry


def test_the_lang_parameter_overrides_the_browser_language(api: Api, clock: MovableClock) -> None:
    incident = api.verified(CRISIS)
    english = timeline(api, incident, query="lang=en", language="zh-CN,zh;q=0.9")
    assert english.headers["Content-Language"] == "en"
    assert english.json()["entries"][1]["summary"] == "Report verified: 回拨确认"
    chinese_again = timeline(api, incident, query="lang=zh", language="en")
    assert chinese_again.headers["Content-Language"] == "zh-CN"
    assert chinese_again.json()["entries"][1]["summary"] == "核实属实：回拨确认"


def test_phases_count_the_seconds_from_the_report_to_each_first_step(
    api: Api, clock: MovableClock
) -> None:
    incident = api.report(CRISIS)
    for minutes, role, tail, body in [
        (3, IN, "/verify", {"note": VERIFY_NOTE}),
        (7, L, "/classify", GRADE),
        (10, L, "/orders", {"assignee": ASSIGNEE, "instruction": INSTRUCTION}),
        (5, R, "/responses", RESPONSE),
    ]:
        clock.advance(minutes=minutes)
        if tail == "/orders":
            body = {**body, "deadline": deadline(clock)}
        api.ok(role, on(incident, tail), body)
    phases = timeline(api, incident).json()["phases"]
    assert phases == {
        "reported_at": START.isoformat(),
        "verify": 180.0,
        "grade": 600.0,
        "first_order": 1200.0,
        "first_response": 1500.0,
        "resolve": None,
        "close": None,
    }
    order_id = api.get(L, on(incident, "")).json()["orders"][0]["order_id"]
    clock.advance(minutes=10)
    api.ok(R, on(incident, f"/orders/{order_id}/complete"), OUTCOME)
    api.ok(R, on(incident, "/responses"), {**RESPONSE, "note": "第二次到场"})
    clock.advance(minutes=5)
    api.ok(L, on(incident, "/resolve"), RESOLUTION)
    clock.advance(minutes=15)
    api.ok(L, on(incident, "/close"), CLOSING)
    phases = timeline(api, incident).json()["phases"]
    assert (phases["first_response"], phases["resolve"], phases["close"]) == (1500, 2400, 3300)


def test_phases_of_a_late_registered_report_count_from_when_it_was_received(
    api: Api, clock: MovableClock
) -> None:
    received = START - timedelta(minutes=20)
    incident = api.report({**CRISIS, "received_at": received.isoformat()})
    clock.advance(minutes=5)
    api.ok(IN, on(incident, "/verify"), {"note": VERIFY_NOTE})
    phases = timeline(api, incident).json()["phases"]
    assert (phases["reported_at"], phases["verify"], phases["grade"]) == (
        received.isoformat(),
        1500.0,
        None,
    )


def test_linked_complaints_appear_in_the_crisis_timeline_but_not_the_other_way(
    api: Api, clock: MovableClock
) -> None:
    crisis = api.report(CRISIS)
    clock.advance(minutes=1)
    complaint = api.verified()
    clock.advance(minutes=1)
    api.ok(IN, on(complaint, "/link"), {"parent_id": crisis})
    clock.advance(minutes=3)
    api.ok(IN, on(crisis, "/verify"), {"note": VERIFY_NOTE})

    crisis_view = timeline(api, crisis).json()
    shown = [(e["incident_id"], e["type"], e["linked"]) for e in crisis_view["entries"]]
    assert shown == [
        (crisis, "Reported", False),
        (complaint, "Reported", True),
        (complaint, "Verified", True),
        (complaint, "Linked", True),
        (crisis, "Verified", False),
    ]
    assert crisis_view["phases"]["verify"] == 300.0  # its own verification, not the complaint's
    own = entries(api, complaint)
    assert [(e["incident_id"], e["type"]) for e in own] == [
        (complaint, "Reported"),
        (complaint, "Verified"),
        (complaint, "Linked"),
    ]
    assert all(e["linked"] is False for e in own)


def test_a_complaint_moved_to_another_crisis_appears_in_the_new_crisis_timeline(
    api: Api,
) -> None:
    first, second = api.graded_crisis("II"), api.graded_crisis("III")
    complaint = api.verified()
    api.ok(IN, on(complaint, "/link"), {"parent_id": first})
    moved = api.ok(IN, on(complaint, "/link"), {"parent_id": second})
    headers = auth(api.tokens[Role.AUDITOR])

    def shows_the_move() -> bool:
        body = api.client.get(on(second, "/timeline"), headers=headers).json()
        return moved["position"] in {e["position"] for e in body["entries"]}

    assert wait_until(shows_the_move, timeout=2)
    view = api.client.get(on(second, "/timeline"), headers=headers).json()
    assert view["stale"] is False
    assert {e["incident_id"] for e in view["entries"] if e["linked"]} == {complaint}


def test_a_late_field_update_shows_when_it_happened_and_keeps_log_order(
    api: Api, clock: MovableClock
) -> None:
    incident = api.verified(CRISIS)
    clock.advance(minutes=30)
    happened = START + timedelta(minutes=2)
    beijing = timezone(timedelta(hours=8))
    late = {**RESPONSE, "occurred_at": happened.astimezone(beijing).isoformat()}
    api.ok(R, on(incident, "/responses"), late)
    clock.advance(minutes=1)
    api.ok(R, on(incident, "/responses"), {"note": "处置中", "status": "in_progress"})

    shown = entries(api, incident, language="en")
    assert [e["type"] for e in shown] == [
        "Reported",
        "Verified",
        "ResponsePosted",
        "ResponsePosted",
    ]
    late_entry, next_entry = shown[2], shown[3]
    assert datetime.fromisoformat(late_entry["occurred_at"]) == happened
    assert late_entry["at"] == (START + timedelta(minutes=30)).isoformat()
    assert "actually happened at 26 Nov 06:02" in late_entry["summary"]
    assert next_entry["occurred_at"] is None
    assert [e["position"] for e in shown] == sorted(e["position"] for e in shown)
    # The first response is when it really happened, not when the update got through.
    assert timeline(api, incident).json()["phases"]["first_response"] == 120.0


def test_the_timeline_never_shows_the_reporter_or_the_description(api: Api) -> None:
    private = {
        "name": "欧阳娜娜",
        "phone": "13900001111",
        "email": "ouyang.nn@example.cn",
    }
    description = "来电人说家里老人腹泻已就医"
    incident = api.report({**COMPLAINT, "reporter": private, "description": description})
    api.ok(IN, on(incident, "/verify"), {"note": "回拨确认"})
    api.ok(IN, on(incident, "/notify"), {"channel": "sms", "message": "已安排检测"})
    for role in (L, IN, Role.ADMIN, Role.AUDITOR):
        for language in ("zh", "en"):
            text = timeline(api, incident, role, query=f"lang={language}").text
            assert COMPLAINT["title"] in text
            for secret in (*private.values(), description):
                assert secret not in text


def test_an_unknown_incident_is_404_and_a_caller_without_a_token_is_401(api: Api) -> None:
    unknown = api.get(Role.AUDITOR, f"/api/incidents/{uuid.uuid4()}/timeline")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "incident_not_found"
    incident = api.report()
    anonymous = api.client.get(on(incident, "/timeline"))
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "unauthenticated"


def test_a_language_the_timeline_does_not_speak_is_422(api: Api) -> None:
    incident = api.report()
    response = api.get(Role.AUDITOR, on(incident, "/timeline?lang=fr"))
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"


def test_every_role_may_read_the_timeline(api: Api) -> None:
    incident = api.verified()
    for role in Role:
        response = timeline(api, incident, role)
        assert response.status_code == 200, (role, response.text)
        assert [e["type"] for e in response.json()["entries"]] == ["Reported", "Verified"]


def test_a_commands_position_as_min_position_reads_its_own_write(api: Api) -> None:
    incident = api.verified(CRISIS)
    headers = auth(api.tokens[Role.AUDITOR])
    for role, tail, body in [
        (L, "/classify", GRADE),
        (L, "/activate", PLAN),
        (R, "/responses", RESPONSE),
    ]:
        answer = api.ok(role, on(incident, tail), body)
        url = on(incident, f"/timeline?min_position={answer['position']}")
        view = api.client.get(url, headers=headers).json()
        assert view["position"] >= answer["position"]
        assert view["entries"][-1]["position"] == answer["position"]
        assert view["entries"][-1]["version"] == answer["version"]


def test_times_in_summaries_are_shown_in_the_time_zone_asked_for(
    api: Api, clock: MovableClock
) -> None:
    incident, _ = crisis_walked_to_the_end(api, clock)
    due = START + timedelta(minutes=3 + 60)  # the order came 3 minutes after the report

    def order_summary(query: str) -> str:
        shown = timeline(api, incident, query=query).json()["entries"]
        return next(e["summary"] for e in shown if e["type"] == "OrderIssued")

    assert f"due {due:%d} Nov {due:%H:%M}" in order_summary("lang=en")
    beijing = due + timedelta(hours=8)
    assert f"due {beijing:%d} Nov {beijing:%H:%M}" in order_summary("lang=en&tz=Asia/Shanghai")
    refused = timeline(api, incident, query="tz=Mars/Olympus")
    assert refused.status_code == 422
    assert refused.json()["error"] == "bad_tz"
