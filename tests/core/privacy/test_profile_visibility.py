"""Who sees each profile field: everyone, members of my communities, or only me — private by
default, applied on the profile page and in the API."""

from tisserand.models import Member


async def _people(factory):
    alice = await factory.member("alice", display_name="Alice Martin")
    fellow = await factory.member("fellow")
    stranger = await factory.member("stranger")
    await factory.community("jardin", name="Jardin partagé", coordinator=alice, members={fellow: "member"})
    await Member.filter(id=alice.id).update(city="Saguenay", latitude=48.4, longitude=-71.1)
    return alice, fellow, stranger


async def _profile_as(client, viewer):
    client.logout_locally()
    if viewer is not None:
        await client.login_as(viewer)
    return (await client.get("/u/alice")).text


async def test_the_defaults_lean_private(site, factory, client):
    alice, fellow, stranger = await _people(factory)
    mine = await _profile_as(client, alice)
    assert "Saguenay" in mine and "alice@example.org" in mine and "Jardin partagé" in mine
    seen_by_fellow = await _profile_as(client, fellow)
    assert "Saguenay" in seen_by_fellow and "Jardin partagé" in seen_by_fellow
    assert "alice@example.org" not in seen_by_fellow
    for viewer in (stranger, None):
        page = await _profile_as(client, viewer)
        assert "Alice Martin" in page  # the name always shows
        assert "Saguenay" not in page and "alice@example.org" not in page and "Jardin partagé" not in page
        assert "keeps this list private" in page


async def test_members_choose_on_their_account_page_and_it_applies_everywhere(site, factory, client):
    alice, fellow, stranger = await _people(factory)
    await client.login_as(alice)
    page = await client.get("/me")
    assert 'id="visibility"' in page.text and 'name="email"' in page.text and 'value="members"' in page.text
    saved = await client.post_form("/me/visibility", {"location": "me", "communities": "everyone", "email": "members"})
    assert saved.status_code == 303
    refused = await client.post_form("/me/visibility", {"location": "the-whole-world"})
    assert refused.status_code == 422
    seen_by_fellow = await _profile_as(client, fellow)
    assert "Saguenay" not in seen_by_fellow and "alice@example.org" in seen_by_fellow
    seen_by_stranger = await _profile_as(client, stranger)
    assert "Jardin partagé" in seen_by_stranger and "alice@example.org" not in seen_by_stranger
    api = (await client.get("/api/v1/accounts/alice")).json()
    assert "email" not in api and "city" not in api
    client.logout_locally()
    await client.login_as(fellow)
    api = (await client.get("/api/v1/accounts/alice")).json()
    assert api["email"] == "alice@example.org" and "city" not in api


async def test_the_api_reads_and_changes_the_choices(site, factory, client):
    alice, fellow, stranger = await _people(factory)
    await client.login_as(alice)
    me = (await client.get("/api/v1/me")).json()
    assert me["visibility"] == {"location": "members", "communities": "members", "email": "me"}
    changed = await client.api("PATCH", "/api/v1/me", {"visibility": {"location": "everyone"}})
    assert changed.status_code == 200
    assert changed.json()["visibility"] == {"location": "everyone", "communities": "members", "email": "me"}
    bad = await client.api("PATCH", "/api/v1/me", {"visibility": {"location": "friends"}})
    assert bad.status_code == 422
    client.logout_locally()
    assert (await client.get("/api/v1/accounts/alice")).json()["city"] == "Saguenay"
