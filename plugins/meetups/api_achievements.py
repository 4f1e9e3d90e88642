"""Achievements in the meetups JSON API: pin a remarkable achievement to a place."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tisserand.models import Content
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, read_json, require_viewer
from tisserand.web.community import load_community
from tisserand.web.params import Id

from .api import Strict, _base_url
from .service import ACHIEVEMENT, clean_achievement, create_achievement


class AchievementIn(Strict):
    title: str
    body: str = ""
    city: str = ""
    place_id: Id | None = None
    latitude: float | None = None
    longitude: float | None = None
    achieved_on: str = ""
    link: str = ""


class AchievementOut(Out):
    """An achievement pinned to a place."""

    id: int
    kind: str
    community: str
    title: str
    body: str
    html: str
    status: str
    latitude: float
    longitude: float
    city: str
    url: str


@documented(tags=["meetups"], status=201, answer=AchievementOut)
async def create_achievement_api(request: Request) -> Response:
    """Pin a remarkable achievement to a place (a city, a ``place_id`` or coordinates)."""
    require_viewer(request)
    view = await load_community(request, plugin="meetups")
    view.require("meetups.achievement.create")
    body = await read_json(request, AchievementIn)
    data = await clean_achievement(body.model_dump(), pick_largest=True)
    content = await create_achievement(view.community, view.viewer, data)  # type: ignore[arg-type]
    return answer(_achievement_json(request, content, view.community.slug, data.latitude, data.longitude,
                                    data.city), status_code=201)


def _achievement_json(request: Request, content: Content, slug: str, latitude: float, longitude: float,
                      city: str) -> dict[str, Any]:
    return {"id": content.id, "kind": ACHIEVEMENT, "community": slug, "title": content.title,
            "body": content.body, "html": content.html, "status": str(content.status),
            "latitude": latitude, "longitude": longitude, "city": city,
            "url": f"{_base_url(request)}/c/{slug}/achievements/{content.id}"}
