"""Public profiles ``/u/{username}`` (where @mentions link): name, communities and recent
content — only what the viewer may see, and the fields the member chose to show them
(:mod:`tisserand.profile_visibility`)."""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.auth import member_by_username
from tisserand.db import fetch_all
from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugin_manager import await_me_maybe
from tisserand.visibility import readable_community_ids_sql
from tisserand.web.pages.common import render, viewer_of
from tisserand.web.pages.feed import query_items

log = logging.getLogger("tisserand.web")


async def shared_memberships(member: Member, viewer: Member | None) -> list[dict[str, Any]]:
    """``member``'s communities that ``viewer`` may see them in: public ones, and those where
    the viewer is a member too (member lists of other communities are private)."""
    rows = await fetch_all(
        "SELECT cm.slug, cm.name, cm.visibility, ms.role, vm.state AS viewer_state FROM membership ms "
        "JOIN community cm ON cm.id = ms.community_id "
        "LEFT JOIN membership vm ON vm.community_id = cm.id AND vm.member_id = ? "
        "WHERE ms.member_id = ? AND ms.state = 'active' ORDER BY cm.name",
        [viewer.id if viewer is not None else 0, member.id])
    everything = viewer is not None and (viewer.is_admin or viewer.id == member.id)
    return [row for row in rows
            if everything or row["visibility"] == "public" or row["viewer_state"] == "active"]


async def profile(request: Request) -> Response:
    """A member's public profile."""
    viewer = viewer_of(request)
    member = await member_by_username(request.path_params["username"].lower())
    if member is None or (not member.is_active and not (viewer and viewer.is_admin)):
        raise NotFound(_("No member has this name."))
    visible, params = readable_community_ids_sql(viewer)
    items, next_cursor = await query_items(
        viewer, where=f"c.author_id = ? AND {visible}", params=[member.id, *params], order="recent",
        cursor=request.query_params.get("cursor"), limit=15)
    from tisserand.profile_visibility import visible_fields

    shown = await visible_fields(member, viewer)
    return await render(request, "profile.html", {
        "member": member, "shown": shown,
        "communities": await shared_memberships(member, viewer) if "communities" in shown else None,
        "items": items, "next_cursor": next_cursor,
        "panels": await profile_panels(member, viewer, request),
    })


async def profile_panels(member: Member, viewer: Member | None, request: Request) -> list[Markup]:
    """The plugins' ``profile_panels`` fragments; a failing plugin loses its panel, not the page."""
    from tisserand.site import current_site

    panels = []
    for result in current_site().hook.profile_panels(member=member, viewer=viewer, request=request):
        try:
            panel = await await_me_maybe(result)
        except Exception:
            log.exception("profile_panels failed for %s", member.username)
            continue
        if panel:
            panels.append(Markup(panel))
    return panels


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [Route("/u/{username}", profile, methods=["GET"], name="profile")]
