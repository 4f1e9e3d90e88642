"""The life plan page and its forms, the home panel, archiving and reopening from the web."""

from __future__ import annotations

from datetime import timedelta

from tisserand.models import Community, Notification
from tisserand.plugins.archive import lifecycle
from tisserand.plugins.archive.models import Objective, Season


async def _setup(site, factory):
    coordinator = await factory.member("camille", display_name="Camille")
    animator = await factory.member("mathieu")
    member = await factory.member("ines")
    community = await factory.community("animer", coordinator=coordinator,
                                        members={animator: "animator", member: "member"})
    return community, coordinator, animator, member


async def test_a_coordinator_plans_seasons_and_the_end_with_forms(site, client, factory):
    community, coordinator, _animator, _member = await _setup(site, factory)
    await client.login_as(coordinator)
    on = lifecycle.today(site)
    assert "Automne 2026" not in (await client.get("/c/animer")).text  # "no season" now remembered
    response = await client.post_form("/c/animer/lifecycle/seasons", {
        "name": "Automne 2026", "starts_on": (on - timedelta(days=5)).isoformat(),
        "ends_on": (on + timedelta(days=40)).isoformat(), "description": "Le guide d'accueil",
        "objectives": "Écrire le guide d'accueil\n\nTenir trois cafés virtuels\n"})
    assert response.status_code == 303
    season = await Season.get(community=community)
    assert [o.text for o in await Objective.filter(season=season).order_by("position")] == [
        "Écrire le guide d'accueil", "Tenir trois cafés virtuels"]
    response = await client.post_form("/c/animer/lifecycle/end", {"ends_on": (on + timedelta(days=90)).isoformat()})
    assert response.status_code == 303
    assert (await Community.get(id=community.id)).ends_on == on + timedelta(days=90)

    page = await client.get("/c/animer/lifecycle")
    assert page.status_code == 200
    assert "Automne 2026" in page.text and "90 days left" in page.text
    assert "Current season" in page.text

    home = await client.get("/c/animer")
    assert home.status_code == 200
    assert "Automne 2026" in home.text and "Écrire le guide d&#39;accueil" in home.text
    assert "40 days left" in home.text and "The community ends in 90 days" in home.text
    assert "/c/animer/legacy" in home.text


async def test_a_community_without_seasons_is_not_asked_again_on_each_visit(site, client, factory):
    from tisserand.testing.queries import count_queries

    _community, _coordinator, _animator, member = await _setup(site, factory)
    await client.login_as(member)
    with count_queries() as first:
        assert (await client.get("/c/animer")).status_code == 200
    with count_queries() as second:
        assert (await client.get("/c/animer")).status_code == 200
    asked = [q for q in first.statements if "archive_season" in q]
    assert len(asked) == 1 and not [q for q in second.statements if "archive_season" in q]


async def test_bad_season_input_is_shown_on_the_page_not_a_500(site, client, factory):
    community, coordinator, *_ = await _setup(site, factory)
    await client.login_as(coordinator)
    response = await client.post_form("/c/animer/lifecycle/seasons", {
        "name": "", "starts_on": "2026-10-01", "ends_on": "2026-09-01"})
    assert response.status_code == 422
    assert "A name of 1 to 120 characters is required." in response.text
    response = await client.post_form("/c/animer/lifecycle/seasons", {
        "name": "Hiver", "starts_on": "pas une date", "ends_on": "2026-09-01"})
    assert response.status_code == 422 and "Enter a date like 2027-06-30." in response.text
    await lifecycle.create_season(community, coordinator, name="Automne", starts_on=lifecycle.today(site),
                                  ends_on=lifecycle.today(site) + timedelta(days=30))
    response = await client.post_form("/c/animer/lifecycle/seasons", {
        "name": "Chevauche", "starts_on": (lifecycle.today(site) + timedelta(days=10)).isoformat(),
        "ends_on": (lifecycle.today(site) + timedelta(days=60)).isoformat()})
    assert response.status_code == 422 and "overlap the season" in response.text
    response = await client.post_form("/c/animer/lifecycle/end", {"ends_on": lifecycle.today(site).isoformat()})
    assert response.status_code == 422 and "Choose a date after today." in response.text
    assert await Season.filter(community=community).count() == 1


