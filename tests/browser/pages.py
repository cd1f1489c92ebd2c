"""What the browser tests share: Chromium's settings, a logged-in page, commands that
other people send through the API meanwhile, screenshots, and the language checks."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
from playwright.sync_api import Browser, Page, ViewportSize, expect

from domain.vocabulary import Role
from tests.conftest import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WALL: ViewportSize = {"width": 1920, "height": 1080}
PHONE: ViewportSize = {"width": 375, "height": 812}

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
CLOCK_TIME = r"\d\d:\d\d:\d\d"


class Commands:
    """What other people do meanwhile: commands through the HTTP API with bearer tokens."""

    def __init__(self, url: str, tokens: dict[Role, str]) -> None:
        self.http = httpx.Client(base_url=url, timeout=10)
        self.tokens = tokens

    def post(self, role: Role, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = self.http.post(path, json=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def report(self, title: str, *, kind: str = "complaint", location: str = "Sunny Garden") -> str:
        role = Role.LEADERSHIP if kind == "crisis" else Role.INTAKE
        body = {
            "kind": kind,
            "channel": "monitoring" if kind == "crisis" else "hotline",
            "category": "供水水质",
            "title": title,
            "description": "",
            "location": location,
        }
        incident_id: str = self.post(role, "/api/incidents", body)["id"]
        return incident_id

    def verify(self, incident_id: str) -> None:
        self.post(Role.INTAKE, f"/api/incidents/{incident_id}/verify", {"note": ""})

    def classify(self, incident_id: str, severity: str) -> None:
        body = {"severity": severity, "rationale": "graded by the leadership group"}
        self.post(Role.LEADERSHIP, f"/api/incidents/{incident_id}/classify", body)

    def link(self, incident_id: str, crisis_id: str) -> None:
        self.post(Role.INTAKE, f"/api/incidents/{incident_id}/link", {"parent_id": crisis_id})

    def order(self, incident_id: str, *, due_in: timedelta) -> str:
        body = {
            "assignee": "Water quality lab",
            "instruction": "Sample the water at five points",
            "deadline": (datetime.now(UTC) + due_in).isoformat(),
            "priority": "urgent",
        }
        answer = self.post(Role.LEADERSHIP, f"/api/incidents/{incident_id}/orders", body)
        order_id: str = answer["order_id"]
        return order_id

    def resolve_and_close(self, incident_id: str, orders: list[str]) -> None:
        for order_id in orders:
            path = f"/api/incidents/{incident_id}/orders/{order_id}/complete"
            self.post(Role.LEADERSHIP, path, {"outcome": "done"})
        resolution = {"resolution": "fixed", "summary": "filters replaced"}
        self.post(Role.LEADERSHIP, f"/api/incidents/{incident_id}/resolve", resolution)
        self.post(Role.LEADERSHIP, f"/api/incidents/{incident_id}/close", {"note": ""})

    # ------------------------------------------------------------ figures page
    # Reports from any channel received earlier, the field's first response,
    # resolution, callbacks, rumours, and the figures as the API answers them.

    def report_from(
        self,
        title: str,
        *,
        kind: str,
        channel: str,
        category: str,
        received_ago: timedelta = timedelta(0),
    ) -> str:
        role = Role.LEADERSHIP if kind == "crisis" else Role.INTAKE
        body = {"kind": kind, "channel": channel, "category": category, "title": title}
        if received_ago:
            body["received_at"] = (datetime.now(UTC) - received_ago).isoformat()
        incident_id: str = self.post(role, "/api/incidents", body)["id"]
        return incident_id

    def respond(self, incident_id: str) -> None:
        body = {"note": "On scene", "status": "on_scene"}
        self.post(Role.RESPONDER, f"/api/incidents/{incident_id}/responses", body)

    def resolve(self, incident_id: str, resolution: str, *, crisis: bool = False) -> None:
        role = Role.LEADERSHIP if crisis else Role.INTAKE
        body = {"resolution": resolution, "summary": "handled"}
        self.post(role, f"/api/incidents/{incident_id}/resolve", body)

    def callback(self, incident_id: str, satisfaction: int) -> None:
        body = {"satisfaction": satisfaction, "via": "phone"}
        self.post(Role.INTAKE, f"/api/incidents/{incident_id}/callbacks", body)

    def complete_order(self, incident_id: str, order_id: str) -> None:
        path = f"/api/incidents/{incident_id}/orders/{order_id}/complete"
        self.post(Role.RESPONDER, path, {"outcome": "done"})

    def dismiss_as_rumour(self, incident_id: str) -> None:
        body = {"reason": "rumour", "note": "clarified"}
        self.post(Role.INTAKE, f"/api/incidents/{incident_id}/dismiss", body)

    def figures(self, query: str, role: Role = Role.AUDITOR) -> dict[str, Any]:
        """GET /api/figures?<query>, the query string as the page sent it."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = self.http.get(f"/api/figures?{query}", headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    # ------------------------------------------------------------ orders page
    # Orders issued to a named person, cancelled by leadership, logistics requested
    # from the field, and the incident's timeline as leadership reads it.

    def order_to(
        self, incident_id: str, assignee: str, instruction: str, *, due_in: timedelta
    ) -> str:
        body = {
            "assignee": assignee,
            "instruction": instruction,
            "deadline": (datetime.now(UTC) + due_in).isoformat(),
            "priority": "urgent",
        }
        answer = self.post(Role.LEADERSHIP, f"/api/incidents/{incident_id}/orders", body)
        order_id: str = answer["order_id"]
        return order_id

    def cancel_order(self, incident_id: str, order_id: str, reason: str) -> None:
        path = f"/api/incidents/{incident_id}/orders/{order_id}/cancel"
        self.post(Role.LEADERSHIP, path, {"reason": reason})

    def request_logistics(
        self, incident_id: str, *, resource: str, item: str, quantity: int, purpose: str
    ) -> str:
        body = {
            "resource": resource,
            "item": item,
            "quantity": quantity,
            "needed_by": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            "purpose": purpose,
        }
        answer = self.post(Role.RESPONDER, f"/api/incidents/{incident_id}/logistics", body)
        request_id: str = answer["request_id"]
        return request_id

    def timeline(self, incident_id: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[Role.LEADERSHIP]}"}
        response = self.http.get(f"/api/incidents/{incident_id}/timeline", headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    # ------------------------------------------------------------ intake page
    # A caller who left their contact, and what the board and the incident say as
    # intake reads them.

    def report_by_caller(self, title: str, *, name: str, phone: str) -> str:
        body = {
            "kind": "complaint",
            "channel": "hotline",
            "category": "医保服务",
            "title": title,
            "location": "市民服务中心",
            "reporter": {"name": name, "phone": phone},
        }
        incident_id: str = self.post(Role.INTAKE, "/api/incidents", body)["id"]
        return incident_id

    def board_rows(self) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.tokens[Role.INTAKE]}"}
        response = self.http.get("/api/board", headers=headers)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["rows"]
        return rows

    def incident(self, incident_id: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[Role.INTAKE]}"}
        response = self.http.get(f"/api/incidents/{incident_id}", headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    # ------------------------------------------------------------ incident page
    # The incident as another role reads it (masked per role).

    def incident_seen_by(self, role: Role, incident_id: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = self.http.get(f"/api/incidents/{incident_id}", headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


def log_in(page: Page, server: LiveServer, token: str) -> None:
    """The session cookie, as the login page would get it."""
    answer = page.context.request.post(f"{server.url}/api/session", data={"token": token})
    assert answer.ok, answer.text()


@contextmanager
def open_page(
    browser: Browser, server: LiveServer, *, locale: str, viewport: ViewportSize
) -> Iterator[Page]:
    """A fresh browser profile; fails the test if a page script throws."""
    context = browser.new_context(locale=locale, viewport=viewport, base_url=server.url)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
    finally:
        context.close()
    assert not errors, f"the page threw: {errors}"


@contextmanager
def open_live(
    browser: Browser,
    server: LiveServer,
    token: str,
    path: str,
    *,
    locale: str = "en-US",
    viewport: ViewportSize = WALL,
) -> Iterator[Page]:
    """A fresh browser profile, logged in (the session cookie), showing `path` live."""
    with open_page(browser, server, locale=locale, viewport=viewport) as page:
        log_in(page, server, token)
        page.goto(path)
        expect(page.get_by_test_id("connection-state")).to_have_attribute(
            "data-state", "live", timeout=5000
        )
        yield page


def scroll_to(page: Page, test_id: str) -> None:
    """Scroll an element into view in one step inside the page: a live page may
    re-render it between Playwright finding it and scrolling to it."""
    page.evaluate(
        "id => document.querySelector(`[data-testid='${id}']`).scrollIntoView({block: 'nearest'})",
        test_id,
    )


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page, animations="disabled")


def missing_labels(page: Page) -> dict[str, list[str]]:
    """Labels one language has and the other lacks, on the page shown (every page
    registers its own labels): both lists must be empty."""
    result: dict[str, list[str]] = page.evaluate(
        "async () => (await import('/static/i18n.js')).missingLabels()"
    )
    return result


def assert_no_chinese_outside_user_data(page: Page) -> None:
    """Every label is English; only what users typed (titles, locations, notes: marked
    `.user-data` on the pages) may be Chinese."""
    labels = page.evaluate(
        """() => {
            const userData = ['.user-data', '.card-title', '.card-location', '.card-latest',
                              '.linked-title', '.who-name'].join(', ');
            const texts = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const owner = node.parentElement;
                if (owner.closest(userData) && !owner.closest('.card-latest-label')) continue;
                if (owner.closest('[hidden], [data-testid=lang-switch]')) continue;
                if (node.textContent.trim()) texts.push(node.textContent.trim());
            }
            return texts.concat([document.title]);
        }"""
    )
    chinese = [text for text in labels if CJK.search(text)]
    assert not chinese, f"Chinese labels left on an English screen: {chinese}"
