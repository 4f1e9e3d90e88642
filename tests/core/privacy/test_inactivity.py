"""Inactive accounts: an optional policy that warns by e-mail (in the member's language), then
anonymizes through the closing path; signing in stops it; admins and last coordinators are kept
and the admins told."""

from datetime import UTC, datetime, timedelta

import pytest

from tisserand.inactivity import apply_inactivity_policy
from tisserand.models import Content, Member

POLICY = {"privacy": {"inactive_after_days": 365, "inactive_warning_days": 30}}


async def _idle(member, days):
    await Member.filter(id=member.id).update(last_seen_at=datetime.now(UTC) - timedelta(days=days))


async def _warning_ages(member, days):
    await Member.filter(id=member.id).update(inactivity_warned_at=datetime.now(UTC) - timedelta(days=days))


async def test_off_by_default(site, factory):
    alice = await factory.member("alice")
    await _idle(alice, 4000)
    report = await apply_inactivity_policy(site)
    assert report.warned == [] and (await Member.get(id=alice.id)).inactivity_warned_at is None
    from tisserand.jobs import all_jobs

    assert "core.inactive_accounts" in all_jobs(site)  # the periodic job that applies it


@pytest.mark.plugins(config=POLICY)
async def test_warned_in_their_language_then_anonymized(site, factory, mailbox):
    amelie = await factory.member("amelie", locale="fr", display_name="Amélie")
    bob = await factory.member("bob")
    community = await factory.community("atelier", coordinator=bob, members={amelie: "member"})
    await Content.create(kind="test.note", community=community, author=amelie, title="Mes semis", body="x",
                         html="<p>x</p>", status="published")
    await _idle(amelie, 400)
    await _idle(bob, 10)
    report = await apply_inactivity_policy(site)
    assert report.warned == ["amelie"]
    [message] = mailbox.wait_for(1)
    assert message["To"] == "amelie@example.org"
    assert "anonymisé" in str(message["Subject"]) and "connectez-vous" in message.get_content()
    assert (await apply_inactivity_policy(site)).warned == []  # once
    await _warning_ages(amelie, 29)
    assert (await apply_inactivity_policy(site)).anonymized == []  # not yet
    await _warning_ages(amelie, 31)
    assert (await apply_inactivity_policy(site)).anonymized == ["amelie"]
    gone = await Member.get(id=amelie.id)
    assert gone.username == f"former-member-{amelie.id}" and gone.email.endswith("@invalid")
    assert not gone.is_active and gone.display_name == ""
    assert (await Content.get(author_id=amelie.id)).title == "Mes semis"  # anonymized, not deleted
    assert (await Member.get(id=bob.id)).is_active


@pytest.mark.plugins(config=POLICY)
async def test_signing_in_or_coming_back_stops_it(site, factory, client):
    alice = await factory.member("alice")
    carl = await factory.member("carl")
    for member in (alice, carl):
        await _idle(member, 400)
    assert sorted((await apply_inactivity_policy(site)).warned) == ["alice", "carl"]
    await client.login_as(alice)  # signing in clears the warning
    assert (await Member.get(id=alice.id)).inactivity_warned_at is None
    await _warning_ages(carl, 31)
    await Member.filter(id=carl.id).update(last_seen_at=datetime.now(UTC) - timedelta(days=2))  # an API script
    report = await apply_inactivity_policy(site)
    assert report.returned == ["carl"] and report.anonymized == []
    assert (await Member.get(id=carl.id)).is_active and (await Member.get(id=alice.id)).is_active


@pytest.mark.plugins(config=POLICY)
async def test_admins_and_last_coordinators_are_kept_and_the_admins_told(site, factory, mailbox):
    boss = await factory.member("boss", admin=True)
    root = await factory.member("root", admin=True, locale="en")
    coord = await factory.member("coord")
    await factory.community("seul", coordinator=coord)
    for member in (root, coord):
        await _idle(member, 400)
    await _idle(boss, 1)
    assert sorted((await apply_inactivity_policy(site)).warned) == ["coord", "root"]
    mailbox.wait_for(2)
    for member in (root, coord):
        await _warning_ages(member, 31)
    report = await apply_inactivity_policy(site)
    assert report.anonymized == [] and sorted(report.kept) == ["coord", "root"]
    told = [m for m in mailbox.wait_for(4) if m["To"] == "boss@example.org"]
    assert told and "not anonymized" in str(told[0]["Subject"])
    assert "- coord" in told[0].get_content() and "- root" in told[0].get_content()
    assert (await Member.get(id=coord.id)).is_active and (await Member.get(id=root.id)).is_active
    assert (await apply_inactivity_policy(site)).kept == []  # told again only after another period
