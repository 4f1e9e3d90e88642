"""Exactly one digest per member and period: reruns, crashes, concurrent runs, stale claims."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tisserand.plugins.digests import ledger
from tisserand.plugins.digests.models import Delivery
from tisserand.plugins.digests.runner import send_digests


class PowerCut(Exception):
    """Stands for the process dying."""


class CrashingMailer:
    """Delivers through the real mailer, then dies at message ``crash_at`` (before handing it
    to the server, or just after the server accepted it)."""

    def __init__(self, real: Any, crash_at: int, *, after_send: bool = False) -> None:
        self.real = real
        self.crash_at = crash_at
        self.after_send = after_send
        self.count = 0

    async def send(self, message: Any) -> None:
        self.count += 1
        number = self.count
        if number == self.crash_at and not self.after_send:
            raise PowerCut("the machine went down before the SMTP conversation")
        await self.real.send(message)
        if number == self.crash_at:
            raise PowerCut("the machine went down after the server accepted the message")


async def _community_of(dfactory: Any, size: int) -> list[Any]:
    members = [await dfactory.member(f"m{i:02d}") for i in range(size)]
    community = await dfactory.community("ruche", coordinator=members[0],
                                         members={m: "member" for m in members[1:]})
    await dfactory.content(community, members[0], title="Honey harvest")
    return members


def _recipients(mailbox: Any) -> Counter[str]:
    return Counter(str(m["To"]).split("<")[-1].rstrip(">") for m in mailbox.messages)


async def test_a_second_run_sends_nothing(dsite, dfactory, mailbox, later):
    await _community_of(dfactory, 5)

    first = await send_digests(dsite, "weekly", now=later)
    second = await send_digests(dsite, "weekly", now=later)

    assert first.sent == 5
    assert second.due == 0 and second.sent == 0
    assert set(_recipients(mailbox).values()) == {1}


@pytest.mark.parametrize("after_send", [False, True], ids=["before-smtp", "after-smtp"])
async def test_crash_then_rerun_sends_nothing_twice(dsite, dfactory, mailbox, later, after_send):
    members = await _community_of(dfactory, 8)
    crashing = CrashingMailer(dsite.mailer, crash_at=4, after_send=after_send)

    with pytest.raises(PowerCut):
        await send_digests(dsite, "weekly", now=later, mailer=crashing)
    sent_before = len(mailbox.messages)
    # Claimed members that were not being sent were released: only the one in flight stays.
    states = Counter(await Delivery.all().values_list("state", flat=True))
    assert states["claimed"] == 0 and states["sending"] == 1

    rerun = await send_digests(dsite, "weekly", now=later)

    counts = _recipients(mailbox)
    assert max(counts.values()) == 1, counts  # nobody got two
    assert len(counts) == (8 if after_send else 7)  # the in-flight one is not sent again
    # Messages already with the server when the crash came were finished, not cut off.
    assert sent_before >= (4 if after_send else 3)
    assert rerun.sent == 8 - sent_before - (0 if after_send else 1)
    assert len(members) == 8


async def test_the_message_in_flight_during_a_crash_is_reported_uncertain(dsite_factory_uncertain, mailbox):
    site, dfactory, later = dsite_factory_uncertain
    await _community_of(dfactory, 3)
    with pytest.raises(PowerCut):
        await send_digests(site, "weekly", now=later, mailer=CrashingMailer(site.mailer, crash_at=2))

    rerun = await send_digests(site, "weekly", now=later + timedelta(seconds=1))

    assert rerun.uncertain == 1
    assert max(_recipients(mailbox).values()) == 1


async def test_two_concurrent_runs_send_nothing_twice(dsite, dfactory, mailbox, later):
    await _community_of(dfactory, 12)

    first, second = await asyncio.gather(send_digests(dsite, "weekly", now=later),
                                         send_digests(dsite, "weekly", now=later))

    counts = _recipients(mailbox)
    assert len(counts) == 12 and max(counts.values()) == 1
    assert first.sent + second.sent == 12


async def test_concurrent_runs_that_steal_claims_still_send_once(dsite_factory_uncertain, mailbox):
    # claim_timeout = 0: every claim is stale at once, so the runs keep taking members from
    # each other; the compare-and-set before sending still lets only one send.
    site, dfactory, later = dsite_factory_uncertain
    await _community_of(dfactory, 12)

    reports = await asyncio.gather(*(send_digests(site, "weekly", now=later) for _ in range(3)))

    counts = _recipients(mailbox)
    assert len(counts) == 12 and max(counts.values()) == 1
    assert sum(r.sent for r in reports) == 12


async def test_claims_of_a_killed_run_are_taken_over_after_the_timeout(dsite, dfactory, mailbox, later):
    members = await _community_of(dfactory, 4)
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    key = (await send_digests(dsite, "weekly", now=later, dry_run=True)).key
    # A run killed outright (no finally) left two claims an hour old; a live run holds one now.
    await ledger.claim([members[0].id, members[1].id], key, "digest", "dead-run", now=long_ago,
                       claim_timeout=600, max_attempts=5)
    await ledger.claim([members[2].id], key, "digest", "live-run", now=datetime.now(UTC),
                       claim_timeout=600, max_attempts=5)

    report = await send_digests(dsite, "weekly", now=later)

    assert report.sent == 3 and report.skipped == 0
    assert set(_recipients(mailbox)) == {f"{m.username}@example.org" for m in (members[0], members[1], members[3])}


async def test_dry_run_sends_and_records_nothing(dsite, dfactory, mailbox, later):
    await _community_of(dfactory, 3)

    report = await send_digests(dsite, "weekly", now=later, dry_run=True)

    assert report.sent == 3 and mailbox.messages == []
    assert await Delivery.all().count() == 0
