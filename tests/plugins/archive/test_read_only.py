"""An archived community is read-only for everyone, through every write path: the content
pipeline, memberships, permissions (every plugin's write permissions), the API; reads go on."""

from __future__ import annotations

import pytest

from tisserand import communities as core
from tisserand.content import create_content, set_status, update_content
from tisserand.errors import ReadOnly
from tisserand.models import Community, Content, Membership, MembershipState
from tisserand.permissions import can
from tisserand.plugins.archive import lifecycle


@pytest.fixture
async def archived(site, factory):
    coordinator = await factory.member("coord")
    member = await factory.member("membre")
    admin = await factory.member("admin", admin=True)
    community = await factory.community("fini", coordinator=coordinator, members={member: "member"},
                                        join_policy="open")
    item = await factory.content(community, member, title="Avant", body="Écrit avant l'archivage")
    stale = await Community.get(id=community.id)  # loaded before the archive, as a slow request would
    await lifecycle.archive(site, await Community.get(id=community.id), coordinator)
    return {"community": await Community.get(id=community.id), "stale": stale, "coordinator": coordinator,
            "member": member, "admin": admin, "item": item}


async def test_the_content_pipeline_refuses_every_write(site, archived):
    for community in (archived["community"], archived["stale"]):
        with pytest.raises(ReadOnly):
            await create_content(kind="test.note", community=community, author=archived["admin"], body="x")
    item = await Content.get(id=archived["item"].id)
    with pytest.raises(ReadOnly):
        await update_content(item, editor=archived["admin"], body="changé")
    with pytest.raises(ReadOnly):
        await set_status(item, "hidden", actor=archived["admin"])
    assert (await Content.get(id=item.id)).body == "Écrit avant l'archivage"
    assert await Content.filter(community_id=archived["community"].id).count() == 1


async def test_memberships_cannot_change(site, factory, archived):
    newcomer = await factory.member("nouveau")
    for community in (archived["community"], archived["stale"]):
        with pytest.raises(ReadOnly):
            await core.join(newcomer, community)
        with pytest.raises(ReadOnly):
            await core.invite(archived["coordinator"], community, newcomer)
        with pytest.raises(ReadOnly):
            await core.leave(archived["member"], community)
        with pytest.raises(ReadOnly):
            await core.set_role(archived["coordinator"], community, archived["member"], "animator")
    assert await Membership.filter(community_id=archived["community"].id, state=MembershipState.ACTIVE).count() == 2


async def test_every_write_permission_of_every_plugin_is_refused_even_to_admins(site, archived):
    community = archived["community"]
    writes = [p.name for p in site.permissions.all() if p.write]
    assert writes, "plugins declare write permissions"
    for name in writes:
        for who in ("coordinator", "member", "admin"):
            assert not await can(archived[who], name, community), f"{name} still granted to {who}"
    assert await can(archived["coordinator"], "community.archive", community)  # to reopen it
    assert await can(archived["member"], "community.view_members", community)


async def test_the_api_answers_409_read_only_with_a_clear_message(site, client, archived):
    await client.login_as(archived["coordinator"])
    response = await client.api("PUT", "/api/v1/communities/fini/lifecycle", json={"ends_on": "2031-01-01"})
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "read_only", "message": "This community is archived: it is read-only."}
    response = await client.api("POST", "/api/v1/communities/fini/members", json={})
    assert response.status_code in (409, 403)  # already a member, or read-only: never a write
    assert await Membership.filter(community_id=archived["community"].id).count() == 2


API_WRITES = [
    ("POST", "/api/v1/communities/fini/forum/topics", {"title": "Encore", "body": "Un sujet"}),
    ("PUT", "/api/v1/communities/fini/wiki/pages/guide", {"title": "Guide", "body": "Texte"}),
    ("POST", "/api/v1/communities/fini/meetups", {"title": "Café", "body": "x", "starts_at": "2031-01-01T10:00:00+00:00",
                                                 "ends_at": "2031-01-01T11:00:00+00:00", "timezone": "Europe/Paris"}),
]


@pytest.mark.parametrize("method, url, body", API_WRITES, ids=["forum", "wiki", "meetups"])
async def test_plugins_writes_through_the_api_are_refused(site, client, archived, method, url, body):
    await client.login_as(archived["coordinator"])
    response = await client.api(method, url, json=body)
    if response.status_code in (404, 405) and "archived" not in response.text:
        pytest.skip(f"{url} is not served by an installed plugin")
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "read_only"
    assert await Content.filter(community_id=archived["community"].id).count() == 1


async def test_everything_stays_readable_with_its_visibility(site, client, archived):
    response = await client.get(f"/api/v1/content/{archived['item'].id}")
    if response.status_code != 404:
        assert response.status_code == 200
    page = await client.get("/c/fini")
    assert page.status_code == 200 and "Archived" in page.text
    assert (await client.get("/c/fini/legacy")).status_code == 200


async def test_archived_communities_leave_the_home_feed(site, client, factory, archived):
    other = await factory.community("vivante", coordinator=archived["coordinator"])
    await factory.content(other, archived["coordinator"], title="Toujours vivante", body="x")
    await client.login_as(archived["member"])
    home = await client.get("/?scope=all")
    assert "Toujours vivante" in home.text and "Avant" not in home.text
    community_page = await client.get("/c/fini")
    assert "Avant" in community_page.text  # still readable where it lives
