"""The library's pages under ``/c/{slug}/resources``: list (tag filter, search), one resource
with its history, the share and new-version forms (a plain file field: no JavaScript needed),
delete and feature."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Forbidden, TisserandError
from tisserand.i18n import _
from tisserand.licences import DEFAULT_LICENCE, LICENCES, get_licence
from tisserand.models import Member
from tisserand.plugins.resources.api import may_edit
from tisserand.plugins.resources.models import ResourceVersion
from tisserand.plugins.resources.service import (
    PLUGIN,
    Item,
    ResourceInput,
    add_version,
    community_tags,
    create_resource,
    delete_resource,
    get_item,
    list_items,
    set_featured,
)
from tisserand.uploads import Upload, save_upload, upload_json
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.flash import flash_redirect

BASE = "/c/{slug}/resources"
FIELDS = ("title", "description", "url", "tags", "licence", "visibility", "upload", "note")


async def _view(request: Request) -> CommunityView:
    view = await load_community(request, plugin=PLUGIN)
    if view.is_member:  # outsiders read what the community shows them; a member's grant may be narrowed
        view.require("resources.view")
    return view


def _base(view: CommunityView) -> str:
    return f"/c/{view.community.slug}/resources"


async def index(request: Request) -> Response:
    """The library."""
    view = await _view(request)
    tag = request.query_params.get("tag", "")[:40]
    query = request.query_params.get("q", "")[:100]
    items = await list_items(view, tag=tag, query=query)
    uploads = {u.id: u for u in await Upload.filter(id__in=[i.resource.upload_id for i in items
                                                             if i.resource.upload_id])}
    return await render_community(request, view, "resources/index.html", {
        "items": items, "uploads": uploads, "tag": tag, "q": query, "base": _base(view),
        "tags": await community_tags(view.community.id), "may_share": view.can("resources.share"),
    }, tab="resources")


async def _form_page(request: Request, view: CommunityView, values: dict[str, Any], errors: dict[str, str],
                     item: Item | None = None, status_code: int = 200) -> Response:
    upload = await Upload.get_or_none(id=values["upload"]) if values.get("upload") else None
    return await render_community(request, view, "resources/form.html", {
        "values": values, "errors": errors, "item": item, "base": _base(view), "licences": LICENCES,
        "upload": upload_json(upload) if upload else None,
    }, tab="resources", status_code=status_code)


async def new_page(request: Request) -> Response:
    """The share form."""
    view = await _view(request)
    view.require("resources.share")
    values = {"licence": DEFAULT_LICENCE, "visibility": "public"}
    return await _form_page(request, view, values, {})


async def _read(request: Request, view: CommunityView) -> dict[str, str]:
    """The form's fields; a file in ``file`` is uploaded first and named in ``upload``."""
    async with request.form(max_files=1, max_fields=30, max_part_size=100_000) as form:
        values = {key: str(form.get(key) or "") for key in FIELDS}
        file = form.get("file")
        if isinstance(file, UploadFile) and file.filename:
            upload = await save_upload(file.file, name=file.filename, uploader=view.viewer,
                                       community=view.community, alt=str(form.get("alt") or ""))
            values["upload"] = upload.id
    return values


def _input(values: dict[str, str]) -> ResourceInput:
    data: dict[str, str | None] = {k: v for k, v in values.items() if k != "note"}
    data["upload"] = data.get("upload") or None
    return ResourceInput.model_validate(data)


