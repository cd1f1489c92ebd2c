"""The login page and the leadership wall board in a real browser (Debian's Chromium).

Each test runs against a real `icc serve` process (the `live_server` fixture) and
drives the pages as a person would; commands go in through the HTTP API, as the
other pages and people would send them. Screenshots land in test-artifacts/.
"""

import json
import os
import re
import signal
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize, WebSocketRoute, expect

from app.config import Settings
from domain.vocabulary import Role
from tests.browser.pages import (
    CLOCK_TIME,
    PHONE,
    WALL,
    Commands,
    assert_no_chinese_outside_user_data,
    missing_labels,
    open_live,
    open_page,
    screenshot,
)
from tests.conftest import LiveServer

# Severity colours as the board paints them (the left edge of a card).
ORANGE = "rgb(249, 115, 22)"


def open_board(
    browser: Browser,
    server: LiveServer,
    token: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = WALL,
) -> AbstractContextManager[Page]:
    return open_live(browser, server, token, "/", locale=locale, viewport=viewport)


def card(page: Page, incident_id: str) -> Any:
    return page.locator(f'[data-testid="incident-card"][data-id="{incident_id}"]')


def water_crisis(commands: Commands) -> dict[str, Any]:
    """A graded crisis with three linked complaints and an order about to fall overdue,
    a second graded incident, and two ungraded reports: a realistic wall."""
    crisis = commands.report("Turbidity alarm at pumping station 3", kind="crisis")
    commands.verify(crisis)
    commands.classify(crisis, "I")
    linked = []
    for words in ("Yellow water with a smell", "Low pressure, sediment", "Rusty taste"):
        complaint = commands.report(f"Sunny Garden: {words}")
        commands.verify(complaint)
        commands.link(complaint, crisis)
        linked.append(complaint)
    orders = [
        commands.order(crisis, due_in=timedelta(seconds=2)),
        commands.order(crisis, due_in=timedelta(hours=2)),
    ]
    signals = commands.report("Traffic lights out after the storm", kind="crisis")
    commands.verify(signals)
    commands.classify(signals, "II")
    commands.order(signals, due_in=timedelta(minutes=40))
    rumour = commands.report("Rumour online: the water works was poisoned")
    loose = commands.report("Sunny Garden: no water since 6 am")
    return {
        "crisis": crisis,
        "orders": orders,
        "linked": linked,
        "signals": signals,
        "ungraded": [rumour, loose],
    }


# --------------------------------------------------------------------------- the tests


def test_a_wrong_token_is_refused_and_the_leadership_token_opens_the_board_until_logout(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        page.goto("/login")
        expect(page.get_by_test_id("login-submit")).to_have_text("Sign in")
        screenshot(page, "login-wall")

        page.get_by_test_id("login-token").fill("icc_not-a-real-token")
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("login-error")).to_have_text(re.compile("Unknown token"))
        assert page.url == f"{live_server.url}/login"
        assert page.context.cookies() == [], "a refused token must set no session"
        screenshot(page, "login-error-wall")
        page.set_viewport_size(PHONE)
        screenshot(page, "login-error-phone")
        page.set_viewport_size(WALL)

        page.get_by_test_id("login-token").fill(tokens[Role.LEADERSHIP])
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(f"{live_server.url}/", timeout=5000)
        expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "live")
        expect(page.get_by_test_id("user")).to_have_text("leadership-user · Leadership")
        (session,) = page.context.cookies()
        assert session["httpOnly"], "the page's script must not be able to read the token"

        page.get_by_test_id("logout").click()
        page.wait_for_url(f"{live_server.url}/login", timeout=5000)
        page.goto("/")
        page.wait_for_url(f"{live_server.url}/login", timeout=5000)
        expect(page.get_by_test_id("login-token")).to_be_visible()


