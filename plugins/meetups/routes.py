"""Meet-up pages of a community: list, detail, new, edit, cancel, RSVP, iCalendar."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import Unauthorized, ValidationFailed
from tisserand.i18n import _, render_stored
from tisserand.models import Member
from tisserand.site import current_site
from tisserand.web.actions import content_actions_for
from tisserand.web.community import load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form

from . import ical, times
from .access import load_item
from .models import Meetup, Rsvp, RsvpState
from .places import AmbiguousPlace
from .present import present, row_dict
from .queries import community_meetups
from .rsvp import respond, states_for
from .service import MEETUP, cancel_series, check_scope, clean_meetup, create_meetups, update_series
from .webutil import login_url, site_zone, viewer_zone

COMMON_ZONES = ("Europe/Paris", "America/Toronto", "America/Montreal", "Europe/Brussels", "Europe/Zurich",
                "Europe/Luxembourg", "America/Moncton", "America/Vancouver", "America/Martinique",
                "America/Guadeloupe", "America/Cayenne", "Indian/Reunion", "Pacific/Noumea",
                "Africa/Dakar", "Africa/Abidjan", "Europe/London", "America/New_York", "UTC")


def state_message(state: RsvpState) -> str:
    """What a person reads after answering."""
    return {
        RsvpState.GOING: _("You are going. See you there!"),
        RsvpState.WAITLISTED: _("The meet-up is full: you are on the waiting list. We will tell you "
                                "as soon as a seat opens up."),
        RsvpState.MAYBE: _("Noted: maybe."),
        RsvpState.DECLINED: _("Noted: you are not going."),
    }[state]


def zone_choices(current: str) -> dict[str, Any]:
    """The time zone select: common zones first, then all of them."""
    common = [z for z in COMMON_ZONES if times.is_known(z)]
    return {"common_zones": common, "all_zones": times.known_timezones(), "current_zone": current}


async def list_page(request: Request) -> Response:
    """Upcoming (or past) meet-ups of a community."""
    view = await load_community(request, plugin="meetups")
    past = request.query_params.get("past") == "1"
    rows = await community_meetups(view.community, view.viewer, past=past, limit=100, series_once=True)
    states = await states_for(view.viewer, [r["id"] for r in rows])
    items = [present(r, view.community.slug, viewer_zone(request)) for r in rows]
    for item in items:
        item["viewer_state"] = states.get(item["id"])
    return await render_community(request, view, "meetups/list.html", {
        "items": items, "past": past, "can_create": view.can("meetups.meetup.create"),
        "can_pin": view.can("meetups.achievement.create"),
    }, tab="meetups")


def _form_values(form: dict[str, str]) -> dict[str, str]:
    keys = ("title", "body", "starts_at", "ends_at", "timezone", "venue", "address", "city", "place_id",
            "latitude", "longitude", "online_url", "capacity", "repeat_every", "repeat_count",
            "starts_at_fold", "ends_at_fold")
    return {k: form.get(k, "") for k in keys}


async def _form_page(request: Request, view: Any, values: dict[str, str], *, editing: Any = None,
                     error: ValidationFailed | None = None, status_code: int = 200,
                     series: bool = False) -> Response:
    choices = error.choices if isinstance(error, AmbiguousPlace) else []
    return await render_community(request, view, "meetups/form.html", {
        "values": values, "errors": error.fields if error else {}, "error": error.message if error else "",
        "place_choices": [c.as_dict() for c in choices], "editing": editing, "in_series": series,
        **zone_choices(values.get("timezone") or site_zone(request)),
    }, tab="meetups", status_code=status_code)


async def new_page(request: Request) -> Response:
    """The form to organise a meet-up."""
    view = await load_community(request, plugin="meetups")
    if view.viewer is None:
        return RedirectResponse(login_url(request), status_code=303)
    view.require("meetups.meetup.create")
    zone = viewer_zone(request) or site_zone(request)
    return await _form_page(request, view, {"timezone": zone, "repeat_count": "4"})


async def create(request: Request) -> Response:
    """Create the meet-up (or the series), or show the form again with what to fix."""
    view = await load_community(request, plugin="meetups")
    view.require("meetups.meetup.create")
    form = await read_form(request)
    values = _form_values(form)
    try:
        data = await clean_meetup(values, pick_largest=False, default_timezone=site_zone(request))
        created = await create_meetups(view.community, view.viewer, data)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        return await _form_page(request, view, values, error=exc, status_code=422)
    first = created[0]
    if first.status != "published":
        message = _("Your meet-up is waiting for a moderator's review: {reason}", reason=render_stored(first.status_reason))
    elif len(created) > 1:
        message = _("{count} meet-ups are scheduled.", count=len(created))
    else:
        message = _("Your meet-up is scheduled.")
    return flash_redirect(f"/c/{view.community.slug}/meetups/{first.id}", message)


async def detail(request: Request) -> Response:
    """One meet-up: times, place, seats, RSVP buttons, attendees."""
    found = await load_item(request, request.path_params["id"], MEETUP, slug=request.path_params["slug"])
    view, content, meetup = found.view, found.content, found.meetup
    rsvps = await Rsvp.filter(meetup_id=meetup.id).select_related("member").order_by("created_at", "id")
    viewer = view.viewer
    mine = next((r for r in rsvps if viewer is not None and r.member_id == viewer.id), None)
    waiting = sorted((r for r in rsvps if r.state == RsvpState.WAITLISTED), key=lambda r: (r.waitlisted_at, r.id))
    position = waiting.index(mine) + 1 if mine is not None and mine in waiting else None
    series: list[dict[str, Any]] = []
    if meetup.series_id is not None:
        series = await Meetup.filter(series_id=meetup.series_id).order_by("starts_at").values(
            "id", "starts_at", "ends_at", "timezone", "cancelled")
    author = await Member.get_or_none(id=content.author_id)
    item = present(row_dict(meetup, content.title), view.community.slug, viewer_zone(request))
    going_or_staff = (mine is not None and mine.state == RsvpState.GOING) or found.can_manage
    now = times.utcnow()
    actions = await content_actions_for(request, view, [content])
    return await render_community(request, view, "meetups/detail.html", {
        "content": content, "meetup": meetup, "item": item, "author": author,
        "actions": actions.get(content.id),
        "mine": mine.state.value if mine else None, "position": position,
        "going": [r.member for r in rsvps if r.state == RsvpState.GOING],
        "waiting": [r.member for r in waiting],
        "maybe": [r.member for r in rsvps if r.state == RsvpState.MAYBE],
        "show_attendees": view.can("meetups.attendees.view"),
        "online_url": meetup.online_url if going_or_staff else "",
        "can_rsvp": view.can("meetups.rsvp") and not meetup.cancelled and meetup.ends_at > now,
        "over": meetup.ends_at <= now, "can_manage": found.can_manage and not view.community.is_archived,
        "series": [{"id": s["id"], "when": times.format_start(s["starts_at"], s["timezone"]),
                    "cancelled": s["cancelled"]} for s in series],
        "login_url": login_url(request),
        "points": [{"lat": meetup.latitude, "lon": meetup.longitude, "title": content.title}]
        if meetup.latitude is not None else [],
    }, tab="meetups")


async def rsvp(request: Request) -> Response:
    """Answer yes, maybe or no."""
    found = await load_item(request, request.path_params["id"], MEETUP, slug=request.path_params["slug"])
    if found.view.viewer is None:
        raise Unauthorized(_("Log in to answer."))
    found.view.require("meetups.rsvp")
    form = await read_form(request)
    state = await respond(found.content.id, found.view.viewer, form.get("answer", ""))
    kind = "info" if state == RsvpState.WAITLISTED else "success"
    return flash_redirect(f"/c/{found.view.community.slug}/meetups/{found.content.id}", state_message(state), kind)


def _edit_values(content: Any, meetup: Meetup) -> dict[str, str]:
    zone = meetup.timezone
    return {
        "title": content.title, "body": content.body, "timezone": zone,
        "starts_at": times.to_zone(meetup.starts_at, zone).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": times.to_zone(meetup.ends_at, zone).strftime("%Y-%m-%dT%H:%M"),
        "venue": meetup.venue, "address": meetup.address, "city": meetup.city,
        "latitude": "" if meetup.latitude is None else str(meetup.latitude),
        "longitude": "" if meetup.longitude is None else str(meetup.longitude),
        "online_url": meetup.online_url, "capacity": "" if meetup.capacity is None else str(meetup.capacity),
    }


async def _managed(request: Request) -> Any:
    found = await load_item(request, request.path_params["id"], MEETUP, slug=request.path_params["slug"])
    if found.view.viewer is None:
        raise Unauthorized(_("Log in to do this."))
    if not found.can_manage:
        found.view.require("meetups.meetup.manage")
    return found


async def edit_page(request: Request) -> Response:
    """The form to change a meet-up."""
    found = await _managed(request)
    return await _form_page(request, found.view, _edit_values(found.content, found.meetup), editing=found.content,
                            series=found.meetup.series_id is not None)


async def edit(request: Request) -> Response:
    """Save changes to a meet-up."""
    found = await _managed(request)
    form = await read_form(request)
    values = _form_values(form)
    values["repeat_every"] = ""
    stored = _edit_values(found.content, found.meetup)
    if values["city"].strip() != stored["city"] and (values["latitude"], values["longitude"]) == (
            stored["latitude"], stored["longitude"]):
        # A new city typed without touching the old coordinates: look the city up again.
        values["latitude"] = values["longitude"] = ""
    try:
        scope = check_scope(form.get("scope"))
        data = await clean_meetup(values, pick_largest=False, default_timezone=found.meetup.timezone,
                                  allow_past=True)
        saved = await update_series(found.content, found.meetup, found.view.viewer, data, scope)
    except ValidationFailed as exc:
        values["scope"] = form.get("scope", "")
        return await _form_page(request, found.view, values, editing=found.content, error=exc, status_code=422,
                                series=found.meetup.series_id is not None)
    message = _("Changes saved.") if len(saved) < 2 else _("Changes saved on {count} dates.", count=len(saved))
    return flash_redirect(f"/c/{found.view.community.slug}/meetups/{found.content.id}", message)


async def cancel(request: Request) -> Response:
    """Cancel a meet-up (it stays listed, marked cancelled)."""
    found = await _managed(request)
    form = await read_form(request)
    scope = check_scope(form.get("scope"))
    done = await cancel_series(found.content, found.meetup, found.view.viewer,
                               form.get("reason", ""), scope)
    message = (_("The meet-up is cancelled; attendees are told.") if len(done) < 2 else
               _("{count} dates are cancelled; attendees are told.", count=len(done)))
    return flash_redirect(f"/c/{found.view.community.slug}/meetups/{found.content.id}", message)


def _ics_response(body: bytes, filename: str) -> Response:
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


async def meetup_ics(request: Request) -> Response:
    """One meet-up as an .ics file (with the online link for attendees)."""
    found = await load_item(request, request.path_params["id"], MEETUP, slug=request.path_params["slug"])
    meetup, content = found.meetup, found.content
    viewer = found.view.viewer
    going = viewer is not None and await Rsvp.filter(meetup_id=meetup.id, member_id=viewer.id,
                                                     state=RsvpState.GOING).exists()
    item = {**row_dict(meetup, content.title), "body": content.body, "online_url": meetup.online_url,
            "sequence": meetup.sequence, "url": f"/c/{found.view.community.slug}/meetups/{content.id}"}
    base_url = current_site().settings.site.base_url
    body = ical.build_calendar([item], name=content.title, base_url=base_url,
                               online_for={meetup.id} if going or found.can_manage else set())
    return _ics_response(body, f"meetup-{content.id}.ics")


async def community_ics(request: Request) -> Response:
    """The community's meet-ups (coming, and those of the last 30 days) as a calendar feed."""
    view = await load_community(request, plugin="meetups")
    slug = view.community.slug
    recent = times.utcnow() - timedelta(days=30)
    rows = await community_meetups(view.community, view.viewer, limit=500, now=recent)
    ids = [r["id"] for r in rows]
    extra = {m["id"]: m for m in await Meetup.filter(id__in=ids).values("id", "online_url", "sequence")}
    bodies = {c["id"]: c["body"] for c in await _bodies(ids)}
    states = await states_for(view.viewer, ids)
    items = [{**r, "body": bodies.get(r["id"], ""), "url": f"/c/{slug}/meetups/{r['id']}",
              "online_url": extra[r["id"]]["online_url"], "sequence": extra[r["id"]]["sequence"]}
             for r in rows]
    online_for = {i for i, state in states.items() if state == RsvpState.GOING.value}
    base_url = current_site().settings.site.base_url
    body = ical.build_calendar(items, name=view.community.name, base_url=base_url, online_for=online_for)
    return _ics_response(body, f"{slug}-meetups.ics")


