"""The site administration pages ``/admin``: overview, communities, members, plugins."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.accounts import deactivate_member, reactivate_member
from tisserand.auth import member_by_username
from tisserand.communities import audit
from tisserand.db import as_json, fetch_all, fetch_one
from tisserand.errors import Conflict, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.web.api import decode_cursor, encode_cursor
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.admin_jobs import jobs_page
from tisserand.web.pages.admin_privacy import register_page
from tisserand.web.pages.common import render, require_admin, site_of

MEMBERS_PAGE = 50


async def overview(request: Request) -> Response:
    """Counts and the main settings of the site."""
    require_admin(request)
    site = site_of(request)
    counts = await fetch_one(
        "SELECT (SELECT COUNT(*) FROM member WHERE is_placeholder = ?) AS members, "
        "(SELECT COUNT(*) FROM community) AS communities, "
        "(SELECT COUNT(*) FROM community WHERE status = 'archived') AS archived, "
        "(SELECT COUNT(*) FROM content WHERE status = 'published') AS contents, "
        "(SELECT COUNT(*) FROM content WHERE status = 'pending') AS pending, "
        "(SELECT COUNT(*) FROM membership WHERE state = 'requested') AS requests", [False])
    return await render(request, "admin/overview.html", {"tab": "overview", "counts": counts or {},
                                                         "settings": site.settings,
                                                         "sign_in_log": await _sign_in_log()})


async def _sign_in_log(limit: int = 30) -> list[dict[str, Any]]:
    """The latest sign-in audit lines (identity links, roles from groups, break-glass links),
    rendered in the reader's language."""
    from tisserand.models import AuditLog
    from tisserand.sso_accounts import audit_text

    lines = []
    for entry in await AuditLog.filter(action__startswith="auth.").order_by("-id").limit(limit):
        text = audit_text(entry.action, entry.data or {})
        if text:
            lines.append({"created_at": entry.created_at, "text": text})
    return lines


async def communities(request: Request) -> Response:
    """Every community, secret ones included."""
    require_admin(request)
    rows = await fetch_all(
        "SELECT cm.slug, cm.name, cm.visibility, cm.join_policy, cm.status, cm.member_count, cm.created_at, "
        "p.slug AS parent_slug, (SELECT COUNT(*) FROM content c WHERE c.community_id = cm.id "
        "AND c.status = 'published') AS contents FROM community cm "
        "LEFT JOIN community p ON p.id = cm.parent_id ORDER BY cm.name")
    return await render(request, "admin/communities.html", {"tab": "communities", "rows": rows})


async def members(request: Request) -> Response:
    """Accounts, searchable by name or address, by pages of 50."""
    require_admin(request)
    query = request.query_params.get("q", "").strip().lower()
    after = decode_cursor(request.query_params.get("cursor"))
    filters: list[str] = ["is_placeholder = ?"]
    params: list[Any] = [False]
    if query:
        filters.append("(LOWER(username) LIKE ? OR LOWER(email) LIKE ? OR LOWER(display_name) LIKE ?)")
        params += [f"%{query}%"] * 3
    if after:
        filters.append("username > ?")
        params.append(str(after[0]))
    rows = await fetch_all(
        "SELECT id, username, display_name, email, is_admin, is_active, email_verified_at, created_at, "
        f"last_seen_at FROM member WHERE {' AND '.join(filters)} ORDER BY username LIMIT ?",
        [*params, MEMBERS_PAGE + 1])
    next_cursor = encode_cursor(rows[MEMBERS_PAGE - 1]["username"]) if len(rows) > MEMBERS_PAGE else None
    return await render(request, "admin/members.html", {
        "tab": "members", "rows": rows[:MEMBERS_PAGE], "q": query, "next_cursor": next_cursor})


async def member_action(request: Request) -> Response:
    """Make or unmake an administrator, deactivate or reactivate an account."""
    admin = require_admin(request)
    member = await member_by_username(request.path_params["username"].lower())
    if member is None:
        raise NotFound(_("No member has this name."))
    action = (await read_form(request)).get("action", "")
    if action == "export":  # on the member's behalf: audit-logged, the zip is the admin's to fetch
        from tisserand.member_export import request_export
        from tisserand.web.pages.privacy import build_soon

        await request_export(site_of(request), member, requested_by=admin)
        response = flash_redirect("/me#privacy", _("The export of {name}'s data is being prepared: it will be "
                                                   "listed on your account page.", name=member.name))
        response.background = build_soon(site_of(request))
        return response
    if action not in ("make_admin", "remove_admin", "deactivate", "reactivate"):
        raise ValidationFailed(_("Unknown action."), fields={"action": action})
    if action == "deactivate":
        await deactivate_member(member, admin)
    elif action == "reactivate":
        await reactivate_member(member, admin)
    else:
        if member.id == admin.id and action == "remove_admin":
            raise Conflict(_("You cannot do this to your own account: ask another administrator."))
        await Member.filter(id=member.id).update(is_admin=action == "make_admin")
        await audit(admin, None, f"member.{action}", target_kind="member", target_id=member.id)
    messages = {
        "make_admin": _("{name} is now a site administrator.", name=member.name),
        "remove_admin": _("{name} is no longer a site administrator.", name=member.name),
        "deactivate": _("The account of {name} is deactivated and logged out everywhere.", name=member.name),
        "reactivate": _("The account of {name} is active again.", name=member.name),
    }
    return flash_redirect("/admin/members", messages[action])


async def plugins(request: Request) -> Response:
    """Installed plugins, whether they are enabled, their hooks and permissions."""
    require_admin(request)
    site = site_of(request)
    declared = {name: sorted(p.name for p in perms) for name, perms in site.plugins.per_plugin("tisserand_permissions")}
    usage = dict.fromkeys(site.plugins.enabled, 0)
    for row in await fetch_all("SELECT plugins FROM community"):
        chosen = as_json(row["plugins"])
        for name in usage:
            if chosen is None or name in chosen:
                usage[name] += 1
    return await render(request, "admin/plugins.html", {
        "tab": "plugins", "plugins": site.plugins.info(), "permissions": declared, "usage": usage})


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/admin", overview, methods=["GET"], name="admin"),
        Route("/admin/communities", communities, methods=["GET"], name="admin-communities"),
        Route("/admin/members", members, methods=["GET"], name="admin-members"),
        Route("/admin/members/{username}", member_action, methods=["POST"], name="admin-member"),
        Route("/admin/plugins", plugins, methods=["GET"], name="admin-plugins"),
        Route("/admin/jobs", jobs_page, methods=["GET"], name="admin-jobs"),
        Route("/admin/privacy/register", register_page, methods=["GET"], name="admin-privacy-register"),
    ]
