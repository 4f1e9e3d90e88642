"""The archive plugin's JSON API: archive, reopen, lifecycle, seasons, objectives."""

from __future__ import annotations

from datetime import timedelta

from tisserand.auth import create_token
from tisserand.models import Community
from tisserand.plugins.archive import lifecycle


async def _setup(factory):
    coordinator = await factory.member("camille")
    animator = await factory.member("mathieu")
    member = await factory.member("ines")
    community = await factory.community("animer", coordinator=coordinator,
                                        members={animator: "animator", member: "member"})
    return community, coordinator, animator, member


async def test_archive_and_reopen_with_a_token(site, client, factory):
    community, coordinator, _animator, member = await _setup(factory)
    client.use_token(await create_token(member))
    response = await client.api("POST", "/api/v1/communities/animer/archive", json={})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    client.use_token(await create_token(coordinator))
    response = await client.api("POST", "/api/v1/communities/animer/archive", json={"reason": "Fini"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "archived" and body["slug"] == "animer" and body["archived_at"]
    assert (await Community.get(id=community.id)).is_archived
    again = await client.api("POST", "/api/v1/communities/animer/archive", json={})
    assert again.status_code == 200 and again.json()["status"] == "archived"
    response = await client.api("POST", "/api/v1/communities/animer/reopen", json={})
    assert response.status_code == 200 and response.json()["status"] == "active"
    bad = await client.api("POST", "/api/v1/communities/animer/archive", json={"why": "x"})
    assert bad.status_code == 422 and "why" in bad.json()["error"]["fields"]


async def test_seasons_objectives_and_end_date(site, client, factory):
    community, coordinator, animator, member = await _setup(factory)
    on = lifecycle.today(site)
    client.use_token(await create_token(coordinator))
    response = await client.api("POST", "/api/v1/communities/animer/seasons", json={
        "name": "Automne", "starts_on": (on - timedelta(days=3)).isoformat(),
        "ends_on": (on + timedelta(days=20)).isoformat(), "objectives": ["Un guide", "Trois cafés"]})
    assert response.status_code == 201
    season = response.json()
    assert season["current"] and season["days_left"] == 20 and len(season["objectives"]) == 2
    overlap = await client.api("POST", "/api/v1/communities/animer/seasons", json={
        "name": "Chevauche", "starts_on": on.isoformat(), "ends_on": (on + timedelta(days=5)).isoformat()})
    assert overlap.status_code == 422 and "overlap" in overlap.json()["error"]["message"]
    response = await client.api("PUT", "/api/v1/communities/animer/lifecycle",
                                json={"ends_on": (on + timedelta(days=100)).isoformat()})
    assert response.status_code == 200
    plan = response.json()
    assert plan["days_left"] == 100 and plan["current_season"] == season["id"]
    past = await client.api("PUT", "/api/v1/communities/animer/lifecycle", json={"ends_on": "2001-01-01"})
    assert past.status_code == 422 and past.json()["error"]["fields"] == {"ends_on": "Choose a date after today."}

    objective_id = season["objectives"][0]["id"]
    client.use_token(await create_token(member))
    assert (await client.api("PUT", f"/api/v1/communities/animer/objectives/{objective_id}",
                             json={"reached": True})).status_code == 403
    assert (await client.get("/api/v1/communities/animer/lifecycle")).status_code == 200
    client.use_token(await create_token(animator))
    response = await client.api("PUT", f"/api/v1/communities/animer/objectives/{objective_id}", json={"reached": True})
    assert response.status_code == 200 and response.json()["reached"] is True
    assert (await client.api("DELETE", f"/api/v1/communities/animer/seasons/{season['id']}")).status_code == 403

    client.use_token(await create_token(coordinator))
    response = await client.api("POST", f"/api/v1/communities/animer/seasons/{season['id']}/objectives",
                                json={"text": "Un quatrième café"})
    assert response.status_code == 201
    response = await client.api("DELETE", f"/api/v1/communities/animer/seasons/{season['id']}")
    assert response.status_code == 204
    assert (await client.get("/api/v1/communities/animer/lifecycle")).json()["seasons"] == []
    assert (await client.api("PUT", "/api/v1/communities/animer/objectives/99999",
                             json={"reached": True})).status_code == 404


async def test_the_api_hides_secret_communities(site, client, factory):
    coordinator = await factory.member("camille")
    await factory.community("comite", coordinator=coordinator, visibility="secret")
    outsider = await factory.member("outsider")
    client.use_token(await create_token(outsider))
    for method, url in (("GET", "lifecycle"), ("GET", "legacy"), ("GET", "export"), ("POST", "archive")):
        response = await client.api(method, f"/api/v1/communities/comite/{url}", json={} if method == "POST" else None)
        assert response.status_code == 404, url


async def test_the_endpoints_are_in_the_openapi_document(site, client):
    paths = (await client.get("/api/v1/openapi.json")).json()["paths"]
    for path in ("/api/v1/communities/{slug}/archive", "/api/v1/communities/{slug}/export",
                 "/api/v1/communities/{slug}/lifecycle", "/api/v1/communities/{slug}/legacy"):
        assert path in paths
    assert paths["/api/v1/communities/{slug}/export"]["get"]["summary"].startswith("Download")
