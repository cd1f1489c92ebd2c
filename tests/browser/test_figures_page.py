"""The evaluation figures page in a real browser (Debian's Chromium), against a real
`icc serve`: headline numbers and Chart.js charts for a date range, kept current by
the board's socket, in both languages. Screenshots land in test-artifacts/."""

import re
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Browser, Page, ViewportSize, expect

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

CHARTS = (
    "severity",
    "kind",
    "channel",
    "category",
    "times",
    "resolution",
    "orders",
    "satisfaction",
)
HOUR = timedelta(hours=1)


def a_day_of_cases(commands: Commands) -> None:
    """From the scenarios: a water crisis graded III with an order done on time, two
    complaints resolved and called back (one satisfied, one not), an inquiry answered,
    a rumour dismissed, and a praise just in."""
    crisis = commands.report_from(
        "Turbidity alarm at pumping station 3",
        kind="crisis",
        channel="monitoring",
        category="供水水质",
        received_ago=3 * HOUR,
    )
    commands.verify(crisis)
    commands.classify(crisis, "III")
    sampling = commands.order(crisis, due_in=HOUR)
    commands.respond(crisis)
    commands.complete_order(crisis, sampling)
    commands.resolve(crisis, "fixed", crisis=True)

    yellow = commands.report_from(
        "自来水发黄有异味",
        kind="complaint",
        channel="hotline",
        category="供水水质",
        received_ago=2 * HOUR,
    )
    pressure = commands.report_from(
        "水压低", kind="complaint", channel="sms", category="供水水压", received_ago=HOUR
    )
    for complaint, resolution, satisfaction in (
        (yellow, "explained", 5),
        (pressure, "compensated", 2),
    ):
        commands.verify(complaint)
        commands.respond(complaint)
        commands.resolve(complaint, resolution)
        commands.callback(complaint, satisfaction)

    hours = commands.report_from(
        "社保窗口几点开门",
        kind="inquiry",
        channel="web",
        category="社保窗口",
        received_ago=HOUR / 2,
    )
    commands.verify(hours)
    commands.resolve(hours, "explained")
    rumour = commands.report_from(
        "听说水厂被投毒", kind="complaint", channel="social", category="网络谣言"
    )
    commands.dismiss_as_rumour(rumour)
    commands.report_from("表扬窗口工作人员", kind="praise", channel="walk_in", category="服务")


def open_figures(
    browser: Browser,
    server: LiveServer,
    token: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = WALL,
    path: str = "/figures",
) -> AbstractContextManager[Page]:
    return open_live(browser, server, token, path, locale=locale, viewport=viewport)


def chart_data(page: Page, name: str) -> dict[str, Any]:
    """What a chart draws, read from Chart.js itself: its category keys, labels,
    series (label and values) and the size of its canvas."""
    # One synchronous read in the page: the charts are redrawn as new figures arrive.
    found: dict[str, Any] = page.evaluate(
        """name => {
            const canvas = document.querySelector(`[data-testid="chart-${name}-canvas"]`);
            const chart = Chart.getChart(canvas);
            const scales = chart.options.scales || {};
            const valueAxis = chart.options.indexAxis === 'y' ? scales.x : scales.y;
            return {
                keys: JSON.parse(canvas.dataset.keys),
                unit: Number(canvas.dataset.unitSeconds || 1),
                labels: chart.data.labels,
                series: chart.data.datasets.map(d => ({label: d.label, values: d.data})),
                axis: valueAxis ? valueAxis.title.text : null,
                width: canvas.getBoundingClientRect().width,
                height: canvas.getBoundingClientRect().height,
                aria: canvas.getAttribute('aria-label'),
            };
        }""",
        name,
    )
    return found


def counts(chart: dict[str, Any], series: int = 0) -> dict[str, Any]:
    return dict(zip(chart["keys"], chart["series"][series]["values"], strict=True))


def assert_charts_draw(page: Page, shown: dict[str, Any]) -> None:
    """Every chart has a canvas with a size, and draws the API's numbers."""
    charts = {name: chart_data(page, name) for name in CHARTS}
    for name, chart in charts.items():
        assert chart["width"] > 100 and chart["height"] > 100, (name, chart)
    assert counts(charts["severity"]) == {
        severity: shown["by_severity"].get(severity, 0)
        for severity in ("I", "II", "III", "IV", "ungraded")
    }
    assert counts(charts["kind"]) == shown["by_kind"]
    assert counts(charts["channel"]) == shown["by_channel"]
    assert counts(charts["category"]) == shown["by_category"]
    assert counts(charts["resolution"]) == shown["by_resolution"]
    assert counts(charts["satisfaction"]) == shown["satisfaction"]["distribution"]
    times, unit = charts["times"], charts["times"]["unit"]
    spreads = (shown["time_to_first_response"], shown["time_to_resolve"])
    assert times["series"][0]["values"] == [s["median"] / unit for s in spreads]
    assert times["series"][1]["values"] == [s["p90"] / unit for s in spreads]
    per_assignee = shown["orders_on_time"]["by_assignee"]
    assert counts(charts["orders"], 0) == {a: v["count"] for a, v in per_assignee.items()}
    assert counts(charts["orders"], 1) == {a: v["of"] - v["count"] for a, v in per_assignee.items()}


