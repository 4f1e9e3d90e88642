"""Browser tests: Debian's Chromium driven by Playwright against a real uvicorn server.

Never ``playwright install``: the browser is /usr/bin/chromium (``apt-get install chromium``).
Screenshots go to tests/browser/screenshots/ (ignored by git, kept as CI artifacts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tisserand.testing.fixtures import all_installed_plugins
from tisserand.testing.live import LiveSite

CHROMIUM = os.environ.get("TISSERAND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for one test module (skipped when not installed).

    Module scope, not session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, which would stop pytest-asyncio's tests that come after."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("TISSERAND_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but missing at {CHROMIUM}")
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A fresh instance with every installed plugin, served by uvicorn."""
    site = LiveSite(tmp_path_factory.mktemp("live"), all_installed_plugins()).start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """``new_page(locale="fr")`` opens a page in a fresh browser context (own cookies).

    Every page is watched: a script or style refused by the Content-Security-Policy fails the
    test (inline scripts and ``on…=`` handlers belong in static files)."""
    contexts = []
    refused: list[str] = []

    def watch(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    def make(locale: str = "en") -> Any:
        context = chromium.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not refused, f"refused by the Content-Security-Policy: {refused[:3]}"


@contextmanager
def serving(tmp_path_factory: pytest.TempPathFactory, label: str, plugins: list[str]) -> Iterator[LiveSite]:
    """A live server with only ``plugins`` (so other plugins' state cannot break a test)."""
    site = LiveSite(tmp_path_factory.mktemp(label), plugins).start()
    try:
        yield site
    finally:
        site.stop()


def logged_in(new_page: Any, live: LiveSite, secret: str, locale: str = "en") -> Any:
    """A new page whose browser context carries the session cookie ``secret``."""
    page = new_page(locale)
    page.context.add_cookies([{"name": "tisserand_session", "value": secret, "url": live.url}])
    return page


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
