"""Counting edits of content items (``content_saved`` with ``created=False``), so that the
celebration page can list the most revised wiki pages when no plugin counts reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from tisserand.db import fetch_all
from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, ngettext
from tisserand.plugins.archive.models import EditCount

if TYPE_CHECKING:
    from tisserand.models import Community, Content

WIKI_PAGE = "wiki.page"


async def count_edit(content: Content) -> None:
    """One more edit of ``content`` (an atomic increment; the first one creates the row)."""
    now = datetime.now(UTC)
    updated = await EditCount.filter(content_id=content.id).update(edits=F("edits") + 1, last_edited_at=now)
    if updated:
        return
    try:
        await EditCount.create(content_id=content.id, community_id=content.community_id,
                               edits=1, last_edited_at=now)
    except IntegrityError:  # created meanwhile by another request
        await EditCount.filter(content_id=content.id).update(edits=F("edits") + 1, last_edited_at=now)


async def most_revised(community: Community, base_url: str = "", limit: int = 5) -> DigestSection | None:
    """The community's most revised published wiki pages, or None when none was edited."""
    from tisserand.site import current_site

    rows = await fetch_all(
        "SELECT c.id, c.kind, c.title, c.meta, e.edits FROM archive_edit_count e "
        "JOIN content c ON c.id = e.content_id WHERE e.community_id = ? AND c.kind = ? "
        "AND c.status = 'published' ORDER BY e.edits DESC, c.id LIMIT ?", [community.id, WIKI_PAGE, limit])
    if not rows:
        return None
    from tisserand.db import as_json
    from tisserand.plugins.archive.export import ContentStub

    items = []
    for row in rows:
        row["meta"] = as_json(row["meta"], {})
        row.update(status="published", parent_id=None)
        url = current_site().hook.content_url(content=ContentStub(row, community)) or ""
        revisions = int(row["edits"]) + 1
        items.append(DigestItem(row["title"] or _("Untitled"), base_url + url,
                                ngettext("{count} revision", "{count} revisions", revisions)))
    return DigestSection(_("The most revised wiki pages"), items, order=50, plugin="archive")
