"""The members' pages: the list of surveys, answering one, results, two rounds compared, CSV."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tisserand.i18n import _, format_date
from tisserand.plugins.surveys import charts
from tisserand.plugins.surveys.access import base_url, load_survey, load_view, survey_url
from tisserand.plugins.surveys.answers import answers_of, participated, submit
from tisserand.plugins.surveys.models import Participation, Survey
from tisserand.plugins.surveys.questions import SCALE, kind_label
from tisserand.plugins.surveys.results import aligned_counts, compare, export_csv, results_of, scale_labels
from tisserand.plugins.surveys.service import last_day, questions_of, recurrence_label, state_label, state_of
from tisserand.web.community import CommunityView, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form_multi
from tisserand.web.params import id_or_none

COOKIE = "tisserand_ballot_{id}"


def settings() -> Any:
    """The ``[plugins.surveys]`` section."""
    from tisserand.site import current_site

    return current_site().plugin_settings("surveys")


def _helpers() -> dict[str, Any]:
    return {"state_label": state_label, "kind_label": kind_label, "recurrence_label": recurrence_label,
            "last_day": last_day, "scale": SCALE, "scale_labels": scale_labels, "percent": charts.percent}


async def render(request: Request, view: CommunityView, template: str, context: dict[str, Any],
                 status_code: int = 200) -> Response:
    """A surveys page inside the community layout."""
    full = {**_helpers(), "base": base_url(view.community.slug),
            "can_manage": view.can("surveys.manage"), "can_results": view.can("surveys.results"), **context}
    return await render_community(request, view, template, full, tab="surveys", status_code=status_code)


async def index(request: Request) -> Response:
    """Open surveys first, then the closed ones; drafts and scheduled ones for managers."""
    view = await load_view(request)
    managing = view.can("surveys.manage")
    surveys = await Survey.filter(community_id=view.community.id).order_by("-opens_at", "-id")
    ids = [s.id for s in surveys]
    mine: set[int] = set()
    counts: dict[int, int] = {}
    if ids:
        mine = set(cast("list[int]", await Participation.filter(
            survey_id__in=ids, member_id=view.viewer.id if view.viewer else 0).values_list("survey_id", flat=True)))
        from tisserand.db import fetch_all

        marks = ",".join("?" * len(ids))
        for row in await fetch_all(f"SELECT survey_id, COUNT(*) AS n FROM surveys_participation "
                                   f"WHERE survey_id IN ({marks}) GROUP BY survey_id", ids):
            counts[row["survey_id"]] = int(row["n"])
    groups: dict[str, list[dict[str, Any]]] = {"open": [], "scheduled": [], "draft": [], "closed": []}
    for survey in surveys:
        state = state_of(survey)
        if state in ("draft", "scheduled") and not managing:
            continue
        groups[state].append({"survey": survey, "state": state, "answered": survey.id in mine,
                              "respondents": counts.get(survey.id, 0)})
    return await render(request, view, "surveys/index.html", {"groups": groups})


def _ballot_key(request: Request, survey: Survey) -> str | None:
    return request.cookies.get(COOKIE.format(id=survey.id)) if survey.anonymous else None


async def survey_page(request: Request) -> Response:
    """A survey: what it is about, whether it is anonymous, and the form while it is open."""
    view, survey = await load_survey(request)
    return await _survey(request, view, survey)


async def _survey(request: Request, view: CommunityView, survey: Survey, *, errors: dict[str, str] | None = None,
                  given: dict[int, Any] | None = None, message: str = "", status_code: int = 200) -> Response:
    state = state_of(survey)
    participation = await participated(survey, view.viewer)
    key = _ballot_key(request, survey)
    mine = given if given is not None else await answers_of(survey, view.viewer, key)
    can_change = participation is None or not survey.anonymous or bool(mine)
    return await render(request, view, "surveys/survey.html", {
        "survey": survey, "state": state, "questions": await questions_of(survey),
        "participation": participation, "mine": mine, "errors": errors or {}, "message": message,
        "can_answer": state == "open" and view.can("surveys.answer") and can_change,
        "locked_out": state == "open" and participation is not None and not can_change,
        "results_visible": view.can("surveys.results") or state == "closed",
    }, status_code=status_code)


async def _form_values(request: Request) -> dict[str, Any]:
    return await read_form_multi(request, prefix="q")


async def answer(request: Request) -> Response:
    """Save (or change) the viewer's answers."""
    view, survey = await load_survey(request)
    view.require("surveys.answer")
    raw = await _form_values(request)
    try:
        done = await submit(survey, view.community, view.viewer, raw, _ballot_key(request, survey))  # type: ignore[arg-type]
    except ValidationFailed as error:
        given = _given(await questions_of(survey), raw)
        return await _survey(request, view, survey, errors=error.fields, given=given, message=error.message,
                             status_code=422)
    except Conflict as error:
        return await _survey(request, view, survey, message=error.message, status_code=409)
    closes = last_day(survey)
    text = (_("Your answers are changed.") if done.changed else _("Thank you, your answers are saved."))
    if closes:
        text += " " + _("You can change them until {day}.", day=format_date(closes, "long"))
    response = flash_redirect(survey_url(view.community.slug, survey.id), text)
    if done.ballot_key:
        _keep_ballot_key(response, view, survey, done.ballot_key)
    return response


