"""The demo: believable communities, members in every role, a request and invitations
waiting, an archived cohort — and, with every built-in plugin, pages that all answer."""

from __future__ import annotations

from tisserand.demo import COMMUNITIES, DEMO_PASSWORD, MEMBERS, populate
from tisserand.models import Community, Member, Membership
from tisserand.testing.client import TestClient
from tisserand.web.app import create_app


async def test_demo_population(site):
    communities = await populate(site)
    assert set(communities) == {slug for slug, *_ in COMMUNITIES}
    assert await Member.all().count() == len(MEMBERS)
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


async def test_demo_with_every_plugin_answers_on_every_core_page(site_factory):
    """Integration with the built-in plugins: their demo content, tabs, panels and links."""
    site = await site_factory()
    await populate(site)
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
        for path in [*pages, "/?scope=mine", "/c/comite-direction", "/c/animateurs/members",
                     "/c/animateurs/settings", "/me", "/admin", "/admin/plugins"]:
            response = await http.get(path)
            assert response.status_code == 200, f"{path} as camille: {response.status_code}"
