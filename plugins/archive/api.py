"""JSON API of the archive plugin (paths relative to ``/api/v1``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Forbidden, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Community
from tisserand.plugins.archive import lifecycle
from tisserand.plugins.archive.downloads import bundle_response, export_file_response
from tisserand.plugins.archive.exports import recent_exports, request_export
from tisserand.plugins.archive.legacy import legacy_of
from tisserand.plugins.archive.models import BundleExport, ExportStatus, Objective, Season
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, read_json
from tisserand.web.community import CommunityView, load_community
from tisserand.web.params import Day

PLUGIN = "archive"


class Reason(BaseModel):
    """An optional reason, kept in the audit log."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=1000)


class ExportBody(BaseModel):
    """Ask for a bundle built in the background (``include_private``: site admins only)."""

    model_config = ConfigDict(extra="forbid")
    include_private: bool = False


class LifecyclePatch(BaseModel):
    """The planned end date (null: no planned end)."""

    model_config = ConfigDict(extra="forbid")
    ends_on: Day | None


class SeasonBody(BaseModel):
    """A season: name, dates, description and (when created) its objectives."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    starts_on: Day
    ends_on: Day
    description: str = Field("", max_length=2000)
    objectives: list[str] = Field(default_factory=list, max_length=lifecycle.MAX_OBJECTIVES)


class ObjectiveBody(BaseModel):
    """A new objective."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=300)


class ObjectivePatch(BaseModel):
    """Mark an objective reached (true) or not (false)."""

    model_config = ConfigDict(extra="forbid")
    reached: bool



class CommunityStateOut(Out):
    """The community after archiving or reopening."""

    slug: str
    name: str
    status: str
    ends_on: date | None
    archived_at: datetime | None
    role: str | None
    url: str
    legacy_url: str


class ObjectiveOut(Out):
    """An objective of a season."""

    id: int
    text: str
    reached: bool
    reached_at: datetime | None


class SeasonOut(Out):
    """A season with its objectives."""

    id: int
    name: str
    description: str
    starts_on: date
    ends_on: date
    current: bool
    days_left: int | None
    objectives: list[ObjectiveOut]


class LifecycleOut(Out):
    """The community's planned life."""

    status: str
    ends_on: date | None
    archived_at: datetime | None
    days_left: int | None
    current_season: int | None
    seasons: list[SeasonOut]
    legacy_url: str


class LegacyOut(Out):
    """What the community achieved: dates, numbers, activity, seasons, contributors."""

    started_on: date | None
    ended_on: date | None
    archived: bool
    days: int
    members: int
    content: dict[str, int]
    activity: list[dict[str, Any]]
    contributors: list[dict[str, Any]]
    seasons: list[SeasonOut]
    sections: list[dict[str, Any]]


def community_json(community: Community, view: CommunityView) -> dict[str, Any]:
    """The community as ``GET /api/v1/communities/{slug}`` shows it."""
    from tisserand.site import current_site

    return {
        "slug": community.slug, "name": community.name, "description": community.description,
        "visibility": community.visibility, "join_policy": community.join_policy,
        "plugins": current_site().plugins.community_plugins(community), "status": community.status,
        "ends_on": community.ends_on, "archived_at": community.archived_at,
        "member_count": community.member_count, "created_at": community.created_at,
        "role": view.role, "url": f"/c/{community.slug}", "legacy_url": f"/c/{community.slug}/legacy",
    }


def objective_json(objective: Objective) -> dict[str, Any]:
    """An objective."""
    return {"id": objective.id, "text": objective.text, "reached": objective.reached,
            "reached_at": objective.reached_at}


async def lifecycle_json(request: Request, view: CommunityView) -> dict[str, Any]:
    """The community's planned life."""
    on = lifecycle.today(current_site())
    seasons = await lifecycle.seasons_of(view.community)
    current = lifecycle.current_season(seasons, on)
    community = view.community
    return {
        "status": community.status, "ends_on": community.ends_on, "archived_at": community.archived_at,
        "days_left": lifecycle.days_until(community.ends_on, on) if not community.is_archived else None,
        "current_season": current.season.id if current else None,
        "seasons": [s.as_dict(on) for s in seasons],
        "legacy_url": f"/c/{community.slug}/legacy",
    }


async def _season_json(request: Request, view: CommunityView, season: Season) -> dict[str, Any]:
    for item in await lifecycle.seasons_of(view.community):
        if item.season.id == season.id:
            return item.as_dict(lifecycle.today(current_site()))
    return {}


