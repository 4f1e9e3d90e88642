"""Shared set-up for the wiki's tests: a site with the wiki alone (so other plugins' rules,
such as moderation holds, do not blur what is tested) and a community with every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest_asyncio


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A started site with only the wiki plugin enabled."""
    return await site_factory(enabled=["wiki"])


@dataclass
class Wiki:
    """A community ``slug`` with a coordinator, an animator, two members, an observer and an outsider."""

    community: Any
    coordinator: Any
    animator: Any
    alice: Any
    bob: Any
    observer: Any
    outsider: Any

    @property
    def slug(self) -> str:
        return self.community.slug

    @property
    def url(self) -> str:
        return f"/c/{self.community.slug}/wiki"

    @property
    def api(self) -> str:
        return f"/api/v1/communities/{self.community.slug}/wiki"

    async def view(self, member: Any) -> Any:
        from tisserand.models import Community
        from tisserand.web.community import community_view

        return await community_view(await Community.get(id=self.community.id), member)

    async def save(self, member: Any, path: str, body: str, *, title: str | None = None,
                   base: int | None = None, summary: str = "", **settings: Any) -> Any:
        """Save through the service; ``base`` defaults to the page's current revision."""
        from tisserand.plugins.wiki.models import WikiPage
        from tisserand.plugins.wiki.paths import try_path
        from tisserand.plugins.wiki.service import PageEdit, save_page

        clean = try_path(path)
        page = None
        if clean:
            page = await WikiPage.get_or_none(community_id=self.community.id, path=clean).select_related("content")
        if base is None:
            base = page.current_revision if page else 0
        if title is None:
            title = page.content.title if page else path.rsplit("/", 1)[-1].capitalize()
        edit = PageEdit(title=title, body=body, summary=summary, **settings)
        return await save_page(await self.view(member), path, edit, base)


async def make_wiki(factory: Any, visibility: str = "public", slug: str | None = None) -> Wiki:
    """A community with one member per role (and one outsider)."""
    coordinator = await factory.member()
    animator, alice, bob, observer, outsider = [await factory.member() for _ in range(5)]
    community = await factory.community(slug, visibility=visibility, coordinator=coordinator,
                                        members={animator: "animator", alice: "member", bob: "member",
                                                 observer: "observer"})
    return Wiki(community, coordinator, animator, alice, bob, observer, outsider)


@pytest_asyncio.fixture
async def wiki(factory: Any) -> Wiki:
    """A public community with every role."""
    return await make_wiki(factory, slug="carnets")
