"""The wiki's JSON API (paths relative to /api/v1).

``PUT /communities/{slug}/wiki/pages/{path}`` creates a page (no ``base_revision``) or saves a
new revision (``base_revision`` = the revision the text was based on); a stale base answers 409
with ``current_revision`` so a script can fetch the new text, merge and retry.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound, TisserandError
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.wiki import queries
from tisserand.plugins.wiki.licences import get_licence
from tisserand.plugins.wiki.links import page_url
from tisserand.plugins.wiki.models import WikiPage
from tisserand.plugins.wiki.paths import try_path
from tisserand.plugins.wiki.service import (
    PageEdit,
    default_licence,
    rollback,
    save_page,
    set_default_licence,
    visible_page,
)
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import (
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    int_param,
    listing,
    read_json,
    require_viewer,
)
from tisserand.web.community import CommunityView, load_community
from tisserand.web.params import MAX_ID

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


TAGS = ["wiki"]
PAGING = {"limit": "How many items (1 to 200, default 50)", "cursor": "The `next` of the previous answer"}


class PageIn(BaseModel):
    """The body of ``PUT .../wiki/pages/{path}``."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    body: str = ""
    base_revision: int | None = Field(None, ge=0, le=MAX_ID)
    summary: str = Field("", max_length=300)
    licence: str | None = None
    visibility: Literal["public", "members"] | None = None
    protected: bool | None = None


class RollbackIn(BaseModel):
    """The body of ``POST .../rollback``."""

    model_config = ConfigDict(extra="forbid")
    revision: int = Field(ge=1, le=MAX_ID)
    base_revision: int = Field(ge=1, le=MAX_ID)
    summary: str = Field("", max_length=300)


def _cursor(request: Request) -> int | None:
    values = decode_cursor(request.query_params.get("cursor"))
    if values is None:
        return None
    if len(values) != 1 or not isinstance(values[0], int):
        raise TisserandError(_("This page link is broken: start again from the first page."),
                             code="bad_cursor")
    return values[0]


def _path(request: Request) -> str:
    path = try_path(request.path_params.get("path", ""))
    if path is None:
        raise NotFound(_("There is no page at this address in this wiki."))
    return path



class PageOut(Out):
    """A wiki page: its current text, revision, licence and place in the tree."""

    id: int
    community: str
    path: str
    title: str
    body: str
    html: str
    status: str
    revision: int
    licence: dict[str, Any]
    visibility: str
    protected: bool
    parent: str | None
    url: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


class RevisionOut(Out):
    """A revision (``body`` when one revision is asked for; ``delta`` in histories)."""

    number: int
    created_at: datetime
    author: str | None
    author_name: str | None
    summary: str
    title: str
    size: int
    restored_from: int | None
    delta: int | None = None
    body: str | None = None


async def page_json(view: CommunityView, page: WikiPage) -> dict[str, Any]:
    """A page as the API shows it."""
    content = page.content
    parent = None
    if page.parent_id is not None:
        parent = next(iter(await WikiPage.filter(id=page.parent_id).values_list("path", flat=True)), None)
    updated_by = await Member.get_or_none(id=page.updated_by_id) if page.updated_by_id else None
    return {
        "id": content.id, "community": view.community.slug, "path": page.path, "title": content.title,
        "body": content.body, "html": content.html, "status": content.status,
        "revision": page.current_revision, "licence": get_licence(page.licence).as_dict(),
        "visibility": page.visibility, "protected": page.protected, "parent": parent,
        "url": current_site().url(page_url(view.community.slug, page.path)),
        "created_at": page.created_at, "updated_at": page.updated_at,
        "updated_by": updated_by.username if updated_by else None,
    }


def revision_json(row: dict[str, Any], *, body: bool = False) -> dict[str, Any]:
    """A revision as the API shows it (the text only when asked for one revision)."""
    data = {"number": row["number"], "created_at": row["created_at"], "author": row["author_username"],
            "author_name": row["author_name"], "summary": row["summary"], "title": row["title"],
            "size": row["size"], "restored_from": row["restored_from"]}
    if "delta" in row:
        data["delta"] = row["delta"]
    if body:
        data["body"] = row["body"]
    return data


@documented(body=PageIn, status=200, tags=TAGS, answer=PageOut)
async def put_page(request: Request) -> Response:
    """Create a page, or save a new revision of it (send base_revision)."""
    require_viewer(request)
    view = await load_community(request, plugin="wiki")
    data = await read_json(request, PageIn)
    edit = PageEdit(title=data.title, body=data.body, summary=data.summary, licence=data.licence,
                    visibility=data.visibility, protected=data.protected)
    result = await save_page(view, _path(request), edit, data.base_revision)
    return answer(await page_json(view, result.page), status_code=201 if result.created else 200)


