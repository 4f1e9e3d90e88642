"""Map pages (a community's and the site's), their GeoJSON, "near me", achievements, the
member's location page and the city search."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import ValidationFailed
from tisserand.i18n import _, format_number
from tisserand.models import Member
from tisserand.site import current_site
from tisserand.web.api import answer
from tisserand.web.community import load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.templates import render_page

from .access import load_item
from .gazetteer import gazetteer
from .geo import check_point, parse_bbox, parse_coordinate
from .location import remove_location, set_location
from .mapdata import feature_collection, map_layers
from .places import AmbiguousPlace, resolve_place
from .present import distance_label, present
from .queries import near
from .service import ACHIEVEMENT, MEETUP, clean_achievement, create_achievement
from .webutil import login_url, viewer_of, viewer_zone

RADII = (5, 10, 25, 50, 100, 250, 500)


async def community_map(request: Request) -> Response:
    """A community's map: meet-ups, achievements and (for fellow members) members, with the
    same things as plain lists below for people without JavaScript or map tiles."""
    view = await load_community(request, plugin="meetups")
    layers = await map_layers(request, view.viewer, community=view.community)
    return await render_community(request, view, "meetups/community_map.html", {
        **layers, "geojson_url": f"/c/{view.community.slug}/map.geojson",
        "can_pin": view.can("meetups.achievement.create"),
    }, tab="meetups-map")


async def community_geojson(request: Request) -> Response:
    """The community map's data as GeoJSON (``?bbox=west,south,east,north``)."""
    view = await load_community(request, plugin="meetups")
    layers = await map_layers(request, view.viewer, community=view.community,
                              box=parse_bbox(request.query_params.get("bbox")))
    return answer(feature_collection(layers), headers={"Content-Type": "application/geo+json"})


async def site_map(request: Request) -> Response:
    """Every community's coming meet-ups and achievements the viewer may see, and the members
    who share a community with them."""
    layers = await map_layers(request, viewer_of(request))
    return await render_page(request, "meetups/site_map.html", {
        **layers, "geojson_url": "/map.geojson"})


async def site_geojson(request: Request) -> Response:
    """The site map's data as GeoJSON (``?bbox=west,south,east,north``)."""
    layers = await map_layers(request, viewer_of(request), box=parse_bbox(request.query_params.get("bbox")))
    return answer(feature_collection(layers), headers={"Content-Type": "application/geo+json"})


async def near_page(request: Request) -> Response:
    """Coming meet-ups around a city, a point or the member's saved location, nearest first."""
    viewer = viewer_of(request)
    settings = current_site().plugin_settings("meetups")
    params = request.query_params
    context: dict[str, Any] = {"values": dict(params), "radii": RADII, "errors": {}, "error": "",
                               "results": None, "choices": [], "center": None}
    try:
        km = parse_coordinate(params.get("km"), "km") or settings.near_default_km
        if not 0 < km <= settings.near_max_km:
            raise ValidationFailed(_("The distance must be between 1 and {max} km.",
                                     max=format_number(settings.near_max_km)), fields={"km": _("Out of range.")})
        context["km"] = km
        center: tuple[float, float] | None = None
        label = ""
        if params.get("city") or params.get("place_id") or params.get("latitude") or params.get("longitude"):
            place = await resolve_place(params, pick_largest=False, required=True)
            assert place.latitude is not None and place.longitude is not None
            center, label = (place.latitude, place.longitude), place.city
        elif viewer is not None and viewer.latitude is not None and viewer.longitude is not None:
            center, label = (viewer.latitude, viewer.longitude), viewer.city or _("your location")
        if center is not None:
            rows = await near(viewer, center[0], center[1], km, limit=100)
            zone = viewer_zone(request)
            context["results"] = [present(r, r["slug"], zone) | {"community_name": r["community_name"],
                                                                 "distance": distance_label(r["distance_km"])}
                                  for r in rows]
            context["center"] = {"lat": center[0], "lon": center[1], "label": label}
    except AmbiguousPlace as exc:
        context.update(error=exc.message, errors=exc.fields, choices=[c.as_dict() for c in exc.choices])
    except ValidationFailed as exc:
        context.update(error=exc.message, errors=exc.fields)
    status = 422 if context["error"] and not context["choices"] else 200
    return await render_page(request, "meetups/near.html", context, status_code=status)


# --- Remarkable achievements ---------------------------------------------------------------


async def achievement_new(request: Request) -> Response:
    """The form to pin an achievement."""
    view = await load_community(request, plugin="meetups")
    if view.viewer is None:
        return RedirectResponse(login_url(request), status_code=303)
    view.require("meetups.achievement.create")
    return await render_community(request, view, "meetups/achievement_form.html",
                                  {"values": {}, "errors": {}, "error": "", "place_choices": []},
                                  tab="meetups-map")


async def achievement_create(request: Request) -> Response:
    """Pin the achievement, or show the form again with what to fix."""
    view = await load_community(request, plugin="meetups")
    view.require("meetups.achievement.create")
    form = await read_form(request)
    try:
        data = await clean_achievement(form, pick_largest=False)
        content = await create_achievement(view.community, view.viewer, data)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        choices = [c.as_dict() for c in exc.choices] if isinstance(exc, AmbiguousPlace) else []
        return await render_community(request, view, "meetups/achievement_form.html", {
            "values": form, "errors": exc.fields, "error": exc.message, "place_choices": choices,
        }, tab="meetups-map", status_code=422)
    return flash_redirect(f"/c/{view.community.slug}/achievements/{content.id}", _("The achievement is on the map."))


