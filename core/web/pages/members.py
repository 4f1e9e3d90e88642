"""A community's members page, and joining, requests, invitations, leaving and role changes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import communities as ops
from tisserand.auth import member_by_email, member_by_username
from tisserand.db import fetch_all
from tisserand.errors import Conflict, Forbidden, NotFound, ReadOnly, TisserandError
from tisserand.i18n import _
from tisserand.models import Member, Membership, MembershipState, Role
from tisserand.web.api import int_param
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.labels import role_label
from tisserand.web.pages.common import require_login

PAGE_SIZE = 100
ROLE_RANK = ("CASE ms.role WHEN 'coordinator' THEN 0 WHEN 'animator' THEN 1 WHEN 'sponsor' THEN 2 "
             "WHEN 'member' THEN 3 ELSE 4 END")


def may_view_members(view: CommunityView) -> bool:
    """Public communities show their members to everyone, others to whoever has the right."""
    return str(view.community.visibility) == "public" or view.can("community.view_members")


async def member_rows(community_id: int, state: str, offset: int = 0, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """Memberships in ``state`` with the member's names, staff first (one query)."""
    return await fetch_all(
        "SELECT m.username, m.display_name, m.avatar_upload, ms.role, ms.state, ms.created_at, ms.updated_at "
        "FROM membership ms JOIN member m ON m.id = ms.member_id "
        f"WHERE ms.community_id = ? AND ms.state = ? ORDER BY {ROLE_RANK}, m.username LIMIT ? OFFSET ?",
        [community_id, state, limit, offset])


async def members_page(request: Request) -> Response:
    """Members with their roles; requests and invitations for those who manage them."""
    view = await load_community(request)
    if not may_view_members(view):
        view.require("community.view_members")
    page = int_param(request, "page", 1, low=1, high=10_000)
    community = view.community
    active = await member_rows(community.id, "active", (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)
    manage = view.can("community.members.manage")
    requests = await member_rows(community.id, "requested") if manage else []
    invited = await member_rows(community.id, "invited") if view.can("community.members.invite") else []
    return await render_community(request, view, "community/members.html", {
        "members": active[:PAGE_SIZE], "page": page, "more": len(active) > PAGE_SIZE,
        "requests": requests, "invited": invited, "manage": manage,
        "may_invite": view.can("community.members.invite"),
        "assignable": [r.value for r in Role],
    }, tab="members")


async def find_member(who: str) -> Member | None:
    """The active account with this username or e-mail address."""
    who = who.strip().lower().lstrip("@")
    if "@" in who:
        return await member_by_email(who, is_active=True)
    return await member_by_username(who, is_active=True)


def _back(view: CommunityView, anchor: str = "") -> str:
    return f"/c/{view.community.slug}/members{anchor}"


async def _target(view: CommunityView, username: str) -> tuple[Member, Membership]:
    member = await member_by_username(username.lower())
    membership = None
    if member is not None:
        membership = await Membership.get_or_none(member_id=member.id, community_id=view.community.id)
    if member is None or membership is None:
        raise NotFound(_("This person is not in this community."))
    return member, membership


async def _run(action: Any, success: str, target: str, failure_target: str | None = None) -> Response:
    """Run a membership change; refusals come back as a message on the page, not an error page."""
    try:
        await action
    except (Conflict, Forbidden, ReadOnly, NotFound) as exc:
        return flash_redirect(failure_target or target, exc.message, kind="error")
    return flash_redirect(target, success)


async def join(request: Request) -> Response:
    """Join (open), ask to join (on request) or accept an invitation."""
    viewer = require_login(request)
    view = await load_community(request, read=False)
    home = f"/c/{view.community.slug}"
    try:
        membership = await ops.join(viewer, view.community)
    except TisserandError as exc:
        return flash_redirect(home, exc.message, kind="error")
    if membership.state == MembershipState.REQUESTED:
        return flash_redirect(home, _("Your request is sent: a coordinator will answer it soon."), kind="info")
    return flash_redirect(home, _("Welcome to {community}!", community=view.community.name))


async def leave(request: Request) -> Response:
    """Leave, cancel my request, or decline an invitation."""
    viewer = require_login(request)
    view = await load_community(request, read=False)
    was_member = view.is_member
    after = f"/c/{view.community.slug}" if str(view.community.visibility) != "secret" else "/c/"
    message = (_("You left {community}.", community=view.community.name) if was_member
               else _("Done: you are not part of {community}.", community=view.community.name))
    return await _run(ops.leave(viewer, view.community), message, after, f"/c/{view.community.slug}")


async def invite(request: Request) -> Response:
    """Invite someone by username or e-mail address."""
    view = await load_community(request)
    view.require("community.members.invite")
    form = await read_form(request)
    who = form.get("who", "").strip().lower().lstrip("@")
    role = form.get("role", "member")
    if role not in {r.value for r in Role} or (role != "member" and not view.can("community.members.manage")):
        role = "member"
    invitee = await find_member(who) if who else None
    if invitee is None:
        return flash_redirect(_back(view, "#invite"), _("No account matches “{who}”. Ask them to sign up first, "
                                                       "then invite them.", who=who), kind="error")
    assert view.viewer is not None
    return await _run(ops.invite(view.viewer, view.community, invitee, role=Role(role)),
                      _("{name} is invited.", name=invitee.name), _back(view, "#invited"))


async def approve(request: Request) -> Response:
    """Accept a request to join."""
    view = await load_community(request)
    view.require("community.members.manage")
    member, membership = await _target(view, request.path_params["username"])
    assert view.viewer is not None
    return await _run(ops.approve(view.viewer, membership), _("{name} is now a member.", name=member.name),
                      _back(view))


async def remove(request: Request) -> Response:
    """Decline a request, withdraw an invitation, or remove a member."""
    view = await load_community(request)
    view.require("community.members.manage")
    member, membership = await _target(view, request.path_params["username"])
    messages = {
        MembershipState.REQUESTED: _("The request of {name} is declined.", name=member.name),
        MembershipState.INVITED: _("The invitation of {name} is withdrawn.", name=member.name),
        MembershipState.ACTIVE: _("{name} is no longer a member.", name=member.name),
    }
    return await _run(ops.leave(member, view.community, actor=view.viewer),
                      messages[MembershipState(membership.state)], _back(view))


async def change_role(request: Request) -> Response:
    """Give a member another role."""
    view = await load_community(request)
    view.require("community.members.manage")
    member, _membership = await _target(view, request.path_params["username"])
    role = (await read_form(request)).get("role", "")
    assert view.viewer is not None
    try:
        await ops.set_role(view.viewer, view.community, member, role)
    except (Conflict, ReadOnly, NotFound) as exc:
        return flash_redirect(_back(view), exc.message, kind="error")
    return flash_redirect(_back(view), _("{name} now has the role “{role}”.", name=member.name, role=role_label(role)))


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/c/{slug}/members", members_page, methods=["GET"], name="community-members"),
        Route("/c/{slug}/join", join, methods=["POST"], name="community-join"),
        Route("/c/{slug}/leave", leave, methods=["POST"], name="community-leave"),
        Route("/c/{slug}/members/invite", invite, methods=["POST"], name="community-invite"),
        Route("/c/{slug}/members/{username}/approve", approve, methods=["POST"], name="member-approve"),
        Route("/c/{slug}/members/{username}/remove", remove, methods=["POST"], name="member-remove"),
        Route("/c/{slug}/members/{username}/role", change_role, methods=["POST"], name="member-role"),
    ]