def test_the_board_shows_a_new_report_and_its_grading_within_a_second_without_a_reload(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    with open_board(browser, live_server, tokens[Role.LEADERSHIP]) as page:
        expect(page.get_by_test_id("board-message")).to_have_text("No open incidents")
        expect(page.get_by_test_id("totals-open")).to_have_text("0")
        page.evaluate("window.sameDocument = true")

        incident = commands.report("Brown water at block 5", location="Sunny Garden, block 5")
        shown = card(page, incident)
        expect(shown).to_be_visible(timeout=1000)
        expect(shown.get_by_test_id("status")).to_have_text("Reported")
        expect(shown.get_by_test_id("severity")).to_have_text("Ungraded")
        expect(page.get_by_test_id("totals-open")).to_have_text("1")

        commands.verify(incident)
        expect(shown.get_by_test_id("status")).to_have_text("Verified", timeout=1000)

        commands.classify(incident, "II")
        expect(shown.get_by_test_id("severity")).to_have_text("II · Major", timeout=1000)
        expect(shown).to_have_attribute("data-severity", "II")
        expect(shown.get_by_test_id("kind")).to_have_text("Crisis")
        expect(shown).to_have_css("border-left-color", ORANGE)
        expect(page.get_by_test_id("totals-severity-II").locator("b")).to_have_text("1")
        assert page.evaluate("window.sameDocument") is True, "the page must not reload"


def test_an_order_turns_overdue_on_screen_when_its_deadline_passes_with_no_new_event(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    incident = commands.report("No water pressure in block 7")
    commands.verify(incident)
    with open_board(browser, live_server, tokens[Role.LEADERSHIP]) as page:
        messages: list[str | bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda m: messages.append(m)))
        page.reload()  # so that the board's socket is the one we listen to
        expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "live")

        commands.order(incident, due_in=timedelta(seconds=3))
        shown = card(page, incident)
        expect(shown.get_by_test_id("open-orders")).to_have_text("1 open order", timeout=1000)
        expect(shown.get_by_test_id("countdown")).to_have_text(re.compile(r"^due in 0:0\d$"))
        expect(shown.get_by_test_id("overdue-count")).to_have_count(0)
        expect(page.get_by_test_id("totals-overdue")).to_have_text("0")
        messages_before = len(messages)

        expect(shown.get_by_test_id("overdue-count")).to_have_text("1 overdue", timeout=6000)
        expect(shown.get_by_test_id("countdown")).to_have_text(re.compile(r"^overdue by 0:0\d$"))
        expect(page.get_by_test_id("totals-overdue")).to_have_text("1")
        # No event was stored: at most the server's clock pushed the recounted row.
        pushed = [json.loads(m) for m in messages[messages_before:]]
        assert all((m["type"], m["reason"]) == ("row", "overdue") for m in pushed), pushed
        screenshot(page, "board-order-overdue")


def test_losing_the_server_shows_reconnecting_and_the_last_update_then_live_again(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    before = commands.report("Reported before the outage")
    with open_board(browser, live_server, tokens[Role.LEADERSHIP]) as page:
        expect(card(page, before)).to_be_visible()
        state = page.get_by_test_id("connection-state")
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))

        live_server.stop()
        expect(state).to_have_attribute("data-state", "reconnecting", timeout=5000)
        expect(page.get_by_test_id("connection-label")).to_have_text("Reconnecting…")
        expect(page.get_by_test_id("last-update")).to_have_text(
            re.compile(rf"^Last update at {CLOCK_TIME}$")
        )
        expect(page.get_by_test_id("connection-banner")).to_have_text(
            re.compile(rf"Connection lost.*{CLOCK_TIME}")
        )
        expect(page.locator("body")).to_have_class(re.compile(r"\bnot-live\b"))
        expect(card(page, before)).to_be_visible()  # still shown, greyed out
        screenshot(page, "board-reconnecting-wall")

        live_server.start()
        during = commands.report("Reported as the server came back")
        expect(state).to_have_attribute("data-state", "live", timeout=10_000)
        expect(page.get_by_test_id("connection-label")).to_have_text("Live")
        expect(page.get_by_test_id("last-update")).to_be_hidden()
        expect(page.get_by_test_id("connection-banner")).to_be_hidden()
        expect(card(page, during)).to_be_visible(timeout=1000)
        expect(card(page, before)).to_be_visible()
        # It resumed after the last position it had shown, rather than starting over.
        assert sockets and all("?after=" in url for url in sockets), sockets


def test_a_server_that_goes_silent_is_taken_for_dead_and_the_board_says_so(
    browser: Browser, settings: Settings, tokens: dict[Role, str]
) -> None:
    """A hung server keeps its connections open and sends nothing: without the
    heartbeat the board would look live for ever."""
    server = LiveServer(settings.sqlite_path, ICC_HEARTBEAT="0.5")
    server.start()
    try:
        with open_board(browser, server, tokens[Role.LEADERSHIP]) as page:
            state = page.get_by_test_id("connection-state")
            assert server.process is not None
            os.kill(server.process.pid, signal.SIGSTOP)
            try:
                expect(state).not_to_have_attribute("data-state", "live", timeout=4000)
            finally:
                os.kill(server.process.pid, signal.SIGCONT)
            expect(state).to_have_attribute("data-state", "live", timeout=10_000)
    finally:
        server.stop()


