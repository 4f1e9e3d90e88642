"""API: communities and memberships (``/api/v1/communities``…), with the same visibility rules
as the pages: secret communities answer 404 to outsiders, private content stays with members."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import communities as ops
from tisserand.auth import member_by_username
from tisserand.communities import audit, validate_community
from tisserand.db import as_json, fetch_all, fetch_one
from tisserand.errors import Forbidden, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Member, Membership, MembershipState, Role
from tisserand.permissions import checked_grant
from tisserand.web.answers import CommunityOut, MembershipOut, PermissionOut
from tisserand.web.api import (
    PatchBody,
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    int_param,
    listing,
    read_json,
    require_viewer,
    viewer,
)
from tisserand.web.community import CommunityView, load_community
from tisserand.web.labels import ROLE_ORDER
from tisserand.web.pages.common import site_of
from tisserand.web.pages.communities import may_create
from tisserand.web.pages.feed import parse_time
from tisserand.web.pages.members import find_member, may_view_members
from tisserand.web.params import Day

RoleName = Literal["coordinator", "animator", "sponsor", "member", "observer"]


class CommunityIn(BaseModel):
    """A new community (its creator becomes coordinator)."""

    model_config = ConfigDict(extra="forbid")
    slug: str = Field(max_length=64, description="The address: /c/{slug}")
    name: str = Field(max_length=200)
    description: str = Field("", max_length=5000, description="Markdown")
    visibility: Literal["public", "private", "secret"] = "public"
    join_policy: Literal["open", "request", "invite"] = "open"
    plugins: list[str] | None = Field(None, description="Plugins switched on; null means all")
    ends_on: Day | None = None
    parent: str | None = Field(None, description="Slug of the parent community")


class CommunityPatch(PatchBody):
    """Changes to a community's settings (absent fields stay as they are; ``null`` only clears
    ``plugins``, ``ends_on`` and ``grants``)."""

    nullable = frozenset({"plugins", "ends_on", "grants"})
    name: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    visibility: Literal["public", "private", "secret"] | None = None
    join_policy: Literal["open", "request", "invite"] | None = None
    plugins: list[str] | None = None
    ends_on: Day | None = None
    grants: dict[str, list[RoleName]] | None = Field(None, description="Permission → roles, overrides")


class MemberIn(BaseModel):
    """``{}`` to join (or ask to join) as oneself; ``{"username": ...}`` to invite someone."""

    model_config = ConfigDict(extra="forbid")
    username: str | None = Field(None, max_length=254, description="Username or e-mail to invite")
    role: RoleName = "member"


class MemberPatch(BaseModel):
    """A new role, and/or ``state: "active"`` to accept a request to join."""

    model_config = ConfigDict(extra="forbid")
    role: RoleName | None = None
    state: Literal["active"] | None = None


def community_json(community: Community, view: CommunityView | None, parent_slug: str | None) -> dict[str, Any]:
    """A community as the API shows it."""
    from tisserand.site import current_site

    membership = view.membership if view is not None else None
    return {
        "slug": community.slug, "name": community.name, "description": community.description,
        "visibility": community.visibility, "join_policy": community.join_policy, "parent": parent_slug,
        "plugins": current_site().plugins.community_plugins(community), "status": community.status,
        "ends_on": community.ends_on, "archived_at": community.archived_at,
        "member_count": community.member_count, "created_at": community.created_at,
        "role": view.role if view is not None else None,
        "membership": str(membership.state) if membership is not None else None,
        "url": f"/c/{community.slug}",
    }


def membership_json(membership: Membership, member: Member, slug: str) -> dict[str, Any]:
    """A membership as the API shows it."""
    return {"community": slug, "username": member.username, "display_name": member.display_name,
            "role": membership.role, "state": membership.state, "created_at": membership.created_at}


async def _parent_slug(community: Community) -> str | None:
    parent_id = community.parent_id
    if parent_id is None:
        return None
    row = await fetch_one("SELECT slug FROM community WHERE id = ?", [parent_id])
    return row["slug"] if row else None


@documented(body={"POST": CommunityIn}, status={"GET": 200, "POST": 201}, listing=True, tags=["communities"],
            answer=CommunityOut,
            query={"cursor": "the previous page's next", "limit": "1 to 100"})
async def communities(request: Request) -> Response:
    """List the communities I may know of (GET), or create one (POST, I become coordinator)."""
    if request.method == "POST":
        return await _create(request)
    current = viewer(request)
    limit = int_param(request, "limit", 50, low=1, high=100)
    after = decode_cursor(request.query_params.get("cursor"))
    admin = current is not None and current.is_admin
    filters = ["1=1" if admin else "(cm.visibility <> 'secret' OR ms.state IN ('active', 'invited'))"]
    params: list[Any] = [current.id if current else 0]
    if after:
        filters.append("cm.slug > ?")
        params.append(str(after[0]))
    rows = await fetch_all(
        "SELECT cm.slug, cm.name, cm.description, cm.visibility, cm.join_policy, cm.status, cm.member_count, "
        "cm.plugins, cm.ends_on, cm.created_at, p.slug AS parent, ms.role, ms.state FROM community cm "
        "LEFT JOIN community p ON p.id = cm.parent_id "
        "LEFT JOIN membership ms ON ms.community_id = cm.id AND ms.member_id = ? "
        f"WHERE {' AND '.join(filters)} ORDER BY cm.slug LIMIT ?", [*params, limit + 1])
    site = site_of(request)
    items = []
    for row in rows[:limit]:
        switched = Community(plugins=as_json(row["plugins"]))
        items.append({
            "slug": row["slug"], "name": row["name"], "description": row["description"],
            "visibility": row["visibility"], "join_policy": row["join_policy"], "status": row["status"],
            "member_count": row["member_count"], "parent": row["parent"], "ends_on": row["ends_on"],
            "plugins": site.plugins.community_plugins(switched), "created_at": parse_time(row["created_at"]),
            "role": row["role"] if row["state"] == "active" else None, "membership": row["state"],
            "url": f"/c/{row['slug']}",
        })
    return listing(items, encode_cursor(rows[limit - 1]["slug"]) if len(rows) > limit else None)


async def _create(request: Request) -> Response:
    member = require_viewer(request)
    if not may_create(member):
        raise Forbidden(_("Only site administrators can create communities on this site."))
    body = await read_json(request, CommunityIn)
    parent = None
    if body.parent:
        parent = await Community.get_or_none(slug=body.parent)
        membership = await Membership.get_or_none(member_id=member.id, community_id=parent.id) if parent else None
        coordinates = membership is not None and membership.state == MembershipState.ACTIVE \
            and membership.role == Role.COORDINATOR
        if parent is None or not (member.is_admin or coordinates):
            raise ValidationFailed(_("You do not coordinate this community."),
                                   fields={"parent": _("You do not coordinate this community.")})
    community = await ops.create_community(
        member, slug=body.slug, name=body.name, description=body.description, visibility=body.visibility,
        join_policy=body.join_policy, plugins=body.plugins, ends_on=body.ends_on, parent=parent)
    view = await load_community(request, slug=community.slug, read=False)
    return answer(community_json(community, view, body.parent), status_code=201,
                  headers={"Location": f"/api/v1/communities/{community.slug}"})


@documented(body={"PATCH": CommunityPatch}, tags=["communities"], answer=CommunityOut)
async def community(request: Request) -> Response:
    """A community with its plugins, status, member count and my role (GET); change its
    settings (PATCH, coordinators)."""
    view = await load_community(request, read=False)
    if request.method == "PATCH":
        await _patch(request, view)
    return answer(community_json(view.community, view, await _parent_slug(view.community)))


async def _patch(request: Request, view: CommunityView) -> None:
    view.require("community.settings.edit")
    body = await read_json(request, CommunityPatch)
    community = view.community
    site = site_of(request)
    changes = body.model_dump(exclude_unset=True)
    errors = validate_community(community.slug, changes.get("name", community.name),
                                changes.get("visibility", str(community.visibility)),
                                changes.get("join_policy", str(community.join_policy)),
                                changes.get("plugins"), site)
    for name in changes.get("grants") or {}:
        try:
            site.permissions.get(name)
        except KeyError:
            errors["grants"] = _("Unknown permission: {name}.", name=name)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    if "grants" in changes:
        asked = {name: checked_grant(site.permissions.get(name), roles or [])
                 for name, roles in (changes["grants"] or {}).items()}
        changes["grants"] = {**(community.grants or {}), **asked}
    if changes.get("plugins") is not None:
        changes["plugins"] = site.plugins.switches_for(changes["plugins"])
    for name, value in changes.items():
        setattr(community, name, value)
    if changes:
        await community.save(update_fields=[*changes, "updated_at"])
        await audit(view.viewer, community, "community.settings", data={"fields": sorted(changes)})


@documented(body={"POST": MemberIn}, status={"GET": 200, "POST": 201}, listing=True, tags=["members"],
            answer=MembershipOut,
            query={"state": "active (default), requested or invited", "cursor": "the previous page's next",
                   "limit": "1 to 200"})
async def members(request: Request) -> Response:
    """The members with their roles (GET); join, ask to join or accept an invitation with
    ``{}``, or invite someone with ``{"username"}`` (POST)."""
    if request.method == "POST":
        return await _join_or_invite(request)
    view = await load_community(request)
    if not may_view_members(view):
        view.require("community.view_members")
    state = request.query_params.get("state", "active")
    if state not in ("active", "requested", "invited"):
        raise ValidationFailed(_("state must be active, requested or invited."), fields={"state": state})
    if state != "active":
        view.require("community.members.invite" if state == "invited" else "community.members.manage")
    limit = int_param(request, "limit", 100, low=1, high=200)
    after = decode_cursor(request.query_params.get("cursor"))
    filters, params = ["ms.community_id = ?", "ms.state = ?"], [view.community.id, state]
    if after:
        filters.append("m.username > ?")
        params.append(str(after[0]))
    rows = await fetch_all(
        "SELECT m.username, m.display_name, ms.role, ms.state, ms.created_at FROM membership ms "
        f"JOIN member m ON m.id = ms.member_id WHERE {' AND '.join(filters)} ORDER BY m.username LIMIT ?",
        [*params, limit + 1])
    items = [{"community": view.community.slug, "username": r["username"], "display_name": r["display_name"],
              "role": r["role"], "state": r["state"], "created_at": parse_time(r["created_at"])} for r in rows[:limit]]
    return listing(items, encode_cursor(rows[limit - 1]["username"]) if len(rows) > limit else None)


async def _join_or_invite(request: Request) -> Response:
    current = require_viewer(request)
    body = await read_json(request, MemberIn)
    if not body.username:
        view = await load_community(request, read=False)
        membership = await ops.join(current, view.community)
        return answer(membership_json(membership, current, view.community.slug), status_code=201)
    view = await load_community(request)
    view.require("community.members.invite")
    if body.role != "member":
        view.require("community.members.manage")
    who = body.username.strip().lower().lstrip("@")
    invitee = await find_member(who)
    if invitee is None:
        raise NotFound(_("No account matches “{who}”.", who=who))
    membership = await ops.invite(current, view.community, invitee, role=Role(body.role))
    return answer(membership_json(membership, invitee, view.community.slug), status_code=201)


async def _target(view: CommunityView, username: str) -> tuple[Member, Membership]:
    member = await member_by_username(username.lower())
    membership = None
    if member is not None:
        membership = await Membership.get_or_none(member_id=member.id, community_id=view.community.id)
    if member is None or membership is None:
        raise NotFound(_("This person is not in this community."))
    return member, membership


@documented(body={"PUT": MemberPatch}, status={"PUT": 200, "DELETE": 204}, tags=["members"], answer=MembershipOut)
async def member(request: Request) -> Response:
    """Change a member's role or accept their request (PUT, coordinators); leave, or remove
    someone (DELETE)."""
    current = require_viewer(request)
    view = await load_community(request, read=False)
    target, membership = await _target(view, request.path_params["username"])
    if request.method == "DELETE":
        if target.id != current.id:
            view.require("community.members.manage")
        await ops.leave(target, view.community, actor=current)
        return Response(status_code=204)
    view.require("community.members.manage")
    body = await read_json(request, MemberPatch)
    if body.state == "active":
        membership = await ops.approve(current, membership)
    if body.role is not None:
        membership = await ops.set_role(current, view.community, target, body.role)
    return answer(membership_json(membership, target, view.community.slug))


@documented(tags=["communities"], listing=True, answer=PermissionOut)
async def permissions(request: Request) -> Response:
    """The permission grid of a community, as its settings page shows it (coordinators and site
    admins): each permission with its ``owner`` (``core`` or a plugin switched on here), its
    description in the reader's language, the ``roles`` granted here, the ``default_roles``,
    whether a coordinator ``overridden`` the defaults, whether it is a ``write`` permission
    (observers never get those) and the ``locked_role`` that always keeps it. Change it with
    ``PATCH /communities/{slug}`` ``{grants}``."""
    from tisserand.web.pages.settings import LOCKED, permission_groups

    require_viewer(request)
    view = await load_community(request, read=False)
    view.require("community.settings.edit")
    registry = site_of(request).permissions
    overridden = set((view.community.grants or {}).keys())
    items = [{
        "name": p.name, "owner": owner, "description": _(p.description),
        "roles": sorted(registry.roles_for(p.name, view.community), key=ROLE_ORDER.index),
        "default_roles": sorted(p.roles, key=ROLE_ORDER.index), "overridden": p.name in overridden,
        "write": p.write, "locked_role": LOCKED.get(p.name),
    } for owner, group in permission_groups(view) for p in group]
    return listing(items, None)


def routes() -> list[BaseRoute]:
    """API routes (relative to /api/v1)."""
    return [
        Route("/communities", communities, methods=["GET", "POST"], name="communities"),
        Route("/communities/{slug}", community, methods=["GET", "PATCH"], name="community"),
        Route("/communities/{slug}/members", members, methods=["GET", "POST"], name="members"),
        Route("/communities/{slug}/members/{username}", member, methods=["PUT", "DELETE"], name="member"),
        Route("/communities/{slug}/permissions", permissions, methods=["GET"], name="permissions"),
    ]
