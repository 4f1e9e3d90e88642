"""Hook implementations of the resources plugin: a community's library of documents and links.

Each resource is a Content row (kind ``resources.resource``: title, Markdown description) with
its own row for the link, the file (an upload of the core), tags, licence (the core's list,
shared with the wiki), visibility (``public`` or ``members``) and versions. Files are stored,
checked and served by the core's uploads service; who may fetch them follows the resource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.permissions import ALL_ROLES, STAFF, WRITERS, Permission

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.models import Community, Content, Member
    from tisserand.nav import NavItem
    from tisserand.site import Site

KIND = "resources.resource"


@hookimpl
def tisserand_models() -> list[str]:
    """The resources' tables."""
    return ["tisserand.plugins.resources.models"]


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Everyone reads; members share; coordinators and animators manage."""
    return [
        Permission("resources.view", "See the community's resources", ALL_ROLES, write=False),
        Permission("resources.share", "Share resources and add versions of one's own", WRITERS),
        Permission("resources.manage", "Edit, feature and delete any resource", STAFF),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """The pages under ``/c/{slug}/resources``."""
    from tisserand.plugins.resources.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """``/api/v1/communities/{slug}/resources``."""
    from tisserand.plugins.resources.api import api_routes

    return api_routes()


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The Resources tab."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    return [NavItem(_("Resources"), f"/c/{community.slug}/resources", 35, "resources")]


@hookimpl
def content_url(content: Content) -> str | None:
    """A resource's page."""
    if content.kind != KIND:
        return None
    from tisserand.models import Community

    community = getattr(content, "community", None)
    slug = community.slug if isinstance(community, Community) else (content.meta or {}).get("cslug")
    return f"/c/{slug}/resources/{content.id}" if slug else None


@hookimpl
def content_visible(content: Content, viewer: Member | None) -> Any:
    """Resources marked ``members`` are for active members (and admins) only — their files too."""
    if content.kind != KIND or (content.meta or {}).get("visibility") != "members":
        return None
    if viewer is None:
        return False
    if viewer.is_admin:
        return None

    async def is_member() -> bool | None:
        from tisserand.models import Membership, MembershipState

        found = await Membership.filter(member_id=viewer.id, community_id=content.community_id,
                                        state=MembershipState.ACTIVE).exists()
        return None if found else False

    return is_member()


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Request) -> Any:
    """Featured resources on the community's home page."""
    from tisserand.plugins.resources.panels import featured_panel

    return featured_panel(community, viewer, request)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """New resources of the period."""
    from tisserand.plugins.resources.panels import digest_section

    return digest_section(member, community, since, until)


@hookimpl
def legacy_sections(community: Community, viewer: Member | None) -> Any:
    """The library, on an archived community's celebration page."""
    from tisserand.plugins.resources.panels import legacy_section

    return legacy_section(community, viewer)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Resources and their versions (the files travel with the core's ``uploads``)."""
    from tisserand.plugins.resources.bundle import export_resources

    return export_resources(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore resources and versions, pointing at the imported content and files."""
    from tisserand.plugins.resources.bundle import import_resources

    return import_resources(community, bundle)


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry
    from tisserand.i18n import _

    return [DataEntry(_("Resources shared and their versions (who changed what, when)"),
                      _("The communities' library of links and documents"),
                      _("Until deleted; on closing, with the member's other texts"),
                      _("As the resource's and community's visibility allow"), "contract")]


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A few links for the demo's resources libraries."""
    from tisserand.plugins.resources.demo import demo

    return demo(site, communities, members)
