"""Shared set-up for the digests tests: a site with the digests plugin and a small test plugin
that contributes one digest section (the notes written in the window), so the machinery is
tested without depending on the forums, wiki or meet-ups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from tisserand import hookimpl

FAST = {"retry_delay": 0.01, "concurrency": 4, "batch_size": 3}


class NotesPlugin:
    """Lists the ``test.note`` items published in the community during the window (it trusts
    the digests plugin to ask only for communities the member may read)."""

    @hookimpl
    def digest_sections(self, member: Any, community: Any, since: Any, until: Any) -> Any:
        from tisserand.db import fetch_all
        from tisserand.digest import DigestItem, DigestSection

        async def sections() -> list[DigestSection]:
            rows = await fetch_all(
                "SELECT id, title FROM content WHERE community_id = ? AND kind = 'test.note' "
                "AND status = 'published' AND created_at >= ? AND created_at < ? ORDER BY id",
                [community.id, since.astimezone(UTC), until.astimezone(UTC)])
            if not rows:
                return []
            return [DigestSection("New notes", [DigestItem(r["title"], f"/notes/{r['id']}") for r in rows],
                                  order=10, plugin="notes")]

        return sections()


def next_week() -> datetime:
    """A moment one week from now: a weekly run then sends the week that contains today."""
    return datetime.now(UTC) + timedelta(days=7)


@pytest.fixture
def later() -> datetime:
    """See :func:`next_week`."""
    return next_week()


@pytest_asyncio.fixture
async def dsite(site_factory: Any, mailbox: Any) -> Any:
    """A site with only the digests plugin (and the notes test plugin), mail to ``mailbox``."""
    from tisserand.plugins.digests.welcome import clear_cache

    clear_cache()
    return await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin()},
                              config={"plugins": {"digests": dict(FAST)}})


@pytest_asyncio.fixture
async def dsite_factory_uncertain(site_factory: Any, mailbox: Any) -> Any:
    """``(site, factory, later)`` for a site whose claims go stale at once (claim_timeout 0)."""
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin()},
                              config={"plugins": {"digests": {**FAST, "claim_timeout": 0}}})
    return site, Factory(site), next_week()


@pytest.fixture
def dfactory(dsite: Any) -> Any:
    """Factories bound to :func:`dsite`."""
    from tisserand.testing.factory import Factory

    return Factory(dsite)


@pytest_asyncio.fixture
async def dclient(dsite: Any) -> Any:
    """An HTTP client for :func:`dsite`."""
    from tisserand.testing.client import TestClient
    from tisserand.web.app import create_app

    async with TestClient.for_app(create_app(dsite, run_scheduler=False)) as http:
        yield http


def text_part(message: Any) -> str:
    """The plain-text part of a received message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: Any) -> str:
    """The HTML part of a received message."""
    return message.get_body(preferencelist=("html",)).get_content()