async def _bodies(ids: list[int]) -> list[dict[str, Any]]:
    from tisserand.models import Content

    if not ids:
        return []
    return list(await Content.filter(id__in=ids).values("id", "body"))


def routes() -> list[BaseRoute]:
    """The community meet-up pages."""
    from .map_routes import routes as map_routes
    from .personal import my_calendar

    base = "/c/{slug}/meetups"
    return [
        Route("/feeds/{secret}/meetups.ics", my_calendar, methods=["GET"], name="meetups-my-calendar"),
        Route(f"{base}.ics", community_ics, methods=["GET"], name="meetups-ics"),
        Route(base, list_page, methods=["GET"], name="meetups-list"),
        Route(f"{base}/new", new_page, methods=["GET"], name="meetups-new"),
        Route(f"{base}/new", create, methods=["POST"], name="meetups-create"),
        Route(base + "/{id:id}.ics", meetup_ics, methods=["GET"], name="meetups-meetup-ics"),
        Route(base + "/{id:id}", detail, methods=["GET"], name="meetups-detail"),
        Route(base + "/{id:id}/rsvp", rsvp, methods=["POST"], name="meetups-rsvp"),
        Route(base + "/{id:id}/edit", edit_page, methods=["GET"], name="meetups-edit-page"),
        Route(base + "/{id:id}/edit", edit, methods=["POST"], name="meetups-edit"),
        Route(base + "/{id:id}/cancel", cancel, methods=["POST"], name="meetups-cancel"),
        *map_routes(),
    ]
