"""The surveys' JSON API (paths relative to ``/api/v1``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound, ValidationFailed, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Community
from tisserand.plugins.surveys.access import PLUGIN, require_member
from tisserand.plugins.surveys.answers import answers_of, participated, submit
from tisserand.plugins.surveys.lifecycle import close_now, copy_survey, publish, unpublish
from tisserand.plugins.surveys.models import Participation, Question, Survey
from tisserand.plugins.surveys.pages import _may_see_results, comparison, settings
from tisserand.plugins.surveys.questions import QuestionInput, check_question
from tisserand.plugins.surveys.results import compare, respondents, results_of
from tisserand.plugins.surveys.service import (
    add_question,
    check_survey,
    create_survey,
    delete_question,
    delete_survey,
    last_day,
    move_question,
    questions_of,
    state_of,
    update_question,
    update_survey,
)
from tisserand.web.answers import Out
from tisserand.web.api import PatchBody, answer, documented, listing, require_viewer
from tisserand.web.community import CommunityView, load_community
from tisserand.web.params import Day


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


class ResponseBody(BaseModel):
    """Answers by question id: an option's position or a scale point (1 to 5), a list of
    positions for multiple choice, a text. ``ballot_key`` changes an anonymous answer."""

    model_config = ConfigDict(extra="forbid")
    answers: dict[str, int | list[int] | str]
    ballot_key: str | None = Field(None, max_length=100)


class SurveyPatch(PatchBody):
    """Changes to a survey's settings (absent fields stay; ``null`` clears a date)."""

    nullable = frozenset({"opens_on", "closes_on"})
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    anonymous: bool | None = None
    opens_on: Day | None = None
    closes_on: Day | None = None
    recurrence_months: int | None = None


class QuestionMove(BaseModel):
    """Move a question one place up (``-1``) or down (``1``)."""

    model_config = ConfigDict(extra="forbid")
    step: Literal[-1, 1]


class OpenBody(BaseModel):
    """``now`` opens the survey at once (members are invited); ``scheduled`` opens it on its
    opening date."""

    model_config = ConfigDict(extra="forbid")
    when: Literal["now", "scheduled"] = "now"


class EmptyBody(BaseModel):
    """No field: send ``{}`` (or nothing)."""

    model_config = ConfigDict(extra="forbid")


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


class SurveyDetailOut(SurveyOut):
    """A survey with its questions and the viewer's part in it."""

    questions: list[QuestionOut]
    answered: bool
    answered_at: datetime | None
    my_answers: dict[str, Any] | None = None


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


async def _managed(request: Request) -> tuple[CommunityView, Survey]:
    view, survey = await _survey(request)
    view.require("surveys.manage")
    return view, survey


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


def question_json(question: Question) -> dict[str, Any]:
    """A question as the API shows it."""
    return {"id": question.id, "ref": question.ref, "kind": question.kind, "label": question.label,
            "help": question.help, "required": question.required, "options": question.options,
            "low_label": question.low_label, "high_label": question.high_label}


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


def api_routes() -> list[BaseRoute]:
    """The plugin's API routes."""
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
