"""What the library shows elsewhere: featured resources on the community's home page, new
resources in digests, the library on an archived community's celebration page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, ngettext
from tisserand.plugins.resources.service import list_items
from tisserand.site import current_site
from tisserand.web.community import community_view

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def featured_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """A card listing the featured resources the viewer may see."""
    view = await community_view(community, viewer)
    if not view.can_read:
        return None
    items = await list_items(view, featured=True, limit=6)
    if not items:
        return None
    lines = [Markup('<li><a href="/c/{slug}/resources/{id}">{title}</a></li>').format(
        slug=community.slug, id=item.id, title=item.content.title) for item in items]
    return Markup('<section class="card resources-panel" aria-labelledby="resources-panel-title">'
                  '<h2 id="resources-panel-title">{heading}</h2><ul>{items}</ul>'
                  '<p><a href="/c/{slug}/resources">{all}</a></p></section>').format(
        heading=_("Featured resources"), items=Markup("").join(lines), slug=community.slug,
        all=_("The whole library"))


async def digest_section(member: Member, community: Community, since: Any, until: Any) -> list[DigestSection] | None:
    """Resources shared in the period that ``member`` may see."""
    view = await community_view(community, member)
    if not view.can_read:
        return None
    site = current_site()
    items = [item for item in await list_items(view, limit=50)
             if since <= item.content.created_at < until and item.content.status == "published"]
    if not items:
        return None
    lines = [DigestItem(item.content.title, site.url(f"/c/{community.slug}/resources/{item.id}"),
                        ", ".join(item.resource.tags)) for item in items[:10]]
    return [DigestSection(ngettext("{count} new resource", "{count} new resources", len(items)), lines,
                          order=45, plugin="resources")]


async def legacy_section(community: Community, viewer: Member | None) -> list[DigestSection] | None:
    """The library that outlives the community."""
    view = await community_view(community, viewer)
    if not view.can_read:
        return None
    items = [item for item in await list_items(view, limit=20) if item.content.status == "published"]
    if not items:
        return None
    site = current_site()
    lines = [DigestItem(item.content.title, site.url(f"/c/{community.slug}/resources/{item.id}"),
                        ngettext("{count} version", "{count} versions", item.resource.version))
             for item in items]
    return [DigestSection(_("The library of resources"), lines, order=45, plugin="resources")]
