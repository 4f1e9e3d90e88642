"""``PUT /api/v1/communities/{slug}/resources/{id}/featured``: the *feature* button's API twin."""

from __future__ import annotations


async def test_managers_feature_a_resource(client, library):
    await client.login_as(library.alice)
    created = await client.api("POST", library.api, json={"title": "Guide", "licence": "CC-BY-4.0",
                                                          "url": "https://example.org/guide"})
    assert created.status_code == 201, created.text
    url = f"{library.api}/{created.json()['id']}/featured"
    refused = await client.api("PUT", url, json={"featured": True})
    assert refused.status_code == 403  # sharing is not managing
    await client.login_as(library.coordinator)
    on = await client.api("PUT", url, json={"featured": True})
    assert on.status_code == 200 and on.json()["featured"] is True
    assert (await client.api("GET", f"{library.api}/{created.json()['id']}")).json()["featured"] is True
    off = await client.api("PUT", url, json={"featured": False})
    assert off.json()["featured"] is False
    assert (await client.api("PUT", url, json={"featured": "maybe"})).status_code == 422
    assert (await client.api("PUT", f"{library.api}/999999/featured", json={"featured": True})).status_code == 404
