"""The incident page in a real browser (Debian's Chromium): the state, orders, logistics,
statements and timeline of one incident, the slider that replays it as it stood at any
version, personal data masked per role, and leadership's actions with their refusals.

Each test runs against a real `icc serve` process; other people's commands go in through
the HTTP API meanwhile. Screenshots land in test-artifacts/.
"""

import json
import re
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, WebSocketRoute, expect

from domain.vocabulary import Role
from tests.browser.pages import (
    CLOCK_TIME,
    PHONE,
    WALL,
    Commands,
    assert_no_chinese_outside_user_data,
    log_in,
    missing_labels,
    open_live,
    open_page,
    screenshot,
    scroll_to,
)
from tests.conftest import LiveServer


def from_now(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@dataclass
class WaterCase:
    """Scenario 1 of SCENARIOS.md, and the version each step left the crisis at."""

    crisis: str
    order: str = ""
    versions: dict[str, int] = field(default_factory=dict)


def water_crisis(commands: Commands, *, resolved: bool = True) -> WaterCase:
    """A turbidity alarm: verified, graded II, plan and spokesperson, an order to sample
    the water with progress, re-graded I, bottled water requested, allocated and
    delivered, one statement, a late field update, the order completed, resolved."""
    report = {
        "kind": "crisis",
        "channel": "monitoring",
        "category": "供水水质",
        "title": "泵站浊度报警：阳光花园自来水发黄有异味",
        "description": (
            "3号泵站在线监测浊度升至4.2 NTU，"
            "热线同时接到阳光花园小区多起水黄、有异味、水压低的来电。"
        ),
        "location": "阳光花园小区",
    }
    case = WaterCase(commands.post(Role.LEADERSHIP, "/api/incidents", report)["id"])
    case.versions["reported"] = 1

    def step(name: str, role: Role, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = commands.post(role, f"/api/incidents/{case.crisis}{path}", body)
        case.versions[name] = answer["version"]
        return answer

    step("verified", Role.INTAKE, "/verify", {"note": "已回拨5位来电居民核实，情况属实"})
    grade_ii = {
        "severity": "II",
        "scope": "阳光花园小区约2000户",
        "risk": "饮用水健康风险",
        "rationale": "约2000户居民饮用水受影响，存在健康风险",
    }
    step("graded II", Role.LEADERSHIP, "/classify", grade_ii)
    plan = {"plan": "供水水质污染事件应急预案", "commander": "王主任"}
    step("activated", Role.LEADERSHIP, "/activate", plan)
    step("spokesperson", Role.LEADERSHIP, "/roles", {"role": "spokesperson", "person": "孙发布"})
    order = {
        "assignee": "水质检测中心",
        "instruction": "在小区五个点位取水样化验",
        "deadline": from_now(hours=2),
        "priority": "urgent",
    }
    case.order = step("ordered", Role.LEADERSHIP, "/orders", order)["order_id"]
    orders = f"/orders/{case.order}"
    sampled = {"note": "已完成3个点位取样", "percent": 60}
    step("progressed", Role.RESPONDER, f"{orders}/progress", sampled)
    grade_i = {"severity": "I", "rationale": "化验确认浊度超标，影响扩大至周边三个小区"}
    step("graded I", Role.LEADERSHIP, "/classify", grade_i)
    water = {
        "resource": "supplies",
        "item": "瓶装水（箱）",
        "quantity": 200,
        "needed_by": from_now(hours=1),
        "purpose": "向阳光花园小区居民发放",
    }
    request = step("requested", Role.RESPONDER, "/logistics", water)["request_id"]
    step("allocated", Role.LOGISTICS, f"/logistics/{request}/allocate", {"source": "2号仓库"})
    step("delivered", Role.LOGISTICS, f"/logistics/{request}/deliver", {"note": "已送达小区东门"})
    statement = {
        "channels": ["official_account", "hotline_ivr", "community_notice"],
        "text": "阳光花园小区自来水浊度异常，正在抢修，请暂停饮用，瓶装水在小区东门发放。",
        "approved_by": "王主任",
    }
    step("statement", Role.SPOKESPERSON, "/statements", statement)
    late = {
        "note": "滤芯已更换，管网冲洗中",
        "status": "in_progress",
        "occurred_at": from_now(minutes=-20),
    }
    step("field update", Role.RESPONDER, "/responses", late)
    if resolved:
        done = {"outcome": "五个点位均已取样，确认为滤芯堵塞"}
        step("completed", Role.RESPONDER, f"{orders}/complete", done)
        summary = {"resolution": "fixed", "summary": "更换滤芯、冲洗管网后水质达标"}
        step("resolved", Role.LEADERSHIP, "/resolve", summary)
    return case


def verified_crisis(commands: Commands) -> str:
    crisis = commands.report("Turbidity alarm at pumping station 3", kind="crisis")
    commands.verify(crisis)
    return crisis


def open_incident(
    browser: Browser,
    server: LiveServer,
    token: str,
    incident_id: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = WALL,
) -> AbstractContextManager[Page]:
    return open_live(
        browser, server, token, f"/incidents/{incident_id}", locale=locale, viewport=viewport
    )


def open_action(page: Page, name: str) -> None:
    page.get_by_test_id(f"action-{name}").locator("summary").click()


def entry(page: Page, version: int) -> Any:
    return page.locator(f'[data-testid="timeline-entry"][data-version="{version}"]').first


# --------------------------------------------------------------------------- the tests


def test_an_auditor_drags_the_slider_back_and_sees_the_incident_as_it_stood_then(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    case = water_crisis(commands)
    latest = case.versions["resolved"]
    with open_incident(browser, live_server, tokens[Role.AUDITOR], case.crisis) as page:
        severity = page.get_by_test_id("severity")
        status = page.get_by_test_id("status")
        slider = page.get_by_test_id("version-slider")
        expect(severity).to_have_text("I · Extraordinary")
        expect(status).to_have_text("Resolved")
        expect(page.get_by_test_id("order-status")).to_have_text("Completed")
        expect(slider).to_have_attribute("max", str(latest))
        expect(page.get_by_test_id("as-of")).to_be_hidden()
        expect(page.get_by_test_id("actions-panel")).to_be_hidden()  # auditors write nothing
        expect(page.get_by_test_id("timeline-entry")).to_have_count(latest)

        # Back to the moment the order went out: graded II, the order just issued.
        ordered = case.versions["ordered"]
        slider.focus()
        page.keyboard.press("Home")
        for _ in range(ordered - 1):
            page.keyboard.press("ArrowRight")
        as_of = page.get_by_test_id("as-of")
        expect(as_of).to_have_text(
            re.compile(rf"^As it stood at version {ordered}, {CLOCK_TIME} \(not live\)$")
        )
        expect(severity).to_have_text("II · Major")
        expect(status).to_have_text("Responding")
        expect(page.get_by_test_id("order-status")).to_have_text("Issued")
        expect(page.get_by_test_id("order-progress")).to_have_count(0)
        expect(page.get_by_test_id("logistics-request")).to_have_count(0)
        expect(page.get_by_test_id("statement")).to_have_count(0)
        expect(page.get_by_test_id("scope")).to_contain_text("约2000户")
        expect(entry(page, ordered)).to_have_attribute("data-after", "false")
        expect(entry(page, ordered + 1)).to_have_attribute("data-after", "true")
        expect(entry(page, latest)).to_have_attribute("data-after", "true")
        screenshot(page, "incident-replay-wall-en")

        # Meanwhile the case goes on: the slider's end follows, the view stays put.
        notice = {"channel": "sms", "message": "阳光花园小区供水已恢复正常"}
        commands.post(Role.INTAKE, f"/api/incidents/{case.crisis}/notify", notice)
        expect(slider).to_have_attribute("max", str(latest + 1), timeout=2000)
        expect(as_of).to_contain_text(f"version {ordered},")
        expect(severity).to_have_text("II · Major")

        # Dragged all the way back: the report as it first came in.
        box = slider.bounding_box()
        assert box is not None
        middle = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] - 2, middle)
        page.mouse.down()
        page.mouse.move(box["x"] + 1, middle, steps=8)
        page.mouse.up()
        expect(as_of).to_contain_text("version 1,")
        expect(severity).to_have_text("Ungraded")
        expect(status).to_have_text("Reported")
        expect(page.get_by_test_id("order")).to_have_count(0)
        expect(entry(page, 2)).to_have_attribute("data-after", "true")
        page.set_viewport_size(PHONE)
        screenshot(page, "incident-replay-phone-en")
        page.set_viewport_size(WALL)

        page.get_by_test_id("back-to-live").click()
        expect(as_of).to_be_hidden()
        expect(severity).to_have_text("I · Extraordinary")
        expect(status).to_have_text("Resolved")
        expect(page.get_by_test_id("notice")).to_have_count(1)
        expect(slider).to_have_value(str(latest + 1))
        expect(page.locator('[data-testid="timeline-entry"][data-after="true"]')).to_have_count(0)
        assert_no_chinese_outside_user_data(page)


def test_leadership_grades_and_issues_an_order_from_the_page_and_the_board_shows_it_at_once(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = verified_crisis(commands)
    leadership = tokens[Role.LEADERSHIP]
    with (
        open_incident(browser, live_server, leadership, crisis) as page,
        open_page(browser, live_server, locale="en-US", viewport=WALL) as wall,
    ):
        log_in(wall, live_server, leadership)
        wall.goto("/")
        card = wall.locator(f'[data-testid="incident-card"][data-id="{crisis}"]')
        expect(card.get_by_test_id("severity")).to_have_text("Ungraded", timeout=5000)
        expect(page.get_by_test_id("action-issue_order")).to_be_visible()

        open_action(page, "classify")
        page.get_by_test_id("classify-severity").select_option("II")
        page.get_by_test_id("classify-submit").click()
        # No rationale: the server's 422 is told beside the form and beside the field.
        expect(page.get_by_test_id("classify-error")).to_contain_text("Check the input")
        expect(page.get_by_test_id("classify-rationale-error")).to_be_visible()
        expect(page.get_by_test_id("severity")).to_have_text("Ungraded")

        page.get_by_test_id("classify-rationale").fill("About 2,000 households, a health risk")
        page.get_by_test_id("classify-submit").click()
        expect(page.get_by_test_id("classify-done")).to_be_visible(timeout=1000)
        expect(page.get_by_test_id("classify-rationale-error")).to_be_hidden()
        expect(page.get_by_test_id("severity")).to_have_text("II · Major", timeout=1000)
        expect(card.get_by_test_id("severity")).to_have_text("II · Major", timeout=1000)

        open_action(page, "issue_order")
        deadline = page.get_by_test_id("issue_order-deadline")
        expect(deadline).not_to_have_value("")  # two hours from now, unless changed
        page.get_by_test_id("issue_order-assignee").fill("Water quality lab")
        page.get_by_test_id("issue_order-instruction").fill("Sample the water at five points")
        page.get_by_test_id("issue_order-priority").select_option("urgent")
        page.get_by_test_id("issue_order-submit").click()
        order = page.get_by_test_id("order")
        expect(order.get_by_test_id("order-assignee")).to_have_text(
            "Water quality lab", timeout=1000
        )
        expect(card.get_by_test_id("open-orders")).to_have_text("1 open order", timeout=1000)
        expect(order.get_by_test_id("order-status")).to_have_text("Issued")
        countdown = order.get_by_test_id("order-countdown")
        expect(countdown).to_have_text(re.compile(r"^1:59:\d\d left$"))
        expect(page.get_by_test_id("status")).to_have_text("Responding")
        expect(entry(page, 4)).to_contain_text("Order issued")
        # Once issued, the order can be reassigned or cancelled from the same panel.
        expect(page.get_by_test_id("action-reassign_order")).to_be_visible()
        screenshot(page, "incident-leadership-wall-en")


def test_a_page_that_missed_a_change_is_refused_with_someone_else_changed_it(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = verified_crisis(commands)
    deaf = {"on": False}

    def missing_events(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def forward(message: str | bytes) -> None:
            if deaf["on"] and json.loads(message)["type"] == "event":
                return  # a lagging link: this page never hears of the change
            ws.send(message)

        server.on_message(forward)

    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        page.context.route_web_socket(re.compile(r"/ws/incidents/"), missing_events)
        log_in(page, live_server, tokens[Role.LEADERSHIP])
        page.goto(f"/incidents/{crisis}")
        expect(page.get_by_test_id("severity")).to_have_text("Ungraded", timeout=5000)
        page.wait_for_load_state("networkidle")  # every first read answered
        deaf["on"] = True
        commands.classify(crisis, "III")  # another leader, meanwhile

        open_action(page, "classify")
        page.get_by_test_id("classify-severity").select_option("II")
        page.get_by_test_id("classify-rationale").fill("Hospitals affected")
        page.get_by_test_id("classify-submit").click()
        expect(page.get_by_test_id("classify-error")).to_have_text(
            "Someone else changed the incident meanwhile: look at its new state, then try again."
        )
        # The refusal brings the page up to date: the other leader's grade, not ours.
        expect(page.get_by_test_id("severity")).to_have_text("III · Significant")


def test_a_refused_action_is_told_in_words_beside_its_form_in_either_language(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = verified_crisis(commands)
    commands.classify(crisis, "II")
    commands.order(crisis, due_in=timedelta(hours=2))
    with open_incident(browser, live_server, tokens[Role.LEADERSHIP], crisis) as page:
        open_action(page, "resolve")
        page.get_by_test_id("resolve-resolution").select_option("fixed")
        page.get_by_test_id("resolve-summary").fill("Filters replaced")
        page.get_by_test_id("resolve-submit").click()
        error = page.get_by_test_id("resolve-error")
        expect(error).to_have_text("Refused: 1 order(s) are still open")
        expect(page.get_by_test_id("status")).to_have_text("Responding")
        scroll_to(page, "resolve-error")
        screenshot(page, "incident-refusal-wall-en")

        page.get_by_test_id("lang-switch").click()
        expect(error).to_have_text("尚有未完成的指令，不能办结。")


def test_personal_data_shows_to_leadership_and_is_masked_for_responders_and_auditors(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    report = {
        "kind": "complaint",
        "channel": "hotline",
        "category": "供水水质",
        "title": "自来水发黄，家里老人喝了肚子不舒服",
        "description": "韩女士称其母亲（82岁，独居3栋502）饮用后腹泻",
        "description_is_personal": True,
        "location": "阳光花园小区3栋",
        "reporter": {"name": "韩丽", "phone": "13744445555", "email": "hanli@example.com"},
    }
    complaint = commands.post(Role.INTAKE, "/api/incidents", report)["id"]
    commands.verify(complaint)
    crisis = verified_crisis(commands)
    commands.link(complaint, crisis)

    with open_incident(browser, live_server, tokens[Role.LEADERSHIP], complaint) as page:
        expect(page.get_by_test_id("reporter-name")).to_have_text("韩丽")
        expect(page.get_by_test_id("reporter-phone")).to_have_text("13744445555")
        expect(page.get_by_test_id("reporter-email")).to_have_text("hanli@example.com")
        expect(page.get_by_test_id("description")).to_have_text(report["description"])
        expect(page.get_by_test_id("parent-link")).to_have_text(
            "Turbidity alarm at pumping station 3"
        )

        # An administrator erases the reporter's data on request: the page follows.
        erase = {"reason": "本人依法申请删除个人信息"}
        commands.post(Role.ADMIN, f"/api/incidents/{complaint}/erase", erase)
        expect(page.get_by_test_id("reporter-erased")).to_have_text("Erased on request")
        expect(page.get_by_test_id("description")).to_have_text("(personal data erased)")
        expect(page.get_by_test_id("reporter-phone")).to_have_count(0)

    # The same report before its erasure, as a responder and an auditor read it.
    complaint_2 = commands.post(Role.INTAKE, "/api/incidents", report)["id"]
    seen = commands.incident_seen_by(Role.RESPONDER, complaint_2)
    assert seen["reporter"]["phone"] == "137****5555", "the API masks for responders"
    responder = tokens[Role.RESPONDER]
    with open_incident(browser, live_server, responder, complaint_2, viewport=PHONE) as page:
        expect(page.get_by_test_id("reporter-phone")).to_have_text("137****5555")
        expect(page.get_by_test_id("reporter-name")).to_have_text("韩*")
        expect(page.get_by_test_id("reporter-email")).to_have_text("h***@example.com")
        expect(page.get_by_test_id("description")).to_have_text(
            "(personal data, not shown to your role)"
        )
        assert "13744445555" not in page.content()
        scroll_to(page, "reporter")
        screenshot(page, "incident-masked-phone-en")
    with open_incident(
        browser, live_server, tokens[Role.AUDITOR], complaint_2, locale="zh-CN"
    ) as page:
        expect(page.get_by_test_id("reporter-phone")).to_have_text("137****5555")
        expect(page.get_by_test_id("description")).to_have_text("（个人信息，您的角色不可见）")
        assert "13744445555" not in page.content()


def test_an_unknown_incident_says_there_is_no_such_incident(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        log_in(page, live_server, tokens[Role.LEADERSHIP])
        page.goto(f"/incidents/{uuid.uuid4()}")
        gone = page.get_by_test_id("incident-gone")
        expect(gone).to_have_text(re.compile("^No such incident"), timeout=5000)
        expect(page.get_by_test_id("incident-body")).to_be_hidden()
        expect(page.get_by_test_id("connection-banner")).to_be_hidden()
        page.get_by_test_id("lang-switch").click()
        expect(gone).to_have_text(re.compile("^没有这个事件"))


def test_a_browser_is_told_why_its_socket_was_refused(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    """A close code reaches a browser only on an accepted socket: refused during
    the handshake it sees 1006 and cannot tell an unknown incident from a dead server."""
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        log_in(page, live_server, tokens[Role.LEADERSHIP])
        page.goto("/login")
        close_code = """path => new Promise(done => {
            const ws = new WebSocket(`ws://${location.host}${path}`);
            ws.onclose = event => done(event.code);
        })"""
        assert page.evaluate(close_code, f"/ws/incidents/{uuid.uuid4()}") == 4404
        assert page.evaluate(close_code, "/ws/incidents/not-an-id") == 4400
        assert page.evaluate(close_code, "/ws/board?after=abc") == 4400


def test_the_page_follows_the_incident_live_without_a_reload(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = verified_crisis(commands)
    commands.classify(crisis, "III")
    with open_incident(browser, live_server, tokens[Role.AUDITOR], crisis) as page:
        page.evaluate("window.sameDocument = true")
        expect(page.get_by_test_id("order")).to_have_count(0)
        expect(page.get_by_test_id("timeline-entry")).to_have_count(3)

        order = commands.order(crisis, due_in=timedelta(hours=2))
        shown = page.locator(f'[data-testid="order"][data-id="{order}"]')
        expect(shown.get_by_test_id("order-status")).to_have_text("Issued", timeout=1000)
        expect(page.get_by_test_id("version-slider")).to_have_attribute("max", "4")

        happened = datetime.now(UTC) - timedelta(minutes=20)
        update = {
            "note": "On scene at the pumping station, sampling",
            "status": "on_scene",
            "occurred_at": happened.isoformat(),
        }
        commands.post(Role.RESPONDER, f"/api/incidents/{crisis}/responses", update)
        posted = entry(page, 5)
        expect(posted.get_by_test_id("timeline-type")).to_have_text("Field update", timeout=2000)
        local = page.evaluate(
            "iso => new Date(iso).toTimeString().slice(0, 8)", happened.isoformat()
        )
        expect(posted.get_by_test_id("timeline-occurred")).to_have_text(f"happened at {local}")
        expect(page.get_by_test_id("last-update-text")).to_have_text(update["note"])

        progress = {"note": "3 of 5 points sampled", "percent": 60}
        path = f"/api/incidents/{crisis}/orders/{order}/progress"
        commands.post(Role.RESPONDER, path, progress)
        expect(shown.get_by_test_id("order-progress")).to_contain_text("60%", timeout=1000)
        assert page.evaluate("window.sameDocument") is True, "the page must not reload"


def test_a_chinese_browser_gets_chinese_labels_and_the_switch_turns_every_label_english(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    case = water_crisis(commands, resolved=False)
    leadership = tokens[Role.LEADERSHIP]
    with open_incident(browser, live_server, leadership, case.crisis, locale="zh-CN") as page:
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        expect(page.get_by_test_id("severity")).to_have_text("I级 特别重大")
        expect(page.get_by_test_id("status")).to_have_text("处置中")
        expect(page.get_by_test_id("order-status")).to_have_text("已下达")
        expect(page.get_by_test_id("logistics-status")).to_have_text("已送达")
        spokesperson = page.locator('[data-testid="role"][data-role="spokesperson"]')
        expect(spokesperson).to_contain_text("新闻发言人")
        expect(page.get_by_test_id("statement")).to_contain_text("官方公众号")
        ordered = entry(page, case.versions["ordered"])
        expect(ordered.get_by_test_id("timeline-type")).to_have_text("下达指令")
        expect(ordered.get_by_test_id("timeline-summary")).to_contain_text("向 水质检测中心")
        expect(page.get_by_test_id("timeline-occurred")).to_have_text(re.compile("^实际发生于"))
        expect(page.get_by_test_id("action-issue_order")).to_contain_text("下达指令")
        expect(page.get_by_test_id("phase-first_order")).not_to_contain_text("—")
        screenshot(page, "incident-wall-zh")
        page.set_viewport_size(PHONE)
        screenshot(page, "incident-phone-zh", full_page=True)
        page.set_viewport_size(WALL)

        page.get_by_test_id("lang-switch").click()
        expect(page.get_by_test_id("severity")).to_have_text("I · Extraordinary")
        expect(page.get_by_test_id("status")).to_have_text("Responding")
        expect(ordered.get_by_test_id("timeline-type")).to_have_text("Order issued")
        expect(ordered.get_by_test_id("timeline-summary")).to_contain_text("to 水质检测中心")
        open_action(page, "publish_statement")
        assert_no_chinese_outside_user_data(page)
        screenshot(page, "incident-wall-en")
        page.set_viewport_size(PHONE)
        screenshot(page, "incident-phone-en", full_page=True)


def test_leadership_records_the_review_of_a_closed_crisis_and_completes_an_improvement(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = verified_crisis(commands)
    commands.classify(crisis, "III")
    commands.resolve_and_close(crisis, [commands.order(crisis, due_in=timedelta(hours=2))])
    with open_incident(browser, live_server, tokens[Role.LEADERSHIP], crisis) as page:
        expect(page.get_by_test_id("status")).to_have_text("Closed")
        expect(page.get_by_test_id("action-issue_order")).to_be_hidden()
        open_action(page, "record_review")
        page.get_by_test_id("record_review-root_cause").fill("Filter maintenance interval too long")
        page.get_by_test_id("record_review-lessons").fill("Watch turbidity trends, not only alarms")
        due = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
        for row, (what, owner) in enumerate(
            [
                ("Halve the filter maintenance interval", "Plant engineers"),
                ("Add a turbidity trend alert", "Monitoring team"),
            ]
        ):
            page.get_by_test_id(f"record_review-actions-{row}-description").fill(what)
            page.get_by_test_id(f"record_review-actions-{row}-owner").fill(owner)
            page.get_by_test_id(f"record_review-actions-{row}-due").fill(due)
        page.get_by_test_id("record_review-submit").click()
        expect(page.get_by_test_id("status")).to_have_text("Reviewed", timeout=2000)
        expect(page.get_by_test_id("review-root-cause")).to_have_text(
            "Filter maintenance interval too long"
        )
        improvements = page.get_by_test_id("improvement")
        expect(improvements).to_have_count(2)

        open_action(page, "complete_improvement")
        page.get_by_test_id("complete_improvement-action").select_option(index=1)
        page.get_by_test_id("complete_improvement-note").fill("Interval set to 3 months")
        page.get_by_test_id("complete_improvement-submit").click()
        expect(page.locator('[data-testid="improvement"][data-done="true"]')).to_have_count(1)
        expect(page.get_by_test_id("complete_improvement-action").locator("option")).to_have_count(
            2
        )
        scroll_to(page, "review-panel")
        screenshot(page, "incident-review-wall-en")
