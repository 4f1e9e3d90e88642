"""Saving pages: create, edit and roll back, each save a new revision, never a lost update.

A save carries the revision it was based on. Inside the content pipeline's transaction the
page's ``current_revision`` is moved forward with a compare-and-set (``UPDATE … WHERE
current_revision = base``): when another save won in between, no row matches, the transaction
is rolled back and :class:`EditConflict` tells the caller which revision is now current.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError

from tisserand.content import WriteContext, create_content, update_content
from tisserand.errors import Conflict, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Content, Member
from tisserand.plugins.wiki import links
from tisserand.plugins.wiki.licences import DEFAULT_LICENCE, is_licence
from tisserand.plugins.wiki.models import WikiCommunitySettings, WikiLink, WikiPage, WikiRevision
from tisserand.plugins.wiki.paths import ancestors, normalize_path, title_key
from tisserand.site import current_site
from tisserand.visibility import can_see_content_status

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView

log = logging.getLogger("tisserand.wiki")
KIND = "wiki.page"
VISIBILITIES = ("public", "members")
MAX_SUMMARY = 300
REFRESH_LIMIT = 200


class EditConflict(Conflict):
    """409: someone saved the page after the revision this edit started from."""

    code = "edit_conflict"

    def __init__(self, message: str, *, current_revision: int | None, base_revision: int | None) -> None:
        super().__init__(message)
        self.current_revision = current_revision
        self.base_revision = base_revision

    def as_dict(self) -> dict[str, Any]:
        """The API error, with the revision that is now current."""
        data = super().as_dict()
        data["error"].update(current_revision=self.current_revision, base_revision=self.base_revision)
        return data


@dataclass
class PageEdit:
    """What a person submits: the text, and settings only some roles may change."""

    title: str
    body: str
    summary: str = ""
    licence: str | None = None
    visibility: str | None = None
    protected: bool | None = None


@dataclass
class SaveResult:
    """The saved page, its content and what happened (``changed`` is False for a null edit)."""

    page: WikiPage
    content: Content
    created: bool
    changed: bool = True


# --- reading ----------------------------------------------------------------------------


async def get_page(community: Community, path: str) -> WikiPage | None:
    """The page at ``path`` with its content, whatever its status, or None."""
    return await WikiPage.get_or_none(community_id=community.id, path=path).select_related("content")


def may_see(view: CommunityView, page: WikiPage, content: Content) -> bool:
    """May the viewer of ``view`` read this page (status and page visibility)?"""
    if not can_see_content_status(view.viewer, content, view.is_staff):
        return False
    return page.visibility != "members" or sees_members_pages(view)


def sees_members_pages(view: CommunityView) -> bool:
    """Active members and site admins see pages marked ``members``."""
    return view.is_member or (view.viewer is not None and view.viewer.is_admin)


async def visible_page(view: CommunityView, path: str) -> WikiPage:
    """The page at ``path`` if the viewer may read it, else 404 (never 403: it may be secret)."""
    page = await get_page(view.community, path)
    if page is None or not may_see(view, page, page.content):
        raise NotFound(_("There is no page at this address in this wiki."))
    return page


async def default_licence(community: Community) -> str:
    """The licence new pages of ``community`` get: the community's choice, else the site's."""
    row = await WikiCommunitySettings.get_or_none(community_id=community.id)
    if row is not None and is_licence(row.default_licence):
        return row.default_licence
    try:
        configured = current_site().plugin_settings("wiki").default_licence
    except KeyError:
        configured = DEFAULT_LICENCE
    return configured if is_licence(configured) else DEFAULT_LICENCE


async def set_default_licence(community: Community, chosen: str) -> str:
    """Make ``chosen`` the licence of the community's new pages (422 for an unknown licence);
    the settings page and the API both save it here."""
    if not is_licence(chosen):
        message = _("Choose a licence from the list.")
        raise ValidationFailed(message, fields={"default_licence": message})
    await WikiCommunitySettings.update_or_create(community_id=community.id, defaults={"default_licence": chosen})
    return chosen


# --- validation and rights ----------------------------------------------------------------


def clean_body(body: str) -> str:
    """Browsers send CRLF from text areas: keep one line ending."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _validate(edit: PageEdit) -> None:
    errors: dict[str, str] = {}
    if not edit.title.strip():
        errors["title"] = _("A page needs a title.")
    elif len(edit.title.strip()) > 300:
        errors["title"] = _("The title is too long (300 characters at most).")
    if len(edit.summary) > MAX_SUMMARY:
        errors["summary"] = _("The summary is too long ({limit} characters at most).", limit=MAX_SUMMARY)
    if edit.licence is not None and not is_licence(edit.licence):
        errors["licence"] = _("Choose a licence from the list.")
    if edit.visibility is not None and edit.visibility not in VISIBILITIES:
        errors["visibility"] = _("Choose who may read the page: members or everyone.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)


def can_edit(view: CommunityView, page: WikiPage | None) -> bool:
    """May the viewer edit this page (or create pages, for None)?"""
    if page is None:
        return view.can("wiki.page.create")
    if page.protected:
        return view.can("wiki.page.protect")
    return view.can("wiki.page.edit")


def _require_settings_right(view: CommunityView, page: WikiPage, edit: PageEdit) -> None:
    changes = ((edit.licence is not None and edit.licence != page.licence)
               or (edit.visibility is not None and edit.visibility != page.visibility)
               or (edit.protected is not None and edit.protected != page.protected))
    if changes:
        view.require("wiki.page.protect")


# --- saving -------------------------------------------------------------------------------


async def save_page(view: CommunityView, path: str, edit: PageEdit, base_revision: int | None, *,
                    restored_from: int | None = None) -> SaveResult:
    """Create the page at ``path`` (``base_revision`` None or 0) or save a new revision of it.

    Raises :class:`EditConflict` when ``base_revision`` is not the current revision (or the page
    appeared meanwhile), 403/401 without the right, 422 for bad input, and whatever the
    content pipeline raises (moderation, archived community).
    """
    path = normalize_path(path)
    edit.body = clean_body(edit.body)
    edit.title = edit.title.strip()
    edit.summary = edit.summary.strip()
    _validate(edit)
    page = await get_page(view.community, path)
    if page is None:
        if base_revision:
            raise NotFound(_("This page does not exist any more."))
        return await _create(view, path, edit)
    if not may_see(view, page, page.content):
        if base_revision:
            raise NotFound(_("This page does not exist any more."))
        raise Conflict(_("This address is already taken: choose another one."))
    if not can_edit(view, page):
        view.require("wiki.page.protect" if page.protected else "wiki.page.edit")
    if not base_revision:
        raise EditConflict(_("A page already exists at this address."),
                           current_revision=page.current_revision, base_revision=None)
    _require_settings_right(view, page, edit)
    if base_revision != page.current_revision:
        raise EditConflict(_("Someone saved this page after you started editing."),
                           current_revision=page.current_revision, base_revision=base_revision)
    return await _update(view, page, edit, base_revision, restored_from)


async def _create(view: CommunityView, path: str, edit: PageEdit) -> SaveResult:
    view.require("wiki.page.create")
    if edit.protected:
        view.require("wiki.page.protect")
    assert view.viewer is not None
    author: Member = view.viewer
    community = view.community
    licence = edit.licence or await default_licence(community)
    visibility = edit.visibility or "public"
    parent_id = await _nearest_ancestor(community, path)
    holder: dict[str, WikiPage] = {}

    async def save_related(content: Content, write: WriteContext) -> None:
        now = content.created_at or datetime.now(UTC)
        try:
            page = await WikiPage.create(
                content=content, community=community, path=path, parent_id=parent_id,
                title_key=title_key(edit.title), licence=licence, visibility=visibility,
                protected=bool(edit.protected), current_revision=1, created_at=now, updated_at=now,
                updated_by=author)
        except IntegrityError:
            raise EditConflict(_("Someone created a page at this address a moment ago."),
                               current_revision=1, base_revision=None) from None
        await _add_revision(page, content, author, 1, edit.summary, now, None)
        await write_links(page, content, write)
        await _adopt_children(page)
        holder["page"] = page

    meta = {"path": path, "visibility": visibility, "slug": community.slug}
    content = await create_content(kind=KIND, community=community, author=author, title=edit.title,
                                   body=edit.body, meta=meta, save_related=save_related)
    page = holder["page"]
    page.content = content
    await refresh_linking_pages(community, path, {title_key(edit.title)}, exclude=page.id)
    return SaveResult(page, content, created=True)


async def _update(view: CommunityView, page: WikiPage, edit: PageEdit, base: int,
                  restored_from: int | None) -> SaveResult:
    assert view.viewer is not None
    editor: Member = view.viewer
    content = page.content
    licence = edit.licence or page.licence
    visibility = edit.visibility or page.visibility
    protected = page.protected if edit.protected is None else edit.protected
    old_key = page.title_key
    unchanged = (content.title == edit.title and content.body == edit.body and licence == page.licence
                 and visibility == page.visibility and protected == page.protected)
    if unchanged:
        return SaveResult(page, content, created=False, changed=False)
    number = base + 1

    async def save_related(saved: Content, write: WriteContext) -> None:
        now = datetime.now(UTC)
        moved = await WikiPage.filter(id=page.id, current_revision=base).update(
            current_revision=number, title_key=title_key(edit.title), licence=licence,
            visibility=visibility, protected=protected, updated_at=now, updated_by_id=editor.id)
        if moved != 1:
            raise EditConflict(_("Someone saved this page after you started editing."),
                               current_revision=None, base_revision=base)
        await _add_revision(page, saved, editor, number, edit.summary, now, restored_from)
        await write_links(page, saved, write)

    try:
        content = await update_content(content, editor=editor, title=edit.title, body=edit.body,
                                       meta={"visibility": visibility}, save_related=save_related)
    except EditConflict as conflict:
        fresh = await WikiPage.get_or_none(id=page.id)
        conflict.current_revision = fresh.current_revision if fresh else None
        raise
    page.current_revision = number
    page.licence, page.visibility, page.protected = licence, visibility, protected
    page.title_key = title_key(edit.title)
    if page.title_key != old_key:
        await refresh_linking_pages(view.community, page.path, {old_key, page.title_key}, exclude=page.id)
    return SaveResult(page, content, created=False)


async def rollback(view: CommunityView, page: WikiPage, number: int, base_revision: int,
                   summary: str = "") -> SaveResult:
    """Restore revision ``number`` as a new revision (history is never rewritten)."""
    revision = await WikiRevision.get_or_none(page_id=page.id, number=number)
    if revision is None:
        raise NotFound(_("This revision does not exist."))
    text = summary.strip() or _("Restored revision {number}", number=number)
    edit = PageEdit(title=revision.title, body=revision.body, summary=text[:MAX_SUMMARY])
    return await save_page(view, page.path, edit, base_revision, restored_from=number)


async def _add_revision(page: WikiPage, content: Content, author: Member, number: int, summary: str,
                        when: datetime, restored_from: int | None) -> None:
    await WikiRevision.create(page=page, community_id=page.community_id, number=number,
                              author=author, author_name=author.name[:100], created_at=when,
                              summary=summary, title=content.title, body=content.body,
                              size=len(content.body), restored_from=restored_from)


# --- hierarchy and links --------------------------------------------------------------------


async def _nearest_ancestor(community: Community, path: str) -> int | None:
    candidates = ancestors(path)
    if not candidates:
        return None
    rows = await WikiPage.filter(community_id=community.id, path__in=candidates).values("id", "path")
    best = max(rows, key=lambda r: len(r["path"]), default=None)
    return best["id"] if best else None


async def _adopt_children(page: WikiPage) -> None:
    """Pages below a new page whose parent was further up now hang under it."""
    from tisserand.db import execute

    prefix = page.path + "/"
    await execute(
        "UPDATE wiki_page SET parent_id = ? WHERE community_id = ? AND substr(path, 1, ?) = ? "
        "AND id <> ? AND (parent_id IS NULL OR parent_id IN (SELECT p.id FROM wiki_page p "
        "WHERE p.community_id = ? AND length(p.path) < ?))",
        [page.id, page.community_id, len(prefix), prefix, page.id, page.community_id,
         len(page.path)])


async def write_links(page: WikiPage, content: Content, write: WriteContext | None = None) -> None:
    """Replace the page's rows in the link table from the links its body makes now (those
    the wiki's check already resolved for ``write`` are not looked up again)."""
    resolved: dict[str, links.Target] = links.resolved_in(write) or {}
    targets = links.link_targets(content.body)
    missing = targets - resolved.keys()
    if missing:
        resolved = {**resolved, **await links.resolve(page.community_id, missing)}
    rows = {(t.path[:200], t.key[:300]) for raw, t in resolved.items() if raw in targets}
    existing = set(await WikiLink.filter(source_id=page.id).values_list("target_path", "target_key"))
    if existing == rows:
        return
    await WikiLink.filter(source_id=page.id).delete()
    if rows:
        await WikiLink.bulk_create([
            WikiLink(source_id=page.id, community_id=page.community_id, target_path=path,
                     target_key=key) for path, key in sorted(rows)])


async def rerender(content: Content, community: Community) -> str:
    """Render a page's body again with fresh link targets and store the HTML."""
    resolved = await links.resolve(community.id, links.link_targets(content.body))
    html, _env = await current_site().markdown.render_async(content.body, {"community": community, "content": content,
                                                                        "wiki_links": resolved})
    await Content.filter(id=content.id).update(html=html)
    content.html = html
    return html


async def refresh_linking_pages(community: Community, path: str, keys: set[str], *,
                                exclude: int | None = None) -> int:
    """Pages linking to ``path`` or naming one of ``keys`` are drawn again (a link to a page
    that was just created is no longer a "create this page" link). Returns how many."""
    keys = {k for k in keys if k}
    marks = ",".join("?" * len(keys)) or "NULL"
    from tisserand.db import fetch_all

    rows = await fetch_all(
        "SELECT DISTINCT l.source_id FROM wiki_link l WHERE l.community_id = ? AND "
        f"(l.target_path = ? OR l.target_key IN ({marks})) ORDER BY l.source_id LIMIT ?",
        [community.id, path, *sorted(keys), REFRESH_LIMIT])
    ids = [row["source_id"] for row in rows if row["source_id"] != exclude]
    if not ids:
        return 0
    pages = await WikiPage.filter(id__in=ids).select_related("content")
    for page in pages:
        try:
            await rerender(page.content, community)
            await write_links(page, page.content)
        except Exception:  # one broken page must not stop the others
            log.exception("could not refresh wiki page %s", page.id)
    return len(pages)