# --------------------------------------------------------------------------- the tests


def test_the_headline_numbers_and_every_chart_show_what_the_api_counts_for_the_last_30_days(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    a_day_of_cases(commands)
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        log_in(page, live_server, tokens[Role.LEADERSHIP])
        with page.expect_response(re.compile(r"/api/figures\?")) as answer:
            page.goto("/figures")
        query = urlparse(answer.value.url).query

        # The last 30 days, today included, from midnight where the browser is.
        asked = parse_qs(query)
        start, end = asked["from"][0], asked["to"][0]
        midnight = re.compile(r"T00:00:00[+-]\d\d:\d\d$")
        assert midnight.search(start) and midnight.search(end), asked
        days = page.evaluate(f"(Date.parse('{end}') - Date.parse('{start}')) / 86400000")
        assert days == 30
        expect(page.get_by_test_id("range-30")).to_have_attribute("aria-pressed", "true")

        # The praise came last: with all six reports counted, the figures hold every event.
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("6")
        shown = commands.figures(query)
        assert shown["reports"] == 6
        expect(page.get_by_test_id("headline-reports")).to_contain_text(
            "Complaint 3 · Inquiry 1 · Praise 1 · Crisis 1"
        )
        expect(page.get_by_test_id("headline-satisfaction-value")).to_have_text("3.5")
        expect(page.get_by_test_id("headline-satisfaction")).to_contain_text("2 callbacks")
        expect(page.get_by_test_id("headline-orders-on-time-value")).to_have_text("100%")
        expect(page.get_by_test_id("headline-orders-on-time")).to_contain_text("1 of 1 due orders")
        expect(page.get_by_test_id("headline-rumours")).to_contain_text("1 of 6 reports")
        median = shown["time_to_first_response"]["median"]
        expect(page.get_by_test_id("headline-first-response")).to_have_attribute(
            "data-value", str(median)
        )
        expect(page.get_by_test_id("headline-first-response-value")).to_have_text(
            re.compile(r"^\d+h( \d+m)?$")
        )
        assert_charts_draw(page, shown)

        severity = chart_data(page, "severity")
        assert severity["labels"] == ["I", "II", "III", "IV", "Ungraded"]
        assert severity["axis"] == "Reports"
        assert "III · Significant 1" in severity["aria"]
        assert chart_data(page, "times")["series"][0]["label"] == "Median"
        assert chart_data(page, "orders")["labels"] == ["Water quality lab"]


def test_the_incidents_of_the_period_are_listed_newest_first_and_each_opens_for_replay(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    a_day_of_cases(commands)
    with open_figures(browser, live_server, tokens[Role.AUDITOR]) as page:
        rows = page.get_by_test_id("incident-row")
        expect(rows).to_have_count(6)
        expect(page.get_by_test_id("incidents").locator("h2")).to_have_text(
            "Incidents in this period (6)"
        )
        listed = commands.figures("")["incidents"]
        assert [rows.nth(i).get_attribute("data-id") for i in range(6)] == [
            incident["id"] for incident in listed
        ]
        dismissed = next(i for i in listed if i["dismissed"])
        expect(
            page.locator(f'[data-testid="incident-row"][data-id="{dismissed["id"]}"]')
        ).to_contain_text("Dismissed (rumour)")
        first = rows.nth(0).get_by_test_id("incident-link")
        expect(first).to_have_text(listed[0]["title"])
        first.click()
        page.wait_for_url(f"{live_server.url}/incidents/{listed[0]['id']}", timeout=5000)


def test_a_range_is_kept_in_the_address_an_empty_one_says_so_and_a_backwards_one_is_refused(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    commands.report_from("水压低", kind="complaint", channel="hotline", category="供水水压")
    with open_figures(browser, live_server, tokens[Role.AUDITOR]) as page:
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("1")

        page.get_by_test_id("range-7").click()
        expect(page.get_by_test_id("range-7")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("1")
        week = parse_qs(urlparse(page.url).query)
        assert page.get_by_test_id("range-to").input_value() == week["to"][0]

        page.get_by_test_id("range-from").fill("2020-01-01")
        page.get_by_test_id("range-to").fill("2020-01-31")
        expect(page.get_by_test_id("figures-message")).to_have_text("No incidents in this period")
        expect(page.get_by_test_id("charts")).to_be_hidden()
        expect(page.get_by_test_id("headline")).to_be_hidden()
        assert page.url.endswith("/figures?from=2020-01-01&to=2020-01-31")
        expect(page.get_by_test_id("range-caption")).to_have_text(
            re.compile("from 2020-01-01 to 2020-01-31")
        )

        with page.expect_response(re.compile(r"/api/figures\?")) as refused:
            page.get_by_test_id("range-to").fill("2019-12-31")
        assert refused.value.status == 422
        assert refused.value.json()["error"] == "empty_range"
        expect(page.get_by_test_id("range-error")).to_have_text(
            "The end date cannot come before the start date."
        )
        expect(page.get_by_test_id("figures-message")).to_be_hidden()
        expect(page.get_by_test_id("range-to")).to_have_attribute("aria-invalid", "true")
        screenshot(page, "figures-backwards-range-wall")

        # A link reproduces the view.
        page.goto("/figures?from=2020-01-01&to=2020-01-31")
        expect(page.get_by_test_id("range-from")).to_have_value("2020-01-01")
        expect(page.get_by_test_id("range-to")).to_have_value("2020-01-31")
        expect(page.get_by_test_id("figures-message")).to_have_text("No incidents in this period")
        expect(page.get_by_test_id("range-error")).to_be_hidden()

        page.get_by_test_id("range-30").click()
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("1")


def test_an_intake_agent_is_told_the_figures_are_not_for_their_role(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str]
) -> None:
    with open_page(browser, live_server, locale="en-US", viewport=WALL) as page:
        log_in(page, live_server, tokens[Role.INTAKE])
        page.goto("/figures")
        expect(page.get_by_test_id("not-for-role")).to_have_text(
            "This page is not for the Intake role."
        )
        expect(page.get_by_test_id("charts")).to_have_count(0)


def test_a_report_and_a_callback_sent_while_the_page_is_open_change_the_figures_without_a_reload(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    complaint = commands.report_from(
        "自来水发黄", kind="complaint", channel="hotline", category="供水水质", received_ago=HOUR
    )
    commands.verify(complaint)
    with open_figures(browser, live_server, tokens[Role.LEADERSHIP]) as page:
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("1")
        expect(page.get_by_test_id("headline-satisfaction-value")).to_have_text("–")
        expect(page.get_by_test_id("chart-satisfaction-empty")).to_be_visible()
        page.evaluate("window.sameDocument = true")

        commands.report_from(
            "市民建议延长周末服务", kind="suggestion", channel="web", category="服务"
        )
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("2", timeout=3000)
        expect(page.get_by_test_id("headline-reports")).to_contain_text("Suggestion 1")
        assert counts(chart_data(page, "kind")) == {"complaint": 1, "suggestion": 1}

        commands.resolve(complaint, "fixed")
        commands.callback(complaint, 4)
        expect(page.get_by_test_id("headline-satisfaction-value")).to_have_text("4", timeout=3000)
        assert counts(chart_data(page, "satisfaction")) == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
        assert page.evaluate("window.sameDocument") is True, "the page must not reload"


def test_a_chinese_browser_gets_chinese_charts_and_the_switch_turns_every_label_english(
    browser: Browser, live_server: LiveServer, tokens: dict[Role, str], commands: Commands
) -> None:
    a_day_of_cases(commands)
    with open_figures(browser, live_server, tokens[Role.LEADERSHIP], locale="zh-CN") as page:
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        assert missing_labels(page) == {"zh-CN": [], "en": []}
        expect(page.get_by_test_id("headline-reports-value")).to_have_text("6")
        expect(page.get_by_test_id("headline-reports")).to_contain_text("报告总数")
        expect(page.get_by_test_id("range-7")).to_have_text("近7天")
        kind = chart_data(page, "kind")
        assert kind["labels"] == ["投诉", "咨询", "表扬", "突发事件"]
        severity = chart_data(page, "severity")
        assert (severity["labels"][2], severity["axis"]) == ("III级", "报告数")
        assert "III级 较大 1" in severity["aria"]
        assert chart_data(page, "times")["series"][1]["label"] == "90百分位"
        assert chart_data(page, "resolution")["labels"] == ["已修复", "已补偿", "已解释说明"]
        screenshot(page, "figures-wall-zh")

        page.get_by_test_id("lang-switch").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id("headline-reports")).to_contain_text("Reports")
        kind = chart_data(page, "kind")
        assert kind["labels"] == ["Complaint", "Inquiry", "Praise", "Crisis"]
        assert kind["aria"].startswith("By kind: Complaint 3; Inquiry 1")
        severity = chart_data(page, "severity")
        assert (severity["labels"][4], severity["axis"]) == ("Ungraded", "Reports")
        assert chart_data(page, "resolution")["labels"] == ["Fixed", "Compensated", "Explained"]
        assert_no_chinese_outside_user_data(page)
        screenshot(page, "figures-wall-en")

        page.set_viewport_size(PHONE)
        expect(page.get_by_test_id("chart-kind-canvas")).to_be_visible()
        screenshot(page, "figures-phone-en", full_page=True)
        page.get_by_test_id("lang-switch").click()
        expect(page.get_by_test_id("headline-reports")).to_contain_text("报告总数")
        screenshot(page, "figures-phone-zh", full_page=True)