@documented(body=Reason, tags=["archive"], answer=CommunityStateOut)
async def archive(request: Request) -> Response:
    """Archive a community: read-only for everyone (coordinators, admins)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("community.archive")
    body = await read_json(request, Reason)
    community = await lifecycle.archive(current_site(), view.community, view.viewer, body.reason)
    return answer(community_json(community, view))


@documented(body=Reason, tags=["archive"], answer=CommunityStateOut)
async def reopen(request: Request) -> Response:
    """Reopen an archived community (coordinators, admins)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("community.archive")
    body = await read_json(request, Reason)
    community = await lifecycle.reopen(current_site(), view.community, view.viewer, body.reason)
    return answer(community_json(community, view))


@documented(query={"include_private": "true to add e-mails and locations (site admins only)"},
            tags=["archive"], media="application/zip")
async def export(request: Request) -> Response:
    """Download the community's archive bundle, a zip (coordinators, admins)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.export")
    private = request.query_params.get("include_private") in ("1", "true", "yes")
    if private and not (view.viewer and view.viewer.is_admin):
        raise Forbidden(_("Only site administrators may export e-mail addresses and locations."))
    return await bundle_response(current_site(), view.community, view.viewer, include_private=private)


class BundleExportOut(Out):
    """A community bundle built in the background."""

    id: int
    status: str
    include_private: bool
    size: int
    created_at: datetime
    finished_at: datetime | None = None
    expires_at: datetime | None = None
    download_url: str | None = None


class BundleExportsOut(Out):
    """The latest background exports of a community."""

    items: list[BundleExportOut]
    next: str | None = None


def export_json(export: BundleExport, slug: str) -> dict[str, Any]:
    """A background export as the API shows it (``download_url`` once it is ready)."""
    data: dict[str, Any] = {
        "id": export.id, "status": export.status, "include_private": export.include_private,
        "size": export.size, "created_at": export.created_at, "finished_at": export.finished_at,
        "expires_at": export.expires_at}
    if export.status == ExportStatus.READY:
        data["download_url"] = f"/api/v1/communities/{slug}/exports/{export.id}/download"
    return data


async def _export_view(request: Request) -> tuple[CommunityView, bool]:
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.export")
    return view, bool(view.viewer and view.viewer.is_admin)


@documented(body={"POST": ExportBody}, status={"GET": 200, "POST": 202}, tags=["archive"],
            answer={"GET": BundleExportsOut, "POST": BundleExportOut})
async def exports(request: Request) -> Response:
    """``GET``: the latest background exports; ``POST``: build a bundle in the background (202;
    asking while one is under way gives that one). Coordinators and admins."""
    view, is_admin = await _export_view(request)
    if request.method == "GET":
        items = [export_json(export, view.community.slug) for export in await recent_exports(view.community, 20)
                 if is_admin or not export.include_private]
        return answer({"items": items, "next": None})
    body = await read_json(request, ExportBody)
    if body.include_private and not is_admin:
        raise Forbidden(_("Only site administrators may export e-mail addresses and locations."))
    export = await request_export(current_site(), view.community, view.viewer,
                                  include_private=body.include_private)
    return answer(export_json(export, view.community.slug), status_code=202)


async def _one_export(request: Request) -> tuple[CommunityView, BundleExport]:
    with hidden_unless_allowed():
        view, is_admin = await _export_view(request)
        export = await BundleExport.get_or_none(id=request.path_params["export_id"],
                                                community_id=view.community.id)
        if export is None or (export.include_private and not is_admin):
            raise nothing_here()
    return view, export


@documented(tags=["archive"], answer=BundleExportOut)
async def export_status(request: Request) -> Response:
    """Where a background export stands; ``download_url`` once it is ready."""
    view, export = await _one_export(request)
    return answer(export_json(export, view.community.slug))


@documented(tags=["archive"], media="application/zip")
async def export_download(request: Request) -> Response:
    """The built bundle (``application/zip``), streamed; 404 once it has expired."""
    _view, export = await _one_export(request)
    return export_file_response(current_site(), export)


@documented(body={"PUT": LifecyclePatch}, tags=["archive"], answer=LifecycleOut)
async def plan(request: Request) -> Response:
    """The planned end, days left and seasons with objectives; PUT sets or clears the end."""
    view = await load_community(request, plugin=PLUGIN)
    if request.method == "PUT":
        view.require("archive.lifecycle.edit")
        body = await read_json(request, LifecyclePatch)
        await lifecycle.set_end(current_site(), view.community, view.viewer, body.ends_on)
    return answer(await lifecycle_json(request, view))


@documented(body=SeasonBody, status=201, tags=["archive"], answer=SeasonOut)
async def seasons(request: Request) -> Response:
    """Add a season with its objectives (coordinators)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    body = await read_json(request, SeasonBody)
    season = await lifecycle.create_season(view.community, view.viewer, name=body.name,
                                           starts_on=body.starts_on, ends_on=body.ends_on,
                                           description=body.description, objectives=body.objectives)
    return answer(await _season_json(request, view, season), status_code=201)


