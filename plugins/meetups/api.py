"""JSON API of the meetups plugin (paths relative to ``/api/v1``), as listed in API.md: its route
table and what every resource shares. The handlers live by resource in ``api_meetups`` (meet-ups
and series), ``api_rsvp``, ``api_map`` (near me, map data), ``api_achievements`` and ``api_places``
(my location, the gazetteer)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from tisserand.site import current_site


class Strict(BaseModel):
    """Unknown fields are errors, so that a typo does not pass silently."""

    model_config = ConfigDict(extra="forbid")


def _base_url(request: Request) -> str:
    return str(current_site().settings.site.base_url)


def routes() -> list[BaseRoute]:
    """The plugin's API routes (relative to /api/v1)."""
    from .api_achievements import create_achievement_api
    from .api_map import community_map, near_me, site_map
    from .api_meetups import cancel, create_meetup, edit_meetup, get_meetup, list_meetups
    from .api_places import delete_location, places, put_location
    from .api_rsvp import attendees, rsvp

    return [
        Route("/communities/{slug}/meetups", create_meetup, methods=["POST"], name="meetups-api-create"),
        Route("/communities/{slug}/meetups", list_meetups, methods=["GET"], name="meetups-api-list"),
        Route("/communities/{slug}/achievements", create_achievement_api, methods=["POST"],
              name="meetups-api-achievement"),
        Route("/communities/{slug}/map", community_map, methods=["GET"], name="meetups-api-community-map"),
        Route("/map", site_map, methods=["GET"], name="meetups-api-site-map"),
        Route("/meetups/near", near_me, methods=["GET"], name="meetups-api-near"),
        Route("/meetups/{id:id}", get_meetup, methods=["GET"], name="meetups-api-get"),
        Route("/meetups/{id:id}", edit_meetup, methods=["PATCH"], name="meetups-api-edit"),
        Route("/meetups/{id:id}/rsvp", rsvp, methods=["POST"], name="meetups-api-rsvp"),
        Route("/meetups/{id:id}/cancel", cancel, methods=["POST"], name="meetups-api-cancel"),
        Route("/meetups/{id:id}/attendees", attendees, methods=["GET"], name="meetups-api-attendees"),
        Route("/me/location", put_location, methods=["PUT"], name="meetups-api-location-put"),
        Route("/me/location", delete_location, methods=["DELETE"], name="meetups-api-location-delete"),
        Route("/places", places, methods=["GET"], name="meetups-api-places"),
    ]
