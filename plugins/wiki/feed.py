"""The Atom feed of a wiki's recent changes: ``/c/{slug}/wiki.atom``.

Feed readers come without a session, so a private community's feed answers 404 to them, and
pages marked ``members`` are left out for anyone who is not a member.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.responses import Response

from tisserand.feeds import entry_id
from tisserand.i18n import _, get_locale
from tisserand.plugins.wiki import queries
from tisserand.plugins.wiki.links import page_url
from tisserand.site import current_site
from tisserand.text import xml_text
from tisserand.web.community import load_community

if TYPE_CHECKING:
    from starlette.requests import Request

FEED_SIZE = 50


async def atom(request: Request) -> Response:
    """Recent changes as Atom (or RSS 2.0 at ``wiki.rss``): one entry per revision, linking
    to its diff; entry ids are ``tag:`` URIs from the page's content id and the revision."""
    view = await load_community(request, plugin="wiki")
    site = current_site()
    community = view.community
    rows, _next = await queries.recent_changes(view, limit=FEED_SIZE)
    home = site.url(f"/c/{community.slug}/wiki")
    from feedgen.feed import FeedGenerator  # with lxml ~8 MiB: loaded by the first feed asked

    feed = FeedGenerator()
    feed.id(site.url(f"/c/{community.slug}/wiki.atom"))
    feed.title(xml_text(_("{community} — wiki changes", community=community.name)))
    feed.subtitle(xml_text(_("Recent changes to the pages of {community}", community=community.name)))
    feed.link(href=home, rel="alternate")
    feed.link(href=site.url(f"/c/{community.slug}/wiki.atom"), rel="self")
    feed.language(get_locale())
    feed.updated(rows[0]["created_at"] if rows else community.created_at or datetime.now(UTC))
    for row in reversed(rows):
        url = page_url(community.slug, row["path"])
        link = f"{url}/diff?from={row['number'] - 1}&to={row['number']}" if row["number"] > 1 else url
        entry = feed.add_entry()
        entry_key = entry_id(site, row["content_id"], f"revision/{row['number']}")
        entry.id(entry_key)  # stable when the page moves or is renamed
        entry.guid(entry_key, permalink=False)
        entry.title(xml_text(_("{title} (revision {number})", title=row["title"], number=row["number"])))
        entry.link(href=site.url(link), rel="alternate")
        entry.author(name=xml_text(row["author_name"] or _("Someone")))
        entry.updated(row["created_at"])
        entry.published(row["created_at"])
        summary = row["summary"] or (_("Page created") if row["number"] == 1 else _("No summary"))
        entry.summary(xml_text(summary))
    if request.url.path.endswith(".rss"):
        feed.description(xml_text(_("Recent changes to the pages of {community}", community=community.name)))
        return Response(feed.rss_str(pretty=True), media_type="application/rss+xml; charset=utf-8")
    body = feed.atom_str(pretty=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
