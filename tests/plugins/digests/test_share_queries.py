"""A share of a digest run costs the same number of SQL statements for 10 members as for 40:
memberships, notifications, communities and ledger claims are read and written per batch, the
plugins' sections asked per community, never per member."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest_asyncio

from tisserand import hookimpl
from tisserand.models import Member, Membership, Notification
from tisserand.testing.queries import count_queries


class CachedNotes:
    """One section per community from its notes, asked once per community and run (as the
    digests plugin asks plugins to do)."""

    def __init__(self) -> None:
        self.cache: dict[int, Any] = {}

    @hookimpl
    def digest_sections(self, member: Any, community: Any, since: Any, until: Any) -> Any:
        from tisserand.db import fetch_all
        from tisserand.digest import DigestItem, DigestSection

        async def sections() -> list[DigestSection]:
            rows = await fetch_all("SELECT id, title FROM content WHERE community_id = ? AND kind = 'test.note' "
                                   "ORDER BY id", [community.id])
            return [DigestSection("New notes", [DigestItem(r["title"], f"/notes/{r['id']}") for r in rows],
                                  order=10)]

        if community.id not in self.cache:  # the task, so that members built side by side share it
            self.cache[community.id] = asyncio.ensure_future(sections())
        return self.cache[community.id]


@pytest_asyncio.fixture
async def qsite(site_factory: Any, mailbox: Any) -> Any:
    """``(site, notes plugin)``: runs take 40 members in one batch and one wave of messages."""
    notes = CachedNotes()
    site = await site_factory(enabled=["digests"], extra_plugins={"notes": notes},
                              config={"plugins": {"digests": {"concurrency": 50, "batch_size": 500}}})
    return site, notes


async def _members(prefix: str, count: int, communities: list[Any]) -> list[int]:
    await Member.bulk_create([Member(username=f"{prefix}{i}", email=f"{prefix}{i}@example.org", password_hash="",
                                     locale="fr" if i % 2 else "en") for i in range(count)])
    ids = [m.id for m in await Member.filter(username__startswith=prefix).order_by("id")]
    await Membership.bulk_create([Membership(member_id=m, community_id=c.id, role="member", state="active")
                                  for n, m in enumerate(ids) for c in (communities[n % 3], communities[(n + 1) % 3])])
    await Notification.bulk_create([Notification(member_id=m, kind="test", title=f"Hello {m}")
                                    for m in ids[::2]])
    return ids


async def _share_statements(qsite: Any, ids: list[int], later: Any) -> tuple[int, int, list[str]]:
    from tisserand.plugins.digests.runner import send_digests
    from tisserand.plugins.digests.welcome import clear_cache

    site, notes = qsite
    clear_cache()  # each share starts cold: both ask for the same three communities
    notes.cache.clear()
    with count_queries() as queries:
        report = await send_digests(site, "weekly", now=later, first_id=ids[0] - 1, last_id=ids[-1])
    return report.sent, len(queries), queries.statements


async def test_statements_per_share_do_not_grow_with_members(qsite, mailbox, later):
    from tisserand.testing.factory import Factory

    factory = Factory(qsite[0])
    author = await factory.member("autrice")
    communities = [await factory.community(f"c{n}", coordinator=author) for n in range(3)]
    for community in communities:
        await factory.content(community, author, title=f"News of {community.slug}")
    small = await _members("petit", 10, communities)
    large = await _members("grand", 40, communities)

    sent_small, statements_small, _ = await _share_statements(qsite, small, later)
    sent_large, statements_large, listing = await _share_statements(qsite, large, later)

    assert (sent_small, sent_large) == (10, 40)
    assert len(mailbox.messages) == 50
    assert statements_large <= statements_small + 2, "\n".join(listing)