def test_a_chinese_browser_gets_chinese_labels_and_the_switch_turns_every_label_english(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    scenario = water_crisis(commands)
    with open_board(browser, live_server, tokens[Role.LEADERSHIP], locale="zh-CN") as page:
        crisis = card(page, scenario["crisis"])
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(page.get_by_test_id("connection-label")).to_have_text("实时")
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        expect(page.get_by_test_id("logout")).to_have_text("退出登录")
        expect(page.get_by_test_id("lang-switch")).to_have_text("English")
        expect(page.get_by_test_id("totals").get_by_text("在办事件")).to_be_visible()
        expect(page.get_by_test_id("user")).to_have_text("leadership-user · 领导小组")
        expect(crisis.get_by_test_id("severity")).to_have_text("I级 特别重大")
        expect(crisis.get_by_test_id("overdue-count")).to_have_text("逾期 1", timeout=5000)
        screenshot(page, "board-wall-zh")
        page.set_viewport_size(PHONE)
        screenshot(page, "board-phone-zh", full_page=True)
        page.set_viewport_size(WALL)

        page.get_by_test_id("lang-switch").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id("connection-label")).to_have_text("Live")
        expect(page.get_by_test_id("logout")).to_have_text("Log out")
        expect(page.get_by_test_id("lang-switch")).to_have_text("中文")
        expect(crisis.get_by_test_id("severity")).to_have_text("I · Extraordinary")
        expect(crisis.get_by_test_id("overdue-count")).to_have_text("1 overdue")
        assert_no_chinese_outside_user_data(page)
        screenshot(page, "board-wall-en")

        page.reload()  # the choice is remembered
        expect(page.get_by_test_id("connection-label")).to_have_text("Live")
        expect(page.get_by_test_id("logout")).to_have_text("Log out")
        assert_no_chinese_outside_user_data(page)


def test_complaints_linked_to_a_crisis_are_grouped_inside_its_card_in_wall_order(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    scenario = water_crisis(commands)
    with open_board(browser, live_server, tokens[Role.LEADERSHIP]) as page:
        crisis = card(page, scenario["crisis"])
        expect(crisis.get_by_test_id("linked-reports")).to_contain_text("3 linked reports")
        expect(crisis.get_by_test_id("linked-title")).to_have_text(
            [
                "Sunny Garden: Yellow water with a smell",
                "Sunny Garden: Low pressure, sediment",
                "Sunny Garden: Rusty taste",
            ]
        )
        for complaint in scenario["linked"]:
            expect(card(page, complaint)).to_have_count(0)  # not top-level cards of their own
        order = [scenario["crisis"], scenario["signals"], *scenario["ungraded"]]
        cards = page.get_by_test_id("incident-card")
        expect(cards).to_have_count(4)
        assert [cards.nth(i).get_attribute("data-id") for i in range(4)] == order
        expect(page.get_by_test_id("totals-open")).to_have_text("7")
        expect(page.get_by_test_id("totals-open-orders")).to_have_text("3")
        expect(page.get_by_test_id("totals-overdue")).to_have_text("1", timeout=5000)
        expect(crisis.get_by_test_id("overdue-count")).to_have_text("1 overdue")
        page.set_viewport_size(PHONE)
        screenshot(page, "board-phone-en", full_page=True)
        page.set_viewport_size(WALL)

        # The crisis closes: it leaves the board, and its reports stand on their own.
        commands.resolve_and_close(scenario["crisis"], scenario["orders"])
        expect(crisis).to_have_count(0, timeout=1000)
        for complaint in scenario["linked"]:
            expect(card(page, complaint)).to_be_visible()
        expect(page.get_by_test_id("totals-open")).to_have_text("6")
        expect(page.get_by_test_id("totals-severity-I").locator("b")).to_have_text("0")


def test_a_stale_board_says_so_and_never_looks_live(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    incident = commands.report("Reported while the board view lags")
    with open_page(browser, live_server, locale="zh-CN", viewport=WALL) as page:
        # The real socket, with every snapshot saying what a lagging server says.
        def lagging(ws: WebSocketRoute) -> None:
            server = ws.connect_to_server()

            def forward(message: str | bytes) -> None:
                data = json.loads(message)
                ws.send(
                    json.dumps({**data, "stale": True}) if data["type"] == "snapshot" else message
                )

            server.on_message(forward)

        page.context.route_web_socket(re.compile(r"/ws/board$"), lagging)
        page.context.request.post(
            f"{live_server.url}/api/session", data={"token": tokens[Role.LEADERSHIP]}
        )
        page.goto("/")

        state = page.get_by_test_id("connection-state")
        expect(state).to_have_attribute("data-state", "stale", timeout=5000)
        expect(page.get_by_test_id("connection-label")).to_have_text("数据滞后")
        expect(page.get_by_test_id("connection-banner")).to_contain_text("数据已滞后")
        expect(page.locator("body")).to_have_class(re.compile(r"\bnot-live\b"))
        expect(card(page, incident)).to_be_visible()
        assert "实时" not in page.get_by_test_id("connection-state").inner_text()
        screenshot(page, "board-stale-wall")
