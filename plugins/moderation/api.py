"""The moderation API (``/api/v1``): flags, the review queue, decisions, sanctions, appeals,
watched words and settings, as listed in API.md. This module holds the route table and what
every resource shares; the handlers live by resource in ``api_queue`` (flags, queue,
decisions), ``api_sanctions``, ``api_appeals``, ``api_words`` and ``api_settings`` (settings,
trust, audit log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.plugins.moderation.access import Place
from tisserand.web.api import require_viewer
from tisserand.web.community import load_community

if TYPE_CHECKING:
    from starlette.requests import Request


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _id(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])
    except (KeyError, ValueError):
        raise NotFound(_("There is nothing at this address.")) from None


async def _staff_place(request: Request, permission: str = "moderation.queue.view") -> Place:
    view = await load_community(request, plugin="moderation")
    where = Place(view.community, view.viewer, view.membership)
    require_viewer(request)
    where.require(permission)
    return where


def routes() -> list[BaseRoute]:
    """API routes, relative to /api/v1."""
    from tisserand.plugins.moderation.api_appeals import answer_appeal, community_appeals, file_appeal
    from tisserand.plugins.moderation.api_queue import flag_content, moderate, queue
    from tisserand.plugins.moderation.api_sanctions import (
        community_sanctions,
        lift,
        member_sanctions,
        sanction,
    )
    from tisserand.plugins.moderation.api_settings import community_settings, log, my_trust
    from tisserand.plugins.moderation.api_words import community_word, community_words, site_word, site_words

    return [
        Route("/content/{id:id}/flags", flag_content, methods=["POST"], name="moderation_flag"),
        Route("/content/{id:id}/moderation", moderate, methods=["POST"], name="moderation_action"),
        Route("/communities/{slug}/moderation/queue", queue, methods=["GET"], name="moderation_queue"),
        Route("/communities/{slug}/moderation/sanctions", community_sanctions, methods=["GET"],
              name="moderation_sanctions"),
        Route("/communities/{slug}/members/{username}/sanctions", sanction, methods=["POST"],
              name="moderation_sanction"),
        Route("/communities/{slug}/members/{username}/sanctions", member_sanctions, methods=["GET"],
              name="moderation_member_sanctions"),
        Route("/moderation/sanctions/{id:id}/lift", lift, methods=["POST"], name="moderation_lift"),
        Route("/moderation/appeals", file_appeal, methods=["POST"], name="moderation_appeal"),
        Route("/moderation/appeals/{id:id}/answer", answer_appeal, methods=["POST"], name="moderation_answer"),
        Route("/communities/{slug}/moderation/appeals", community_appeals, methods=["GET"],
              name="moderation_appeals"),
        Route("/communities/{slug}/moderation/log", log, methods=["GET"], name="moderation_log"),
        Route("/communities/{slug}/moderation/words", community_words, methods=["GET", "POST"],
              name="moderation_words"),
        Route("/communities/{slug}/moderation/words/{id:id}", community_word, methods=["DELETE"],
              name="moderation_word"),
        Route("/communities/{slug}/moderation/settings", community_settings, methods=["GET", "PUT"],
              name="moderation_settings"),
        Route("/moderation/words", site_words, methods=["GET", "POST"], name="moderation_site_words"),
        Route("/moderation/words/{id:id}", site_word, methods=["DELETE"], name="moderation_site_word"),
        Route("/me/trust", my_trust, methods=["GET"], name="moderation_my_trust"),
    ]
