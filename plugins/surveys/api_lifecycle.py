"""A survey's life in the surveys JSON API: open or schedule it, take it back to draft, close,
copy and delete it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from starlette.requests import Request
from starlette.responses import Response

from tisserand.plugins.surveys.api import SurveyOut, _managed, survey_json
from tisserand.plugins.surveys.lifecycle import close_now, copy_survey, publish, unpublish
from tisserand.plugins.surveys.pages import settings
from tisserand.plugins.surveys.service import delete_survey
from tisserand.web.api import answer, documented


class OpenBody(BaseModel):
    """``now`` opens the survey at once (members are invited); ``scheduled`` opens it on its
    opening date."""

    model_config = ConfigDict(extra="forbid")
    when: Literal["now", "scheduled"] = "now"


class EmptyBody(BaseModel):
    """No field: send ``{}`` (or nothing)."""

    model_config = ConfigDict(extra="forbid")


@documented(tags=["surveys"], body=OpenBody, answer=SurveyOut)
async def open_survey(request: Request) -> Response:
    """Open a survey now (``{when: "now"}``: members are invited at once) or schedule it for its
    opening date (``{when: "scheduled"}``), as the editor's buttons do (coordinators and animators)."""
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    body = await read_json(request, OpenBody)
    survey = await publish(survey, view.community, now=body.when == "now", default_days=settings().default_days,
                           actor=view.viewer)
    return answer(survey_json(survey, view))


@documented(tags=["surveys"], body=EmptyBody, answer=SurveyOut)
async def survey_to_draft(request: Request) -> Response:
    """Take a scheduled survey back to draft (coordinators and animators)."""
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    await read_json(request, EmptyBody)
    return answer(survey_json(await unpublish(survey, view.community), view))


@documented(tags=["surveys"], body=EmptyBody, answer=SurveyOut)
async def close_survey(request: Request) -> Response:
    """Close an open survey now: its results go to the members (coordinators and animators)."""
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    await read_json(request, EmptyBody)
    return answer(survey_json(await close_now(survey, view.community), view))


@documented(tags=["surveys"], body=EmptyBody, status=201, answer=SurveyOut)
async def copy_survey_endpoint(request: Request) -> Response:
    """A draft copy with the same questions, comparable with this one (coordinators and animators)."""
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    await read_json(request, EmptyBody)
    copy = await copy_survey(survey, view.community, view.viewer, next_round=False)
    return answer(survey_json(copy, view), status_code=201)


@documented(tags=["surveys"], status=204)
async def delete_survey_endpoint(request: Request) -> Response:
    """Delete a survey and its answers (coordinators and animators)."""
    view, survey = await _managed(request)
    await delete_survey(survey, view.community)
    return Response(status_code=204)
