"""The work behind a few hooks: links after moderation, the home panel, digest sections."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, ngettext
from tisserand.models import Community, Content
from tisserand.plugins.wiki import queries
from tisserand.plugins.wiki.links import page_url
from tisserand.plugins.wiki.models import WikiPage, WikiRevision
from tisserand.plugins.wiki.service import refresh_linking_pages, sees_members_pages
from tisserand.site import current_site
from tisserand.web.community import community_view
from tisserand.web.templates import render_template

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Member


async def relink_after_status(content: Content) -> None:
    """Links to a page that was deleted (or restored) are drawn again."""
    page = await WikiPage.get_or_none(content_id=content.id)
    if page is None:
        return
    community = await Community.get(id=page.community_id)
    await refresh_linking_pages(community, page.path, {page.title_key}, exclude=page.id)


async def home_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """A short list of the latest changes for the community's home page."""
    view = await community_view(community, viewer)
    if not view.can_read:
        return None
    recent, _next = await queries.recent_changes(view, limit=20)
    latest: dict[str, dict[str, Any]] = {}
    for row in recent:  # newest first: keep each page's latest change
        latest.setdefault(row["path"], row)
    rows = list(latest.values())[:5]
    if not rows:
        return None
    return Markup(render_template("wiki/home_panel.html", {
        "community": community, "changes": rows, "wiki_url": f"/c/{community.slug}/wiki"}))


async def digest_sections(member: Member, community: Community, since: datetime,
                          until: datetime) -> list[DigestSection] | None:
    """Pages others changed during the period, latest first, with who changed them and a link
    to the changes of the period."""
    view = await community_view(community, member)
    if not view.can_read:
        return None
    rows = await WikiRevision.filter(
        community_id=community.id, created_at__gte=since, created_at__lt=until,
        page__content__status="published",
    ).order_by("id").values("id", "page_id", "number", "author_id", "author_name", "page__path",
                             "page__visibility", "page__content__title")
    members_ok = sees_members_pages(view)
    pages: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for row in rows:
        if row["page__visibility"] == "members" and not members_ok:
            continue
        entry = pages.setdefault(row["page_id"], {"first": row["number"], "last": row["number"],
                                                  "authors": [], "others": False, "title": "",
                                                  "path": row["page__path"]})
        entry["last"], entry["last_id"] = row["number"], row["id"]
        entry["title"] = row["page__content__title"]
        if row["author_id"] != member.id:
            entry["others"] = True
        if row["author_name"] and row["author_name"] not in entry["authors"]:
            entry["authors"].append(row["author_name"])
    site = current_site()
    items = []
    for entry in sorted(pages.values(), key=lambda e: -e["last_id"]):
        if not entry["others"]:
            continue
        url = page_url(community.slug, entry["path"])
        if entry["first"] > 1:
            url += f"/diff?from={entry['first'] - 1}&to={entry['last']}"
        count = entry["last"] - entry["first"] + 1
        detail = ngettext("{count} change by {names}", "{count} changes by {names}", count,
                          names=", ".join(entry["authors"][:3]))
        if entry["first"] == 1:
            detail = _("New page") + " · " + detail
        items.append(DigestItem(entry["title"], site.url(url), detail))
    if not items:
        return None
    return [DigestSection(_("Wiki pages"), items, order=40, plugin="wiki")]


async def legacy_sections(community: Community, viewer: Member | None) -> list[DigestSection] | None:
    """For the celebration page of an archived community: the pages most worked on."""
    from tisserand.db import fetch_all

    view = await community_view(community, viewer)
    if not view.can_read:
        return None
    rows = await fetch_all(
        "SELECT w.path, c.title, w.current_revision, (SELECT COUNT(DISTINCT r.author_name) FROM wiki_revision r "
        "WHERE r.page_id = w.id) AS contributors FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND {queries.visible_sql(view)} "
        "ORDER BY w.current_revision DESC, c.title LIMIT 10", [community.id])
    if not rows:
        return None
    site = current_site()
    items = [DigestItem(row["title"], site.url(page_url(community.slug, row["path"])),
                        ngettext("{count} revision", "{count} revisions", row["current_revision"]) + " · "
                        + ngettext("{count} contributor", "{count} contributors", row["contributors"]))
             for row in rows]
    return [DigestSection(_("The wiki's most revised pages"), items, order=40, plugin="wiki")]