@documented(body={"PUT": SeasonBody}, status={"PUT": 200, "DELETE": 204}, tags=["archive"], answer=SeasonOut)
async def season(request: Request) -> Response:
    """Change a season's name and dates (PUT) or delete it (DELETE)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    item = await lifecycle.get_season(view.community, int(request.path_params["season_id"]))
    if request.method == "DELETE":
        await lifecycle.delete_season(view.community, item, view.viewer)
        return Response(status_code=204)
    body = await read_json(request, SeasonBody)
    await lifecycle.update_season(view.community, item, view.viewer, name=body.name,
                                  starts_on=body.starts_on, ends_on=body.ends_on, description=body.description)
    return answer(await _season_json(request, view, item))


@documented(body=ObjectiveBody, status=201, tags=["archive"], answer=ObjectiveOut)
async def objectives(request: Request) -> Response:
    """Add an objective to a season (coordinators)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    item = await lifecycle.get_season(view.community, int(request.path_params["season_id"]))
    body = await read_json(request, ObjectiveBody)
    objective = await lifecycle.add_objective(view.community, item, view.viewer, body.text)
    return answer(objective_json(objective), status_code=201)


@documented(body={"PUT": ObjectivePatch}, status={"PUT": 200, "DELETE": 204}, tags=["archive"], answer=ObjectiveOut)
async def objective(request: Request) -> Response:
    """Mark an objective reached or not (PUT, coordinators and animators) or delete it."""
    view = await load_community(request, plugin=PLUGIN)
    item = await lifecycle.get_objective(view.community, int(request.path_params["objective_id"]))
    if request.method == "DELETE":
        view.require("archive.lifecycle.edit")
        await lifecycle.delete_objective(view.community, item)
        return Response(status_code=204)
    view.require("archive.objectives.mark")
    body = await read_json(request, ObjectivePatch)
    await lifecycle.mark_objective(view.community, item, view.viewer, body.reached)
    return answer(objective_json(item))


@documented(tags=["archive"], answer=LegacyOut)
async def legacy(request: Request) -> Response:
    """What the community achieved: dates, numbers, activity, seasons, contributors."""
    view = await load_community(request, plugin=PLUGIN)
    data = await legacy_of(current_site(), view.community, view.viewer)
    return answer(data.as_dict())


def api_routes() -> list[BaseRoute]:
    """The plugin's API routes."""
    base = "/communities/{slug}"
    return [
        Route(f"{base}/archive", archive, methods=["POST"], name="archive-archive"),
        Route(f"{base}/reopen", reopen, methods=["POST"], name="archive-reopen"),
        Route(f"{base}/export", export, methods=["GET"], name="archive-export"),
        Route(f"{base}/exports", exports, methods=["GET", "POST"], name="archive-exports"),
        Route(base + "/exports/{export_id:id}", export_status, methods=["GET"], name="archive-export-status"),
        Route(base + "/exports/{export_id:id}/download", export_download, methods=["GET"],
              name="archive-export-download"),
        Route(f"{base}/lifecycle", plan, methods=["GET", "PUT"], name="archive-lifecycle"),
        Route(f"{base}/seasons", seasons, methods=["POST"], name="archive-seasons"),
        Route(base + "/seasons/{season_id:id}", season, methods=["PUT", "DELETE"], name="archive-season"),
        Route(base + "/seasons/{season_id:id}/objectives", objectives, methods=["POST"],
              name="archive-objectives"),
        Route(base + "/objectives/{objective_id:id}", objective, methods=["PUT", "DELETE"],
              name="archive-objective"),
        Route(f"{base}/legacy", legacy, methods=["GET"], name="archive-legacy"),
    ]
