"""A community's settings for its coordinators: name, description, visibility, join policy, end
date, parent, the plugins switched on, and the role grants of every permission."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.communities import audit, parent_error, switch_plugins, validate_community
from tisserand.db import fetch_all
from tisserand.i18n import _
from tisserand.models import Community
from tisserand.permissions import CORE_PERMISSIONS, LOCKED_GRANTS, Permission, checked_grant
from tisserand.site import current_site
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form, read_form_lists
from tisserand.web.labels import ROLE_ORDER
from tisserand.web.pages.common import site_of
from tisserand.web.params import check_day

#: Grants a coordinator cannot take from coordinators (they would lock themselves out).
LOCKED = LOCKED_GRANTS


def permission_groups(view: CommunityView) -> list[tuple[str, list[Permission]]]:
    """Permissions by owner ("core" first, then each plugin switched on here)."""
    site = current_site()
    groups: list[tuple[str, list[Permission]]] = [("core", sorted(CORE_PERMISSIONS, key=lambda p: p.name))]
    for name, declared in sorted(site.plugins.per_plugin("tisserand_permissions")):
        if name in view.plugins and declared:
            groups.append((name, sorted(declared, key=lambda p: p.name)))
    return groups


async def _parent_choices(view: CommunityView) -> list[tuple[str, str]]:
    """Communities this one may be put under: ``(id, name)`` pairs (never itself)."""
    viewer = view.viewer
    assert viewer is not None
    if viewer.is_admin:
        rows = await fetch_all("SELECT id, name FROM community ORDER BY name")
    else:
        rows = await fetch_all(
            "SELECT cm.id, cm.name FROM community cm JOIN membership ms ON ms.community_id = cm.id "
            "WHERE ms.member_id = ? AND ms.state = 'active' AND ms.role = 'coordinator' ORDER BY cm.name",
            [viewer.id])
    return [(str(row["id"]), row["name"]) for row in rows if row["id"] != view.community.id]


async def _page(request: Request, view: CommunityView, status_code: int = 200, **extra: Any) -> Response:
    site = site_of(request)
    community = view.community
    grants = {p.name: site.permissions.roles_for(p.name, community)
              for _, group in permission_groups(view) for p in group}
    context = {
        "values": {"name": community.name, "description": community.description,
                   "visibility": str(community.visibility), "join_policy": str(community.join_policy),
                   "ends_on": community.ends_on.isoformat() if community.ends_on else "",
                   "parent": str(community.parent_id or "")},
        "errors": {}, "parents": await _parent_choices(view), "site_plugins": site.plugins.enabled,
        "groups": permission_groups(view), "grants": grants, "role_order": ROLE_ORDER, "locked": LOCKED,
        "overridden": set((community.grants or {}).keys()),
    }
    context.update(extra)
    return await render_community(request, view, "community/settings.html", context, tab="settings",
                                  status_code=status_code)


async def _editable(request: Request) -> CommunityView:
    view = await load_community(request, read=False)
    view.require("community.settings.edit")
    return view


async def settings_page(request: Request) -> Response:
    """The settings page (coordinators and site admins)."""
    return await _page(request, await _editable(request))


def _parse_date(raw: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return check_day(date.fromisoformat(raw))
    except ValueError:
        errors["ends_on"] = _("Enter a date like 2027-06-30.")
        return None


async def save_general(request: Request) -> Response:
    """Save name, description, visibility, join policy, planned end and parent."""
    view = await _editable(request)
    community = view.community
    site = site_of(request)
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in ("name", "description", "visibility", "join_policy",
                                                   "ends_on", "parent")}
    values["description"] = form.get("description", "")
    errors = validate_community(community.slug, values["name"], values["visibility"],
                                values["join_policy"], None, site)
    ends_on = _parse_date(values["ends_on"], errors)
    parent_id: int | None = None
    if values["parent"]:
        allowed = {value for value, _label in await _parent_choices(view)}
        parent_id = int(values["parent"]) if values["parent"] in allowed else None
        if parent_id is None:
            errors["parent"] = _("You do not coordinate this community.")
        else:
            problem = await parent_error(community, parent_id)
            if problem:
                errors["parent"] = problem
    if len(values["description"]) > 5000:
        errors["description"] = _("At most {n} characters.", n=5000)
    if errors:
        return await _page(request, view, 422, values=values, errors=errors, section="general")
    before = {"name": community.name, "visibility": str(community.visibility),
              "join_policy": str(community.join_policy)}
    community.name = values["name"]
    community.description = values["description"]
    community.visibility = values["visibility"]  # type: ignore[assignment]
    community.join_policy = values["join_policy"]  # type: ignore[assignment]
    community.ends_on = ends_on
    community.parent_id = parent_id
    await community.save(update_fields=["name", "description", "visibility", "join_policy", "ends_on",
                                        "parent_id", "updated_at"])
    after = {"name": community.name, "visibility": str(community.visibility),
             "join_policy": str(community.join_policy)}
    await audit(view.viewer, community, "community.settings",
                data={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return flash_redirect(f"/c/{community.slug}/settings", _("The settings are saved."))


async def save_plugins(request: Request) -> Response:
    """Switch plugins on or off for this community."""
    view = await _editable(request)
    chosen = (await read_form_lists(request, "plugins"))["plugins"]
    await switch_plugins(view.community, chosen, view.viewer)
    return flash_redirect(f"/c/{view.community.slug}/settings#plugins", _("The features are saved."))


async def save_grants(request: Request) -> Response:
    """Store the roles granted each permission (only where they differ from the defaults)."""
    view = await _editable(request)
    names = [p.name for _, group in permission_groups(view) for p in group]
    lists = await read_form_lists(request, *[f"grant:{name}" for name in names])
    registry = site_of(request).permissions
    grants: dict[str, list[str]] = {}
    for name in names:
        permission = registry.get(name)
        roles = checked_grant(permission, lists[f"grant:{name}"])
        if set(roles) != set(permission.roles):
            grants[name] = roles
    kept = {k: v for k, v in (view.community.grants or {}).items() if k not in names}
    await Community.filter(id=view.community.id).update(grants={**kept, **grants})
    await audit(view.viewer, view.community, "community.grants", data={"grants": grants})
    return flash_redirect(f"/c/{view.community.slug}/settings#grants", _("The permissions are saved."))


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/c/{slug}/settings", settings_page, methods=["GET"], name="community-settings"),
        Route("/c/{slug}/settings", save_general, methods=["POST"], name="community-settings-post"),
        Route("/c/{slug}/settings/plugins", save_plugins, methods=["POST"], name="community-plugins"),
        Route("/c/{slug}/settings/grants", save_grants, methods=["POST"], name="community-grants"),
    ]