async def achievement_page(request: Request) -> Response:
    """One achievement with its place."""
    found = await load_item(request, request.path_params["id"], ACHIEVEMENT, slug=request.path_params["slug"])
    place = found.row
    author = await Member.get_or_none(id=found.content.author_id)
    return await render_community(request, found.view, "meetups/achievement.html", {
        "content": found.content, "place": place, "author": author,
        "points": [{"lat": place.latitude, "lon": place.longitude, "title": found.content.title}],
    }, tab="meetups-map")


async def short_link(request: Request) -> Response:
    """``/meetups/{id}`` and ``/achievements/{id}``: redirect to the community's page."""
    kind = MEETUP if request.url.path.startswith("/meetups/") else ACHIEVEMENT
    found = await load_item(request, request.path_params["id"], kind)
    segment = "meetups" if kind == MEETUP else "achievements"
    return RedirectResponse(f"/c/{found.view.community.slug}/{segment}/{found.content.id}", status_code=302)


# --- The member's location -----------------------------------------------------------------


async def location_page(request: Request) -> Response:
    """Set, change or remove my location (a city, or coordinates rounded to about 1 km)."""
    viewer = viewer_of(request)
    if viewer is None:
        return RedirectResponse(login_url(request), status_code=303)
    query = request.query_params.get("q", "").strip()
    results = [c.as_dict() for c in (await gazetteer()).search(query, limit=15)] if query else None
    return await _location(request, viewer, query=query, results=results)


async def _location(request: Request, viewer: Member, status_code: int = 200, **extra: Any) -> Response:
    shared = await _shared_count(viewer)
    context = {"member": viewer, "query": "", "results": None, "errors": {}, "error": "", "values": {},
               "shared_communities": shared, **extra}
    return await render_page(request, "meetups/location.html", context,
                                                    status_code=status_code)


async def _shared_count(viewer: Member) -> int:
    from tisserand.models import Membership

    return await Membership.filter(member_id=viewer.id, state="active").count()


async def location_save(request: Request) -> Response:
    """Save my location from a picked city or from coordinates."""
    viewer = viewer_of(request)
    if viewer is None:
        return RedirectResponse(login_url(request), status_code=303)
    form = await read_form(request)
    try:
        if form.get("place_id"):
            city = (await gazetteer()).get(int(form["place_id"])) if form["place_id"].isdigit() else None
            if city is None:
                raise ValidationFailed(_("This place is not in the list any more: search again."),
                                       fields={"q": _("Search again.")})
            await set_location(viewer, city.latitude, city.longitude, city.label)
        else:
            point = check_point(parse_coordinate(form.get("latitude"), "latitude"),
                                parse_coordinate(form.get("longitude"), "longitude"), required=True)
            assert point is not None
            await set_location(viewer, point[0], point[1], form.get("city", ""))
    except ValidationFailed as exc:
        return await _location(request, viewer, 422, errors=exc.fields, error=exc.message, values=form)
    return flash_redirect("/me/location", _("Your location is saved, rounded to about 1 km."))


async def location_remove(request: Request) -> Response:
    """Forget my location at once."""
    viewer = viewer_of(request)
    if viewer is None:
        return RedirectResponse(login_url(request), status_code=303)
    await remove_location(viewer)
    return flash_redirect("/me/location", _("Your location is removed. Nobody sees it any more."))


async def place_search(request: Request) -> Response:
    """City search for the forms' autocompletion: ``/places/search?q=lyon`` → JSON."""
    query = request.query_params.get("q", "").strip()[:100]
    found = (await gazetteer()).search(query, limit=10) if query else []
    return answer({"items": [c.as_dict() for c in found], "next": None})


def routes() -> list[BaseRoute]:
    """Map, near-me, achievement, location and search routes."""
    return [
        Route("/c/{slug}/map", community_map, methods=["GET"], name="meetups-community-map"),
        Route("/c/{slug}/map.geojson", community_geojson, methods=["GET"], name="meetups-community-geojson"),
        Route("/c/{slug}/achievements/new", achievement_new, methods=["GET"], name="meetups-achievement-new"),
        Route("/c/{slug}/achievements/new", achievement_create, methods=["POST"],
              name="meetups-achievement-create"),
        Route("/c/{slug}/achievements/{id:id}", achievement_page, methods=["GET"], name="meetups-achievement"),
        Route("/map", site_map, methods=["GET"], name="meetups-site-map"),
        Route("/map.geojson", site_geojson, methods=["GET"], name="meetups-site-geojson"),
        Route("/meetups/near", near_page, methods=["GET"], name="meetups-near"),
        Route("/meetups/{id:id}", short_link, methods=["GET"], name="meetups-short"),
        Route("/achievements/{id:id}", short_link, methods=["GET"], name="meetups-achievement-short"),
        Route("/me/location", location_page, methods=["GET"], name="meetups-location"),
        Route("/me/location", location_save, methods=["POST"], name="meetups-location-save"),
        Route("/me/location/remove", location_remove, methods=["POST"], name="meetups-location-remove"),
        Route("/places/search", place_search, methods=["GET"], name="meetups-place-search"),
    ]

