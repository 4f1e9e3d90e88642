"""A sanctioned member who tries to take part reads why and until when, in pages and in the
API, not "your role does not allow this" (hook ``explain_refusal``)."""

from __future__ import annotations

from typing import Any

import pytest_asyncio

from tisserand.testing.client import TestClient
from tisserand.testing.factory import Factory
from tisserand.web.app import create_app


@pytest_asyncio.fixture
async def fsite(site_factory: Any) -> Any:
    return await site_factory(enabled=["forums", "moderation"])


async def _people(site: Any) -> tuple[Any, Any]:
    factory = Factory(site)
    coordinator = await factory.member("coordo")
    troll = await factory.member("trolleur")
    await factory.community("atelier", coordinator=coordinator, members={troll: "member"})
    return coordinator, troll


async def test_a_suspended_member_reads_the_end_and_the_reason_in_pages_and_api(fsite):
    coordinator, troll = await _people(fsite)
    async with TestClient.for_app(create_app(fsite, run_scheduler=False)) as staff, \
            TestClient.for_app(create_app(fsite, run_scheduler=False)) as member:
        await staff.login_as(coordinator)
        given = await staff.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                                json={"kind": "suspend", "reason": "Harcèlement répété"})
        assert given.status_code == 201, given.text
        await member.login_as(troll)
        api = await member.api("POST", "/api/v1/communities/atelier/forum/topics",
                               json={"title": "Encore moi", "body": "Bonjour"})
        assert api.status_code == 403
        message = api.json()["error"]["message"]
        assert "suspended from" in message and "until" in message and "Harcèlement répété" in message
        assert "role" not in message
        page = await member.post_form("/c/atelier/forum/new", {"title": "Encore moi", "body": "Bonjour"})
        assert page.status_code == 403
        assert "suspended from" in page.text and "Harcèlement répété" in page.text


async def test_a_silenced_member_reads_the_end_and_the_reason_in_pages_and_api(fsite):
    coordinator, troll = await _people(fsite)
    async with TestClient.for_app(create_app(fsite, run_scheduler=False)) as staff, \
            TestClient.for_app(create_app(fsite, run_scheduler=False)) as member:
        await staff.login_as(coordinator)
        given = await staff.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                                json={"kind": "silence", "reason": "Insultes"})
        assert given.status_code == 201, given.text
        await member.login_as(troll)
        api = await member.api("POST", "/api/v1/communities/atelier/forum/topics",
                               json={"title": "Encore moi", "body": "Bonjour"})
        assert api.status_code == 403
        assert "silenced in" in api.json()["error"]["message"] and "Insultes" in api.json()["error"]["message"]
        page = await member.post_form("/c/atelier/forum/new", {"title": "Encore moi", "body": "Bonjour"})
        assert page.status_code == 403 and "silenced in" in page.text and "Insultes" in page.text


async def test_a_sanction_end_in_the_repeated_autumn_hour_is_asked_not_guessed(fsite):
    """The sanction form reads its end in the moderator's zone, with the same DST rules as
    meet-ups: a repeated time asks which one."""
    from datetime import UTC, datetime

    import pytest

    from tisserand.errors import ValidationFailed
    from tisserand.models import Member
    from tisserand.plugins.moderation.routes_manage import parse_until

    moderator = await Member.create(username="horloge", email="horloge@example.org", password_hash="x",
                                    timezone="Europe/Paris")
    form = {"duration": "custom", "until": "2027-10-31T02:30"}
    with pytest.raises(ValidationFailed) as asked:
        parse_until(form, moderator)
    assert "happens twice" in asked.value.message and "until_fold" in asked.value.fields
    chosen = parse_until({**form, "until_fold": "1"}, moderator)
    assert chosen is not None and chosen.astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    with pytest.raises(ValidationFailed, match="does not exist"):
        parse_until({"duration": "custom", "until": "2027-03-28T02:30"}, moderator)