@documented(tags=TAGS, answer=PageOut)
async def get_page(request: Request) -> Response:
    """A page: title, Markdown body, rendered HTML, current revision, licence, visibility."""
    view = await load_community(request, plugin="wiki")
    page = await visible_page(view, _path(request))
    return answer(await page_json(view, page))


@documented(listing=True, tags=TAGS)
async def list_pages(request: Request) -> Response:
    """Every page the viewer may read, by path."""
    view = await load_community(request, plugin="wiki")
    rows = await queries.tree(view)
    items = [{"path": r["path"], "title": r["title"], "revision": r["current_revision"],
              "visibility": r["visibility"], "updated_at": r["updated_at"],
              "url": current_site().url(page_url(view.community.slug, r["path"]))} for r in rows]
    return listing(items, None)


@documented(listing=True, query=PAGING, tags=TAGS, answer=RevisionOut)
async def list_revisions(request: Request) -> Response:
    """A page's history, newest first, without the texts (``?cursor=`` from ``next`` to page on)."""
    view = await load_community(request, plugin="wiki")
    page = await visible_page(view, _path(request))
    limit = int_param(request, "limit", 50, high=200)
    rows, next_before = await queries.history(page.id, before=_cursor(request), limit=limit)
    return listing([revision_json(r) for r in rows], encode_cursor(next_before) if next_before else None)


@documented(tags=TAGS, answer=RevisionOut)
async def get_revision(request: Request) -> Response:
    """One revision of a page, with its full text."""
    view = await load_community(request, plugin="wiki")
    page = await visible_page(view, _path(request))
    number = request.path_params["number"]
    found = (await queries.revisions(page.id, [number])).get(number)
    if found is None:
        raise NotFound(_("This revision does not exist."))
    return answer(revision_json(found, body=True))


@documented(body=RollbackIn, tags=TAGS, answer=PageOut)
async def post_rollback(request: Request) -> Response:
    """Restore an older revision as a new revision (409 when base_revision is stale)."""
    require_viewer(request)
    view = await load_community(request, plugin="wiki")
    page = await visible_page(view, _path(request))
    data = await read_json(request, RollbackIn)
    result = await rollback(view, page, data.revision, data.base_revision, data.summary)
    return answer(await page_json(view, result.page))


@documented(listing=True, query=PAGING, tags=TAGS)
async def recent_changes(request: Request) -> Response:
    """The wiki's latest revisions, newest first (``?cursor=`` from ``next`` to page on)."""
    view = await load_community(request, plugin="wiki")
    rows, next_before = await queries.recent_changes(view, before=_cursor(request),
                                                     limit=int_param(request, "limit", 50, high=200))
    items = [{**revision_json(r), "path": r["path"], "title": r["title"]} for r in rows]
    return listing(items, encode_cursor(next_before) if next_before else None)


class WikiSettingsIn(BaseModel):
    """The licence of the community's new pages: an id such as ``CC-BY-SA-4.0``."""

    model_config = ConfigDict(extra="forbid")
    default_licence: str = Field(max_length=40)


class WikiSettingsOut(Out):
    """The wiki's settings for a community."""

    default_licence: str


@documented(body={"PUT": WikiSettingsIn}, tags=TAGS, answer=WikiSettingsOut)
async def wiki_settings(request: Request) -> Response:
    """The wiki's settings for a community (GET), or change the default licence of new pages
    (PUT), as the wiki's settings page does (``wiki.settings.edit``: coordinators)."""
    require_viewer(request)
    view = await load_community(request, plugin="wiki")
    if request.method == "PUT":
        data = await read_json(request, WikiSettingsIn)
        view.require("wiki.settings.edit")
        await set_default_licence(view.community, data.default_licence)
    else:
        view.require("wiki.settings.edit")
    return answer({"default_licence": await default_licence(view.community)})


def routes() -> list[BaseRoute]:
    """API routes, the specific ones before the catch-all page path."""
    base = "/communities/{slug}/wiki"
    return [
        Route(base + "/pages", list_pages, methods=["GET"], name="wiki_pages"),
        Route(base + "/settings", wiki_settings, methods=["GET", "PUT"], name="wiki_settings"),
        Route(base + "/changes", recent_changes, methods=["GET"], name="wiki_changes"),
        Route(base + "/pages/{path:path}/revisions/{number:id}", get_revision, methods=["GET"],
              name="wiki_revision"),
        Route(base + "/pages/{path:path}/revisions", list_revisions, methods=["GET"], name="wiki_revisions"),
        Route(base + "/pages/{path:path}/rollback", post_rollback, methods=["POST"], name="wiki_rollback"),
        Route(base + "/pages/{path:path}", get_page, methods=["GET"], name="wiki_page"),
        Route(base + "/pages/{path:path}", put_page, methods=["PUT"], name="wiki_page_put"),
    ]
