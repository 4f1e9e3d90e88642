"""Rate limits (in this process and shared through Redis), duplicates, the limits of new
members on links and mentions, and the review of their first posts."""

import pytest

from tisserand.content import create_content
from tisserand.models import Content

from .conftest import NotesPlugin, post_note

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def site(request, site_factory):
    """The site with the in-process limiter, or (``indirect`` param "redis") with the real
    Redis, database 15."""
    config = {}
    if getattr(request, "param", "memory") == "redis":
        import redis.asyncio as redis

        client = redis.from_url(REDIS_URL)
        try:
            await client.ping()
        except Exception as exc:  # the suite still runs where Redis is not installed
            pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
        await client.flushdb()
        await client.aclose()
        config = {"redis": {"url": REDIS_URL}}
    return await site_factory(extra_plugins={"notes": NotesPlugin()}, config=config)


@pytest.mark.parametrize("site", ["memory", "redis"], indirect=True)
async def test_a_spam_burst_hits_the_rate_limit_with_a_clear_answer(site, client, place):
    await client.login_as(place["troll"])
    answers = [await post_note(client, "atelier", f"Message numéro {n} : bonjour à toutes et à tous")
               for n in range(6)]
    assert [a.status_code for a in answers] == [201, 201, 201, 201, 429, 429]
    refused = answers[4]
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    message = refused.json()["error"]["message"]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "too fast" in message and "4 items a minute" in message and "Try again in" in message
    assert await Content.filter(author_id=place["troll"].id).count() == 4
    if site.settings.redis.url:
        import redis.asyncio as redis

        client = redis.from_url(REDIS_URL)
        keys = [k async for k in client.scan_iter(match="tisserand:rl:mod:min:*")]
        await client.aclose()
        assert keys, "the counters live in Redis, shared by every process"


async def test_the_same_text_twice_is_refused(client, place):
    await client.login_as(place["troll"])
    body = "Achetez nos formations exceptionnelles sur notre site, offre du jour !"
    assert (await post_note(client, "atelier", body)).status_code == 201
    again = await post_note(client, "atelier", body)
    assert again.status_code == 429
    assert "same text" in again.json()["error"]["message"]


async def test_staff_and_server_side_work_are_not_rate_limited(client, site, place):
    await client.login_as(place["animator"])
    codes = [(await post_note(client, "atelier", f"Annonce {n} pour la communauté")).status_code for n in range(8)]
    assert set(codes) == {201}
    for n in range(8):  # the demo, imports and jobs write without a request
        await create_content(kind="notes.note", community=place["community"], author=place["troll"],
                             body=f"Import {n}", site=site)


async def test_new_members_have_few_links_and_mentions(client, place):
    await client.login_as(place["troll"])
    links = " ".join(f"https://example{n}.org" for n in range(3))
    refused = await post_note(client, "atelier", f"Mes sites : {links}")
    assert refused.status_code == 422
    assert "2 links at most" in refused.json()["error"]["message"]
    mentions = " ".join(f"@membre{n}" for n in range(1, 4)) + " @coralie"
    refused = await post_note(client, "atelier", f"Coucou {mentions}")
    assert refused.status_code == 422
    assert "3 people at most" in refused.json()["error"]["message"]
    fine = await post_note(client, "atelier", "Mon site : https://example.org et `@a @b @c @d` en code")
    assert fine.status_code == 201


async def test_first_posts_of_new_members_can_be_held(client, app, place, factory):
    coordinator = place["coordinator"]
    await client.login_as(coordinator)
    changed = await client.api("PUT", "/api/v1/communities/atelier/moderation/settings", json={"hold_first_posts": 2})
    assert changed.status_code == 200, changed.text
    assert changed.json()["hold_first_posts"]["effective"] == 2
    newcomer = await factory.member("nouvelle")
    await factory.add_member(place["community"], newcomer)
    client.logout_locally()
    await client.login_as(newcomer)
    statuses = [(await post_note(client, "atelier", f"Bonjour, je me présente ({n})")).json()["status"]
                for n in range(3)]
    assert statuses == ["pending", "pending", "published"]
