"""Logging in leads each role to its own page, and back to the page a link asked for."""

import pytest
from playwright.sync_api import Browser, Page, expect

from domain.vocabulary import Role
from tests.browser.pages import WALL, Commands, open_page, screenshot
from tests.conftest import LiveServer

HOME = {
    Role.LEADERSHIP: "/",
    Role.INTAKE: "/intake",
    Role.RESPONDER: "/orders",
    Role.LOGISTICS: "/orders",
    Role.SPOKESPERSON: "/",
    Role.AUDITOR: "/figures",
}


def sign_in(page: Page, token: str) -> None:
    page.get_by_test_id("login-token").fill(token)
    page.get_by_test_id("login-submit").click()


@pytest.mark.parametrize("role", list(HOME), ids=lambda role: role.value)
def test_each_role_lands_on_its_own_page_and_can_log_out_there(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], role: Role
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        page.goto("/login")
        sign_in(page, tokens[role])
        page.wait_for_url(f"{live_server.url}{HOME[role]}", timeout=5000)
        expect(page.get_by_test_id("connection-state")).to_have_attribute(
            "data-state", "live", timeout=5000
        )
        expect(page.get_by_test_id("user")).to_contain_text(f"{role.value}-user")
        expect(page.get_by_test_id("not-for-role")).to_have_count(0)

        page.get_by_test_id("logout").click()
        page.wait_for_url(f"{live_server.url}/login", timeout=5000)
        assert page.context.cookies() == []


def test_a_link_followed_while_logged_out_opens_after_logging_in(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    incident = commands.report("Sunny Garden: yellow water")
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        page.goto(f"/incidents/{incident}")
        page.wait_for_url(f"{live_server.url}/login?next=%2Fincidents%2F{incident}", timeout=5000)
        screenshot(page, "login-from-link")
        sign_in(page, tokens[Role.AUDITOR])
        page.wait_for_url(f"{live_server.url}/incidents/{incident}", timeout=5000)


def test_a_next_page_on_another_site_is_ignored(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        for elsewhere in ("//example.org/", "/\\example.org/", "https://example.org/"):
            page.goto(f"/login?next={elsewhere}")
            sign_in(page, tokens[Role.INTAKE])
            page.wait_for_url(f"{live_server.url}/intake", timeout=5000)
            page.context.clear_cookies()


def test_a_page_not_meant_for_the_role_says_so_and_offers_the_way_home(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="zh-CN", viewport=WALL) as page:
        page.goto("/login")
        sign_in(page, tokens[Role.RESPONDER])
        page.wait_for_url(f"{live_server.url}/orders", timeout=5000)
        page.goto("/figures")
        expect(page.get_by_test_id("not-for-role")).to_have_text("此页面不对应急处置开放。")
        page.get_by_test_id("go-home").click()
        page.wait_for_url(f"{live_server.url}/orders", timeout=5000)