def _given(questions: list[Any], raw: dict[str, list[str]]) -> dict[int, Any]:
    """What the member typed, to show the form again after an error."""
    given: dict[int, Any] = {}
    for question in questions:
        values = raw.get(f"q{question.id}", [])
        if question.kind == "text":
            given[question.id] = " ".join(values)
        else:
            given[question.id] = [int(v) for v in values if v.isdigit()]
    return given


def _keep_ballot_key(response: Response, view: CommunityView, survey: Survey, key: str) -> None:
    """The secret of an anonymous ballot lives only in the member's browser, until the survey
    closes (and a day more)."""
    from tisserand.plugins.surveys.service import utcnow
    from tisserand.site import current_site

    seconds = int((survey.closes_at - utcnow()).total_seconds()) if survey.closes_at else 0
    response.set_cookie(COOKIE.format(id=survey.id), key, max_age=max(seconds + 86400, 3600),
                        path=survey_url(view.community.slug, survey.id), httponly=True, samesite="lax",
                        secure=current_site().settings.site.base_url.startswith("https://"))


def _may_see_results(view: CommunityView, survey: Survey) -> None:
    if view.can("surveys.results") or state_of(survey) == "closed":
        return
    closes = last_day(survey)
    raise Forbidden(_("The results appear when the survey closes, after {day}.",
                      day=format_date(closes, "long")) if closes else
                    _("The results appear when the survey closes."))


async def results_page(request: Request) -> Response:
    """Counts, charts and free texts; live for managers, for members once closed."""
    view, survey = await load_survey(request)
    _may_see_results(view, survey)
    results = await results_of(survey, min_anonymous=settings().anonymous_min_answers)
    rounds = await Survey.filter(community_id=view.community.id, series_id=survey.series_id) \
        .exclude(id=survey.id).order_by("-round").values("id", "round", "opens_at", "published", "closes_at")
    # Rounds that took answers: closed ones, and the open one for those who see live results.
    states = {r["id"]: state_of(Survey(published=r["published"], opens_at=r["opens_at"], closes_at=r["closes_at"]))
              for r in rounds}
    visible_rounds = [r for r in rounds if states[r["id"]] == "closed"
                      or (states[r["id"]] == "open" and view.can("surveys.results"))]
    return await render(request, view, "surveys/results.html", {
        "survey": survey, "state": state_of(survey), "results": results, "rounds": visible_rounds,
        "chart": charts.bar_chart,
    })


async def csv_export(request: Request) -> Response:
    """Every answer as a spreadsheet (managers)."""
    view, survey = await load_survey(request)
    view.require("surveys.results")
    results = await results_of(survey, min_anonymous=settings().anonymous_min_answers)
    if results.hidden:
        raise Conflict(results.hidden)
    body = await export_csv(survey)
    name = f"survey-{view.community.slug}-{survey.id}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def comparison(view: CommunityView, survey: Survey, raw_other: str) -> tuple[Survey, Survey, Any, Any]:
    """The two surveys to compare (``raw_other`` is the other's id), the older round first, with
    their results; 404 for a survey the viewer may not see, 403 while results are withheld.
    The page and the API both answer through here."""
    _may_see_results(view, survey)
    other_id = id_or_none(raw_other)
    if other_id is None:
        raise NotFound(_("Choose the survey to compare with."))
    other = await Survey.get_or_none(id=other_id, community_id=view.community.id)
    if other is None or (state_of(other) in ("draft", "scheduled") and not view.can("surveys.manage")):
        raise NotFound(_("There is no such survey in this community."))
    _may_see_results(view, other)
    # The older round on the left.
    first, second = sorted([survey, other], key=lambda s: (s.round, s.opens_at or s.created_at, s.id))
    minimum = settings().anonymous_min_answers
    left, right = await results_of(first, min_anonymous=minimum), await results_of(second, min_anonymous=minimum)
    return first, second, left, right


async def compare_page(request: Request) -> Response:
    """Two rounds (or two surveys sharing questions) side by side."""
    view, survey = await load_survey(request)
    first, second, left, right = await comparison(view, survey, request.query_params.get("with", ""))
    pairs = []
    for pair in compare(left, right):
        labels, a, b = aligned_counts(pair)
        pairs.append({"pair": pair, "labels": labels, "first": a, "second": b,
                      "rows": list(zip(labels, a, strict=True))})
    return await render(request, view, "surveys/compare.html", {
        "survey": survey, "first": first, "second": second, "left": left, "right": right, "pairs": pairs,
        "chart": charts.bar_chart,
    })
