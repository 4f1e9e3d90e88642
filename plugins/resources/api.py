"""The resources API: ``/api/v1/communities/{slug}/resources`` (list, create), ``…/{id}`` (one,
``PATCH`` a new version of some fields, ``DELETE``) and ``…/{id}/versions`` (a new version)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Forbidden
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.resources.models import ResourceVersion
from tisserand.plugins.resources.service import (
    PLUGIN,
    Item,
    ResourceInput,
    add_version,
    create_resource,
    delete_resource,
    get_item,
    list_items,
    set_featured,
)
from tisserand.uploads import Upload, upload_json
from tisserand.web.answers import Out, UploadOut
from tisserand.web.api import answer, documented, listing, read_json, require_viewer, validate
from tisserand.web.community import CommunityView, load_community


class ResourcePatch(BaseModel):
    """Fields to change (the others keep their value); saved as a new version."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    url: str | None = Field(None, max_length=2000)
    upload: str | None = Field(None, max_length=32)
    tags: list[str] | str | None = None
    licence: str | None = None
    visibility: Literal["public", "members"] | None = None
    note: str = Field("", max_length=300)


class VersionInput(ResourceInput):
    """A new version: every field, plus a note saying what changed."""

    note: str = Field("", max_length=300)



class VersionOut(Out):
    """An earlier version of a resource."""

    number: int
    title: str
    url: str | None
    upload: str | None
    licence: str
    visibility: str
    tags: list[str]
    note: str
    author: str | None
    created_at: datetime


class ResourceOut(Out):
    """A resource of the library (``versions`` when one resource is asked for)."""

    id: int
    title: str
    description: str
    html: str
    url: str | None
    file: UploadOut | None
    tags: list[str]
    licence: str
    visibility: str
    featured: bool
    version: int
    status: str
    author: str | None
    page: str
    created_at: datetime
    updated_at: datetime
    versions: list[VersionOut] | None = None


async def item_json(item: Item, *, versions: bool = False) -> dict[str, Any]:
    """The API's representation of a resource."""
    content, resource = item.content, item.resource
    author = content.author if isinstance(content.author, Member) else \
        await Member.get_or_none(id=content.author_id)
    upload = await Upload.get_or_none(id=resource.upload_id) if resource.upload_id else None
    data: dict[str, Any] = {
        "id": item.id, "title": content.title, "description": content.body, "html": content.html,
        "url": resource.url or None, "file": upload_json(upload) if upload else None,
        "tags": resource.tags, "licence": resource.licence, "visibility": resource.visibility,
        "featured": resource.featured, "version": resource.version, "status": content.status,
        "author": author.username if author else None,
        "page": f"/c/{content.community.slug}/resources/{item.id}",
        "created_at": content.created_at, "updated_at": resource.updated_at,
    }
    if versions:
        rows = await ResourceVersion.filter(resource_id=resource.id).order_by("-number").prefetch_related("author")
        data["versions"] = [{"number": v.number, "title": v.title, "url": v.url or None, "upload": v.upload_id,
                             "licence": v.licence, "visibility": v.visibility, "tags": v.tags, "note": v.note,
                             "author": v.author.username if v.author else None, "created_at": v.created_at}
                            for v in rows]
    return data


async def _view(request: Request) -> CommunityView:
    view = await load_community(request, plugin=PLUGIN)
    if view.is_member:  # outsiders read what the community shows them; a member's grant may be narrowed
        view.require("resources.view")
    return view


def may_edit(view: CommunityView, item: Item) -> bool:
    """The resource's author (who may still share here) or someone who manages resources."""
    if view.can("resources.manage"):
        return True
    viewer = view.viewer
    return viewer is not None and item.content.author_id == viewer.id and view.can("resources.share")


@documented(body={"POST": ResourceInput}, status={"GET": 200, "POST": 201}, listing=True, answer=ResourceOut,
            query={"tag": "only resources with this tag", "q": "words in the title, description or file"},
            tags=["resources"])
async def resources(request: Request) -> Response:
    """The community's library (GET, newest change first) or a new resource (POST)."""
    view = await _view(request)
    if request.method == "POST":
        member = require_viewer(request)
        view.require("resources.share")
        item = await create_resource(view.community, member, await read_json(request, ResourceInput))
        item.content.community = view.community
        return answer(await item_json(item), status_code=201)
    items = await list_items(view, tag=request.query_params.get("tag", ""),
                             query=request.query_params.get("q", ""))
    return listing([await item_json(item) for item in items], None)


async def _editable(request: Request) -> tuple[CommunityView, Item, Any]:
    member = require_viewer(request)
    view = await _view(request)
    item = await get_item(view, request.path_params["id"])
    if not may_edit(view, item):
        view.require("resources.manage")
        raise Forbidden(_("Your role in this community does not allow this."))
    return view, item, member


@documented(body={"PATCH": ResourcePatch}, status={"GET": 200, "PATCH": 200, "DELETE": 204}, tags=["resources"],
            answer=ResourceOut)
async def resource(request: Request) -> Response:
    """One resource with its versions (GET), changed as a new version (PATCH) or deleted (DELETE)."""
    if request.method == "GET":
        view = await _view(request)
        return answer(await item_json(await get_item(view, request.path_params["id"]), versions=True))
    view, item, member = await _editable(request)
    if request.method == "DELETE":
        await delete_resource(item, member)
        return Response(status_code=204)
    patch = await read_json(request, ResourcePatch)
    current = {"title": item.content.title, "description": item.content.body, "url": item.resource.url,
               "upload": item.resource.upload_id, "tags": item.resource.tags, "licence": item.resource.licence,
               "visibility": item.resource.visibility}
    changes = patch.model_dump(exclude_unset=True)
    note = changes.pop("note", "")
    data = validate(ResourceInput, {**current, **changes})
    item = await add_version(item, member, data, note)
    return answer(await item_json(item, versions=True))


@documented(body=VersionInput, status=201, tags=["resources"], answer=ResourceOut)
async def versions(request: Request) -> Response:
    """A new version of a resource (every field, and a ``note`` saying what changed)."""
    _unused, item, member = await _editable(request)
    body = await read_json(request, VersionInput)
    data = validate(ResourceInput, body.model_dump(exclude={"note"}))
    item = await add_version(item, member, data, body.note)
    return answer(await item_json(item, versions=True), status_code=201)


class FeatureIn(BaseModel):
    """Show the resource on the community's home page (``true``), or stop (``false``)."""

    model_config = ConfigDict(extra="forbid")
    featured: bool


@documented(tags=["resources"], answer=ResourceOut)
async def feature(request: Request) -> Response:
    """Feature a resource on the community's home page, or stop, as the page's button does
    (those who manage resources)."""
    require_viewer(request)
    view = await _view(request)
    data = await read_json(request, FeatureIn)
    view.require("resources.manage")
    item = await get_item(view, request.path_params["id"])
    await set_featured(item, data.featured)
    return answer(await item_json(item))


def api_routes() -> list[BaseRoute]:
    """Routes relative to ``/api/v1``."""
    base = "/communities/{slug}/resources"
    return [
        Route(base, resources, methods=["GET", "POST"], name="api_resources"),
        Route(base + "/{id:int}", resource, methods=["GET", "PATCH", "DELETE"], name="api_resource"),
        Route(base + "/{id:int}/versions", versions, methods=["POST"], name="api_resource_versions"),
        Route(base + "/{id:int}/featured", feature, methods=["PUT"], name="api_resource_featured"),
    ]
