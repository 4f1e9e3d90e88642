"""Hook implementations of the wiki plugin: each hook hands over to a module with one job."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tisserand import hookimpl
from tisserand.content import Verdict
from tisserand.i18n import N_, _
from tisserand.nav import NavItem
from tisserand.permissions import STAFF, WRITERS, Permission

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.models import Community, Content, Member
    from tisserand.site import Site

KIND = "wiki.page"
MEMBERSHIP_CACHE_SECONDS = 5.0


class WikiSettings(BaseModel):
    """``[plugins.wiki]`` in tisserand.toml."""

    model_config = ConfigDict(extra="forbid")
    #: Licence of new pages in communities that did not choose one.
    default_licence: str = "CC-BY-SA-4.0"
    #: Revisions per page of a history.
    history_page_size: int = Field(50, ge=10, le=500)

    @field_validator("default_licence")
    @classmethod
    def _known(cls, value: str) -> str:
        from tisserand.plugins.wiki.licences import BY_ID

        if value not in BY_ID:
            raise ValueError(f"must be one of {', '.join(BY_ID)}")
        return value


@hookimpl
def content_kinds() -> list[str]:
    """The content this plugin owns: it leaves with the plugin."""
    return ["wiki.*"]


@hookimpl
def tisserand_models() -> list[str]:
    """The wiki's tables."""
    return ["tisserand.plugins.wiki.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """The ``[plugins.wiki]`` section."""
    return WikiSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Wiki")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who creates, edits and protects pages."""
    return [
        Permission("wiki.page.create", N_("Create wiki pages"), WRITERS),
        Permission("wiki.page.edit", N_("Edit wiki pages and restore older revisions"), WRITERS),
        Permission("wiki.page.protect", N_("Protect pages, edit protected pages, change a page's licence "
                   "and visibility"), STAFF),
        Permission("wiki.settings.edit", N_("Choose the wiki's default licence"), {"coordinator"}),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """The wiki's pages under /c/{slug}/wiki."""
    from tisserand.plugins.wiki.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """The wiki's JSON API."""
    from tisserand.plugins.wiki.api import routes

    return routes()


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The Wiki tab."""
    return [NavItem(_("Wiki"), f"/c/{community.slug}/wiki", 30, "wiki")]


@hookimpl
def content_url(content: Content) -> str | None:
    """Pages live at /c/{slug}/wiki/{path}."""
    if content.kind != KIND:
        return None
    from tisserand.plugins.wiki.links import page_url

    meta = content.meta or {}
    community = getattr(content, "_community", None)
    slug = getattr(community, "slug", None) or meta.get("slug")
    if not slug or not meta.get("path"):
        return None
    return page_url(slug, meta["path"])


@hookimpl
def markdown_setup(md: MarkdownIt) -> None:
    """``[[Page title]]`` and ``[[path|label]]`` links."""
    from tisserand.plugins.wiki.links import setup

    setup(md)


@hookimpl
def content_check(content: Content, author: Member, community: Community) -> Any:
    """Not a judgement: find which ``[[link]]`` targets exist before the body is rendered, and
    hand them to the renderer and to the page's link table in the verdict's ``data``."""
    if "[[" not in (content.body or ""):
        return None

    async def resolve_links() -> Verdict:
        from tisserand.plugins.wiki import links

        resolved = await links.resolve(community.id, links.link_targets(content.body))
        return Verdict.allow(source=links.SOURCE, data={"links": resolved})

    return resolve_links()


@hookimpl
def content_visible(content: Content, viewer: Member | None) -> Any:
    """Pages marked ``members`` are hidden from everyone but active members (and admins)."""
    if content.kind != KIND or (content.meta or {}).get("visibility") != "members":
        return None
    if viewer is None:
        return False
    if viewer.is_admin:
        return None

    community_id = content.community_id
    # One lookup per viewer and community for a few seconds, not one per item: a feed asks
    # about many pages at once (the answer is kept on this Member object only).
    known: dict[int, tuple[float, bool]] = viewer.__dict__.setdefault("_wiki_member_of", {})
    cached = known.get(community_id)
    if cached is not None and time.monotonic() - cached[0] < MEMBERSHIP_CACHE_SECONDS:
        return None if cached[1] else False

    async def is_member() -> bool | None:
        from tisserand.models import Membership, MembershipState

        found = await Membership.filter(member_id=viewer.id, community_id=community_id,
                                        state=MembershipState.ACTIVE).exists()
        known[community_id] = (time.monotonic(), found)
        return None if found else False

    return is_member()


@hookimpl
def content_status_changed(content: Content, old_status: str, new_status: str) -> Any:
    """A deleted (or restored) page changes the links that point at it."""
    if content.kind != KIND or "deleted" not in (old_status, new_status):
        return None
    from tisserand.plugins.wiki.hooks import relink_after_status

    return relink_after_status(content)


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Any) -> Any:
    """The latest wiki changes on the community's home page."""
    from tisserand.plugins.wiki.hooks import home_panel

    return home_panel(community, viewer, request)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """Pages changed during the period."""
    from tisserand.plugins.wiki.hooks import digest_sections as sections

    return sections(member, community, since, until)


@hookimpl
def legacy_sections(community: Community, viewer: Member | None) -> Any:
    """The most revised pages, for the celebration page of an archived community."""
    from tisserand.plugins.wiki.hooks import legacy_sections as sections

    return sections(community, viewer)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Every page as Markdown with front matter, plus the full history."""
    from tisserand.plugins.wiki.bundle import export_wiki

    return export_wiki(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Pages, revisions and links back from a bundle."""
    from tisserand.plugins.wiki.bundle import import_wiki

    return import_wiki(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A welcome guide with a few revisions, in French and English."""
    from tisserand.plugins.wiki.demo import populate

    return populate(site, communities, members)


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Wiki pages' revisions: who changed what, when, and why"),
                      _("The communities' shared knowledge and its history"),
                      _("As long as the page exists; on closing, with the member's other texts"),
                      _("Members who can read the page"), "contract")]
