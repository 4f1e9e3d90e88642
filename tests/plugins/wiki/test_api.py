"""The wiki's JSON API: PUT with base_revision (409 when stale), pages, history, rollback."""

from __future__ import annotations

from tisserand.plugins.wiki.models import WikiRevision


async def test_put_creates_then_updates_a_page(wiki, client):
    await client.login_as(wiki.alice)
    created = await client.api("PUT", wiki.api + "/pages/guide/accueil",
                               json={"title": "Guide d'accueil", "body": "Bienvenue **ici**.", "summary": "v1"})
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["path"] == "guide/accueil" and data["revision"] == 1
    assert data["licence"]["id"] == "CC-BY-SA-4.0" and data["visibility"] == "public"
    assert "<strong>ici</strong>" in data["html"] and data["updated_by"] == wiki.alice.username
    assert data["url"].endswith("/c/carnets/wiki/guide/accueil")
    updated = await client.api("PUT", wiki.api + "/pages/guide/accueil",
                               json={"title": "Guide d'accueil", "body": "Bienvenue.", "base_revision": 1})
    assert updated.status_code == 200 and updated.json()["revision"] == 2


async def test_a_stale_base_revision_answers_409_with_the_current_revision(wiki, client):
    await wiki.save(wiki.alice, "notes", "v1", title="Notes")
    await wiki.save(wiki.bob, "notes", "v2")
    await client.login_as(wiki.alice)
    response = await client.api("PUT", wiki.api + "/pages/notes",
                                json={"title": "Notes", "body": "mine", "base_revision": 1})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "edit_conflict" and error["current_revision"] == 2 and error["message"]
    assert await WikiRevision.filter(body="mine").count() == 0


async def test_put_without_base_on_an_existing_page_is_a_conflict(wiki, client):
    await wiki.save(wiki.alice, "notes", "v1")
    await client.login_as(wiki.bob)
    response = await client.api("PUT", wiki.api + "/pages/notes", json={"title": "Notes", "body": "x"})
    assert response.status_code == 409 and response.json()["error"]["current_revision"] == 1


async def test_get_page_list_history_and_one_revision(wiki, client):
    await wiki.save(wiki.alice, "notes", "un", title="Notes", summary="premier")
    await wiki.save(wiki.bob, "notes", "un deux", summary="second")
    page = (await client.get(wiki.api + "/pages/notes")).json()
    assert page["body"] == "un deux" and page["revision"] == 2 and page["title"] == "Notes"
    listing = (await client.get(wiki.api + "/pages")).json()
    assert [p["path"] for p in listing["items"]] == ["notes"] and listing["next"] is None
    history = (await client.get(wiki.api + "/pages/notes/revisions")).json()
    assert [r["number"] for r in history["items"]] == [2, 1]
    assert history["items"][0]["summary"] == "second" and "body" not in history["items"][0]
    assert history["items"][0]["author"] == wiki.bob.username and history["items"][0]["delta"] == 5
    one = (await client.get(wiki.api + "/pages/notes/revisions/1")).json()
    assert one["body"] == "un" and one["author"] == wiki.alice.username
    assert (await client.get(wiki.api + "/pages/notes/revisions/9")).status_code == 404
    assert (await client.get(wiki.api + "/pages/nulle-part")).status_code == 404


async def test_history_pages_with_a_cursor(wiki, client):
    await wiki.save(wiki.alice, "notes", "0")
    for n in range(1, 7):
        await wiki.save(wiki.alice, "notes", str(n))
    first = (await client.get(wiki.api + "/pages/notes/revisions?limit=4")).json()
    assert [r["number"] for r in first["items"]] == [7, 6, 5, 4] and first["next"]
    second = (await client.get(wiki.api + f"/pages/notes/revisions?limit=4&cursor={first['next']}")).json()
    assert [r["number"] for r in second["items"]] == [3, 2, 1] and second["next"] is None
    assert (await client.get(wiki.api + "/pages/notes/revisions?cursor=garbage")).status_code == 400


async def test_rollback_through_the_api(wiki, client):
    await wiki.save(wiki.alice, "charte", "bien", title="Charte")
    await wiki.save(wiki.bob, "charte", "mal")
    await client.login_as(wiki.animator)
    response = await client.api("POST", wiki.api + "/pages/charte/rollback", json={"revision": 1, "base_revision": 2})
    assert response.status_code == 200 and response.json()["revision"] == 3 and response.json()["body"] == "bien"
    stale = await client.api("POST", wiki.api + "/pages/charte/rollback", json={"revision": 2, "base_revision": 2})
    assert stale.status_code == 409


async def test_rights_and_errors(wiki, client):
    await wiki.save(wiki.alice, "notes", "v1", title="Notes")
    anonymous = await client.api("PUT", wiki.api + "/pages/notes", json={"title": "x", "body": "y", "base_revision": 1})
    assert anonymous.status_code in (401, 403)
    await client.login_as(wiki.observer)
    forbidden = await client.api("PUT", wiki.api + "/pages/notes", json={"title": "x", "body": "y", "base_revision": 1})
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    await client.login_as(wiki.alice)
    bad = await client.api("PUT", wiki.api + "/pages/x/edit", json={"title": "x", "body": "y"})
    assert bad.status_code == 404
    invalid = await client.api("PUT", wiki.api + "/pages/notes", json={"title": "", "body": 3})
    assert invalid.status_code == 422 and "title" in invalid.json()["error"]["fields"]
    unknown = await client.api("PUT", wiki.api + "/pages/autre", json={"title": "x", "colour": "red"})
    assert unknown.status_code == 422
    licence = await client.api("PUT", wiki.api + "/pages/autre", json={"title": "x", "licence": "WTFPL"})
    assert licence.status_code == 422 and licence.json()["error"]["fields"]["licence"]


async def test_members_only_pages_are_hidden_in_the_api(wiki, client):
    await wiki.save(wiki.alice, "coulisses", "secret", visibility="members")
    assert (await client.get(wiki.api + "/pages/coulisses")).status_code == 404
    assert (await client.get(wiki.api + "/pages/coulisses/revisions")).status_code == 404
    assert (await client.get(wiki.api + "/pages")).json()["items"] == []
    assert (await client.get(wiki.api + "/changes")).json()["items"] == []
    await client.login_as(wiki.bob)
    assert (await client.get(wiki.api + "/pages/coulisses")).status_code == 200
    assert len((await client.get(wiki.api + "/changes")).json()["items"]) == 1


async def test_the_endpoints_are_in_the_openapi_document(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    paths = document["paths"]
    put = paths["/api/v1/communities/{slug}/wiki/pages/{path}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PageIn")
    assert "base_revision" in document["components"]["schemas"]["PageIn"]["properties"]
    assert "get" in paths["/api/v1/communities/{slug}/wiki/pages/{path}/revisions"]
