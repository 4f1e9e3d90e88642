"""Shared set-up for the meetups tests: a site with only this plugin (so other plugins' rules,
such as rate limits, do not get in the way), a community with a member per role, and a helper
to schedule meet-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest_asyncio

from tisserand.plugins.meetups.service import MeetupData, create_meetups


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A started site with the meetups plugin only."""
    return await site_factory(enabled=["meetups"])


@dataclass
class Club:
    """A public community with an organiser (animator), members, an observer and an outsider."""

    community: Any
    coordinator: Any
    organiser: Any
    alice: Any
    bob: Any
    carol: Any
    observer: Any
    outsider: Any

    @property
    def slug(self) -> str:
        return str(self.community.slug)


@pytest_asyncio.fixture
async def club(factory: Any) -> Club:
    """The community ``club`` and its people."""
    coordinator = await factory.member("coord")
    organiser = await factory.member("organiser", display_name="Olga Organiser")
    alice = await factory.member("alice", display_name="Alice Martin")
    bob = await factory.member("bob", display_name="Bob Tremblay")
    carol = await factory.member("carol")
    observer = await factory.member("observer")
    outsider = await factory.member("outsider")
    community = await factory.community("club", coordinator=coordinator, members={
        organiser: "animator", alice: "member", bob: "member", carol: "member", observer: "observer"})
    return Club(community, coordinator, organiser, alice, bob, carol, observer, outsider)


def soon(days: float = 7, hour: int = 18) -> datetime:
    """A moment ``days`` from now at ``hour``:00 UTC."""
    base = datetime.now(UTC) + timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


async def schedule(community: Any, author: Any, **fields: Any) -> Any:
    """Create one meet-up through the pipeline; returns its content item."""
    start = fields.pop("starts_at", soon())
    data = MeetupData(title=fields.pop("title", "Café"), body=fields.pop("body", "On parle **pratique**."),
                      starts_at=start, ends_at=fields.pop("ends_at", start + timedelta(hours=2)),
                      timezone=fields.pop("timezone", "Europe/Paris"), **fields)
    created = await create_meetups(community, author, data)
    return created[0]
