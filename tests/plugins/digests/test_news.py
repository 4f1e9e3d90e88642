"""A digest goes out only when something is new: reminders (a meet-up announced earlier that
is still to come) ride along with news but never make an e-mail on their own. And the preview
shows exactly the communities that the real digest holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.plugins.digests.conftest import FAST, NotesPlugin, text_part
from tisserand.plugins.digests.runner import send_digests


async def test_a_daily_digest_is_not_sent_again_for_a_meetup_already_announced(site_factory, mailbox):
    from tisserand.plugins.meetups.service import MeetupData, create_meetups
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=["digests", "meetups"],
                              config={"plugins": {"digests": {**FAST, "default_frequency": "daily"}}})
    factory = Factory(site)
    organiser = await factory.member("organiser")
    reader = await factory.member("reader")
    community = await factory.community("club", coordinator=organiser, members={reader: "member"})
    start = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    await create_meetups(community, organiser, MeetupData(
        title="Apéro des jardiniers", body="On parle compost.", starts_at=start,
        ends_at=start + timedelta(hours=2), timezone="Europe/Paris"))

    # The day it was announced: news, so the digest goes out.
    today = await send_digests(site, "daily", now=datetime.now(UTC) + timedelta(days=1))
    assert today.sent >= 1
    [first] = mailbox.to("reader@example.org")
    assert "Apéro des jardiniers" in text_part(first)

    # The next day nothing happened: the meet-up is still to come, but it is not news.
    tomorrow = await send_digests(site, "daily", now=datetime.now(UTC) + timedelta(days=2))
    assert tomorrow.sent == 0 and tomorrow.empty >= 1
    assert len(mailbox.to("reader@example.org")) == 1


async def test_the_preview_leaves_out_archived_communities_as_the_digest_does(site_factory, mailbox):
    from tisserand.communities import archive_community
    from tisserand.testing.client import TestClient
    from tisserand.testing.factory import Factory
    from tisserand.web.app import create_app

    site = await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin()},
                              config={"plugins": {"digests": dict(FAST)}})
    factory = Factory(site)
    me = await factory.member("moi")
    live = await factory.community("vivante", name="Communauté vivante", coordinator=me)
    gone = await factory.community("finie", name="Saison terminée", coordinator=me)
    await factory.content(live, me, title="Fresh news")
    await factory.content(gone, me, title="Last words of the season")
    await archive_community(gone, me)

    real = await send_digests(site, "weekly", now=datetime.now(UTC) + timedelta(days=7))
    assert real.sent == 1
    sent = text_part(mailbox.to("moi@example.org")[0])
    assert "Fresh news" in sent and "Last words of the season" not in sent

    async with TestClient.for_app(create_app(site, run_scheduler=False)) as http:
        await http.login_as(me)
        preview = (await http.get("/api/v1/me/digest/preview?period=weekly")).json()
        assert "Fresh news" in preview["text"]
        assert "Saison terminée" not in preview["text"] and "Last words of the season" not in preview["html"]
        # Not subscribed at that frequency: the preview shows all communities a digest could
        # hold, still without the archived one.
        monthly = (await http.get("/api/v1/me/digest/preview?period=monthly")).json()
        assert monthly["subscribed"] is False
        assert "Saison terminée" not in monthly["text"]
