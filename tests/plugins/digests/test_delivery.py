"""Temporary SMTP errors are retried with back-off; bounces are recorded and stop e-mails."""

from __future__ import annotations

from tisserand.plugins.digests.models import Bounce, Delivery, DigestAccount
from tisserand.plugins.digests.runner import send_digests


async def _reader(dfactory):
    member = await dfactory.member("reader")
    community = await dfactory.community("place", coordinator=member)
    await dfactory.content(community, member, title="News")
    return member


async def test_temporary_errors_are_retried_within_the_run(dsite, dfactory, mailbox, later):
    await _reader(dfactory)
    mailbox.fail_next = 2  # "451 try again later", twice

    report = await send_digests(dsite, "weekly", now=later)

    assert report.sent == 1 and len(mailbox.to("reader@example.org")) == 1
    delivery = await Delivery.get()
    assert delivery.state == "sent" and delivery.attempts == 1


async def test_a_failed_digest_is_sent_by_the_next_run(dsite, dfactory, mailbox, later):
    await _reader(dfactory)
    mailbox.fail_next = 3  # as many as the retries of one run

    first = await send_digests(dsite, "weekly", now=later)
    second = await send_digests(dsite, "weekly", now=later)

    assert first.failed == 1 and first.sent == 0
    assert second.sent == 1
    assert len(mailbox.to("reader@example.org")) == 1
    assert (await Delivery.get()).attempts == 2


async def test_three_bounces_pause_and_the_member_can_resume(dsite, dfactory, mailbox, later):
    from datetime import timedelta

    from tisserand.models import Content
    from tisserand.plugins.digests.preferences import resume_email

    member = await dfactory.member("reader")
    community = await dfactory.community("place", coordinator=member)
    mailbox.refuse_permanently.add("reader@example.org")
    reports = []
    for week in range(4):
        moment = later + timedelta(weeks=week)
        await dfactory.content(community, member, title=f"News {week}")
        # Each week's note is dated inside that week's window.
        await Content.filter(title=f"News {week}").update(created_at=moment - timedelta(days=7))
        reports.append(await send_digests(dsite, "weekly", now=moment))

    assert [r.bounced for r in reports] == [1, 1, 1, 0]
    assert reports[3].due == 0
    account = await DigestAccount.get(member_id=member.id)
    assert account.bounce_count == 3 and account.email_paused_at is not None
    assert await Bounce.filter(member_id=member.id, kind="digest").count() == 3
    assert mailbox.messages == []

    await resume_email(member)
    mailbox.refuse_permanently.clear()
    final = await send_digests(dsite, "weekly", now=later + timedelta(weeks=3))
    assert final.sent == 1
    assert (await DigestAccount.get(member_id=member.id)).bounce_count == 0


async def test_a_plugin_failing_to_build_a_digest_does_not_stop_the_others(site_factory, mailbox, later):
    from typing import Any

    from tests.plugins.digests.conftest import FAST, NotesPlugin
    from tisserand import hookimpl
    from tisserand.testing.factory import Factory

    class Broken:
        @hookimpl
        def digest_sections(self, member: Any, community: Any, since: Any, until: Any) -> Any:
            if member.username == "unlucky":
                raise RuntimeError("a bug in some plugin")
            return None

    site = await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin(), "broken": Broken()},
                              config={"plugins": {"digests": {**FAST, "max_attempts": 2}}})
    factory = Factory(site)
    lucky = await factory.member("lucky")
    unlucky = await factory.member("unlucky")
    community = await factory.community("place", coordinator=lucky, members={unlucky: "member"})
    await factory.content(community, lucky, title="News")

    reports = [await send_digests(site, "weekly", now=later) for _ in range(3)]

    assert reports[0].sent == 1 and reports[0].errors == 1
    assert reports[1].errors == 1 and reports[2].due == 0  # tried max_attempts times, then left alone
    assert len(mailbox.to("lucky@example.org")) == 1 and mailbox.to("unlucky@example.org") == []
    delivery = await Delivery.get(member_id=unlucky.id)
    assert delivery.state == "failed" and "a bug in some plugin" in delivery.error