def _errors(exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return {".".join(map(str, e["loc"])) or "form": e["msg"].removeprefix("Value error, ")
                for e in exc.errors()}
    if isinstance(exc, TisserandError):
        return (exc.fields and {k: exc.message for k in exc.fields}) or {"form": exc.message}
    raise exc


async def create(request: Request) -> Response:
    """Share a resource."""
    view = await _view(request)
    view.require("resources.share")
    values = await _read(request, view)
    try:
        item = await create_resource(view.community, view.viewer, _input(values))  # type: ignore[arg-type]
    except (ValidationError, TisserandError) as exc:
        if isinstance(exc, TisserandError) and exc.status_code not in (422,):
            raise
        return await _form_page(request, view, values, _errors(exc), status_code=422)
    return flash_redirect(f"{_base(view)}/{item.id}", _("The resource is shared."))


async def detail(request: Request) -> Response:
    """One resource, its file or link, and its history."""
    view = await _view(request)
    item = await get_item(view, request.path_params["id"])
    versions = await ResourceVersion.filter(resource_id=item.resource.id).order_by("-number").prefetch_related("author")
    ids = {v.upload_id for v in versions if v.upload_id}
    uploads = {u.id: u for u in await Upload.filter(id__in=list(ids))}
    author = await Member.get_or_none(id=item.content.author_id) if item.content.author_id else None
    return await render_community(request, view, "resources/detail.html", {
        "item": item, "resource": item.resource, "content": item.content, "author": author,
        "versions": versions, "uploads": uploads, "licence": get_licence(item.resource.licence),
        "base": _base(view), "may_edit": may_edit(view, item), "may_manage": view.can("resources.manage"),
    }, tab="resources")


async def _editable(request: Request) -> tuple[CommunityView, Item]:
    view = await _view(request)
    item = await get_item(view, request.path_params["id"])
    if not may_edit(view, item):
        view.require("resources.manage")
        raise Forbidden(_("Your role in this community does not allow this."))
    return view, item


async def edit_page(request: Request) -> Response:
    """The new-version form, filled with the current version."""
    view, item = await _editable(request)
    r = item.resource
    values = {"title": item.content.title, "description": item.content.body, "url": r.url,
              "tags": ", ".join(r.tags), "licence": r.licence, "visibility": r.visibility,
              "upload": r.upload_id or "", "note": ""}
    return await _form_page(request, view, values, {}, item)


async def save_version(request: Request) -> Response:
    """Save a new version."""
    view, item = await _editable(request)
    values = await _read(request, view)
    try:
        await add_version(item, view.viewer, _input(values), values.get("note", ""))  # type: ignore[arg-type]
    except (ValidationError, TisserandError) as exc:
        if isinstance(exc, TisserandError) and exc.status_code not in (422,):
            raise
        return await _form_page(request, view, values, _errors(exc), item, status_code=422)
    return flash_redirect(f"{_base(view)}/{item.id}", _("The new version is saved."))


async def delete(request: Request) -> Response:
    """Delete a resource (its files go with it)."""
    view, item = await _editable(request)
    await delete_resource(item, view.viewer)  # type: ignore[arg-type]
    return flash_redirect(_base(view), _("The resource is deleted."))


async def feature(request: Request) -> Response:
    """Show a resource on the community's home page, or stop showing it."""
    view = await _view(request)
    view.require("resources.manage")
    item = await get_item(view, request.path_params["id"])
    async with request.form(max_fields=5, max_files=0) as form:
        on = form.get("featured") == "1"
    await set_featured(item, on)
    message = _("The resource is on the community's home page.") if on else _("The resource is no longer featured.")
    return flash_redirect(f"{_base(view)}/{item.id}", message)


def routes() -> list[BaseRoute]:
    """Every page of the plugin."""
    one = BASE + "/{id:int}"
    return [
        Route(BASE, index, methods=["GET"], name="resources"),
        Route(BASE + "/new", new_page, methods=["GET"], name="resources-new"),
        Route(BASE + "/new", create, methods=["POST"], name="resources-create"),
        Route(one, detail, methods=["GET"], name="resource"),
        Route(one + "/edit", edit_page, methods=["GET"], name="resource-edit"),
        Route(one + "/edit", save_version, methods=["POST"], name="resource-version"),
        Route(one + "/delete", delete, methods=["POST"], name="resource-delete"),
        Route(one + "/feature", feature, methods=["POST"], name="resource-feature"),
    ]

