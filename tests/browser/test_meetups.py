"""Meet-ups in a real browser: organise one (city picked from the offline search), answer it,
and see its marker on the community map; without JavaScript the map page is a plain list."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.a11y import block_outside
from tests.browser.conftest import screenshot

TITLE = "Soirée des animateurs à Montréal"


@pytest.fixture(scope="module")
def people(live: Any) -> dict[str, str]:
    """An organiser and a member of the public community ``cafe``, with open sessions (ask for
    this fixture before the browser: it runs its own event loop)."""

    async def setup(site: Any) -> dict[str, str]:
        from tisserand.auth import open_session
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        ana = await factory.member("ana", display_name="Ana Organisatrice")
        ben = await factory.member("ben", display_name="Ben Participant")
        await factory.community("cafe", name="Café des animateurs", coordinator=ana, members={ben: "member"})
        sessions = {}
        for member in (ana, ben):
            secret, _session = await open_session(site.settings, member, "browser tests")
            sessions[member.username] = secret
        return sessions

    return live.run(setup)


def _login(page: Any, live: Any, secret: str) -> None:
    page.context.add_cookies([{"name": "tisserand_session", "value": secret, "url": live.url}])
    # Tiles come from the internet, which tests do not have: refuse them at once.
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())


def test_create_rsvp_and_see_the_marker_on_the_map(people, live, new_page):
    organiser = new_page("en")
    _login(organiser, live, people["ana"])
    organiser.goto(live.url + "/c/cafe/meetups/new")
    organiser.fill("#title", TITLE)
    organiser.fill("#body", "Retours d'expérience sur l'accueil des **nouveaux membres**.")
    organiser.fill("#starts_at", "2031-05-15T18:00")
    organiser.fill("#ends_at", "2031-05-15T20:30")
    organiser.select_option("#timezone", "America/Toronto")
    organiser.fill("#venue", "Café Olimpico")
    organiser.fill("#city", "Montréal")
    suggestion = organiser.get_by_role("button", name="Montréal, Québec, Canada")
    suggestion.click()
    assert organiser.input_value("#latitude").startswith("45.5")
    organiser.fill("#capacity", "1")
    organiser.get_by_role("button", name="Schedule the meet-up").click()
    organiser.wait_for_url(re.compile(r"/c/cafe/meetups/\d+$"))
    assert organiser.get_by_role("heading", name=TITLE).is_visible()
    assert organiser.get_by_text("Your meet-up is scheduled.").is_visible()
    meetup_url = organiser.url
    screenshot(organiser, "meetups-detail-organiser")

    member = new_page("en")
    _login(member, live, people["ben"])
    member.goto(meetup_url)
    member.get_by_role("button", name="I'm going").click()
    member.wait_for_url(meetup_url)
    assert member.get_by_text("You are going. See you there!").is_visible()
    assert member.locator(".attendees").get_by_text("Ben Participant").is_visible()

    member.goto(live.url + "/c/cafe/map")
    marker = member.locator(".leaflet-marker-icon:not(.basemap-city)")  # not the city names
    marker.first.wait_for(state="visible")
    assert marker.count() == 1
    assert marker.first.get_attribute("title") == TITLE
    marker.first.click()
    assert member.locator(".leaflet-popup").get_by_role("link", name=TITLE).is_visible()
    # No tile server configured: the shipped basemap is drawn, and the list below the map
    # still has everything.
    member.wait_for_selector("[data-map][data-basemap=drawn]")
    assert member.locator("[data-map-notice]").is_hidden()
    assert member.locator(".map-lists").get_by_role("link", name=TITLE).is_visible()
    screenshot(member, "meetups-community-map")


def test_without_javascript_the_map_page_is_a_list(people, live, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="fr",
                                   extra_http_headers={"Accept-Language": "fr"})
    try:
        page = context.new_page()
        page.goto(live.url + "/map")
        assert page.get_by_role("heading", name="Carte", exact=True).is_visible()
        assert page.locator("[data-map]").is_hidden()
        lists = page.locator(".map-lists")
        assert lists.get_by_role("heading", name=re.compile("Rencontres à venir sur la carte")).is_visible()
        assert lists.get_by_role("link", name=TITLE).is_visible()
        page.goto(live.url + "/meetups/near?city=Montr%C3%A9al&km=25")
        assert page.get_by_role("link", name=TITLE).is_visible()
        assert page.get_by_text(re.compile(r"1 rencontre à moins de 25\u00a0km")).is_visible()
        screenshot(page, "meetups-near-fr-nojs")
    finally:
        context.close()


def test_a_member_shares_then_removes_a_coarse_location(people, live, new_page):
    page = new_page("fr")
    _login(page, live, people["ben"])
    page.goto(live.url + "/me")
    page.get_by_role("link", name="Ma position").click()
    page.fill("#q", "chicoutimi")
    page.get_by_role("button", name="Chercher", exact=True).click()
    assert page.get_by_label(re.compile("Chicoutimi, Québec, Canada")).is_checked()
    page.get_by_role("button", name="Enregistrer cette ville").click()
    assert page.get_by_text("Votre position est enregistrée, arrondie à environ 1\u00a0km.").is_visible()
    assert page.locator(".current-location").get_by_text("Chicoutimi, Québec, Canada").is_visible()
    screenshot(page, "meetups-location-fr")
    page.get_by_role("button", name="Retirer ma position").click()
    assert page.get_by_text("Vous ne partagez pas de position.").is_visible()


def test_the_map_draws_the_shipped_basemap_and_clusters_with_no_request_leaving_loopback(people, live, chromium):
    """No tile server (the default): countries and city names come from this site, markers
    near each other merge into a cluster, and not one request is even attempted elsewhere."""
    async def second_meetup(site):
        from tisserand.models import Community, Member
        from tisserand.plugins.meetups.service import clean_meetup, create_meetups

        for day in ("15", "22"):  # two meet-ups at the same place: one cluster
            data = await clean_meetup({"title": f"Café du {day} juin", "body": "Au même endroit.",
                                       "starts_at": f"2031-06-{day}T18:00", "ends_at": f"2031-06-{day}T20:00",
                                       "timezone": "America/Toronto", "venue": "Café Olimpico",
                                       "latitude": "45.5231", "longitude": "-73.5994"},
                                      pick_largest=True, default_timezone="America/Toronto")
            await create_meetups(await Community.get(slug="cafe"), await Member.get(username="ana"), data)

    live.run(second_meetup)
    context = chromium.new_context(locale="fr", viewport={"width": 1000, "height": 800})
    attempted = block_outside(context)
    try:
        page = context.new_page()
        page.goto(live.url + "/map")
        page.wait_for_selector("[data-map][data-basemap=drawn]", timeout=20_000)
        assert page.locator(".leaflet-pane canvas").count() >= 1  # the country outlines
        labels = page.locator(".basemap-city")
        assert labels.count() > 0
        assert page.locator(".leaflet-control-attribution").get_by_text("Natural Earth").is_visible()
        cluster = page.locator(".marker-cluster")
        cluster.first.wait_for(state="visible")
        assert int(cluster.first.inner_text().strip()) >= 2
        screenshot(page, "meetups-offline-basemap")
    finally:
        context.close()
    assert attempted == [], f"requests tried to leave loopback: {attempted}"
