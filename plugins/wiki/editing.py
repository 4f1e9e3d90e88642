"""The wiki's writing pages: new page, edit (with conflict handling), rollback, settings.

A refused save never loses what was typed: validation errors, moderation refusals and edit
conflicts all show the form again with the text. On a conflict the form holds a merged text
when both changes touch different lines, else the person's own text beside the other one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import RedirectResponse

from tisserand.content import ContentRejected
from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.wiki import links, queries
from tisserand.plugins.wiki.diffing import compare, merge
from tisserand.plugins.wiki.paths import clean_path, slugify_path, title_from_path, try_path
from tisserand.plugins.wiki.routes import breadcrumbs, load_page, page_path, render
from tisserand.plugins.wiki.service import (
    EditConflict,
    PageEdit,
    can_edit,
    default_licence,
    get_page,
    may_see,
    rollback,
    save_page,
    set_default_licence,
)
from tisserand.web.community import CommunityView, load_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


def _int(value: str | None) -> int:
    try:
        number = int(value or 0)
    except ValueError:
        return 0
    return number if 0 <= number <= 2**31 - 1 else 0


def _edit_from_form(form: dict[str, str], *, creating: bool, can_manage: bool) -> PageEdit:
    settings_allowed = creating or can_manage
    return PageEdit(
        title=form.get("title", ""), body=form.get("body", ""), summary=form.get("summary", ""),
        licence=form.get("licence") or None if settings_allowed else None,
        visibility=form.get("visibility") or None if settings_allowed else None,
        protected=("protected" in form) if can_manage and form.get("manage") == "1" else None,
    )


async def _preview(request: Request, view: CommunityView, body: str) -> str:
    from tisserand.web.preview import preview_html

    resolved = await links.resolve(view.community.id, links.link_targets(body))
    return await preview_html(request, body, {"community": view.community, "wiki_links": resolved})


async def _form(request: Request, view: CommunityView, *, path: str, values: dict[str, Any],
                base_revision: int, creating: bool, status_code: int = 200,
                error: str = "", fields: dict[str, str] | None = None,
                conflict: dict[str, Any] | None = None, preview: str | None = None) -> Response:
    slug = view.community.slug
    action = f"/c/{slug}/wiki/-/new" if creating else f"/c/{slug}/wiki/{path}/edit"
    return await render(request, view, "wiki/edit.html", {
        "creating": creating, "action": action, "path": path, "values": values,
        "base_revision": base_revision, "error": error, "fields": fields or {},
        "conflict": conflict, "preview": preview, "crumbs": await breadcrumbs(view, path) if path else [],
        "can_manage": view.can("wiki.page.protect"),
    }, status_code=status_code)


def _values(edit: PageEdit, path: str = "") -> dict[str, Any]:
    return {"title": edit.title, "body": edit.body, "summary": edit.summary, "path": path,
            "licence": edit.licence, "visibility": edit.visibility or "public",
            "protected": bool(edit.protected)}


async def _conflict(request: Request, view: CommunityView, path: str, mine: PageEdit,
                    base_revision: int) -> Response:
    """Show the form again after a lost race: the other text, ours, and a merge if possible."""
    page = await get_page(view.community, path)
    if page is None or not may_see(view, page, page.content):
        raise NotFound(_("This page does not exist any more."))
    theirs = page.content
    base = (await queries.revisions(page.id, [base_revision])).get(base_revision) if base_revision else None
    base_body, base_title = (base["body"], base["title"]) if base else ("", "")
    merged = merge(base_body, theirs.body, mine.body)
    title = mine.title if mine.title != base_title else theirs.title
    author = await Member.get_or_none(id=page.updated_by_id) if page.updated_by_id else None
    conflict = {
        "merged": merged is not None, "revision": page.current_revision, "theirs": theirs.body,
        "theirs_title": theirs.title, "mine": mine.body, "author": author.name if author else "",
        "diff": compare(theirs.body, mine.body, context=2),
    }
    values = _values(mine, path)
    values.update(title=title, body=merged if merged is not None else mine.body,
                  licence=page.licence, visibility=page.visibility, protected=page.protected)
    message = (_("Someone saved this page while you were editing. Both changes touch different "
                 "lines: check the merged text below, then save.") if merged is not None else
               _("Someone saved this page while you were editing, and both of you changed the same "
                 "lines. Your text is kept below; compare it with theirs, then save."))
    return await _form(request, view, path=path, values=values, base_revision=page.current_revision,
                       creating=False, status_code=409, error=message, conflict=conflict)


async def _submit(request: Request, view: CommunityView, path: str, form: dict[str, str], *,
                  creating: bool) -> Response:
    can_manage = view.can("wiki.page.protect")
    edit = _edit_from_form(form, creating=creating, can_manage=can_manage)
    base_revision = 0 if creating else _int(form.get("base_revision"))
    if form.get("action") == "preview":
        return await _form(request, view, path=path, values=_values(edit, path), creating=creating,
                           base_revision=base_revision, preview=await _preview(request, view, edit.body))
    try:
        result = await save_page(view, path, edit, base_revision)
    except EditConflict:
        return await _conflict(request, view, clean_path(path), edit, base_revision)
    except (ValidationFailed, ContentRejected) as exc:
        return await _form(request, view, path=path, values=_values(edit, path), creating=creating,
                           base_revision=base_revision, status_code=exc.status_code,
                           error=exc.message, fields=exc.fields)
    url = f"/c/{view.community.slug}/wiki/{result.page.path}"
    if result.content.status == "pending":
        return flash_redirect(url, _("Your changes are saved. They will be visible once a moderator "
                                     "approves them."), "warning")
    if not result.changed:
        return flash_redirect(url, _("Nothing changed: no new revision was saved."), "info")
    return flash_redirect(url, _("The page is saved."))


async def new_page(request: Request) -> Response:
    """Create a page: ``?path=`` and ``?title=`` fill the form (from a "create this page" link)."""
    view = await load_community(request, plugin="wiki")
    view.require("wiki.page.create")
    if request.method == "POST":
        form = await read_form(request)
        path = clean_path(form.get("path", "")) or slugify_path(form.get("title", ""))
        parent = clean_path(form.get("parent", ""))
        if parent and not form.get("path") and path:
            path = f"{parent}/{path}"
        return await _submit(request, view, path, form, creating=True)
    path = try_path(request.query_params.get("path", "")) or ""
    parent = try_path(request.query_params.get("parent", "")) or ""
    if path:
        existing = await get_page(view.community, path)
        if existing is not None and may_see(view, existing, existing.content):
            return RedirectResponse(f"/c/{view.community.slug}/wiki/{path}/edit", status_code=303)
    title = request.query_params.get("title", "")[:300] or (title_from_path(path) if path else "")
    values = {"title": title, "body": "", "summary": "", "path": path, "parent": parent,
              "licence": await default_licence(view.community), "visibility": "public", "protected": False}
    return await _form(request, view, path=path, values=values, base_revision=0, creating=True)


async def edit_page(request: Request) -> Response:
    """Edit a page; the form carries the revision it started from."""
    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    page = await get_page(view.community, path)
    if page is None or not may_see(view, page, page.content):
        raise NotFound(_("There is no page at this address in this wiki."))
    if not can_edit(view, page):
        view.require("wiki.page.protect" if page.protected else "wiki.page.edit")
    if request.method == "POST":
        return await _submit(request, view, path, await read_form(request), creating=False)
    values = {"title": page.content.title, "body": page.content.body, "summary": "", "path": path,
              "licence": page.licence, "visibility": page.visibility, "protected": page.protected}
    return await _form(request, view, path=path, values=values, base_revision=page.current_revision,
                       creating=False)


async def rollback_page(request: Request) -> Response:
    """Restore an older revision as a new one."""
    view = await load_community(request, plugin="wiki")
    path = page_path(request)
    page = await get_page(view.community, path)
    if page is None or not may_see(view, page, page.content):
        raise NotFound(_("There is no page at this address in this wiki."))
    if not can_edit(view, page):
        view.require("wiki.page.protect" if page.protected else "wiki.page.edit")
    form = await read_form(request)
    number = _int(form.get("revision"))
    try:
        result = await rollback(view, page, number, _int(form.get("base_revision")), form.get("summary", ""))
    except EditConflict:
        row = await load_page(view, path)
        return await render(request, view, "wiki/rollback_conflict.html", {
            "page": row, "number": number, "crumbs": await breadcrumbs(view, path)}, status_code=409)
    url = f"/c/{view.community.slug}/wiki/{path}"
    if not result.changed:
        return flash_redirect(url, _("This revision is already the current text."), "info")
    return flash_redirect(url, _("Revision {number} is restored as revision {new}.", number=number,
                                 new=result.page.current_revision))


async def settings(request: Request) -> Response:
    """The wiki's settings for a community: the default licence of new pages."""
    view = await load_community(request, plugin="wiki")
    view.require("wiki.settings.edit")
    current = await default_licence(view.community)
    error = ""
    if request.method == "POST":
        form = await read_form(request)
        try:
            await set_default_licence(view.community, form.get("default_licence", ""))
            return flash_redirect(f"/c/{view.community.slug}/wiki/-/settings", _("Settings saved."))
        except ValidationFailed as exc:
            error = exc.message
    return await render(request, view, "wiki/settings.html", {
        "current": current, "error": error},
        status_code=422 if error else 200)
