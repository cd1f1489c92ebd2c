"""The orders page in a real browser: a responder on a 375 px phone working their orders,
and logistics staff working the request queue, against a real `icc serve` process.

Orders are issued and cancelled through the HTTP API by leadership, as the incident
page would; the leadership board watches in a second browser. Screenshots land in
test-artifacts/.
"""

import re
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from domain.vocabulary import Role
from tests.browser.pages import (
    PHONE,
    WALL,
    Commands,
    assert_no_chinese_outside_user_data,
    log_in,
    missing_labels,
    open_live,
    open_page,
    screenshot,
)
from tests.conftest import LiveServer
from tests.helpers import wait_until

RESPONDER = "responder-user"  # the responder's user name (tests/conftest.py's `tokens`)
RED = "rgb(255, 45, 63)"  # an overdue card's border


def open_orders(
    browser: Browser,
    server: LiveServer,
    token: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = PHONE,
) -> AbstractContextManager[Page]:
    return open_live(browser, server, token, "/orders", locale=locale, viewport=viewport)


def water_crisis(commands: Commands) -> str:
    """The estate's water crisis (SCENARIOS.md, 1): reported by monitoring, verified, graded II."""
    crisis = commands.report("阳光花园自来水发黄有异味", kind="crisis", location="阳光花园5号楼")
    commands.verify(crisis)
    commands.classify(crisis, "II")
    return crisis


def order_card(page: Page, order_id: str) -> Locator:
    return page.locator(f'[data-testid="order-card"][data-id="{order_id}"]')


def queue_card(page: Page, request_id: str) -> Locator:
    return page.locator(f'[data-testid="queue-card"][data-id="{request_id}"]')


def assert_fits_a_phone(page: Page) -> None:
    """No sideways scrolling at 375 px, and every control in the page a thumb can hit."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways: {width} px wide"
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                'main button, main select, main textarea, main input:not([type=checkbox])')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.dataset.testid, el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert not small, f"tap targets under 44 px high: {small}"


def local_input(page: Page, minutes_from_now: int) -> str:
    """A datetime-local value for the browser's own clock and zone."""
    value: str = page.evaluate(
        """(minutes) => {
            const d = new Date(Date.now() + minutes * 60000);
            const p = (n) => String(n).padStart(2, '0');
            return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}` +
                   `T${p(d.getHours())}:${p(d.getMinutes())}`;
        }""",
        minutes_from_now,
    )
    return value


# --------------------------------------------------------------------------- the tests


