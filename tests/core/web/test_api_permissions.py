"""``GET /api/v1/communities/{slug}/permissions``: the permission grid of the settings page, for
those who may change it; outsiders of a secret community learn nothing."""

from __future__ import annotations


async def test_coordinators_read_the_grid_with_overrides(client, factory):
    coco = await factory.member("coco")
    alice = await factory.member("alice")
    community = await factory.community("cercle", coordinator=coco, members={alice: "member"})
    await client.login_as(coco)
    url = f"/api/v1/communities/{community.slug}/permissions"
    changed = await client.api("PATCH", f"/api/v1/communities/{community.slug}",
                               json={"grants": {"community.members.invite": ["coordinator", "member"]}})
    assert changed.status_code == 200, changed.text
    grid = await client.api("GET", url)
    assert grid.status_code == 200 and grid.json()["next"] is None
    rows = {row["name"]: row for row in grid.json()["items"]}
    invite = rows["community.members.invite"]
    assert invite["owner"] == "core" and invite["overridden"] is True
    assert invite["roles"] == ["coordinator", "member"] and invite["description"]
    assert "member" not in invite["default_roles"]
    settings = rows["community.settings.edit"]
    assert settings["locked_role"] == "coordinator" and settings["overridden"] is False and settings["write"] is True
    # Members may not read it; the same answer whether the community exists or not for outsiders
    # of a secret one.
    await client.login_as(alice)
    assert (await client.api("GET", url)).status_code == 403
    secret = await factory.community("cave", visibility="secret", coordinator=coco)
    missing = await client.api("GET", "/api/v1/communities/nowhere/permissions")
    hidden = await client.api("GET", f"/api/v1/communities/{secret.slug}/permissions")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"] == missing.json()["error"]["message"]


async def test_the_grid_is_in_the_readers_language(client, factory):
    coco = await factory.member("coco", locale="fr")
    community = await factory.community("cercle", coordinator=coco)
    await client.login_as(coco)
    rows = (await client.api("GET", f"/api/v1/communities/{community.slug}/permissions")).json()["items"]
    english = "Edit the community's settings"
    edit = next(row for row in rows if row["name"] == "community.settings.edit")
    assert edit["description"] and edit["description"] != english
