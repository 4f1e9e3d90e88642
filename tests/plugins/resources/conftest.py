"""A community with a coordinator, an animator, two members, and the resources plugin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest_asyncio


@dataclass
class Library:
    community: Any
    coordinator: Any
    animator: Any
    alice: Any
    bob: Any

    @property
    def url(self) -> str:
        return f"/c/{self.community.slug}/resources"

    @property
    def api(self) -> str:
        return f"/api/v1/communities/{self.community.slug}/resources"


@pytest_asyncio.fixture
async def library(site: Any, factory: Any) -> Library:
    coordinator, animator = await factory.member("coord"), await factory.member("anim")
    alice, bob = await factory.member("alice"), await factory.member("bob")
    community = await factory.community("boite", coordinator=coordinator,
                                        members={animator: "animator", alice: "member", bob: "member"})
    return Library(community, coordinator, animator, alice, bob)
