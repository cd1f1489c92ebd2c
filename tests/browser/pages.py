"""What the browser tests share: Chromium's settings, a logged-in page, commands that
other people send through the API meanwhile, screenshots, and the language checks."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
from playwright.sync_api import Browser, Page, ViewportSize

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
