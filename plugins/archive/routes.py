"""Pages: the life plan (``/c/{slug}/lifecycle``), its forms, the download of the bundle, and the
celebration page (``/c/{slug}/legacy``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Forbidden, ValidationFailed, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.plugins.archive import lifecycle
from tisserand.plugins.archive.chart import bar_chart
from tisserand.plugins.archive.downloads import bundle_response, export_file_response
from tisserand.plugins.archive.exports import recent_exports, request_export
from tisserand.plugins.archive.kinds import kind_count, kind_label
from tisserand.plugins.archive.legacy import legacy_of
from tisserand.plugins.archive.models import BundleExport
from tisserand.plugins.archive.snapshot import month_label
from tisserand.site import current_site
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.forms import read_form
from tisserand.web.params import check_day

PLUGIN = "archive"


def _site(request: Request) -> Any:
    return current_site()


def _redirect(url: str, message: str = "") -> Response:
    try:
        from tisserand.web.flash import flash_redirect
    except ImportError:  # an older core without one-shot messages
        return RedirectResponse(url, status_code=303)
    return flash_redirect(url, message)


def parse_date(raw: str | None, field: str, errors: dict[str, str], *, required: bool = True) -> date | None:
    """A ``YYYY-MM-DD`` form value, or an error for ``field``."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            errors[field] = _("Enter a date like 2027-06-30.")
        return None
    try:
        return check_day(date.fromisoformat(raw))
    except ValueError:
        errors[field] = _("Enter a date like 2027-06-30.")
        return None


async def _visible_exports(view: CommunityView) -> list[BundleExport]:
    is_admin = bool(view.viewer and view.viewer.is_admin)
    return [export for export in await recent_exports(view.community) if is_admin or not export.include_private]


async def plan_context(request: Request, view: CommunityView) -> dict[str, Any]:
    """What the life plan page shows."""
    site = _site(request)
    on = lifecycle.today(site)
    seasons = await lifecycle.seasons_of(view.community)
    return {
        "today": on, "seasons": seasons, "current": lifecycle.current_season(seasons, on),
        "days_left": lifecycle.days_until(view.community.ends_on, on),
        "can_edit": view.can("archive.lifecycle.edit"), "can_mark": view.can("archive.objectives.mark"),
        "can_archive": view.can("community.archive"), "can_export": view.can("archive.export"),
        "is_admin": bool(view.viewer and view.viewer.is_admin),
        "exports": await _visible_exports(view) if view.can("archive.export") else [],
        "errors": {}, "form": {},
    }


async def _plan_page(request: Request, view: CommunityView, status_code: int = 200,
                     **extra: Any) -> Response:
    context = await plan_context(request, view)
    context.update(extra)
    return await render_community(request, view, "archive/lifecycle.html", context, tab=PLUGIN,
                                  status_code=status_code)


async def plan(request: Request) -> Response:
    """The life plan: planned end, seasons and objectives, archive and export."""
    view = await load_community(request, plugin=PLUGIN)
    return await _plan_page(request, view)


async def _form_error(request: Request, view: CommunityView, exc: ValidationFailed,
                      form: dict[str, str], anchor: str) -> Response:
    errors = exc.fields or {"form": exc.message}
    return await _plan_page(request, view, status_code=exc.status_code, errors=errors, form=form,
                            error_message=exc.message, focus=anchor)


