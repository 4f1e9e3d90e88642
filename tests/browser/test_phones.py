"""Phones: a 320 × 640 screen on the demo site.

No page scrolls sideways (the community's sections scroll inside their own bar), and the page's
main action — join a community, answer a meet-up, reply to a topic — is on the first screen.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DEMO_ROLES

WIDTH, HEIGHT = 320, 640


def phone(chromium: Any, demo: Any, username: str | None) -> Any:
    """A phone-sized page, in French (the longer words), signed in as ``username``."""
    context = chromium.new_context(locale="fr", viewport={"width": WIDTH, "height": HEIGHT},
                                   extra_http_headers={"Accept-Language": "fr"})
    context.set_default_timeout(15_000)
    context.route(lambda url: "127.0.0.1" not in url, lambda route: route.abort())
    if username:
        context.add_cookies([{"name": "tisserand_session", "value": demo.sessions[username], "url": demo.url}])
    return context.new_page()


def first_link(page: Any, base: str, listing: str, keep: Any) -> str:
    page.goto(base + listing)
    hrefs = [a.get_attribute("href") or "" for a in page.locator("main a").all()]
    return next(h for h in hrefs if keep(h))


def assert_fits(page: Any, path: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        culprits = page.evaluate("""() => [...document.querySelectorAll('main *, header *')]
          .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.tabs, .table-scroll'))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || ''))""")
        raise AssertionError(f"{path} is {width} px wide at {WIDTH} px: {culprits}")


def assert_on_first_screen(page: Any, locator: Any, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what}: not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, f"{what} at {box['y']:.0f}–{box['y'] + box['height']:.0f} px"


@pytest.mark.parametrize("who", ["member", "administrator"])
def test_no_page_scrolls_sideways_on_a_320px_phone(chromium: Any, demo_site: Any, who: str) -> None:
    page = phone(chromium, demo_site, DEMO_ROLES[who])
    base = demo_site.url
    try:
        topic = first_link(page, base, "/c/animateurs/forum", lambda h: "/forum/t/" in h)
        wiki = meetup = ""
        if who == "member":
            wiki = first_link(page, base, "/c/animateurs/wiki",
                              lambda h: "/wiki/" in h and "/-/" not in h and not h.endswith(".atom"))
            meetup = first_link(page, base, "/c/animateurs/meetups",
                                lambda h: h.rstrip("0123456789").endswith("/meetups/"))
        paths = ["/", "/c/animateurs", topic, wiki, meetup, "/c/animateurs/resources", "/me"]
        if who == "administrator":  # the pages every member has were seen above
            paths = ["/admin", "/admin/members", "/c/animateurs/settings", topic]
        for path in paths:
            answer = page.goto(base + path)
            assert answer is not None and answer.status == 200, f"{path}: {answer and answer.status}"
            assert_fits(page, path)
        # The community's sections: one row that scrolls inside itself.
        page.goto(base + "/c/animateurs")
        tabs = page.locator(".tabs")
        assert tabs.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
        assert len({round(b["y"]) for b in [li.bounding_box() for li in tabs.locator("li").all()] if b}) == 1
    finally:
        page.context.close()


def test_join_answer_and_reply_are_on_the_first_screen(chromium: Any, demo_site: Any) -> None:
    base = demo_site.url
    visitor = phone(chromium, demo_site, None)
    member = phone(chromium, demo_site, DEMO_ROLES["member"])  # olivier: in animateurs, not in open-data
    try:
        visitor.goto(base + "/c/animateurs")
        assert_on_first_screen(visitor, visitor.get_by_role("link", name="Se connecter pour rejoindre").first,
                               "a visitor's join link")
        member.goto(base + "/c/open-data")
        assert_on_first_screen(member, member.get_by_role("button", name="Rejoindre la communauté").first,
                               "the join button")
        meetup = first_link(member, base, "/c/animateurs/meetups",
                            lambda h: h.rstrip("0123456789").endswith("/meetups/"))
        member.goto(base + meetup)
        assert_on_first_screen(member, member.get_by_role("button", name="Je participe").first, "the RSVP button")
        topic = first_link(member, base, "/c/animateurs/forum", lambda h: "/forum/t/" in h)
        member.goto(base + topic)
        reply = member.get_by_role("link", name="Aller à la zone de réponse")
        assert_on_first_screen(member, reply, "the link to the reply box")
        reply.click()
        assert_on_first_screen(member, member.locator("#reply-body"), "the reply box after the link")
    finally:
        visitor.context.close()
        member.context.close()
