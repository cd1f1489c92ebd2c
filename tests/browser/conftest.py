"""Browser fixtures: one headless Debian Chromium per module, and the API client."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from domain.vocabulary import Role
from tests.browser.pages import CHROMIUM, CHROMIUM_ARGS, Commands
from tests.conftest import LiveServer


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def commands(live_server: LiveServer, tokens: dict[Role, str]) -> Iterator[Commands]:
    cmd = Commands(live_server.url, tokens)
    yield cmd
    cmd.http.close()
