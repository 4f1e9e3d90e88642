"""``POST /api/v1/communities/{slug}/insights/thanks``: the thanks button's API twin."""

from __future__ import annotations

from tisserand.models import Notification


async def test_thanks_through_the_api_follow_the_pages_rules(client, site, crew):
    await client.login_as(crew.animator)
    member = crew.members[2]
    url = f"/api/v1/communities/{crew.slug}/insights/thanks"
    sent = await client.api("POST", url, json={"username": member.username})
    assert sent.status_code == 201 and sent.json()["username"] == member.username
    assert await Notification.filter(kind="insights.thanks", member_id=member.id).count() == 1
    again = await client.api("POST", url, json={"username": member.username})
    assert again.status_code == 409 and "this week" in again.json()["error"]["message"]
    assert (await client.api("POST", url, json={"username": crew.animator.username})).status_code == 409
    assert (await client.api("POST", url, json={"username": crew.outsider.username})).status_code == 404
    assert (await client.api("POST", url, json={"username": ""})).status_code == 422
    await client.login_as(crew.members[0])
    assert (await client.api("POST", url, json={"username": member.username})).status_code == 403
