"""``GET``/``PUT /api/v1/communities/{slug}/wiki/settings`` and the settings page share one rule."""

from __future__ import annotations


async def test_coordinators_choose_the_licence_of_new_pages(client, wiki):
    url = f"/api/v1/communities/{wiki.slug}/wiki/settings"
    await client.login_as(wiki.coordinator)
    assert (await client.api("GET", url)).json() == {"default_licence": "CC-BY-SA-4.0"}
    changed = await client.api("PUT", url, json={"default_licence": "CC-BY-4.0"})
    assert changed.status_code == 200 and changed.json() == {"default_licence": "CC-BY-4.0"}
    bad = await client.api("PUT", url, json={"default_licence": "mine"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["default_licence"]
    made = await client.api("PUT", f"/api/v1/communities/{wiki.slug}/wiki/pages/guide",
                            json={"title": "Guide", "body": "Bienvenue"})
    assert made.json()["licence"]["id"] == "CC-BY-4.0"
    page = await client.post_form(f"/c/{wiki.slug}/wiki/-/settings", {"default_licence": "nope"})
    assert page.status_code == 422 and "Choose a licence from the list." in page.text
    await client.login_as(wiki.alice)
    assert (await client.api("GET", url)).status_code == 403
    assert (await client.api("PUT", url, json={"default_licence": "CC0-1.0"})).status_code == 403
