"""Keyboard-only journeys on the demo site, and the focus indicator's contrast.

Each journey opens a page by its address, then uses only Tab, Shift+Tab, Enter, Space, arrows
and typing. After every Tab the focused element must show a visible focus indicator whose colour
reaches 3:1 against what surrounds it (WCAG 2.2 SC 1.4.11 and 2.4.7; the focus ring is drawn
outside the element, so it is measured against the parent's background).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DEMO_ROLES

NUIT = Path(__file__).resolve().parents[2] / "themes" / "nuit" / "static" / "nuit.css"

#: What the browser reports for the focused element: its outline, box-shadow, and the first
#: opaque background behind it (the ring is drawn outside the element, over its parent).
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); if (v.length === 3) v.push(1); return v; };
  let bg = null;
  for (let node = el.parentElement; node; node = node.parentElement) {
    const v = rgba(getComputedStyle(node).backgroundColor);
    if (v.length === 4 && v[3] > 0.5) { bg = v; break; }
  }
  const s = getComputedStyle(el);
  return {what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.innerText || el.value || el.getAttribute('aria-label') || '').slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: rgba(s.outlineColor),
          background: bg || rgba(getComputedStyle(document.body).backgroundColor)};
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: list[float], second: list[float]) -> float:
    """WCAG contrast ratio of two RGB colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_focus_visible(page: Any) -> dict[str, Any]:
    """The focused element shows an outline of at least 2 px at 3:1 against its surroundings."""
    focus = page.evaluate(FOCUS_JS)
    assert focus is not None, "the focus went nowhere visible (body)"
    assert focus["style"] not in ("none", "hidden") and focus["width"] >= 2, \
        f"no visible focus indicator on {focus['what']!r}: {focus}"
    ratio = contrast(focus["colour"], focus["background"])
    assert ratio >= 3, f"focus indicator at {ratio:.2f}:1 on {focus['what']!r} ({focus})"
    return focus  # type: ignore[no-any-return]


def tab_to(page: Any, target: Any, limit: int = 150, key: str = "Tab") -> None:
    """Press Tab until ``target`` (a locator) has the focus, checking the focus at each step."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus after {limit} presses of {key}")


def member_page(chromium: Any, demo: Any, username: str | None, theme_css: str | None = None) -> Any:
    context = chromium.new_context(locale="en", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    context.route(lambda url: "127.0.0.1" not in url, lambda route: route.abort())
    cookies = [{"name": "tisserand_locale", "value": "en", "url": demo.url}]
    if username:
        cookies.append({"name": "tisserand_session", "value": demo.sessions[username], "url": demo.url})
    context.add_cookies(cookies)
    return context.new_page()


@pytest.mark.parametrize("theme", ["default", "nuit"])
def test_the_focus_indicator_reaches_3_to_1_in_both_themes(chromium: Any, demo_site: Any, theme: str) -> None:
    page = member_page(chromium, demo_site, DEMO_ROLES["member"])
    try:
        page.goto(demo_site.url + "/c/animateurs")
        if theme == "nuit":
            # The nuit theme is the default one plus its stylesheet (themes/nuit/theme_head.html).
            page.add_style_tag(content=NUIT.read_text(encoding="utf-8"))
        seen = set()
        for _ in range(40):  # header links, search, tabs, buttons, cards, footer
            page.keyboard.press("Tab")
            focus = assert_focus_visible(page)
            seen.add(focus["what"].split(" ")[0].split("#")[0])
        assert {"a", "input", "button"} <= seen, seen
    finally:
        page.context.close()


def press(page: Any, key: str) -> None:
    """Press ``key`` on the focused element and wait for the page it may load."""
    page.keyboard.press(key)
    page.wait_for_load_state()


def test_post_a_topic_reply_and_report_with_the_keyboard_only(chromium: Any, demo_site: Any) -> None:
    page = member_page(chromium, demo_site, DEMO_ROLES["member"])
    try:
        page.goto(demo_site.url + "/c/animateurs/forum")
        tab_to(page, page.get_by_role("link", name="New topic"))
        press(page, "Enter")
        page.wait_for_url("**/forum/new**")
        tab_to(page, page.get_by_label("Title"))
        page.keyboard.type("Clavier seulement")
        tab_to(page, page.get_by_label("Message"))
        page.keyboard.type("Un sujet écrit sans souris.")
        tab_to(page, page.get_by_role("button", name="Publish the topic"))
        press(page, "Enter")
        page.wait_for_url("**/forum/t/*-clavier-seulement")
        assert page.locator("h2#topic-title").inner_text() == "Clavier seulement"

        tab_to(page, page.locator("#reply-body"))
        page.keyboard.type("Et une réponse, au clavier aussi.")
        tab_to(page, page.get_by_role("button", name="Reply", exact=True))
        press(page, "Enter")
        page.wait_for_selector(".post:has-text('au clavier aussi')")

        # Report someone else's post: a demo topic written by another member.
        page.goto(demo_site.url + "/c/animateurs/forum")
        topic = page.locator(".topic-list a[href*='/forum/t/'], a[href*='/forum/t/']").first
        page.goto(demo_site.url + topic.get_attribute("href"))
        report = page.locator("a.moderation-report").first
        tab_to(page, report)
        press(page, "Enter")
        page.wait_for_url("**/moderation/flag/**")
        tab_to(page, page.locator("input[name=reason]").first)
        page.keyboard.press("Space")
        assert page.locator("input[name=reason]").first.is_checked()
        tab_to(page, page.get_by_role("button", name="Send the report"))
        press(page, "Enter")
        assert "the moderators have your report" in page.locator(".flash").inner_text()
    finally:
        page.context.close()


def test_rsvp_to_a_meetup_with_the_keyboard_only(chromium: Any, demo_site: Any) -> None:
    page = member_page(chromium, demo_site, DEMO_ROLES["member"])
    try:
        page.goto(demo_site.url + "/c/animateurs/meetups")
        hrefs = [a.get_attribute("href") for a in page.locator("main a").all()]
        meetup = next(h for h in hrefs if h and h.rstrip("0123456789").endswith("/meetups/"))
        page.goto(demo_site.url + meetup)
        button = page.locator(".rsvp-buttons button[value=maybe]")
        tab_to(page, button)
        press(page, "Enter")
        page.wait_for_selector(".rsvp-buttons button[value=maybe][aria-pressed=true]")
    finally:
        page.context.close()


def test_edit_a_wiki_page_with_the_keyboard_only(chromium: Any, demo_site: Any) -> None:
    page = member_page(chromium, demo_site, DEMO_ROLES["member"])
    try:
        page.goto(demo_site.url + "/c/animateurs/wiki")
        hrefs = [a.get_attribute("href") or "" for a in page.locator("main a").all()]
        wiki_page = next(h for h in hrefs if "/wiki/" in h and "/-/" not in h and not h.endswith(".atom"))
        page.goto(demo_site.url + wiki_page)
        tab_to(page, page.get_by_role("link", name="Edit", exact=True))
        press(page, "Enter")
        page.wait_for_url("**/edit")
        tab_to(page, page.locator("#wiki-body-field"))
        page.keyboard.press("Control+End")
        page.keyboard.type("\n\nAjouté au clavier.")
        tab_to(page, page.get_by_role("button", name="Save", exact=True))
        press(page, "Enter")
        page.wait_for_selector("main :text('Ajouté au clavier.')")
    finally:
        page.context.close()
