"""The wiki in an archive bundle, so the community's knowledge survives the platform.

Written under ``wiki/``:

- ``pages/<path>.md``: every page as Markdown with a front matter (title, path, licence,
  visibility, revision, dates, authors), readable with any text editor;
- ``pages.jsonl``: one row per page (ids as exported, for the import);
- ``revisions.jsonl``: the full history, every revision with its text, oldest first;
- ``settings.json``: the community's default licence.

The import reads the JSON files (the Markdown copies are for people) and draws every page again
so its links point at the new community's address.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from tisserand.bundle import BundleError
from tisserand.i18n import _
from tisserand.models import Content
from tisserand.plugins.wiki.licences import get_licence, is_licence
from tisserand.plugins.wiki.models import WikiCommunitySettings, WikiPage, WikiRevision
from tisserand.plugins.wiki.paths import title_key, try_path
from tisserand.plugins.wiki.queries import as_datetime
from tisserand.plugins.wiki.service import rerender, write_links

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

BATCH = 500
FOLDER = "wiki"


def front_matter(data: dict[str, Any]) -> str:
    """A YAML front matter block; every value is written as JSON, which YAML reads too."""
    lines = ["---"]
    for key, value in data.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


async def _pages(community: Community) -> list[dict[str, Any]]:
    return await WikiPage.filter(community_id=community.id).order_by("path").values(
        "id", "path", "parent__path", "licence", "visibility", "protected", "current_revision",
        "created_at", "updated_at", "updated_by_id", "content_id", "content__title", "content__body",
        "content__status")


async def _revisions(community: Community) -> AsyncIterator[dict[str, Any]]:
    last = 0
    while True:
        rows = await WikiRevision.filter(community_id=community.id, id__gt=last).order_by("id").limit(
            BATCH).values("id", "page__path", "number", "author_id", "author_name", "created_at",
                          "summary", "title", "body", "size", "restored_from")
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1]["id"]


async def export_wiki(community: Community, bundle: Bundle) -> None:
    """Write the wiki of ``community`` into ``bundle``."""
    pages = await _pages(community)
    authors: dict[str, set[str]] = {}
    with bundle.open_jsonl(f"{FOLDER}/revisions.jsonl") as out:
        async for row in _revisions(community):
            bundle.include_member(row["author_id"])
            if row["author_name"]:
                authors.setdefault(row["page__path"], set()).add(row["author_name"])
            out.write({"path": row["page__path"], "number": row["number"], "author_id": row["author_id"],
                       "author_name": row["author_name"], "created_at": row["created_at"],
                       "summary": row["summary"], "title": row["title"], "body": row["body"],
                       "size": row["size"], "restored_from": row["restored_from"]})
    rows = []
    for page in pages:
        bundle.include_member(page["updated_by_id"])
        licence = get_licence(page["licence"])
        rows.append({"content_id": page["content_id"], "path": page["path"], "parent": page["parent__path"],
                     "licence": page["licence"], "visibility": page["visibility"],
                     "protected": page["protected"], "current_revision": page["current_revision"],
                     "created_at": page["created_at"], "updated_at": page["updated_at"],
                     "updated_by_id": page["updated_by_id"]})
        header = front_matter({
            "title": page["content__title"], "path": page["path"], "community": community.slug,
            "licence": licence.id, "licence_name": licence.name, "licence_url": licence.url,
            "visibility": page["visibility"], "protected": page["protected"],
            "status": str(page["content__status"]), "revision": page["current_revision"],
            "created_at": page["created_at"].isoformat(), "updated_at": page["updated_at"].isoformat(),
            "authors": sorted(authors.get(page["path"], set())),
        })
        bundle.write_text(f"{FOLDER}/pages/{page['path']}.md", header + page["content__body"].rstrip() + "\n")
    bundle.write_jsonl(f"{FOLDER}/pages.jsonl", rows)
    settings = await WikiCommunitySettings.get_or_none(community_id=community.id)
    bundle.write_json(f"{FOLDER}/settings.json",
                      {"default_licence": settings.default_licence if settings else None})


def _check_page(row: Any) -> dict[str, Any]:
    if not isinstance(row, dict) or try_path(str(row.get("path", ""))) != row.get("path"):
        raise BundleError(_("The archive's wiki pages are damaged (a page has no valid address)."))
    return row


async def import_wiki(community: Community, bundle: Bundle) -> None:
    """Restore pages, their whole history and their links from ``bundle`` into ``community``."""
    if not bundle.has(f"{FOLDER}/pages.jsonl"):
        return
    pages: dict[str, WikiPage] = {}
    parents: dict[str, str | None] = {}
    for row in bundle.read_jsonl(f"{FOLDER}/pages.jsonl"):
        row = _check_page(row)
        content_id = bundle.content_id(row["content_id"])
        content = await Content.get(id=content_id)
        page = await WikiPage.create(
            content_id=content_id, community_id=community.id, path=row["path"],
            title_key=title_key(content.title),
            licence=row["licence"] if is_licence(row.get("licence", "")) else get_licence("").id,
            visibility="members" if row.get("visibility") == "members" else "public",
            protected=bool(row.get("protected")), current_revision=int(row.get("current_revision") or 1),
            created_at=as_datetime(row["created_at"]), updated_at=as_datetime(row["updated_at"]),
            updated_by_id=bundle.member_id(row.get("updated_by_id")))
        pages[page.path] = page
        parents[page.path] = row.get("parent")
        content.meta = {**(content.meta or {}), "path": page.path, "visibility": page.visibility,
                        "slug": community.slug}
        await Content.filter(id=content_id).update(meta=content.meta)
        page.content = content
    for path, parent in parents.items():
        if parent and parent in pages:
            await WikiPage.filter(id=pages[path].id).update(parent_id=pages[parent].id)
    await _import_revisions(community, bundle, pages)
    for page in pages.values():
        await rerender(page.content, community)
        await write_links(page, page.content)
    settings = bundle.read_json(f"{FOLDER}/settings.json") if bundle.has(f"{FOLDER}/settings.json") else {}
    licence = (settings or {}).get("default_licence")
    if licence and is_licence(licence):
        await WikiCommunitySettings.create(community_id=community.id, default_licence=licence)


async def _import_revisions(community: Community, bundle: Bundle, pages: dict[str, WikiPage]) -> None:
    if not bundle.has(f"{FOLDER}/revisions.jsonl"):
        raise BundleError(_("The archive's wiki has pages but no history (wiki/revisions.jsonl)."))
    batch: list[WikiRevision] = []
    for row in bundle.read_jsonl(f"{FOLDER}/revisions.jsonl"):
        page = pages.get(str(row.get("path"))) if isinstance(row, dict) else None
        if page is None:
            raise BundleError(_("The archive's wiki history names a page it does not contain."))
        body = str(row.get("body", ""))
        batch.append(WikiRevision(
            page_id=page.id, community_id=community.id, number=int(row["number"]),
            author_id=bundle.member_id(row.get("author_id")), author_name=str(row.get("author_name", ""))[:100],
            created_at=as_datetime(row["created_at"]), summary=str(row.get("summary", ""))[:300],
            title=str(row.get("title", ""))[:300], body=body, size=len(body),
            restored_from=row.get("restored_from")))
        if len(batch) >= BATCH:
            await WikiRevision.bulk_create(batch)
            batch = []
    if batch:
        await WikiRevision.bulk_create(batch)
