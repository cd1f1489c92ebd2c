"""The intake desk (/intake) in a real browser: a hotline call registered through the
form, the work list kept current by the board's socket (verify, dismiss, link to a
crisis), the customer told and called back, refusals said in words, both languages.

Each test runs against a real `icc serve` (the `live_server` fixture); what other
people do meanwhile goes in through the HTTP API. Screenshots land in test-artifacts/.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from domain.vocabulary import Role
from tests.browser.pages import (
    PHONE,
    Commands,
    assert_no_chinese_outside_user_data,
    log_in,
    missing_labels,
    open_page,
    screenshot,
)
from tests.conftest import LiveServer

DESKTOP: ViewportSize = {"width": 1440, "height": 900}


@contextmanager
def open_intake(
    browser: Browser,
    server: LiveServer,
    token: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = DESKTOP,
) -> Iterator[Page]:
    """A fresh browser profile, logged in, showing the desk with its work list loaded;
    fails the test on a script error or a console error (other than a refused request)."""
    with open_page(browser, server, locale=locale, viewport=viewport) as page:
        console_errors: list[str] = []
        page.on(
            "console",
            lambda message: (
                console_errors.append(message.text)
                if message.type == "error" and "Failed to load resource" not in message.text
                else None
            ),
        )
        log_in(page, server, token)
        page.goto("/intake")
        expect(page.get_by_test_id("connection-state")).to_have_attribute(
            "data-state", "live", timeout=5000
        )
        expect(page.get_by_test_id("work-sections")).to_be_visible()
        yield page
        assert not console_errors, f"the page logged errors: {console_errors}"


def item(page: Page, incident_id: str) -> Locator:
    return page.locator(f'[data-testid="work-item"][data-id="{incident_id}"]')


def row_of(commands: Commands, incident_id: str) -> dict[str, Any] | None:
    return next((row for row in commands.board_rows() if row["id"] == incident_id), None)


def water_surge(commands: Commands) -> dict[str, str]:
    """Scenario 1 as intake meets it: a crisis from monitoring, verified and graded,
    a verified complaint, two calls waiting, and a resolved health-insurance case."""
    crisis = commands.report("泵站3号浊度报警", kind="crisis", location="阳光花园泵站")
    commands.verify(crisis)
    commands.classify(crisis, "III")
    verified = commands.report("阳光花园3栋自来水发黄有异味")
    commands.verify(verified)
    waiting = commands.report("阳光花园5栋水压低")
    rumour = commands.report("听说水厂被投毒")
    resolved = commands.report_by_caller(
        "医保卡系统故障无法就医", name="王阿姨", phone="13800138000"
    )
    commands.verify(resolved)
    commands.resolve(resolved, "fixed")
    return {
        "crisis": crisis,
        "verified": verified,
        "waiting": waiting,
        "rumour": rumour,
        "resolved": resolved,
    }


# --------------------------------------------------------------------------- the tests


def test_a_hotline_call_registered_through_the_form_shows_in_the_work_list_and_on_the_board(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        form = page.get_by_test_id("report-form")
        expect(page.get_by_test_id("report-title")).to_be_focused()
        expect(page.get_by_test_id("report-channel")).to_have_value("hotline")
        expect(page.get_by_test_id("report-kind")).to_have_value("complaint")
        page.evaluate("window.sameDocument = true")

        # The call came in ten minutes ago; the agent types it up now.
        earlier = page.evaluate(
            "() => { const d = new Date(Date.now() - 10 * 60000);"
            " const p = (n) => String(n).padStart(2, '0');"
            " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}"
            "T${p(d.getHours())}:${p(d.getMinutes())}`; }"
        )
        expect(page.get_by_test_id("received-follows")).to_be_visible()
        page.get_by_test_id("report-received-at").fill(earlier)
        expect(page.get_by_test_id("received-follows")).to_be_hidden()
        expect(page.get_by_test_id("report-received-now")).to_be_visible()
        page.get_by_test_id("report-category").fill("供水水质")
        page.get_by_test_id("report-description").fill("自来水发黄有异味，已持续两小时")
        page.get_by_test_id("report-location").fill("阳光花园3栋")
        page.get_by_test_id("report-reporter-name").fill("李先生")
        page.get_by_test_id("report-reporter-phone").fill("139 0000 1234")
        page.get_by_test_id("report-title").fill("阳光花园3栋自来水发黄")
        page.get_by_test_id("report-title").press("Enter")

        done = page.get_by_test_id("report-done")
        expect(done).to_be_visible()
        expect(done).to_contain_text("Registered:")
        expect(page.get_by_test_id("report-done-title")).to_have_text("阳光花园3栋自来水发黄")
        href = page.get_by_test_id("report-done-link").get_attribute("href")
        assert href and re.fullmatch(r"/incidents/[0-9a-f-]{36}", href), href
        incident_id = href.rsplit("/", 1)[1]

        # Ready for the next call: the caller's details are gone, the desk's channel stays.
        for field in ("title", "category", "description", "location", "reporter-name"):
            expect(form.get_by_test_id(f"report-{field}")).to_have_value("")
        expect(page.get_by_test_id("report-channel")).to_have_value("hotline")
        expect(page.get_by_test_id("report-title")).to_be_focused()
        expect(page.get_by_test_id("received-follows")).to_be_visible()

        shown = item(page, incident_id)
        expect(shown).to_be_visible(timeout=2000)
        assert shown.locator("xpath=..").get_attribute("data-testid") == "list-reported"
        expect(shown.get_by_test_id("item-title")).to_have_text("阳光花园3栋自来水发黄")
        expect(shown.get_by_test_id("item-status")).to_have_text("Reported")
        expect(page.get_by_test_id("count-reported")).to_have_text("1")
        assert page.evaluate("window.sameDocument") is True, "the page must not reload"

        row = row_of(commands, incident_id)
        assert row is not None
        assert (row["channel"], row["status"], row["location"]) == (
            "hotline",
            "reported",
            "阳光花园3栋",
        )
        incident = commands.incident(incident_id)
        assert incident["reporter"] == {"name": "李先生", "phone": "139 0000 1234", "email": ""}
        received = datetime.fromisoformat(incident["received_at"])
        reported = datetime.fromisoformat(incident["reported_at"])
        assert timedelta(minutes=9) < reported - received < timedelta(minutes=11)
        screenshot(page, "intake-registered-desktop-en")


def test_an_empty_title_and_a_bad_phone_are_refused_next_to_their_fields_and_nothing_is_stored(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        page.get_by_test_id("report-category").fill("供水水质")
        page.get_by_test_id("report-reporter-phone").fill("call me maybe")
        page.get_by_test_id("report-submit").click()

        expect(page.get_by_test_id("error-title")).to_be_visible()
        expect(page.get_by_test_id("error-title")).to_contain_text("at least 1 character")
        expect(page.get_by_test_id("report-title")).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_test_id("error-reporter_phone")).to_have_text(
            "A phone number holds digits, spaces and + - ( ) only"
        )
        expect(page.get_by_test_id("error-category")).to_be_hidden()
        expect(page.get_by_test_id("report-error")).to_contain_text("Check the input")
        expect(page.get_by_test_id("report-done")).to_be_hidden()
        # What was typed stays, to be corrected.
        expect(page.get_by_test_id("report-category")).to_have_value("供水水质")
        assert commands.board_rows() == []
        screenshot(page, "intake-refused-fields-desktop-en")

        page.get_by_test_id("report-reporter-phone").fill("13800138000")
        page.get_by_test_id("report-title").fill("No water since 6 am")
        page.get_by_test_id("report-submit").click()
        expect(page.get_by_test_id("report-done")).to_be_visible()
        expect(page.get_by_test_id("error-title")).to_be_hidden()
        expect(page.get_by_test_id("report-error")).to_be_hidden()
        assert [row["title"] for row in commands.board_rows()] == ["No water since 6 am"]


def test_a_report_is_verified_and_a_repeat_call_dismissed_as_its_duplicate_from_the_list(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    first = commands.report("Sunny Garden block 5: low pressure")
    repeat = commands.report("Sunny Garden block 5: pressure low again")
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        expect(page.get_by_test_id("count-reported")).to_have_text("2")
        shown = item(page, first)
        shown.get_by_test_id("act-verify").click()
        shown.get_by_test_id("verify-note").fill("Called back: confirmed")
        shown.get_by_test_id("verify-note").press("Enter")

        expect(shown.get_by_test_id("item-status")).to_have_text("Verified", timeout=2000)
        expect(page.get_by_test_id("list-active").locator(f'[data-id="{first}"]')).to_be_visible()
        expect(shown.get_by_test_id("verify-form")).to_have_count(0)
        expect(page.get_by_test_id("work-notice")).to_contain_text("Verified:")

        duplicate = item(page, repeat)
        duplicate.get_by_test_id("act-dismiss").click()
        duplicate.get_by_test_id("dismiss-reason").select_option("duplicate")
        duplicate.get_by_test_id("dismiss-confirm").click()
        # Duplicate of which? The page says, next to the choice.
        expect(duplicate.get_by_test_id("error-duplicate_of")).to_be_visible()
        expect(duplicate.get_by_test_id("action-error")).to_be_visible()
        duplicate.get_by_test_id("dismiss-duplicate-of").select_option(first)
        duplicate.get_by_test_id("dismiss-note").fill("Same caller, second call")
        duplicate.get_by_test_id("dismiss-confirm").click()

        expect(duplicate).to_have_count(0, timeout=2000)
        expect(page.get_by_test_id("work-notice")).to_contain_text("Dismissed:")
        expect(page.get_by_test_id("empty-reported")).to_be_visible()
        dismissed = commands.incident(repeat)
        assert (dismissed["status"], dismissed["dismiss_reason"]) == ("dismissed", "duplicate")
        assert dismissed["duplicate_of"] == first
        assert commands.incident(first)["status"] == "verified"


def test_a_complaint_is_linked_to_the_crisis_it_belongs_to(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    crisis = commands.report("Turbidity alarm at pumping station 3", kind="crisis")
    commands.verify(crisis)
    commands.classify(crisis, "III")
    complaint = commands.report("Sunny Garden: yellow water with a smell")
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        expect(item(page, crisis)).to_be_visible()
        assert item(page, crisis).locator("xpath=..").get_attribute("data-testid") == "list-crises"
        shown = item(page, complaint)
        shown.get_by_test_id("act-link").click()
        choice = shown.get_by_test_id("link-crisis")
        expect(choice.locator("option")).to_have_count(1)
        expect(choice).to_have_value(crisis)
        shown.get_by_test_id("link-confirm").click()

        expect(shown.get_by_test_id("item-parent")).to_contain_text(
            "Turbidity alarm at pumping station 3", timeout=2000
        )
        expect(item(page, crisis).get_by_test_id("item-linked-count")).to_have_text(
            "1 linked report"
        )
        expect(page.get_by_test_id("work-notice")).to_contain_text("Linked to a crisis:")
        # Linked once, it is not offered again.
        expect(shown.get_by_test_id("act-link")).to_have_count(0)
        assert commands.incident(complaint)["parent_id"] == crisis


def test_the_customer_of_a_resolved_case_is_told_the_result_and_called_back(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    case = commands.report_by_caller("医保卡系统故障无法就医", name="王阿姨", phone="13800138000")
    commands.verify(case)
    commands.resolve(case, "fixed")
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        shown = item(page, case)
        assert shown.locator("xpath=..").get_attribute("data-testid") == "list-resolved"
        shown.get_by_test_id("act-case").click()

        panel = page.get_by_test_id("case-panel")
        expect(panel.get_by_test_id("case-title")).to_have_text("医保卡系统故障无法就医")
        expect(panel.get_by_test_id("case-status")).to_have_text("Resolved")
        expect(panel.get_by_test_id("case-reporter")).to_have_text("王阿姨 · 13800138000")
        # A phone number to text: the notice goes by SMS unless the agent says otherwise.
        expect(page.get_by_test_id("notify-channel")).to_have_value("sms")
        expect(page.get_by_test_id("callback-not-resolved")).to_be_hidden()
        assert page.url.endswith(f"#case-{case}")

        page.get_by_test_id("notify-message").fill("您反映的医保卡问题已修复，可正常就医。")
        page.get_by_test_id("notify-submit").click()
        expect(page.get_by_test_id("notify-done")).to_be_visible()
        expect(panel.get_by_test_id("case-notices")).to_contain_text("SMS · result")
        expect(panel.get_by_test_id("case-notices")).to_contain_text("医保卡问题已修复")
        expect(page.get_by_test_id("notify-message")).to_have_value("")

        page.get_by_test_id("satisfaction-4").check()
        page.get_by_test_id("callback-comment").fill("处理及时，满意")
        page.get_by_test_id("callback-submit").click()
        expect(page.get_by_test_id("callback-done")).to_be_visible()
        expect(panel.get_by_test_id("case-callbacks")).to_contain_text("4/5 Satisfied")
        expect(panel.get_by_test_id("case-callbacks")).to_contain_text("处理及时，满意")
        screenshot(page, "intake-callback-desktop-en", full_page=True)

        incident = commands.incident(case)
        assert incident["notified_of_result"] is True
        assert incident["notices"][0]["channel"] == "sms"
        assert [(c["satisfaction"], c["via"]) for c in incident["callbacks"]] == [(4, "phone")]


def test_a_callback_without_a_score_is_refused_next_to_the_scores(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    case = commands.report_by_caller(
        "Card reader broken at window 3", name="Mr Zhao", phone="13700000000"
    )
    commands.verify(case)
    commands.resolve(case, "fixed")
    with open_intake(browser, live_server, tokens[Role.INTAKE]) as page:
        item(page, case).get_by_test_id("act-case").click()
        page.get_by_test_id("callback-submit").click()
        expect(page.get_by_test_id("error-satisfaction")).to_be_visible()
        expect(page.get_by_test_id("callback-error")).to_contain_text("Check the input")
        assert commands.incident(case)["callbacks"] == []


def test_verifying_a_report_someone_else_verified_meanwhile_is_refused_in_words(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    report = commands.report("Sunny Garden: no water since 6 am")
    with open_intake(browser, live_server, tokens[Role.INTAKE], locale="zh-CN") as page:
        shown = item(page, report)
        shown.get_by_test_id("act-verify").click()
        shown.get_by_test_id("verify-note").fill("已回拨核实")

        commands.verify(report)  # a colleague was quicker
        expect(shown.get_by_test_id("item-status")).to_have_text("已核实", timeout=2000)
        shown.get_by_test_id("verify-confirm").click()

        expect(shown.get_by_test_id("action-error")).to_have_text("事件已核实。")
        expect(shown.get_by_test_id("verify-note")).to_have_value("已回拨核实")
        screenshot(page, "intake-refused-409-desktop-zh")

        page.get_by_test_id("lang-switch").click()
        expect(shown.get_by_test_id("action-error")).to_have_text(
            "Refused: the incident is already verified"
        )


def test_the_desk_speaks_chinese_to_a_chinese_browser_and_only_english_after_the_switch(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    ids = water_surge(commands)
    with open_intake(browser, live_server, tokens[Role.INTAKE], locale="zh-CN") as page:
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        expect(page.get_by_role("heading", name="登记报告")).to_be_visible()
        expect(page.get_by_test_id("report-submit")).to_have_text("登记")
        expect(page.get_by_test_id("report-channel").locator("option:checked")).to_have_text("热线")
        expect(item(page, ids["waiting"]).get_by_test_id("act-verify")).to_have_text("核实")
        expect(item(page, ids["resolved"]).get_by_test_id("act-case")).to_have_text("告知与回访")
        expect(page).to_have_title(re.compile("客服受理台"))

        item(page, ids["resolved"]).get_by_test_id("act-case").click()
        expect(page.get_by_test_id("case-reporter")).to_have_text("王阿姨 · 13800138000")
        rumour = item(page, ids["rumour"])
        rumour.get_by_test_id("act-dismiss").click()
        rumour.get_by_test_id("dismiss-reason").select_option("duplicate")
        page.get_by_test_id("report-submit").click()  # an empty form: refused in Chinese
        expect(page.get_by_test_id("error-title")).to_have_text("此项填写有误")
        expect(page.get_by_test_id("report-error")).to_have_text("输入有误，请检查标出的字段。")
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "intake-desktop-zh")
        screenshot(page, "intake-desktop-zh-full", full_page=True)

        page.get_by_test_id("lang-switch").click()
        expect(page.get_by_test_id("report-submit")).to_have_text("Register")
        expect(page.get_by_test_id("error-title")).to_contain_text("at least 1 character")
        expect(item(page, ids["resolved"]).get_by_test_id("act-case")).to_have_text(
            "Notify & call back"
        )
        assert_no_chinese_outside_user_data(page)
        screenshot(page, "intake-desktop-en")
        screenshot(page, "intake-desktop-en-full", full_page=True)

        page.set_viewport_size(PHONE)
        screenshot(page, "intake-phone-en")
        page.get_by_test_id("lang-switch").click()
        expect(page.get_by_test_id("report-submit")).to_have_text("登记")
        screenshot(page, "intake-phone-zh")
        screenshot(page, "intake-phone-zh-full", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the phone layout is {width}px wide"


def test_a_responder_opening_the_desk_is_told_it_is_not_for_their_role(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=PHONE) as page:
        log_in(page, live_server, tokens[Role.RESPONDER])
        page.goto("/intake")
        expect(page.get_by_test_id("not-for-role")).to_have_text(
            "This page is not for the Responder role."
        )
        expect(page.get_by_test_id("report-form")).to_have_count(0)
        expect(page.get_by_test_id("go-home")).to_have_attribute("href", "/orders")
        screenshot(page, "intake-not-for-role-phone-en")


def test_an_administrator_sees_the_desk_but_is_offered_nothing_to_register_or_handle(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    report = commands.report("Sunny Garden: no water since 6 am")
    with open_intake(browser, live_server, tokens[Role.ADMIN]) as page:
        expect(page.get_by_test_id("read-only")).to_be_visible()
        expect(page.get_by_test_id("report-panel")).to_be_hidden()
        shown = item(page, report)
        expect(shown.get_by_test_id("act-verify")).to_have_count(0)
        shown.get_by_test_id("act-case").click()
        expect(page.get_by_test_id("case-title")).to_have_text("Sunny Garden: no water since 6 am")
        expect(page.get_by_test_id("case-forms")).to_be_hidden()
