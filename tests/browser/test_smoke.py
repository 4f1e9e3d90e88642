"""The server starts under uvicorn and a real browser renders the home page."""

from tests.browser.conftest import screenshot


def test_home_page_renders_in_chromium(live, new_page):
    page = new_page("fr")
    page.goto(live.url + "/")
    assert page.locator("main").count() == 1
    assert page.title().startswith("Tisserand")
    screenshot(page, "smoke-home")