async def test_who_may_plan_mark_and_archive(site, client, factory):
    community, coordinator, animator, member = await _setup(site, factory)
    season = await lifecycle.create_season(community, coordinator, name="Automne", starts_on=lifecycle.today(site),
                                           ends_on=lifecycle.today(site) + timedelta(days=30), objectives=["Un guide"])
    objective = await Objective.get(season=season)
    await client.login_as(member)
    page = await client.get("/c/animer/lifecycle")
    assert "Mark reached" not in page.text and "Add a season" not in page.text
    assert (await client.post_form(f"/c/animer/lifecycle/objectives/{objective.id}", {"action": "reach"})).status_code == 403
    assert (await client.post_form("/c/animer/lifecycle/archive", {"confirm": "yes"})).status_code == 403
    assert (await client.post_form("/c/animer/lifecycle/end", {"ends_on": "2030-01-01"})).status_code == 403

    await client.login_as(animator)
    response = await client.post_form(f"/c/animer/lifecycle/objectives/{objective.id}", {"action": "reach"})
    assert response.status_code == 303
    reached = await Objective.get(id=objective.id)
    assert reached.reached and reached.reached_by_id == animator.id
    assert (await client.post_form("/c/animer/lifecycle/seasons", {
        "name": "x", "starts_on": "2030-01-01", "ends_on": "2030-02-01"})).status_code == 403


async def test_archiving_asks_for_confirmation_then_shows_the_legacy(site, client, factory):
    community, coordinator, _animator, member = await _setup(site, factory)
    await factory.content(community, member, title="Un sujet", body="Bonjour")
    await client.login_as(coordinator)
    response = await client.post_form("/c/animer/lifecycle/archive", {"reason": "Mission accomplie"})
    assert response.status_code == 422 and "Tick the box to confirm." in response.text
    assert not (await Community.get(id=community.id)).is_archived

    response = await client.post_form("/c/animer/lifecycle/archive", {"confirm": "yes", "reason": "Mission accomplie"})
    assert response.status_code == 303 and response.headers["location"] == "/c/animer/legacy"
    assert (await Community.get(id=community.id)).is_archived
    legacy = await client.get("/c/animer/legacy")
    assert legacy.status_code == 200
    assert "What Animer achieved" in legacy.text and "<svg" in legacy.text
    home = await client.get("/c/animer")
    assert "Archived on" in home.text and "See what the community achieved" in home.text
    assert 'href="/c/animer/legacy"' in home.text  # the nav tab and the panel

    reopened = await client.post_form("/c/animer/lifecycle/reopen", {"reason": "On repart"})
    assert reopened.status_code == 303
    assert not (await Community.get(id=community.id)).is_archived
    kinds = [n.kind for n in await Notification.filter(member=member).order_by("id")]
    assert kinds == ["archive.archived", "archive.reopened"]  # community_archived, community_reopened


async def test_a_site_admin_reopens_a_community(site, client, factory):
    community, coordinator, *_ = await _setup(site, factory)
    await lifecycle.archive(site, community, coordinator)
    admin = await factory.member("admin", admin=True)
    await client.login_as(admin)
    assert (await client.post_form("/c/animer/lifecycle/reopen", {})).status_code == 303
    assert not (await Community.get(id=community.id)).is_archived


async def test_pages_follow_the_visibility_rules(site, client, factory):
    coordinator = await factory.member("camille")
    await factory.community("secret-club", coordinator=coordinator, visibility="secret")
    await factory.community("prive", coordinator=coordinator, visibility="private")
    outsider = await factory.member("outsider")
    await client.login_as(outsider)
    for slug in ("secret-club", "prive"):
        assert (await client.get(f"/c/{slug}/lifecycle")).status_code == 404
        assert (await client.get(f"/c/{slug}/legacy")).status_code == 404
        assert (await client.get(f"/c/{slug}/lifecycle/export.zip")).status_code == 404


async def test_pages_speak_french(site, client, factory):
    community, coordinator, *_ = await _setup(site, factory)
    await lifecycle.create_season(community, coordinator, name="Automne", starts_on=lifecycle.today(site),
                                  ends_on=lifecycle.today(site) + timedelta(days=30), objectives=["Un guide"])
    await client.login_as(coordinator)
    page = await client.get("/c/animer/lifecycle", headers={"Accept-Language": "fr"})
    assert "Plan de vie" in page.text and "Saison en cours" in page.text
    legacy = await client.get("/c/animer/legacy", headers={"Accept-Language": "fr"})
    assert "Saisons et objectifs" in legacy.text and "Objectifs atteints" in legacy.text
