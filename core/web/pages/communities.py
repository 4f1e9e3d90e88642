"""The directory ``/c/``, a community's home ``/c/{slug}`` and the creation form ``/c/new``."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.communities import create_community
from tisserand.db import fetch_all
from tisserand.errors import Conflict, Forbidden, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Member
from tisserand.plugin_manager import await_me_maybe
from tisserand.site import current_site
from tisserand.web.community import load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form, read_form_lists
from tisserand.web.pages.common import render, require_login, site_of, viewer_of
from tisserand.web.pages.feed import query_items

log = logging.getLogger("tisserand.web")
_MARKDOWN_MARKS = re.compile(r"[#*_>`\[\]]|\(https?://[^)]*\)|^\s*(?:[-+]|\d+[.)])\s+", re.MULTILINE)


def sort_key(text: str) -> str:
    """Alphabetical order that ignores case and accents ("Élus" next to "elus")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plain(text: str, limit: int = 220) -> str:
    """A short plain-text version of a Markdown description."""
    flat = " ".join(_MARKDOWN_MARKS.sub("", text or "").split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + "…"


@lru_cache(maxsize=1024)
def _render_description(text: str) -> str:
    return current_site().markdown.render(text)[0]


def description_html(text: str) -> Markup:
    """A community's description rendered from Markdown (sanitized; cached per text)."""
    return Markup(_render_description(text)) if text.strip() else Markup("")


def may_create(member: Member | None) -> bool:
    """May ``member`` create a community on this site?"""
    if member is None or not member.is_active:
        return False
    return member.is_admin or current_site().settings.site.members_create_communities


def _known(row: dict[str, Any], viewer: Member | None) -> bool:
    if row["visibility"] != "secret":
        return True
    return (viewer is not None and viewer.is_admin) or row["my_state"] in ("active", "invited")


async def visible_communities(viewer: Member | None) -> list[dict[str, Any]]:
    """Every community the viewer may know of, with their own membership (one query)."""
    rows = await fetch_all(
        "SELECT cm.id, cm.slug, cm.name, cm.description, cm.visibility, cm.join_policy, cm.parent_id, "
        "cm.member_count, cm.status, ms.state AS my_state, ms.role AS my_role FROM community cm "
        "LEFT JOIN membership ms ON ms.community_id = cm.id AND ms.member_id = ?",
        [viewer.id if viewer is not None else 0])
    return [row for row in rows if _known(row, viewer)]


def as_tree(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Top-level communities, each with its visible ``children`` (sub-communities whose parent
    the viewer may not see are shown at the top level)."""
    by_id = {row["id"]: {**row, "children": [], "excerpt": plain(row["description"])} for row in rows}
    roots: list[dict[str, Any]] = []
    for row in sorted(by_id.values(), key=lambda r: sort_key(r["name"])):
        parent = by_id.get(row["parent_id"])
        (parent["children"] if parent is not None else roots).append(row)
    return roots


def _matches(row: dict[str, Any], query: str) -> bool:
    return query in sort_key(row["name"]) or query in sort_key(row["description"] or "")


async def directory(request: Request) -> Response:
    """Every community I may know of, sub-communities under their parent (``?q=`` filters)."""
    viewer = viewer_of(request)
    rows = await visible_communities(viewer)
    query = sort_key(request.query_params.get("q", "").strip())
    if query:
        tree = [{**row, "children": [], "excerpt": plain(row["description"])}
                for row in sorted(rows, key=lambda r: sort_key(r["name"])) if _matches(row, query)]
    else:
        tree = as_tree(rows)
    mine = [row for row in rows if row["my_state"] in ("active", "invited")]
    return await render(request, "communities/directory.html", {
        "tree": tree, "q": request.query_params.get("q", ""), "count": len(rows),
        "mine": sorted(mine, key=lambda r: sort_key(r["name"])), "may_create": may_create(viewer),
    })


# Who runs the community and its sub-communities in one statement (one round trip less per
# page): the two lists share columns, typed so that PostgreSQL can unite them.
_PEOPLE_AND_CHILDREN = (
    "SELECT 0 AS part, m.username AS sort_key, m.username AS slug, m.display_name AS name, m.avatar_upload, ms.role, "
    "CAST(NULL AS TEXT) AS description, CAST(NULL AS TEXT) AS visibility, CAST(NULL AS INTEGER) AS member_count, "
    "CAST(NULL AS TEXT) AS my_state FROM (SELECT * FROM membership WHERE community_id = ? AND state = 'active' "
    "AND role IN ('coordinator', 'animator', 'sponsor')) ms JOIN member m ON m.id = ms.member_id "
    "UNION ALL "
    "SELECT 1, cm.name, cm.slug, cm.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT), cm.description, cm.visibility, "
    "cm.member_count, ms.state FROM community cm LEFT JOIN membership ms ON ms.community_id = cm.id "
    "AND ms.member_id = ? WHERE cm.parent_id = ? "
    "ORDER BY part, role, sort_key"
)
MAX_PEOPLE = 30


async def people_and_children(community: Community, viewer: Member | None, *,
                              with_people: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who runs ``community`` (coordinators, animators, sponsors: ``username``,
    ``display_name``, ``avatar_upload``, ``role``), when ``with_people``, and the
    sub-communities the viewer may know of, with their own membership state: one query."""
    viewer_id = viewer.id if viewer else 0
    people_of = community.id if with_people else None  # NULL: no one's membership matches
    people: list[dict[str, Any]] = []
    children = []
    for row in await fetch_all(_PEOPLE_AND_CHILDREN, [people_of, viewer_id, community.id]):
        if row["part"] == 0:
            people.append({"username": row["slug"], "display_name": row["name"],
                           "avatar_upload": row["avatar_upload"], "role": row["role"]})
        elif _known(row, viewer):
            children.append(row)
    return people[:MAX_PEOPLE], children


async def home_panels(site: Any, community: Community, viewer: Member | None, request: Request) -> list[Any]:
    """The ``community_home_panels`` fragments; a failing plugin loses its panel, not the page."""
    relay = site.plugins.for_community(community)
    panels = []
    for result in relay.community_home_panels(community=community, viewer=viewer, request=request):
        try:
            panel = await await_me_maybe(result)
        except Exception:
            log.exception("community_home_panels failed in %s", community.slug)
            continue
        if panel:
            panels.append(Markup(panel))
    return panels


async def community_home(request: Request) -> Response:
    """A community's home: description, members count, join button, the plugins' panels,
    recent content and sub-communities."""
    view = await load_community(request, read=False)
    community = view.community
    site = site_of(request)
    items: list[Any] = []
    next_cursor = None
    panels: list[Any] = []
    if view.can_read:
        items, next_cursor = await query_items(
            view.viewer, where="c.community_id = ?", params=[community.id],
            order="recent" if request.query_params.get("order") == "recent" else "activity",
            cursor=request.query_params.get("cursor"), limit=15)
        panels = await home_panels(site, community, view.viewer, request)
    people, children = await people_and_children(community, view.viewer, with_people=view.can_read)
    return await render_community(request, view, "community/home.html", {
        "description": description_html(community.description), "items": items,
        "next_cursor": next_cursor, "panels": panels,
        "people": people, "children": children,
        "membership_state": str(view.membership.state) if view.membership else None,
    }, tab="home")


async def _parent_choices(viewer: Member) -> list[tuple[str, str]]:
    """Communities the viewer may put a new community under: ``(id, name)`` pairs."""
    if viewer.is_admin:
        rows = await fetch_all("SELECT id, name FROM community WHERE status = 'active' ORDER BY name")
    else:
        rows = await fetch_all(
            "SELECT cm.id, cm.name FROM community cm JOIN membership ms ON ms.community_id = cm.id "
            "WHERE ms.member_id = ? AND ms.state = 'active' AND ms.role = 'coordinator' AND cm.status = 'active' "
            "ORDER BY cm.name", [viewer.id])
    return [(str(row["id"]), row["name"]) for row in rows]


def _require_creator(request: Request) -> Member:
    viewer = require_login(request)
    if not may_create(viewer):
        raise Forbidden(_("Only site administrators can create communities on this site."))
    return viewer


async def new_page(request: Request) -> Response:
    """The form to create a community."""
    viewer = _require_creator(request)
    return await render(request, "communities/new.html", {
        "values": {"visibility": "public", "join_policy": "open"}, "errors": {},
        "parents": await _parent_choices(viewer), "plugins": site_of(request).plugins.enabled,
        "chosen_plugins": site_of(request).plugins.enabled,
    })


async def create(request: Request) -> Response:
    """Create a community; its creator becomes coordinator."""
    viewer = _require_creator(request)
    site = site_of(request)
    form = await read_form(request)
    chosen = (await read_form_lists(request, "plugins"))["plugins"]
    values = {k: form.get(k, "").strip() for k in ("slug", "name", "description", "visibility",
                                                   "join_policy", "parent")}
    parents = await _parent_choices(viewer)
    context = {"values": values, "parents": parents, "plugins": site.plugins.enabled, "chosen_plugins": chosen}
    try:
        parent = None
        if values["parent"]:
            allowed = {value for value, _label in parents}
            if values["parent"] not in allowed:
                raise ValidationFailed(_("Please correct the highlighted fields."),
                                       fields={"parent": _("You do not coordinate this community.")})
            parent = await Community.get(id=int(values["parent"]))
        community = await create_community(
            viewer, slug=values["slug"], name=values["name"], description=values["description"],
            visibility=values["visibility"] or "public", join_policy=values["join_policy"] or "open",
            plugins=chosen, parent=parent, site=site)
    except (ValidationFailed, Conflict) as exc:
        return await render(request, "communities/new.html",
                            {**context, "errors": exc.fields, "message": exc.message},
                            status_code=exc.status_code)
    return flash_redirect(f"/c/{community.slug}", _("The community “{name}” is created. Welcome, coordinator!",
                                                    name=community.name))


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/c/", directory, methods=["GET"], name="directory"),
        Route("/c/new", new_page, methods=["GET"], name="community-new"),
        Route("/c/new", create, methods=["POST"], name="community-create"),
        Route("/c/{slug}", community_home, methods=["GET"], name="community"),
    ]
