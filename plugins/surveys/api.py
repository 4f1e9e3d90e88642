"""The surveys' JSON API (paths relative to ``/api/v1``): its route table and what every resource
shares (a survey as the API shows it, finding the survey and checking the viewer's part). The
handlers live by resource in ``api_surveys``, ``api_questions``, ``api_lifecycle`` and
``api_answers``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from tisserand.errors import hidden_unless_allowed, nothing_here
from tisserand.models import Community
from tisserand.plugins.surveys.access import PLUGIN, require_member
from tisserand.plugins.surveys.models import Survey
from tisserand.plugins.surveys.service import last_day, state_of
from tisserand.web.answers import Out
from tisserand.web.api import require_viewer
from tisserand.web.community import CommunityView, load_community


class SurveyOut(Out):
    """A survey (``respondents`` in results and lists of one's own)."""

    id: int
    community: str
    title: str
    description: str
    html: str
    anonymous: bool
    state: str = Field(description="draft, scheduled, open or closed")
    opens_at: datetime | None
    closes_at: datetime | None
    last_day: date | None
    recurrence_months: int
    series: int | None
    round: int
    url: str
    respondents: int | None = None


def survey_json(survey: Survey, view: CommunityView, *, count: int | None = None) -> dict[str, Any]:
    """A survey as the API shows it."""
    closes = last_day(survey)
    data: dict[str, Any] = {
        "id": survey.id, "community": view.community.slug, "title": survey.title,
        "description": survey.description, "html": survey.description_html, "anonymous": survey.anonymous,
        "state": state_of(survey), "opens_at": survey.opens_at, "closes_at": survey.closes_at,
        "last_day": closes, "recurrence_months": survey.recurrence_months, "series": survey.series_id,
        "round": survey.round, "url": f"/c/{view.community.slug}/surveys/{survey.id}",
    }
    if count is not None:
        data["respondents"] = count
    return data


async def _community(request: Request, slug: str | None = None) -> CommunityView:
    require_viewer(request)
    view = await load_community(request, slug=slug, plugin=PLUGIN)
    require_member(view)
    return view


async def _survey(request: Request) -> tuple[CommunityView, Survey]:
    require_viewer(request)
    survey = await Survey.get_or_none(id=request.path_params["survey_id"])
    if survey is None:
        raise nothing_here()
    community = await Community.get(id=survey.community_id)
    with hidden_unless_allowed():  # a community the viewer may not read: as if it did not exist
        view = await load_community(request, slug=community.slug, plugin=PLUGIN)
    require_member(view)
    if state_of(survey) in ("draft", "scheduled") and not view.can("surveys.manage"):
        raise nothing_here()
    return view, survey


async def _managed(request: Request) -> tuple[CommunityView, Survey]:
    view, survey = await _survey(request)
    view.require("surveys.manage")
    return view, survey


def api_routes() -> list[BaseRoute]:
    """The plugin's API routes."""
    from tisserand.plugins.surveys.api_answers import compare_surveys, respond, survey_results
    from tisserand.plugins.surveys.api_lifecycle import (
        close_survey,
        copy_survey_endpoint,
        delete_survey_endpoint,
        open_survey,
        survey_to_draft,
    )
    from tisserand.plugins.surveys.api_questions import (
        add_question_endpoint,
        move_question_endpoint,
        one_question,
    )
    from tisserand.plugins.surveys.api_surveys import community_surveys, edit_survey, one_survey

    return [
        Route("/communities/{slug}/surveys", community_surveys, methods=["GET", "POST"], name="surveys"),
        Route("/surveys/{survey_id:id}", one_survey, methods=["GET"], name="survey"),
        Route("/surveys/{survey_id:id}/response", respond, methods=["PUT"], name="survey-response"),
        Route("/surveys/{survey_id:id}/results", survey_results, methods=["GET"], name="survey-results"),
        Route("/surveys/{survey_id:id}/compare", compare_surveys, methods=["GET"], name="survey-compare"),
        Route("/surveys/{survey_id:id}/open", open_survey, methods=["POST"], name="survey-open"),
        Route("/surveys/{survey_id:id}/draft", survey_to_draft, methods=["POST"], name="survey-draft"),
        Route("/surveys/{survey_id:id}/close", close_survey, methods=["POST"], name="survey-close"),
        Route("/surveys/{survey_id:id}/copy", copy_survey_endpoint, methods=["POST"], name="survey-copy"),
        Route("/surveys/{survey_id:id}", delete_survey_endpoint, methods=["DELETE"], name="survey-delete"),
        Route("/surveys/{survey_id:id}", edit_survey, methods=["PATCH"], name="survey-edit"),
        Route("/surveys/{survey_id:id}/questions", add_question_endpoint, methods=["POST"], name="survey-questions"),
        Route("/surveys/{survey_id:id}/questions/{question_id:id}", one_question, methods=["PUT", "DELETE"],
              name="survey-question"),
        Route("/surveys/{survey_id:id}/questions/{question_id:id}/move", move_question_endpoint, methods=["POST"],
              name="survey-question-move"),
    ]
