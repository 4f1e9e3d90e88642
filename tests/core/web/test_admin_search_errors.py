"""Site administration, search, friendly error pages, the language switcher and the health check."""

from __future__ import annotations

from tests.core.web.helpers import note, text
from tisserand.auth import open_session, session_for
from tisserand.models import AuditLog, Member


async def test_admin_pages_are_for_site_admins(client, factory):
    assert (await client.get("/admin")).status_code == 303  # log in first
    await client.login_as(await factory.member("alice"))
    refused = await client.get("/admin")
    assert refused.status_code == 403 and "for site administrators" in refused.text
    await client.login_as(await factory.member("root", admin=True))
    for path in ("/admin", "/admin/communities", "/admin/members", "/admin/plugins"):
        assert (await client.get(path)).status_code == 200, path
    assert "Administration" in (await client.get("/")).text


async def test_admin_sees_every_community_and_searches_members(client, factory):
    await factory.community("cache", name="Comité caché", visibility="secret")
    await factory.member("zoe", display_name="Zoé Durand")
    await client.login_as(await factory.member("root", admin=True))
    assert "Comité caché" in (await client.get("/admin/communities")).text
    found = await client.get("/admin/members?q=durand")
    assert "Zoé Durand" in found.text and "zoe@example.org" in found.text
    assert "Zoé Durand" not in (await client.get("/admin/members?q=nobody")).text


async def test_admin_deactivates_and_promotes(client, factory, site):
    root = await factory.member("root", admin=True)
    zoe = await factory.member("zoe")
    secret, _ = await open_session(site.settings, zoe)
    await client.login_as(root)
    response = await client.post_form("/admin/members/zoe", {"action": "deactivate"})
    assert response.status_code == 303
    assert not (await Member.get(id=zoe.id)).is_active
    assert await session_for(secret) is None
    assert await AuditLog.filter(action="member.deactivate", target_id=zoe.id).exists()
    await client.post_form("/admin/members/zoe", {"action": "make_admin"})
    assert (await Member.get(id=zoe.id)).is_admin
    myself = await client.post_form("/admin/members/root", {"action": "remove_admin"})
    assert myself.status_code == 409
    assert (await client.post_form("/admin/members/zoe", {"action": "explode"})).status_code == 422


async def test_search_finds_readable_content_and_links_it(client, factory):
    alice = await factory.member("alice")
    public = await factory.community("ouvert", name="Ouvert", coordinator=alice)
    private = await factory.community("ferme", visibility="private", coordinator=alice)
    await note(factory, public, alice, title="Compostage collectif", body="Le compost du quartier.")
    await note(factory, private, alice, title="Compostage secret", body="Le compost caché.")
    page = await client.get("/search?q=compost")
    assert "Compostage collectif" in page.text and "Compostage secret" not in page.text
    assert 'href="/c/ouvert/probe/' in page.text
    scoped = await client.get("/search?q=compost&c=ouvert")
    assert "In Ouvert only" in scoped.text
    assert (await client.get("/search?q=compost&c=ferme")).status_code == 404
    empty = await client.get("/search?q=introuvable")
    assert "Nothing matches" in empty.text
    assert (await client.get("/search")).status_code == 200


async def test_friendly_error_pages(client, factory):
    missing = await client.get("/no/such/page")
    assert missing.status_code == 404
    assert "<main" in missing.text and "There is nothing at this address" in missing.text
    assert "Browse the communities" in missing.text
    await client.login_as(await factory.member("alice"))
    forbidden = await client.get("/admin")
    assert forbidden.status_code == 403 and "<h1" in forbidden.text
    invalid = await client.get("/?scope=nonsense")
    assert invalid.status_code == 422 and "scope must be" in text(invalid.text)
    method = await client.delete("/c/")
    assert method.status_code in (403, 405)  # refused before any handler: no CSRF token


async def test_api_paths_never_answer_html_errors(client):
    response = await client.get("/api/v1/communities/nope/members")
    assert response.headers["content-type"].startswith("application/json")


async def test_language_switcher_for_visitors_and_members(client, factory):
    switched = await client.post_form("/language", {"locale": "fr", "next": "/c/"})
    assert switched.status_code == 303 and switched.headers["location"] == "/c/"
    assert '<html lang="fr">' in (await client.get("/c/")).text
    alice = await factory.member("alice", locale="en")
    await client.login_as(alice)
    await client.post_form("/language", {"locale": "fr", "next": "https://evil.example.org"})
    assert (await Member.get(id=alice.id)).locale == "fr"


async def test_health_check(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"
