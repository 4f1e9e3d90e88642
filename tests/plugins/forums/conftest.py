"""Shared set-up for the forum's tests: a community with one member per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest_asyncio


@dataclass
class Forum:
    """A public community ``slug`` with a coordinator, an animator, a sponsor, two members and an observer."""

    community: Any
    coordinator: Any
    animator: Any
    sponsor: Any
    alice: Any
    bob: Any
    observer: Any

    @property
    def slug(self) -> str:
        return self.community.slug

    @property
    def url(self) -> str:
        return f"/c/{self.community.slug}/forum"

    async def view(self, member: Any) -> Any:
        from tisserand.models import Community
        from tisserand.web.community import community_view

        community = await Community.get(id=self.community.id)
        return await community_view(community, member)

    async def topic(self, author: Any, title: str = "How do you run a virtual café?",
                    body: str = "Tell me **everything**.", **kwargs: Any) -> Any:
        from tisserand.plugins.forums import service

        return await service.create_topic(await self.view(author), title=title, body=body, **kwargs)

    async def reply(self, author: Any, topic: Any, body: str = "Every first Thursday.", **kwargs: Any) -> Any:
        from tisserand.plugins.forums import service

        return await service.reply(await self.view(author), topic.id, body=body, **kwargs)


async def make_forum(factory: Any, visibility: str = "public", slug: str | None = None, prefix: str = "") -> Forum:
    """Create the community and its members."""
    coordinator = await factory.member(f"{prefix}coco", display_name="Coco Coordinatrice")
    animator = await factory.member(f"{prefix}anim", display_name="Ana Animatrice")
    sponsor = await factory.member(f"{prefix}spon", display_name="Simon Sponsor")
    alice = await factory.member(f"{prefix}alice", display_name="Alice Martin")
    bob = await factory.member(f"{prefix}bob", display_name="Bob Roy")
    observer = await factory.member(f"{prefix}obs", display_name="Olga Observatrice")
    community = await factory.community(slug or "animateurs", visibility=visibility, coordinator=coordinator,
                                        members={animator: "animator", sponsor: "sponsor", alice: "member",
                                                 bob: "member", observer: "observer"})
    return Forum(community, coordinator, animator, sponsor, alice, bob, observer)


@pytest_asyncio.fixture
async def forum(site: Any, factory: Any) -> Forum:
    """A public community with one member per role."""
    return await make_forum(factory)


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A site with only the forum enabled: these tests do not depend on other plugins' state."""
    return await site_factory(enabled=["forums"])
