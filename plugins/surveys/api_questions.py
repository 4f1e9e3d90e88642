"""Questions in the surveys JSON API: add, replace, delete and move a survey's questions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.surveys.api import _managed
from tisserand.plugins.surveys.models import Question, Survey
from tisserand.plugins.surveys.questions import QuestionInput, check_question
from tisserand.plugins.surveys.service import (
    add_question,
    delete_question,
    move_question,
    questions_of,
    update_question,
)
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing
from tisserand.web.community import CommunityView


class QuestionBody(BaseModel):
    """A question of a new survey."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["single", "multiple", "scale", "text"]
    label: str = Field(max_length=500)
    help: str = Field("", max_length=500)
    required: bool = False
    options: list[str] = Field(default_factory=list, max_length=20)
    low_label: str = Field("", max_length=80)
    high_label: str = Field("", max_length=80)


class QuestionMove(BaseModel):
    """Move a question one place up (``-1``) or down (``1``)."""

    model_config = ConfigDict(extra="forbid")
    step: Literal[-1, 1]


class QuestionOut(Out):
    """A question of a survey."""

    id: int
    ref: str
    kind: str
    label: str
    help: str
    required: bool
    options: list[str]
    low_label: str
    high_label: str


def question_json(question: Question) -> dict[str, Any]:
    """A question as the API shows it."""
    return {"id": question.id, "ref": question.ref, "kind": question.kind, "label": question.label,
            "help": question.help, "required": question.required, "options": question.options,
            "low_label": question.low_label, "high_label": question.high_label}


async def _question(request: Request) -> tuple[CommunityView, Survey, Question]:
    view, survey = await _managed(request)
    question = await Question.get_or_none(id=request.path_params["question_id"], survey_id=survey.id)
    if question is None:
        raise NotFound(_("This question is not in the survey."))
    return view, survey, question


def _checked_question(raw: QuestionBody) -> QuestionInput:
    question, problems = check_question(raw.model_dump())
    if question is None:
        raise ValidationFailed(next(iter(problems.values())), fields=problems)
    return question


@documented(tags=["surveys"], status=201, answer=QuestionOut)
async def add_question_endpoint(request: Request) -> Response:
    """Add a question at the end (before anyone answered; 409 after)."""
    from tisserand.web.api import read_json

    view, survey = await _managed(request)
    body = await read_json(request, QuestionBody)
    question = await add_question(survey, view.community, _checked_question(body))
    return answer(question_json(question), status_code=201)


@documented(tags=["surveys"], status={"PUT": 200, "DELETE": 204}, answer={"PUT": QuestionOut})
async def one_question(request: Request) -> Response:
    """Replace a question (PUT) or delete it (DELETE), before anyone answered (409 after)."""
    from tisserand.web.api import read_json

    view, survey, question = await _question(request)
    if request.method == "DELETE":
        await delete_question(question, survey, view.community)
        return Response(status_code=204)
    body = await read_json(request, QuestionBody)
    question = await update_question(question, survey, view.community, _checked_question(body))
    return answer(question_json(question))


@documented(tags=["surveys"], listing=True, answer=QuestionOut)
async def move_question_endpoint(request: Request) -> Response:
    """Move a question one place up (``{step: -1}``) or down (``{step: 1}``); answers the
    questions in their new order."""
    from tisserand.web.api import read_json

    view, survey, question = await _question(request)
    body = await read_json(request, QuestionMove)
    await move_question(question, survey, view.community, body.step)
    return listing([question_json(q) for q in await questions_of(survey)], None)
