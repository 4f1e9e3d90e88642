"""Answers and results in the surveys JSON API: answer a survey, read its results, compare two
rounds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.plugins.surveys.answers import submit
from tisserand.plugins.surveys.api import SurveyOut, _survey, survey_json
from tisserand.plugins.surveys.models import Participation
from tisserand.plugins.surveys.pages import _may_see_results, comparison, settings
from tisserand.plugins.surveys.results import compare, respondents, results_of
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented


class ResponseBody(BaseModel):
    """Answers by question id: an option's position or a scale point (1 to 5), a list of
    positions for multiple choice, a text. ``ballot_key`` changes an anonymous answer."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[str, int | list[int] | str]
    ballot_key: str | None = Field(None, max_length=100)


class ResponseOut(Out):
    """Answers taken (``ballot_key`` the first time on an anonymous survey)."""

    survey: int
    changed: bool
    answered_at: datetime | None
    changed_at: datetime | None
    ballot_key: str | None = None


class QuestionResultOut(Out):
    """One question's results: ``counts`` (choices, scale) or ``texts``; ``mean`` for scales."""

    id: int
    ref: str
    kind: str
    label: str
    answered: int
    counts: list[dict[str, Any]] | None = None
    texts: list[dict[str, Any]] | None = None
    mean: float | None = None


class ResultsOut(SurveyOut):
    """A survey's results, or why they are withheld (``hidden``)."""

    hidden: str | None
    questions: list[QuestionResultOut]


class ComparedQuestionOut(Out):
    """A question matched by ``ref`` in two rounds; ``null`` on the side that lacks it."""

    ref: str
    kind: str
    label: str
    first: QuestionResultOut | None
    second: QuestionResultOut | None


class ComparisonOut(Out):
    """Two rounds side by side, the older ``first``."""

    first: SurveyOut
    second: SurveyOut
    hidden: str | None
    questions: list[ComparedQuestionOut]


@documented(tags=["surveys"], body=ResponseBody, status=201, answer=ResponseOut)
async def respond(request: Request) -> Response:
    """Answer a survey, or change one's answers while it is open. An anonymous survey answers
    the first time with a ``ballot_key``: keep it, it is the only way to change the answers."""
    from tisserand.web.api import read_json

    view, survey = await _survey(request)
    view.require("surveys.answer")
    body = await read_json(request, ResponseBody)
    raw = {key.removeprefix("q"): value for key, value in body.answers.items()}
    done = await submit(survey, view.community, view.viewer, raw, body.ballot_key)  # type: ignore[arg-type]
    participation = await Participation.get(survey_id=survey.id, member_id=view.viewer.id)  # type: ignore[union-attr]
    data: dict[str, Any] = {"survey": survey.id, "changed": done.changed,
                            "answered_at": participation.answered_at, "changed_at": participation.changed_at}
    if done.ballot_key:
        data["ballot_key"] = done.ballot_key
    return answer(data, status_code=200 if done.changed else 201)


@documented(tags=["surveys"], answer=ResultsOut)
async def survey_results(request: Request) -> Response:
    """Counts per option and scale point, means, free texts: for coordinators and animators
    while open, for members once closed."""
    view, survey = await _survey(request)
    _may_see_results(view, survey)
    results = await results_of(survey, min_anonymous=settings().anonymous_min_answers)
    data = survey_json(survey, view, count=await respondents(survey))
    data["hidden"] = results.hidden or None
    data["questions"] = [] if results.hidden else [r.as_json() for r in results.questions]
    return answer(data)


@documented(tags=["surveys"], answer=ComparisonOut,
            query={"with": "id of the other survey (another round, or a copy)"})
async def compare_surveys(request: Request) -> Response:
    """Two rounds (or two surveys sharing questions) side by side, the older first: each
    question (matched by its ``ref``) with both rounds' results, ``null`` on the side that
    lacks it. Results follow the rules of ``/results``."""
    view, survey = await _survey(request)
    first, second, left, right = await comparison(view, survey, request.query_params.get("with", ""))
    hidden = left.hidden or right.hidden
    data: dict[str, Any] = {
        "first": survey_json(first, view, count=left.respondents),
        "second": survey_json(second, view, count=right.respondents),
        "hidden": hidden or None, "questions": [],
    }
    if not hidden:
        data["questions"] = [{"ref": pair.question.ref, "kind": pair.question.kind, "label": pair.question.label,
                              "first": pair.first.as_json() if pair.first else None,
                              "second": pair.second.as_json() if pair.second else None}
                             for pair in compare(left, right)]
    return answer(data)
