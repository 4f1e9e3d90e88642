"""The JSON API of accounts, tokens, me, communities and members (API.md), its error format,
cursor lists, CSRF on cookie-authenticated writes and the OpenAPI document."""

from __future__ import annotations

from tisserand.models import ApiToken, Community, Member, Membership
from tisserand.testing.factory import PASSWORD


async def test_create_account_then_token_then_me(client, site):
    created = await client.post("/api/v1/accounts", json={
        "username": "nadia", "email": "Nadia@Example.org", "password": "a long enough password",
        "display_name": "Nadia Benali", "accept_terms": True})
    assert created.status_code == 201
    account = created.json()
    assert account["username"] == "nadia" and account["email"] == "nadia@example.org"
    assert account["email_verified"] is False and "password" not in str(account)
    assert (await Member.get(username="nadia")).password_hash.startswith("$argon2id$")
    token = await client.post("/api/v1/tokens", json={"login": "nadia@example.org",
                                                       "password": "a long enough password", "name": "cron"})
    assert token.status_code == 201
    secret = token.json()["token"]
    assert await ApiToken.filter(name="cron").count() == 1
    client.use_token(secret)
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "nadia" and "locale" in me.json() and "location" in me.json()
    changed = await client.request("PATCH", "/api/v1/me", json={"locale": "fr", "timezone": "America/Toronto"})
    assert changed.json()["locale"] == "fr" and changed.json()["timezone"] == "America/Toronto"
    bad_zone = await client.request("PATCH", "/api/v1/me", json={"timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 422
    revoked = await client.delete("/api/v1/tokens/current")
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_errors_use_the_documented_format(client, factory):
    await factory.member("taken")
    duplicate = await client.post("/api/v1/accounts", json={"username": "taken", "email": "t2@example.org",
                                                             "password": "a long enough password",
                                                             "accept_terms": True})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "conflict" and duplicate.json()["error"]["message"]
    invalid = await client.post("/api/v1/accounts", json={"username": "x", "email": "nope", "password": "s",
                                                           "colour": "blue"})
    assert invalid.status_code == 422
    assert set(invalid.json()["error"]["fields"]) >= {"colour"}
    broken = await client.post("/api/v1/accounts", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "bad_json"
    assert (await client.get("/api/v1/me")).json() == {"error": {
        "code": "unauthorized", "message": "Log in, or send an API token in the Authorization header."}}
    missing = await client.get("/api/v1/communities/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    unknown_path = await client.get("/api/v1/nothing-here")
    assert unknown_path.status_code == 404 and "error" in unknown_path.json()


async def test_token_login_gives_the_same_answer_for_unknown_accounts_and_is_throttled(client, factory, site):
    await factory.member("alice")
    wrong = await client.post("/api/v1/tokens", json={"login": "alice", "password": "wrong password"})
    ghost = await client.post("/api/v1/tokens", json={"login": "ghost", "password": "wrong password"})
    assert wrong.status_code == ghost.status_code == 401
    assert wrong.json() == ghost.json()
    for _ in range(site.settings.auth.login_attempts_per_15min):
        await client.post("/api/v1/tokens", json={"login": "alice", "password": "wrong password"})
    blocked = await client.post("/api/v1/tokens", json={"login": "alice", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "rate_limited" and int(blocked.headers["retry-after"]) > 0


async def test_cookie_authenticated_writes_need_the_csrf_header(client, factory):
    alice = await factory.member("alice")
    await factory.community("jardins")
    await client.login_as(alice)
    refused = await client.post("/api/v1/communities/jardins/members", json={})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert await Membership.filter(member_id=alice.id).count() == 0
    wrong = await client.post("/api/v1/communities/jardins/members", json={}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    accepted = await client.api("POST", "/api/v1/communities/jardins/members", json={})
    assert accepted.status_code == 201 and accepted.json()["state"] == "active"


async def test_bearer_tokens_need_no_csrf_and_bad_tokens_are_401(client, factory):
    from tisserand.auth import create_token

    alice = await factory.member("alice")
    await factory.community("jardins")
    client.use_token(await create_token(alice))
    joined = await client.post("/api/v1/communities/jardins/members", json={})
    assert joined.status_code == 201
    client.use_token("tis_forged")
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_communities_list_is_a_cursor_listing_of_what_i_may_know(client, factory):
    alice = await factory.member("alice")
    for index in range(7):
        await factory.community(f"c{index}", coordinator=alice)
    await factory.community("zz-secret", visibility="secret")
    first = (await client.get("/api/v1/communities?limit=5")).json()
    assert [c["slug"] for c in first["items"]] == ["c0", "c1", "c2", "c3", "c4"]
    rest = (await client.get(f"/api/v1/communities?limit=5&cursor={first['next']}")).json()
    assert [c["slug"] for c in rest["items"]] == ["c5", "c6"] and rest["next"] is None
    assert {"slug", "name", "visibility", "join_policy", "plugins", "status", "member_count", "role"} <= set(
        first["items"][0])


async def test_create_community_and_read_it(client, factory):
    admin = await factory.member("root", admin=True)
    await client.login_as(admin)
    created = await client.api("POST", "/api/v1/communities", json={
        "slug": "jardins", "name": "Jardins", "visibility": "private", "join_policy": "request",
        "plugins": [], "ends_on": "2027-06-30"})
    assert created.status_code == 201
    body = created.json()
    assert body["role"] == "coordinator" and body["member_count"] == 1 and body["ends_on"] == "2027-06-30"
    assert body["plugins"] == [] and body["status"] == "active"
    got = (await client.get("/api/v1/communities/jardins")).json()
    assert got["visibility"] == "private" and got["membership"] == "active"
    conflict = await client.api("POST", "/api/v1/communities", json={"slug": "jardins", "name": "Again"})
    assert conflict.status_code == 409
    sub = await client.api("POST", "/api/v1/communities", json={"slug": "potager", "name": "P", "parent": "jardins"})
    assert sub.json()["parent"] == "jardins"


async def test_members_may_not_create_communities_unless_allowed(client, factory, site):
    await client.login_as(await factory.member("alice"))
    refused = await client.api("POST", "/api/v1/communities", json={"slug": "x-1", "name": "X"})
    assert refused.status_code == 403
    site.settings.site.members_create_communities = True
    assert (await client.api("POST", "/api/v1/communities", json={"slug": "x-1", "name": "X"})).status_code == 201


async def test_patch_community_settings_is_for_coordinators(client, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    await factory.community("jardins", coordinator=alice, members={bob: "animator"})
    await client.login_as(bob)
    assert (await client.api("PATCH", "/api/v1/communities/jardins", json={"name": "Pris"})).status_code == 403
    await client.login_as(alice)
    patched = await client.api("PATCH", "/api/v1/communities/jardins", json={
        "name": "Jardins partagés", "join_policy": "invite",
        "grants": {"community.members.invite": ["coordinator"]}})
    assert patched.status_code == 200 and patched.json()["name"] == "Jardins partagés"
    community = await Community.get(slug="jardins")
    assert community.grants == {"community.members.invite": ["coordinator"]}
    bad = await client.api("PATCH", "/api/v1/communities/jardins", json={"grants": {"no.such": ["member"]}})
    assert bad.status_code == 422


async def test_join_request_invite_roles_and_leave_through_the_api(client, factory):
    from tisserand.auth import create_token

    alice = await factory.member("alice")
    bob = await factory.member("bob")
    await factory.member("carol", email="carol@example.org")
    await factory.community("cercle", visibility="private", join_policy="request", coordinator=alice)
    alice_token, bob_token = await create_token(alice), await create_token(bob)
    client.use_token(bob_token)
    request = await client.post("/api/v1/communities/cercle/members", json={})
    assert request.status_code == 201 and request.json()["state"] == "requested"
    assert (await client.get("/api/v1/communities/cercle/members")).status_code == 404
    client.use_token(alice_token)
    pending = (await client.get("/api/v1/communities/cercle/members?state=requested")).json()["items"]
    assert [m["username"] for m in pending] == ["bob"]
    approved = await client.put("/api/v1/communities/cercle/members/bob", json={"state": "active", "role": "animator"})
    assert approved.status_code == 200 and approved.json()["role"] == "animator"
    invited = await client.post("/api/v1/communities/cercle/members", json={"username": "carol@example.org"})
    assert invited.status_code == 201 and invited.json()["state"] == "invited"
    listed = (await client.get("/api/v1/communities/cercle/members")).json()
    assert {(m["username"], m["role"]) for m in listed["items"]} == {("alice", "coordinator"), ("bob", "animator")}
    client.use_token(bob_token)
    assert (await client.put("/api/v1/communities/cercle/members/alice", json={"role": "member"})).status_code == 403
    left = await client.delete("/api/v1/communities/cercle/members/bob")
    assert left.status_code == 204
    assert await Membership.filter(member_id=bob.id).count() == 0
    bad_role = await client.post("/api/v1/communities/cercle/members", json={"role": "king"})
    assert bad_role.status_code == 422


async def test_openapi_describes_the_core_endpoints(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path, method in [("/api/v1/accounts", "post"), ("/api/v1/tokens", "post"), ("/api/v1/me", "get"),
                         ("/api/v1/communities", "get"), ("/api/v1/communities", "post"),
                         ("/api/v1/communities/{slug}", "get"), ("/api/v1/communities/{slug}/members", "post"),
                         ("/api/v1/communities/{slug}/members/{username}", "put"), ("/api/v1/feed", "get")]:
        assert method in paths[path], (path, method)
    create = paths["/api/v1/communities"]["post"]
    assert "201" in create["responses"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schema = document["components"]["schemas"][schema_name]
    assert {"slug", "name", "visibility"} <= set(schema["properties"]) and "slug" in schema["required"]
    assert [p["name"] for p in paths["/api/v1/communities/{slug}/members/{username}"]["put"]["parameters"]] == [
        "slug", "username"]
    assert paths["/api/v1/accounts"]["post"]["summary"].startswith("Create an account")
