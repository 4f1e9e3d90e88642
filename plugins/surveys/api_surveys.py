"""Surveys in the surveys JSON API: list a community's surveys, create one, read one with its
questions, change its settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import ValidationFailed
from tisserand.plugins.surveys.answers import answers_of, participated
from tisserand.plugins.surveys.api import SurveyOut, _community, _managed, _survey, survey_json
from tisserand.plugins.surveys.api_questions import QuestionBody, QuestionOut
from tisserand.plugins.surveys.lifecycle import publish
from tisserand.plugins.surveys.models import Survey
from tisserand.plugins.surveys.pages import settings
from tisserand.plugins.surveys.questions import QuestionInput, check_question
from tisserand.plugins.surveys.service import (
    check_survey,
    create_survey,
    questions_of,
    state_of,
    update_survey,
)
from tisserand.web.api import PatchBody, answer, documented, listing
from tisserand.web.params import Day


class SurveyBody(BaseModel):
    """A new survey: ``open`` = ``now`` opens it at once, ``scheduled`` on ``opens_on``."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=200)
    description: str = Field("", max_length=20_000)
    anonymous: bool = False
    opens_on: Day | None = None
    closes_on: Day | None = None
    recurrence_months: int = 0
    questions: list[QuestionBody] = Field(default_factory=list, max_length=100)
    open: Literal["now", "scheduled"] | None = None


class SurveyPatch(PatchBody):
    """Changes to a survey's settings (absent fields stay; ``null`` clears a date)."""

    nullable = frozenset({"opens_on", "closes_on"})
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    anonymous: bool | None = None
    opens_on: Day | None = None
    closes_on: Day | None = None
    recurrence_months: int | None = None


class SurveyDetailOut(SurveyOut):
    """A survey with its questions and the viewer's part in it."""

    questions: list[QuestionOut]
    answered: bool
    answered_at: datetime | None
    my_answers: dict[str, Any] | None = None


@documented(listing=True, tags=["surveys"], body={"POST": SurveyBody}, status={"GET": 200, "POST": 201},
            answer=SurveyOut)
async def community_surveys(request: Request) -> Response:
    """The community's surveys (GET), or create one (POST, coordinators and animators)."""
    view = await _community(request)
    if request.method == "POST":
        from tisserand.web.api import read_json

        view.require("surveys.manage")
        body = await read_json(request, SurveyBody)
        data, errors = check_survey(body.model_dump(exclude={"questions", "open"}))
        questions: list[QuestionInput] = []
        for index, raw in enumerate(body.questions):
            question, problems = check_question(raw.model_dump())
            errors.update({f"questions.{index}.{k}": v for k, v in problems.items()})
            if question is not None:
                questions.append(question)
        if data is None or errors:
            raise ValidationFailed(next(iter(errors.values())), fields=errors)
        survey = await create_survey(view.community, view.viewer, data, questions)
        if body.open:
            await publish(survey, view.community, now=body.open == "now",
                          default_days=settings().default_days, actor=view.viewer)
        return answer(survey_json(survey, view, count=0), status_code=201)
    managing = view.can("surveys.manage")
    surveys = await Survey.filter(community_id=view.community.id).order_by("-opens_at", "-id")
    items = [survey_json(s, view) for s in surveys if managing or state_of(s) in ("open", "closed")]
    return listing(items, None)


@documented(tags=["surveys"], answer=SurveyDetailOut)
async def one_survey(request: Request) -> Response:
    """A survey with its questions, and whether the viewer answered (with their answers for a
    named survey)."""
    view, survey = await _survey(request)
    participation = await participated(survey, view.viewer)
    data = survey_json(survey, view)
    data["questions"] = [{"id": q.id, "ref": q.ref, "kind": q.kind, "label": q.label, "help": q.help,
                          "required": q.required, "options": q.options, "low_label": q.low_label,
                          "high_label": q.high_label} for q in await questions_of(survey)]
    data["answered"] = participation is not None
    data["answered_at"] = participation.answered_at if participation else None
    if participation is not None and not survey.anonymous:
        data["my_answers"] = {str(k): v for k, v in (await answers_of(survey, view.viewer)).items()}
    return answer(data)


@documented(tags=["surveys"], answer=SurveyOut)
async def edit_survey(request: Request) -> Response:
    """Change a survey's title, description, anonymity (not once someone answered), dates or
    recurrence, as the editor's settings form does (coordinators and animators)."""
    from tisserand.plugins.surveys.editor import _form_of
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    body = await read_json(request, SurveyPatch)
    data, errors = check_survey({**_form_of(survey), **body.model_dump(exclude_unset=True)})
    if data is None:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    survey = await update_survey(survey, view.community, data)
    return answer(survey_json(survey, view))
