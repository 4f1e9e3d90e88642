"""GET /api/v1/content/{id}: any kind of content, only for those who may see it."""

from tisserand.content import set_status


async def test_a_public_item_is_readable_by_anyone(site, client, factory):
    author = await factory.member("autrice")
    community = await factory.community("jardins", coordinator=author)
    note = await factory.content(community, author, kind="probe.note", title="Semis", body="*tôt*")
    response = await client.get(f"/api/v1/content/{note.id}")
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "probe.note" and data["community"] == "jardins" and data["author"] == "autrice"
    assert data["html"].strip() == "<p><em>tôt</em></p>" and data["url"] == f"/c/jardins/probe/{note.id}"
    assert data["created_at"].endswith("+00:00")


async def test_private_hidden_and_narrowed_items_answer_404(site, client, factory):
    author, outsider = await factory.member(), await factory.member()
    private = await factory.community(visibility="private", coordinator=author)
    secret_note = await factory.content(private, author)
    public = await factory.community(coordinator=author)
    hidden = await factory.content(public, author)
    await set_status(hidden, "hidden", actor=author)
    narrowed = await factory.content(public, author, title="hidden by probe")
    await client.login_as(outsider)
    for item in (secret_note, hidden, narrowed):
        response = await client.get(f"/api/v1/content/{item.id}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert (await client.get("/api/v1/content/999999")).status_code == 404
    await client.login_as(author)
    assert (await client.get(f"/api/v1/content/{secret_note.id}")).status_code == 200
    assert (await client.get(f"/api/v1/content/{hidden.id}")).json()["status"] == "hidden"
