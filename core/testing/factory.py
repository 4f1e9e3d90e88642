"""Factories for tests: members, communities with roles, content — through the public API."""

from __future__ import annotations

import itertools
from typing import Any

from tisserand.auth import create_member
from tisserand.communities import create_community
from tisserand.content import create_content
from tisserand.models import Community, Content, Member, Membership, MembershipState, Role

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class Factory:
    """``await factory.member()``, ``await factory.community(members={m: "animator"})``,
    ``await factory.content(community, author)``."""

    def __init__(self, site: Any) -> None:
        self.site = site

    async def member(self, username: str | None = None, *, admin: bool = False,
                     password: str = PASSWORD, display_name: str = "", locale: str = "",
                     email: str | None = None) -> Member:
        """A new account (password: :data:`PASSWORD`)."""
        username = username or f"member{next(_counter)}"
        return await create_member(self.site.settings, username=username,
                                   email=email or f"{username}@example.org", password=password,
                                   display_name=display_name, is_admin=admin, locale=locale)

    async def community(self, slug: str | None = None, *, visibility: str = "public",
                        join_policy: str = "open", coordinator: Member | None = None,
                        members: dict[Member, str] | None = None, plugins: list[str] | None = None,
                        name: str | None = None, **kwargs: Any) -> Community:
        """A community; ``members`` maps members to roles (``"member"``, ``"animator"``…)."""
        slug = slug or f"community-{next(_counter)}"
        coordinator = coordinator or await self.member()
        community = await create_community(coordinator, slug=slug, name=name or slug.title(),
                                           visibility=visibility, join_policy=join_policy,
                                           plugins=plugins, site=self.site, **kwargs)
        for member, role in (members or {}).items():
            await self.add_member(community, member, role)
        return await Community.get(id=community.id)

    async def add_member(self, community: Community, member: Member, role: str = "member") -> Membership:
        """Make ``member`` an active member with ``role`` (no hooks, no checks)."""
        membership, _ = await Membership.update_or_create(
            member_id=member.id, community_id=community.id,
            defaults={"role": Role(role), "state": MembershipState.ACTIVE})
        count = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).count()
        await Community.filter(id=community.id).update(member_count=count)
        return membership

    async def content(self, community: Community, author: Member, *, kind: str = "test.note",
                      title: str = "A note", body: str = "Some **text**.",
                      parent: Content | None = None, **kwargs: Any) -> Content:
        """Content through the full pipeline (hooks included)."""
        return await create_content(kind=kind, community=community, author=author, title=title,
                                    body=body, parent=parent, site=self.site, **kwargs)
