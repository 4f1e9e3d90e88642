"""``GET /api/v1/search`` and the search page: filters, paging, visibility, bad input."""

from __future__ import annotations


async def test_api_search_lists_what_the_viewer_may_read(client, factory):
    alice, bob = await factory.member("alice"), await factory.member("bob")
    public = await factory.community("jardins", coordinator=alice)
    private = await factory.community("budget", visibility="private", coordinator=alice)
    await factory.content(public, alice, title="Les communautés de compost", body="On composte ensemble")
    await factory.content(private, alice, title="Compost secret", body="Réservé aux membres")
    anonymous = await client.get("/api/v1/search?q=compost")
    assert anonymous.status_code == 200
    body = anonymous.json()
    assert [i["title"] for i in body["items"]] == ["Les communautés de compost"] and body["next"] is None
    item = body["items"][0]
    assert set(item) >= {"id", "kind", "community", "title", "excerpt", "url", "created_at"}
    assert item["community"] == "jardins" and item["author"] == "alice"
    await client.login_as(bob)
    assert len((await client.get("/api/v1/search?q=compost")).json()["items"]) == 1
    await client.login_as(alice)
    both = (await client.get("/api/v1/search?q=compost")).json()["items"]
    assert {i["community"] for i in both} == {"jardins", "budget"}
    only = (await client.get("/api/v1/search?q=compost&community=budget")).json()["items"]
    assert [i["title"] for i in only] == ["Compost secret"]


async def test_api_search_pages_with_a_cursor(client, factory):
    alice = await factory.member("alice")
    community = await factory.community("jardins", coordinator=alice)
    for n in range(7):
        await factory.content(community, alice, title=f"Semis {n}", body="graines de tomates")
    first = (await client.get("/api/v1/search?q=tomate&limit=5")).json()
    assert len(first["items"]) == 5 and first["next"]
    second = (await client.get(f"/api/v1/search?q=tomate&limit=5&cursor={first['next']}")).json()
    assert len(second["items"]) == 2 and second["next"] is None
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


async def test_api_search_refuses_bad_input_with_a_message(client, factory):
    await factory.community("jardins", visibility="secret")
    cases = {
        "/api/v1/search": 422,
        "/api/v1/search?q=x&since=yesterday": 422,
        "/api/v1/search?q=x&since=0001-01-01": 422,
        "/api/v1/search?q=x&cursor=garbage!": 400,
        "/api/v1/search?q=x&cursor=WzEwMDAwMDAwMDAwMDAwMDAwMDAwMF0": 400,
        "/api/v1/search?q=x&cursor=WzUwMDBd": 400,
        "/api/v1/search?q=x&limit=1000": 422,
        "/api/v1/search?q=x&author=nobody": 404,
        "/api/v1/search?q=x&community=jardins": 404,
        "/api/v1/search?q=x&community=nowhere": 404,
    }
    for url, status in cases.items():
        response = await client.get(url)
        assert response.status_code == status, (url, response.text)
        assert response.json()["error"]["message"]
    # A secret community and one that does not exist answer alike.
    assert (await client.get("/api/v1/search?q=x&community=jardins")).json() == (
        await client.get("/api/v1/search?q=x&community=nowhere")).json()


async def test_search_page_filters_and_highlights(client, factory):
    alice, bob = await factory.member("alice"), await factory.member("bob")
    community = await factory.community("jardins", coordinator=alice, members={bob: "member"})
    await factory.content(community, alice, title="Compost d'Alice", body="Le compost chauffe")
    await factory.content(community, bob, title="Compost de Bob", body="Mon compost sent bon")
    page = await client.get("/search?q=compost&author=bob")
    assert page.status_code == 200
    assert "Compost de Bob" in page.text and "Compost d&#39;Alice" not in page.text
    assert "<mark>compost</mark>" in page.text.lower() or "<mark>Compost</mark>" in page.text
    assert (await client.get("/search?q=compost&author=nobody")).status_code == 404
    assert (await client.get("/search?q=compost&since=not-a-date")).status_code == 422