def test_a_responder_on_a_phone_acknowledges_and_completes_in_two_taps_and_the_board_follows(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(
        crisis, RESPONDER, "到5号楼取水样并送检", due_in=timedelta(hours=2)
    )
    commands.order_to(crisis, "Water quality lab", "Sample five points", due_in=timedelta(hours=3))

    with (
        open_page(browser, live_server, locale="en-US", viewport=WALL) as board,
        open_orders(browser, live_server, tokens[Role.RESPONDER]) as page,
    ):
        log_in(board, live_server, tokens[Role.LEADERSHIP])
        board.goto("/")
        open_orders_on_board = board.locator(
            f'[data-testid="incident-card"][data-id="{crisis}"] [data-testid="open-orders"]'
        )
        expect(open_orders_on_board).to_have_text("2 open orders", timeout=5000)

        card = order_card(page, order_id)
        expect(card).to_be_visible()
        expect(page.get_by_test_id("order-card")).to_have_count(1)  # only my own orders
        expect(card.get_by_test_id("order-title")).to_have_text("阳光花园自来水发黄有异味")
        expect(card.get_by_test_id("order-instruction")).to_have_text("到5号楼取水样并送检")
        expect(card.get_by_test_id("order-severity")).to_have_text("II · Major")
        expect(card.get_by_test_id("order-state")).to_have_text("Issued")
        expect(card.get_by_test_id("order-countdown")).to_have_text(
            re.compile(r"^due in 1:59:\d\d$")
        )
        first = card.get_by_test_id("order-countdown").inner_text()
        expect(card.get_by_test_id("order-countdown")).not_to_have_text(first, timeout=2500)
        assert_fits_a_phone(page)
        screenshot(page, "orders-responder-phone-en")

        card.get_by_test_id("order-acknowledge").click()  # tap 1: acknowledged
        expect(card.get_by_test_id("order-state")).to_have_text("Acknowledged", timeout=2000)
        expect(card.get_by_test_id("order-notice")).to_have_text("Acknowledged.")
        expect(card.get_by_test_id("order-acknowledge")).to_have_count(0)

        card.get_by_test_id("order-complete").click()  # tap 1 of completing
        outcome = card.get_by_test_id("complete-outcome")
        expect(outcome).to_have_value("Done as instructed.")
        assert_fits_a_phone(page)
        screenshot(page, "orders-complete-form-phone-en")
        card.get_by_test_id("complete-submit").click()  # tap 2: done

        expect(card).to_have_count(0, timeout=2000)
        expect(page.get_by_test_id("orders-empty")).to_have_text("No open orders")
        expect(open_orders_on_board).to_have_text("1 open order", timeout=1000)

        page.evaluate("window.sameDocument = true")
        later = commands.order_to(crisis, RESPONDER, "回访5号楼居民", due_in=timedelta(hours=1))
        expect(order_card(page, later)).to_be_visible(timeout=1000)
        expect(page.get_by_test_id("orders-empty")).to_be_hidden()
        assert page.evaluate("window.sameDocument"), "the new order came without a reload"


def test_an_order_turns_overdue_when_its_deadline_passes_with_no_new_event(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(crisis, RESPONDER, "向居民发放瓶装水", due_in=timedelta(seconds=3))
    with open_orders(browser, live_server, tokens[Role.RESPONDER]) as page:
        card = order_card(page, order_id)
        expect(card.get_by_test_id("order-countdown")).to_have_text(re.compile(r"^due in 0:0\d$"))
        expect(card).to_have_attribute("data-overdue", "false")
        expect(card.get_by_test_id("order-overdue")).to_be_hidden()

        expect(card).to_have_attribute("data-overdue", "true", timeout=5000)
        expect(card.get_by_test_id("order-overdue")).to_have_text("Overdue")
        expect(card.get_by_test_id("order-countdown")).to_have_text(
            re.compile(r"^overdue by 0:0\d$")
        )
        expect(card).to_have_css("border-left-color", RED)
        screenshot(page, "orders-overdue-phone-en")


def test_a_late_field_update_keeps_when_it_really_happened_and_a_future_time_is_refused(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(crisis, RESPONDER, "排查5号楼管网", due_in=timedelta(hours=1))
    with open_orders(browser, live_server, tokens[Role.RESPONDER]) as page:
        card = order_card(page, order_id)
        card.get_by_test_id("order-update").click()
        form = card.get_by_test_id("update-form")
        form.get_by_test_id("update-status").select_option("on_scene")
        form.get_by_test_id("update-note").fill("已到达现场，5号楼水箱浑浊")
        form.get_by_test_id("update-customer-contacted").check()

        form.get_by_test_id("update-occurred-at").fill(local_input(page, 120))
        form.get_by_test_id("update-submit").click()
        expect(card.get_by_test_id("order-error")).to_have_text(
            re.compile("Check the input: .*future")
        )
        expect(form.get_by_test_id("update-occurred-at")).to_have_attribute("aria-invalid", "true")

        # Posted late from a basement without signal: it happened 25 minutes ago.
        happened = local_input(page, -25)
        form.get_by_test_id("update-occurred-at").fill(happened)
        expect(form.get_by_test_id("update-occurred-at")).to_have_attribute("aria-invalid", "false")
        assert_fits_a_phone(page)
        screenshot(page, "orders-update-form-phone-en")
        form.get_by_test_id("update-submit").click()
        expect(card.get_by_test_id("order-notice")).to_have_text("Update posted.")
        expect(card.get_by_test_id("order-error")).to_be_hidden()
        expect(form).to_have_count(0)

        def posted_updates() -> list[dict[str, Any]]:
            entries = commands.timeline(crisis)["entries"]
            return [e for e in entries if e["type"] == "ResponsePosted"]

        assert wait_until(lambda: bool(posted_updates())), "the timeline never showed the update"
        (posted,) = posted_updates()
        occurred = datetime.fromisoformat(posted["occurred_at"])
        recorded = datetime.fromisoformat(posted["at"])
        behind_utc = page.evaluate("new Date().getTimezoneOffset()")  # minutes
        typed = datetime.fromisoformat(happened) + timedelta(minutes=behind_utc)
        assert occurred.astimezone(UTC).replace(tzinfo=None) == typed
        assert timedelta(minutes=24) < recorded - occurred < timedelta(minutes=26)


def test_a_responder_requests_logistics_and_logistics_staff_allocate_deliver_and_decline(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(
        crisis, RESPONDER, "向阳光花园居民发放瓶装水", due_in=timedelta(hours=1)
    )
    with open_orders(browser, live_server, tokens[Role.RESPONDER]) as page:
        card = order_card(page, order_id)
        card.get_by_test_id("order-request").click()
        form = card.get_by_test_id("request-form")
        expect(form.get_by_test_id("request-purpose")).to_have_value("向阳光花园居民发放瓶装水")
        form.get_by_test_id("request-resource").select_option("supplies")
        form.get_by_test_id("request-item").fill("瓶装水（箱）")
        form.get_by_test_id("request-quantity").fill("200")
        assert_fits_a_phone(page)
        screenshot(page, "orders-request-form-phone-en")
        form.get_by_test_id("request-submit").click()
        expect(card.get_by_test_id("order-notice")).to_have_text("Logistics requested.")

    generators = commands.request_logistics(
        crisis, resource="vehicles", item="送水车", quantity=2, purpose="备用"
    )
    with open_orders(browser, live_server, tokens[Role.LOGISTICS]) as page:
        expect(page.get_by_test_id("queue-card")).to_have_count(2)
        expect(page.get_by_test_id("orders-empty")).to_have_text("No open orders")
        water = page.get_by_test_id("queue-card").filter(has_text="瓶装水（箱）")
        expect(water.get_by_test_id("queue-quantity")).to_have_text("× 200")
        expect(water.get_by_test_id("queue-state")).to_have_text("Requested")
        expect(water.get_by_test_id("queue-resource")).to_have_text("Supplies")
        expect(water.get_by_test_id("queue-countdown")).to_have_text(re.compile(r"^needed in"))
        expect(water.get_by_test_id("queue-deliver")).to_have_count(0)  # not allocated yet

        water.get_by_test_id("queue-allocate").click()
        expect(water.get_by_test_id("allocate-quantity")).to_have_value("200")
        water.get_by_test_id("allocate-source").fill("2号仓库")
        assert_fits_a_phone(page)
        screenshot(page, "orders-queue-allocate-phone-en")
        water.get_by_test_id("allocate-submit").click()
        expect(water.get_by_test_id("queue-state")).to_have_text("Allocated", timeout=2000)
        expect(water.get_by_test_id("queue-allocation")).to_have_text("200 allocated from 2号仓库")
        expect(water.get_by_test_id("queue-notice")).to_have_text("Allocated.")

        water.get_by_test_id("queue-deliver").click()
        water.get_by_test_id("deliver-submit").click()
        expect(water).to_have_count(0, timeout=2000)  # bottled water is used up: settled

        vehicles = queue_card(page, generators)
        vehicles.get_by_test_id("queue-decline").click()
        vehicles.get_by_test_id("decline-submit").click()  # no reason given
        expect(vehicles.get_by_test_id("queue-error")).to_have_text(re.compile("Check the input"))
        expect(vehicles.locator('[data-error-for="note"]')).to_be_visible()
        vehicles.get_by_test_id("decline-note").fill("送水车均在其他片区，改用瓶装水")
        vehicles.get_by_test_id("decline-submit").click()
        expect(vehicles).to_have_count(0, timeout=2000)
        expect(page.get_by_test_id("queue-empty")).to_have_text("No logistics requests to act on")


def test_completing_an_order_that_leadership_cancelled_meanwhile_is_refused_in_words(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(crisis, RESPONDER, "关闭5号楼进水阀", due_in=timedelta(hours=1))
    with open_orders(browser, live_server, tokens[Role.RESPONDER]) as page:
        card = order_card(page, order_id)
        card.get_by_test_id("order-complete").click()
        expect(card.get_by_test_id("complete-form")).to_be_visible()

        commands.cancel_order(crisis, order_id, "改由水厂工程组处理")
        # The card stays under the responder's finger, saying it is no longer theirs.
        expect(card.get_by_test_id("order-gone")).to_have_text(
            re.compile("no longer open for you"), timeout=2000
        )
        card.get_by_test_id("complete-submit").click()
        expect(card.get_by_test_id("order-error")).to_have_text(
            "Refused: the order is already cancelled"
        )
        screenshot(page, "orders-refused-phone-en")

        card.get_by_test_id("complete-cancel").click()
        expect(card).to_have_count(0)
        expect(page.get_by_test_id("orders-empty")).to_have_text("No open orders")


def test_the_page_speaks_chinese_with_every_label_and_english_with_no_chinese_label(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = water_crisis(commands)
    order_id = commands.order_to(
        crisis, RESPONDER, "到5号楼取水样并送检", due_in=timedelta(hours=2)
    )
    commands.order_to(crisis, "水厂工程组", "检查过滤线", due_in=timedelta(minutes=10))
    commands.request_logistics(
        crisis, resource="supplies", item="瓶装水（箱）", quantity=200, purpose="居民饮用"
    )

    with open_orders(browser, live_server, tokens[Role.RESPONDER], locale="zh-CN") as page:
        card = order_card(page, order_id)
        expect(card.get_by_test_id("order-acknowledge")).to_have_text("签收")
        expect(card.get_by_test_id("order-countdown")).to_have_text(re.compile(r"^剩余 1:59:"))
        expect(page.get_by_test_id("orders-heading")).to_have_text("我的在办指令")
        card.get_by_test_id("order-update").click()
        expect(card.get_by_test_id("update-submit")).to_have_text("提交现场情况")
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        assert_fits_a_phone(page)
        screenshot(page, "orders-responder-phone-zh", full_page=True)

        page.get_by_test_id("lang-switch").click()
        expect(card.get_by_test_id("update-submit")).to_have_text("Send update")
        expect(card.get_by_test_id("update-status")).to_contain_text("On scene")
        assert_no_chinese_outside_user_data(page)
        assert_fits_a_phone(page)
        screenshot(page, "orders-responder-update-phone-en", full_page=True)

    # Leadership on a desk sees everyone's open orders beside the logistics queue.
    with open_orders(
        browser, live_server, tokens[Role.LEADERSHIP], locale="zh-CN", viewport=WALL
    ) as page:
        expect(page.get_by_test_id("order-card")).to_have_count(2)
        expect(page.get_by_test_id("queue-card")).to_have_count(1)
        expect(page.get_by_test_id("order-assignee").first).to_have_text("水厂工程组")
        page.get_by_test_id("queue-allocate").click()
        expect(page.get_by_test_id("allocate-submit")).to_have_text("确认调配")
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        screenshot(page, "orders-leadership-wall-zh")
        page.get_by_test_id("lang-switch").click()
        expect(page.get_by_test_id("allocate-submit")).to_have_text("Confirm allocation")
        assert_no_chinese_outside_user_data(page)
        screenshot(page, "orders-leadership-wall-en")


def test_a_role_without_orders_is_told_so_in_words(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=PHONE) as page:
        log_in(page, live_server, tokens[Role.AUDITOR])
        page.goto("/orders")
        expect(page.get_by_test_id("not-for-role")).to_have_text(
            "This page is not for the Auditor role."
        )
