"""Every authenticated request counts as a visit (cookie or API token), without a write per
request; every 429, HTML form or API, says when to retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tisserand.models import ApiToken, Member, Session
from tisserand.testing.client import TestClient
from tisserand.testing.factory import PASSWORD, Factory
from tisserand.web.app import create_app


async def test_a_fresh_cookie_session_records_the_visit(client, factory):
    member = await factory.member("alice")
    await client.login_as(member)
    assert (await client.get("/me")).status_code == 200
    seen = (await Member.get(id=member.id)).last_seen_at
    assert seen is not None and datetime.now(UTC) - seen < timedelta(minutes=1)


async def test_api_token_requests_record_the_visit_and_the_token_use(client, factory):
    member = await factory.member("script")
    answer = await client.api("POST", "/api/v1/tokens", json={"login": "script", "password": PASSWORD})
    assert answer.status_code == 201
    client.use_token(answer.json()["token"])
    assert (await client.api("GET", "/api/v1/me")).status_code == 200
    assert (await Member.get(id=member.id)).last_seen_at is not None
    assert (await ApiToken.get(member_id=member.id)).last_used_at is not None


async def test_visits_are_written_at_most_every_five_minutes(client, factory):
    member = await factory.member("alice")
    await client.login_as(member)
    await client.get("/me")
    earlier = datetime.now(UTC) - timedelta(minutes=2)
    await Member.filter(id=member.id).update(last_seen_at=earlier)
    await Session.filter(member_id=member.id).update(last_seen_at=earlier)
    await client.get("/me")
    # Two minutes ago is recent enough: no write.
    assert abs((await Member.get(id=member.id)).last_seen_at - earlier) < timedelta(seconds=1)
    long_ago = datetime.now(UTC) - timedelta(minutes=6)
    await Member.filter(id=member.id).update(last_seen_at=long_ago)
    await client.get("/me")
    assert (await Member.get(id=member.id)).last_seen_at > long_ago + timedelta(minutes=5)


async def test_a_throttled_login_form_says_when_to_retry(client, factory, site):
    await factory.member("alice")
    for _ in range(site.settings.auth.login_attempts_per_15min):
        await client.post_form("/login", {"login": "alice", "password": "wrong password!"})
    blocked = await client.post_form("/login", {"login": "alice", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    api = await client.api("POST", "/api/v1/tokens", json={"login": "alice", "password": PASSWORD})
    assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0


async def test_a_throttled_forum_form_says_when_to_retry(site_factory: Any):
    site = await site_factory(enabled=["forums", "moderation"])
    factory = Factory(site)
    coordinator = await factory.member("coordo")
    newcomer = await factory.member("nouveau")
    await factory.community("atelier", coordinator=coordinator, members={newcomer: "member"})
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as browser:
        await browser.login_as(newcomer)
        statuses = []
        for n in range(12):
            answer = await browser.post_form("/c/atelier/forum/new", {
                "title": f"Question numéro {n} sur le compost", "body": f"Bonjour, voici ma question {n}."})
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                assert int(answer.headers["Retry-After"]) > 0
                assert "text/html" in answer.headers["content-type"]
                break
        assert 429 in statuses, statuses
