"""Moderation respects what other plugins hide: a members-only wiki page cannot be flagged
(or even confirmed to exist) by someone outside the community."""

import pytest

pytestmark = pytest.mark.plugins("moderation", "wiki")


async def test_outsiders_cannot_flag_a_members_only_page(site, client, factory):
    coordinator, member, outsider = await factory.member(), await factory.member(), await factory.member()
    await factory.community("atelier", coordinator=coordinator, members={member: "member"})
    await client.login_as(coordinator)
    made = await client.api("PUT", "/api/v1/communities/atelier/wiki/pages/interne",
                            json={"title": "Interne", "body": "Réservé aux membres.", "visibility": "members"})
    assert made.status_code == 201, made.text
    page_id = (await client.get("/api/v1/communities/atelier/wiki/pages/interne")).json()["id"]
    await client.login_as(outsider)
    refused = await client.api("POST", f"/api/v1/content/{page_id}/flags", json={"reason": "spam"})
    assert refused.status_code == 404
    await client.login_as(member)
    accepted = await client.api("POST", f"/api/v1/content/{page_id}/flags", json={"reason": "off_topic"})
    assert accepted.status_code == 201, accepted.text


async def test_the_report_link_shows_under_a_wiki_page_for_other_members(site, client, factory):
    coordinator, member = await factory.member(), await factory.member()
    await factory.community("atelier", coordinator=coordinator, members={member: "member"})
    await client.login_as(coordinator)
    made = await client.api("PUT", "/api/v1/communities/atelier/wiki/pages/guide",
                            json={"title": "Guide", "body": "Bienvenue."})
    assert made.status_code == 201, made.text
    page_id = (await client.get("/api/v1/communities/atelier/wiki/pages/guide")).json()["id"]
    assert f"/moderation/flag/{page_id}" not in (await client.get("/c/atelier/wiki/guide")).text  # own page
    await client.login_as(member)
    assert f"/moderation/flag/{page_id}" in (await client.get("/c/atelier/wiki/guide")).text