async def set_end(request: Request) -> Response:
    """Plan, move or clear the end date."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    form = await read_form(request)
    errors: dict[str, str] = {}
    ends_on = None if form.get("clear") else parse_date(form.get("ends_on"), "ends_on", errors)
    try:
        if errors:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
        await lifecycle.set_end(_site(request), view.community, view.viewer, ends_on)
    except ValidationFailed as exc:
        return await _form_error(request, view, exc, form, "end")
    message = _("The planned end is saved.") if ends_on else _("The community has no planned end any more.")
    return _redirect(f"/c/{view.community.slug}/lifecycle", message)


def _season_fields(form: dict[str, str]) -> tuple[str, date | None, date | None, str, dict[str, str]]:
    errors: dict[str, str] = {}
    starts_on = parse_date(form.get("starts_on"), "starts_on", errors)
    ends_on = parse_date(form.get("ends_on"), "ends_on", errors)
    return form.get("name", ""), starts_on, ends_on, form.get("description", ""), errors


async def create_season(request: Request) -> Response:
    """Add a season with its objectives (one per line)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    form = await read_form(request)
    name, starts_on, ends_on, description, errors = _season_fields(form)
    try:
        if errors or starts_on is None or ends_on is None:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
        await lifecycle.create_season(view.community, view.viewer, name=name, starts_on=starts_on,
                                      ends_on=ends_on, description=description,
                                      objectives=form.get("objectives", "").splitlines())
    except ValidationFailed as exc:
        return await _form_error(request, view, exc, form, "new-season")
    return _redirect(f"/c/{view.community.slug}/lifecycle", _("The season is added."))


async def change_season(request: Request) -> Response:
    """Save a season's name and dates, or delete it (``action=delete``)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    season = await lifecycle.get_season(view.community, int(request.path_params["season_id"]))
    form = await read_form(request)
    slug = view.community.slug
    if form.get("action") == "delete":
        await lifecycle.delete_season(view.community, season, view.viewer)
        return _redirect(f"/c/{slug}/lifecycle", _("The season is deleted."))
    name, starts_on, ends_on, description, errors = _season_fields(form)
    try:
        if errors or starts_on is None or ends_on is None:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
        await lifecycle.update_season(view.community, season, view.viewer, name=name,
                                      starts_on=starts_on, ends_on=ends_on, description=description)
    except ValidationFailed as exc:
        return await _form_error(request, view, exc, form, f"season-{season.id}")
    return _redirect(f"/c/{slug}/lifecycle#season-{season.id}", _("The season is saved."))


async def add_objective(request: Request) -> Response:
    """Add an objective to a season."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.lifecycle.edit")
    season = await lifecycle.get_season(view.community, int(request.path_params["season_id"]))
    form = await read_form(request)
    try:
        await lifecycle.add_objective(view.community, season, view.viewer, form.get("text", ""))
    except ValidationFailed as exc:
        return await _form_error(request, view, exc, form, f"season-{season.id}")
    return _redirect(f"/c/{view.community.slug}/lifecycle#season-{season.id}", _("The objective is added."))


async def change_objective(request: Request) -> Response:
    """Mark an objective reached or not (``action=reach|unreach``), or delete it."""
    view = await load_community(request, plugin=PLUGIN)
    objective = await lifecycle.get_objective(view.community, int(request.path_params["objective_id"]))
    form = await read_form(request)
    action = form.get("action", "")
    slug = view.community.slug
    anchor = f"#season-{objective.season_id}"
    if action == "delete":
        view.require("archive.lifecycle.edit")
        await lifecycle.delete_objective(view.community, objective)
        return _redirect(f"/c/{slug}/lifecycle{anchor}", _("The objective is deleted."))
    if action not in ("reach", "unreach"):
        raise ValidationFailed(_("Unknown action."))
    view.require("archive.objectives.mark")
    await lifecycle.mark_objective(view.community, objective, view.viewer, action == "reach")
    message = _("Well done: the objective is reached!") if action == "reach" else _("The objective is open again.")
    return _redirect(f"/c/{slug}/lifecycle{anchor}", message)


async def archive(request: Request) -> Response:
    """Archive the community (after a confirmation box), then show its legacy."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("community.archive")
    form = await read_form(request)
    if form.get("confirm") != "yes":
        exc = ValidationFailed(_("Tick the box to confirm."), fields={"confirm": _("Tick the box to confirm.")})
        return await _form_error(request, view, exc, form, "archive")
    try:
        await lifecycle.archive(_site(request), view.community, view.viewer, form.get("reason", ""))
    except ValidationFailed as exc:
        return await _form_error(request, view, exc, form, "archive")
    return _redirect(f"/c/{view.community.slug}/legacy",
                     _("The community is archived. Here is what it achieved — thank you all!"))


async def reopen(request: Request) -> Response:
    """Reopen an archived community."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("community.archive")
    form = await read_form(request)
    await lifecycle.reopen(_site(request), view.community, view.viewer, form.get("reason", ""))
    return _redirect(f"/c/{view.community.slug}/lifecycle", _("The community is open again."))


