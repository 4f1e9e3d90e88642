"""The demo: believable communities, members in every role, a request and invitations
waiting, an archived cohort — and, with every built-in plugin, pages that all answer."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from tisserand.demo import COMMUNITIES, DEMO_PASSWORD, MEMBERS, PASSERS_BY, QUIET, populate
from tisserand.models import Community, Content, Member, Membership
from tisserand.testing.client import TestClient
from tisserand.web.app import create_app


async def test_demo_population(site):
    communities = await populate(site)
    assert set(communities) == {slug for slug, *_ in COMMUNITIES}
    assert await Member.all().count() == len(MEMBERS) + len(PASSERS_BY)
    camille = await Member.get(username="camille")
    assert camille.is_admin and camille.email_verified_at is not None
    roles = set(await Membership.filter(state="active").values_list("role", flat=True))
    assert roles == {"coordinator", "animator", "sponsor", "member", "observer"}
    assert await Membership.filter(state="requested").count() >= 1
    assert await Membership.filter(state="invited").count() >= 1
    quebec = await Community.get(slug="animateurs-quebec")
    assert quebec.parent_id == communities["animateurs"].id
    assert (await Community.get(slug="cohorte-2024")).is_archived
    assert {c.visibility for c in communities.values()} == {"public", "private", "secret"}
    from tisserand.auth import authenticate

    assert await authenticate(site.settings, "amelia", DEMO_PASSWORD) is not None
    # Twelve months of life: arrivals spread over the year, people who came and left.
    now = datetime.now(UTC)
    arrivals = [(now - t).days for t in await Membership.filter(community__status="active").values_list("created_at", flat=True)]
    assert max(arrivals) >= 360 and min(arrivals) <= 30
    for username, *_rest in PASSERS_BY:
        assert not await Membership.filter(member__username=username).exists()


async def test_demo_with_every_plugin_answers_on_every_core_page(site_factory):
    """Integration with the built-in plugins: their demo content, tabs, panels and links."""
    site = await site_factory()
    communities = await populate(site)
    await _tells_a_year(site, communities)
    camille = await Member.get(username="camille")
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        pages = ["/", "/c/", "/c/animateurs", "/c/open-data", "/c/cohorte-2024", "/u/camille", "/search?q=café",
                 "/api/v1/communities", "/api/v1/feed"]
        for path in pages:
            response = await http.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
        feed = await http.get("/api/v1/feed")
        assert feed.json()["items"], "the plugins' demo content reaches the home feed"
        assert "/c/comite-direction" not in (await http.get("/c/")).text
        await http.login_as(camille)
        assert "Guide d'accueil des nouveaux membres" in html.unescape((await http.get("/c/animateurs/resources")).text)
        for path in [*pages, "/?scope=mine", "/c/comite-direction", "/c/animateurs/members",
                     "/c/animateurs/settings", "/me", "/admin", "/admin/plugins"]:
            response = await http.get(path)
            assert response.status_code == 200, f"{path} as camille: {response.status_code}"


async def _tells_a_year(site, communities):
    """With every plugin: content dated over the year (a month old at least in the quiet
    community, before the end of the archived one), a year of insights points and the quiet
    alert, the archived cohort's legacy page, closed and open surveys, past calls to all."""
    from tisserand.plugins.insights.models import Alert, Daily

    now = datetime.now(UTC)
    ages = [(now - t).days for t in await Content.filter(community_id=communities["animateurs"].id)
            .values_list("created_at", flat=True)]
    assert max(ages) > 300 and min(ages) < 7
    quiet = communities[QUIET]
    assert all(now - t >= timedelta(days=29) for t in await Content.filter(community_id=quiet.id)
               .values_list("created_at", flat=True))
    cohort = communities["cohorte-2024"]
    assert await Content.filter(community_id=cohort.id, created_at__gt=datetime(2024, 12, 14, tzinfo=UTC)).count() == 0
    assert await Daily.filter(community_id=communities["animateurs"].id).count() >= 360
    assert await Alert.filter(community_id=quiet.id, ended_on__isnull=True).exists()
    assert not await Alert.filter(community_id=communities["animateurs"].id).exists()
    camille = await Member.get(username="camille")
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        legacy = (await http.get("/c/cohorte-2024/legacy", headers={"Accept-Language": "fr"})).text
        legacy = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(legacy)))
        assert "Parcours 2024 des nouveaux animateurs" in legacy and "2 sujets" in legacy
        assert "Du 7 février 2024 au 13 décembre 2024" in legacy
        await http.login_as(camille)
        surveys = (await http.get("/c/animateurs/surveys")).text
        assert "Bilan de saison" in surveys
        assert (await http.get("/c/animateurs/insights")).status_code == 200
        calls = await Content.filter(kind="digests.call").values_list("created_at", flat=True)
        assert calls and all(now - t > timedelta(days=1) for t in calls)
