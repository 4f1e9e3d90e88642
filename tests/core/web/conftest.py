"""Fixtures for the core web tests: a site with no built-in plugin but a small ``probe`` plugin
that implements the web hooks (links, panels, tabs, content URLs, visibility), so these tests
check the core's pages whatever state the built-in plugins are in."""

from __future__ import annotations

from typing import Any

import pytest_asyncio
from markupsafe import Markup

from tisserand import hookimpl
from tisserand.nav import NavItem

KIND = "probe.note"


class Probe:
    """Implements the hooks the core's pages call."""

    @hookimpl
    def content_url(self, content: Any) -> str | None:
        if content.kind == KIND:
            return f"/c/{content.community.slug}/probe/{content.id}"
        return None

    @hookimpl
    def site_nav(self, request: Any, viewer: Any) -> list[NavItem]:
        return [NavItem("Probe map", "/probe-map", 50, "probe")]

    @hookimpl
    def account_links(self, viewer: Any) -> list[NavItem]:
        return [NavItem("My probe location", "/probe/location", 10, "probe")]

    @hookimpl
    def community_nav(self, community: Any, viewer: Any) -> list[NavItem]:
        return [NavItem("Probe tab", f"/c/{community.slug}/probe", 50, "probe")]

    @hookimpl
    def community_home_panels(self, community: Any, viewer: Any, request: Any) -> Markup:
        return Markup('<p class="probe-panel">Season one of {}</p>').format(community.name)

    @hookimpl
    def profile_panels(self, member: Any, viewer: Any, request: Any) -> Markup:
        return Markup('<p class="probe-profile">{} wrote 3 probes</p>').format(member.name)

    @hookimpl
    def content_visible(self, content: Any, viewer: Any) -> bool | None:
        return False if content.title == "hidden by probe" else None


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A started site with only the probe plugin (registered like a core built-in)."""
    started = await site_factory(enabled=[])
    started.plugins.pm.register(Probe(), name="probe")
    return started
