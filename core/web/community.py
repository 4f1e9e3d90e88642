"""Resolve ``/c/{slug}`` for a request with the visibility rules and the plugin switches.

Every community page and API route (core or plugin) starts with :func:`load_community`, so the
rules of docs/architecture.md hold in one place: secret communities and private content answer
404 to outsiders, a plugin switched off in a community answers 404 there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tisserand.errors import NotFound, PermissionRefused, ReadOnly, Unauthorized
from tisserand.i18n import _
from tisserand.models import Community, Member, Membership
from tisserand.nav import NavItem
from tisserand.permissions import membership_of
from tisserand.visibility import can_read_community, can_see_community, is_active_member

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["CommunityView", "community_view", "load_community", "render_community"]


@dataclass
class CommunityView:
    """A community as seen by the current viewer."""

    community: Community
    viewer: Member | None
    membership: Membership | None
    can_read: bool
    plugins: list[str] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        """The viewer's role if they are an active member."""
        if self.membership is None or not is_active_member(self.membership):
            return None
        return str(self.membership.role)

    @property
    def is_member(self) -> bool:
        """Is the viewer an active member?"""
        return is_active_member(self.membership)

    @property
    def is_staff(self) -> bool:
        """Coordinator, animator or site admin."""
        if self.viewer is not None and self.viewer.is_admin:
            return True
        return self.role in ("coordinator", "animator")

    def can(self, permission: str) -> bool:
        """May the viewer do ``permission`` here?"""
        from tisserand.site import current_site

        return current_site().permissions.can(self.viewer, permission, self.community, self.membership)

    def require(self, permission: str) -> None:
        """Raise 401/403 (or 409 in an archived community) unless the viewer may."""
        if self.can(permission):
            return
        if self.viewer is None:
            raise Unauthorized(_("Log in to do this."))
        if self.community.is_archived:
            from tisserand.site import current_site

            if current_site().permissions.get(permission).write:
                raise ReadOnly(_("This community is archived: it is read-only."))
        raise PermissionRefused(_("Your role in this community does not allow this."), member=self.viewer,
                                community=self.community, permission=permission)


async def community_view(community: Community, viewer: Member | None) -> CommunityView:
    """The viewer's view of a community (one query for the membership)."""
    from tisserand.site import current_site

    membership = await membership_of(viewer, community)  # once per reading request
    return CommunityView(community, viewer, membership,
                         can_read_community(viewer, community, membership),
                         current_site().plugins.community_plugins(community))


async def _community_and_membership(slug: str, viewer: Member | None) -> tuple[Community | None, Membership | None]:
    """The community of ``slug`` and the viewer's membership in it (any state), in one raw
    query: every community page pays it, and the ORM's query building cost more than the two
    queries it replaces. The models are built from the row as the ORM builds them; the
    membership is remembered for the request (:func:`tisserand.permissions.membership_of`)."""
    from tisserand.db import fetch_one, model_columns, model_from_row
    from tisserand.permissions import remember_membership

    columns = ", ".join(f'cm."{name}"' for name in model_columns(Community))
    if viewer is None:
        row = await fetch_one(f"SELECT {columns} FROM community cm WHERE cm.slug = ?", [slug])
        return (model_from_row(Community, row) if row is not None else None), None
    ms_columns = ", ".join(f'ms."{name}" AS "ms__{name}"' for name in model_columns(Membership))
    row = await fetch_one(f"SELECT {columns}, {ms_columns} FROM community cm LEFT JOIN membership ms "
                          "ON ms.community_id = cm.id AND ms.member_id = ? WHERE cm.slug = ?", [viewer.id, slug])
    if row is None:
        return None, None
    community = model_from_row(Community, row)
    membership = None
    if row["ms__id"] is not None:
        membership = model_from_row(Membership, row, "ms__")
    remember_membership(viewer, community, membership)
    return community, membership


async def load_community(request: Request, *, slug: str | None = None, plugin: str | None = None,
                         read: bool = True) -> CommunityView:
    """The community of ``{slug}`` for this request, or 404.

    ``read=True`` (content pages) needs the right to read content; ``read=False`` (home page,
    join button) only the right to know the community exists. ``plugin`` must be switched on.
    """
    slug = slug or request.path_params.get("slug", "")
    viewer = getattr(request.state, "viewer", None)
    community, membership = await _community_and_membership(slug, viewer)
    if community is None:
        raise NotFound(_("No such community."))
    from tisserand.site import current_site

    view = CommunityView(community, viewer, membership, can_read_community(viewer, community, membership),
                         current_site().plugins.community_plugins(community))
    if not can_see_community(view.viewer, community, view.membership):
        raise NotFound(_("No such community."))
    if read and not view.can_read:
        raise NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))
    if plugin is not None and plugin not in view.plugins:
        raise NotFound(_("This feature is not switched on in this community."))
    request.state.community = view
    return view


async def community_nav(view: CommunityView) -> list[NavItem]:
    """The community's tabs: its home, then every switched-on plugin's ``community_nav``."""
    from tisserand.plugin_manager import resolve_all
    from tisserand.site import current_site

    site = current_site()
    items = [NavItem(_("Home"), f"/c/{view.community.slug}", 0, "home")]
    relay = site.plugins.for_community(view.community)
    for result in await resolve_all(relay.community_nav(community=view.community, viewer=view.viewer)):
        items.extend(result)
    if view.can("community.view_members") or view.community.visibility == "public":
        items.append(NavItem(_("Members"), f"/c/{view.community.slug}/members", 900, "members"))
    if view.can("community.settings.edit"):
        items.append(NavItem(_("Settings"), f"/c/{view.community.slug}/settings", 1000, "settings"))
    return sorted(items, key=lambda item: item.order)


async def render_community(request: Request, view: CommunityView, template: str,
                           context: dict[str, Any] | None = None, *, tab: str = "",
                           status_code: int = 200) -> Response:
    """Render a page inside the community layout (``community/layout.html``): name, status,
    tabs. ``tab`` is the ``NavItem.name`` to mark as current (a plugin's name by convention)."""
    full = {"cv": view, "community": view.community, "nav": await community_nav(view), "tab": tab,
            "parent": await visible_parent(view), **(context or {})}
    return await request.app.state.templates.render(request, template, full, status_code=status_code)


async def visible_parent(view: CommunityView) -> dict[str, Any] | None:
    """The parent community (``slug``, ``name``) when there is one the viewer may know of."""
    from tisserand.db import fetch_one

    parent_id = view.community.parent_id
    if parent_id is None:
        return None
    viewer_id = view.viewer.id if view.viewer is not None else 0
    row = await fetch_one(
        "SELECT cm.slug, cm.name, cm.visibility, ms.state AS state FROM community cm "
        "LEFT JOIN membership ms ON ms.community_id = cm.id AND ms.member_id = ? WHERE cm.id = ?",
        [viewer_id, parent_id])
    if row is None:
        return None
    admin = view.viewer is not None and view.viewer.is_admin
    if row["visibility"] == "secret" and not admin and row["state"] not in ("active", "invited"):
        return None
    return {"slug": row["slug"], "name": row["name"]}