async def download(request: Request) -> Response:
    """Download the community's bundle (zip)."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.export")
    private = request.query_params.get("include_private") in ("1", "true", "yes")
    if private and not (view.viewer and view.viewer.is_admin):
        raise Forbidden(_("Only site administrators may export e-mail addresses and locations."))
    return await bundle_response(_site(request), view.community, view.viewer, include_private=private)


async def queue_export(request: Request) -> Response:
    """Build a bundle in the background; its link shows here and in a notification when ready."""
    view = await load_community(request, plugin=PLUGIN)
    view.require("archive.export")
    form = await read_form(request)
    private = form.get("include_private") in ("1", "on", "yes")
    if private and not (view.viewer and view.viewer.is_admin):
        raise Forbidden(_("Only site administrators may export e-mail addresses and locations."))
    await request_export(_site(request), view.community, view.viewer, include_private=private)
    return _redirect(f"/c/{view.community.slug}/lifecycle#exports",
                     _("The archive is being prepared. You will get a notification when it is ready."))


async def download_export(request: Request) -> Response:
    """A bundle built in the background (the life plan page links to it)."""
    with hidden_unless_allowed():
        view = await load_community(request, plugin=PLUGIN)
        view.require("archive.export")
        export = await BundleExport.get_or_none(id=request.path_params["export_id"],
                                                community_id=view.community.id)
        if export is None or (export.include_private and not (view.viewer and view.viewer.is_admin)):
            raise nothing_here()
    return export_file_response(_site(request), export)


async def legacy(request: Request) -> Response:
    """The celebration page: what the community achieved."""
    view = await load_community(request, plugin=PLUGIN)
    data = await legacy_of(_site(request), view.community, view.viewer)
    labels = [month_label(period, data.activity_unit) for period, _count in data.activity]
    chart = bar_chart(data.activity, labels=labels, title=_("Activity over time"),
                      description=_("Items published per {unit}.", unit=_(data.activity_unit)))
    return await render_community(request, view, "archive/legacy.html", {
        "legacy": data, "chart": chart, "labels": labels, "kind_label": kind_label,
        "kind_count": kind_count, "can_export": view.can("archive.export"),
        "can_archive": view.can("community.archive"),
    }, tab=PLUGIN)


def routes() -> list[BaseRoute]:
    """The plugin's pages."""
    base = "/c/{slug}/lifecycle"
    return [
        Route(base, plan, methods=["GET"], name="archive-plan"),
        Route(f"{base}/end", set_end, methods=["POST"], name="archive-end"),
        Route(f"{base}/seasons", create_season, methods=["POST"], name="archive-season-create"),
        Route(base + "/seasons/{season_id:id}", change_season, methods=["POST"], name="archive-season"),
        Route(base + "/seasons/{season_id:id}/objectives", add_objective, methods=["POST"],
              name="archive-objective-create"),
        Route(base + "/objectives/{objective_id:id}", change_objective, methods=["POST"],
              name="archive-objective"),
        Route(f"{base}/archive", archive, methods=["POST"], name="archive-archive"),
        Route(f"{base}/reopen", reopen, methods=["POST"], name="archive-reopen"),
        Route(f"{base}/export.zip", download, methods=["GET"], name="archive-download"),
        Route(f"{base}/exports", queue_export, methods=["POST"], name="archive-export-queue"),
        Route(base + "/exports/{export_id:id}.zip", download_export, methods=["GET"],
              name="archive-export-file"),
        Route("/c/{slug}/legacy", legacy, methods=["GET"], name="archive-legacy"),
    ]
