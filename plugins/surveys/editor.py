"""The managers' pages: create a survey, edit its settings and questions, open, close, copy,
delete. Every form posts here and redirects (303) with a message."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import Conflict, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.surveys.access import base_url, load_survey, load_view, survey_url
from tisserand.plugins.surveys.lifecycle import close_now, copy_survey, publish, unpublish
from tisserand.plugins.surveys.models import Question, Survey
from tisserand.plugins.surveys.pages import render, settings
from tisserand.plugins.surveys.questions import check_question, kind_choices
from tisserand.plugins.surveys.service import (
    RECURRENCES,
    add_question,
    check_survey,
    create_survey,
    delete_question,
    delete_survey,
    has_answers,
    last_day,
    local_day,
    move_question,
    questions_of,
    state_of,
    update_question,
    update_survey,
)
from tisserand.web.community import CommunityView
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form


def _form_of(survey: Survey | None) -> dict[str, Any]:
    if survey is None:
        return {"title": "", "description": "", "anonymous": False, "opens_on": "", "closes_on": "",
                "recurrence_months": 0}
    opens = local_day(survey.opens_at)
    closes = last_day(survey)
    return {"title": survey.title, "description": survey.description, "anonymous": survey.anonymous,
            "opens_on": opens.isoformat() if opens else "", "closes_on": closes.isoformat() if closes else "",
            "recurrence_months": survey.recurrence_months}


def _edit_url(view: CommunityView, survey: Survey) -> str:
    return survey_url(view.community.slug, survey.id) + "/edit"


async def new_page(request: Request) -> Response:
    """The form of a new survey."""
    view = await load_view(request)
    view.require("surveys.manage")
    return await render(request, view, "surveys/new.html", {
        "form": _form_of(None), "errors": {}, "recurrences": RECURRENCES})


async def create(request: Request) -> Response:
    """Create a draft and go on to its questions."""
    view = await load_view(request)
    view.require("surveys.manage")
    form = await read_form(request)
    data, errors = check_survey(form)
    if data is None:
        return await render(request, view, "surveys/new.html", {
            "form": {**_form_of(None), **form, "anonymous": form.get("anonymous") == "anonymous"},
            "errors": errors, "recurrences": RECURRENCES}, status_code=422)
    survey = await create_survey(view.community, view.viewer, data)
    return flash_redirect(_edit_url(view, survey), _("The survey is created as a draft: add its questions."))


def _editor_data(source: Question | dict[str, str] | None) -> dict[str, Any]:
    """What the question editor shows: a saved question, or what was just typed."""
    if source is None:
        return {"kind": "single", "label": "", "help": "", "options": "", "low_label": "", "high_label": "",
                "required": False}
    if isinstance(source, Question):
        return {"kind": source.kind, "label": source.label, "help": source.help,
                "options": "\n".join(source.options or []), "low_label": source.low_label,
                "high_label": source.high_label, "required": source.required}
    return {**_editor_data(None), **{k: v for k, v in source.items() if k != "required"},
            "required": bool(source.get("required"))}


async def _edit(request: Request, view: CommunityView, survey: Survey, *, form: dict[str, Any] | None = None,
                errors: dict[str, str] | None = None, failed: tuple[int | None, dict[str, str], dict[str, str]] | None = None,
                status_code: int = 200) -> Response:
    """The editor; ``failed`` is (question id or None for the new one, typed form, errors)."""
    questions = []
    for question in await questions_of(survey):
        mine = failed is not None and failed[0] == question.id
        questions.append({"question": question, "data": _editor_data(failed[1] if mine else question),  # type: ignore[index]
                          "errors": failed[2] if mine else {}, "open": mine})  # type: ignore[index]
    new_failed = failed is not None and failed[0] is None
    return await render(request, view, "surveys/edit.html", {
        "survey": survey, "state": state_of(survey), "form": form or _form_of(survey), "errors": errors or {},
        "questions": questions, "locked": await has_answers(survey), "kinds": kind_choices(),
        "recurrences": RECURRENCES, "default_days": settings().default_days,
        "new_data": _editor_data(failed[1] if new_failed else None),  # type: ignore[index]
        "new_errors": failed[2] if new_failed else {},  # type: ignore[index]
    }, status_code=status_code)


async def edit_page(request: Request) -> Response:
    """Settings, questions and the buttons that open or close the survey."""
    view, survey = await load_survey(request, manage=True)
    return await _edit(request, view, survey)


async def save_settings(request: Request) -> Response:
    """Save the title, description, anonymity, dates and recurrence."""
    view, survey = await load_survey(request, manage=True)
    form = await read_form(request)
    data, errors = check_survey(form)
    if data is not None:
        try:
            await update_survey(survey, view.community, data)
        except ValidationFailed as error:
            errors = error.fields
    if errors:
        return await _edit(request, view, survey, form={**_form_of(survey), **form,
                                                        "anonymous": form.get("anonymous") == "anonymous"},
                           errors=errors, status_code=422)
    return flash_redirect(_edit_url(view, survey), _("The survey's settings are saved."))


async def new_question(request: Request) -> Response:
    """Add a question at the end."""
    view, survey = await load_survey(request, manage=True)
    form = await read_form(request)
    data, errors = check_question(form)
    if data is None:
        return await _edit(request, view, survey, failed=(None, form, errors), status_code=422)
    await add_question(survey, view.community, data)
    return flash_redirect(_edit_url(view, survey) + "#add-question", _("The question is added."))


async def change_question(request: Request) -> Response:
    """Save, move or delete one question (``action`` = save, up, down, delete)."""
    view, survey = await load_survey(request, manage=True)
    question = await Question.get_or_none(id=request.path_params["question_id"], survey_id=survey.id)
    if question is None:
        raise NotFound(_("This question is not in the survey."))
    form = await read_form(request)
    action = form.get("action", "save")
    if action in ("up", "down"):
        await move_question(question, survey, view.community, -1 if action == "up" else 1)
        return flash_redirect(_edit_url(view, survey) + f"#q{question.id}", _("The question is moved."))
    if action == "delete":
        await delete_question(question, survey, view.community)
        return flash_redirect(_edit_url(view, survey), _("The question is deleted."))
    data, errors = check_question(form)
    if data is None:
        return await _edit(request, view, survey, failed=(question.id, form, errors), status_code=422)
    await update_question(question, survey, view.community, data)
    return flash_redirect(_edit_url(view, survey) + f"#q{question.id}", _("The question is saved."))


async def open_survey(request: Request) -> Response:
    """Open now (members are invited at once) or schedule for the opening date."""
    view, survey = await load_survey(request, manage=True)
    form = await read_form(request)
    now = form.get("when", "now") == "now"
    try:
        await publish(survey, view.community, now=now, default_days=settings().default_days,
                      actor=view.viewer)
    except ValidationFailed as error:
        return await _edit(request, view, survey, errors={**error.fields, "publish": error.message},
                           status_code=422)
    if now:
        return flash_redirect(survey_url(view.community.slug, survey.id),
                              _("The survey is open and the members are invited."))
    return flash_redirect(_edit_url(view, survey), _("The survey is scheduled: it opens on its own."))


async def back_to_draft(request: Request) -> Response:
    """Take a scheduled survey back to draft."""
    view, survey = await load_survey(request, manage=True)
    await unpublish(survey, view.community)
    return flash_redirect(_edit_url(view, survey), _("The survey is a draft again."))


async def close(request: Request) -> Response:
    """Close an open survey now."""
    view, survey = await load_survey(request, manage=True)
    await close_now(survey, view.community)
    return flash_redirect(survey_url(view.community.slug, survey.id) + "/results",
                          _("The survey is closed: its results are visible to the members."))


async def duplicate(request: Request) -> Response:
    """A draft copy with the same questions (comparable with this one)."""
    view, survey = await load_survey(request, manage=True)
    copy = await copy_survey(survey, view.community, view.viewer, next_round=False)
    return flash_redirect(_edit_url(view, copy), _("Here is the copy, as a draft: adapt it and open it."))


async def delete_page(request: Request) -> Response:
    """Ask before deleting."""
    view, survey = await load_survey(request, manage=True)
    from tisserand.plugins.surveys.results import respondents

    return await render(request, view, "surveys/delete.html", {
        "survey": survey, "respondents": await respondents(survey)})


async def delete(request: Request) -> Response:
    """Delete the survey and its answers (the form must confirm it)."""
    view, survey = await load_survey(request, manage=True)
    form = await read_form(request)
    if form.get("confirm") != "yes":
        raise Conflict(_("Tick the box to confirm the deletion."))
    await delete_survey(survey, view.community)
    return flash_redirect(base_url(view.community.slug), _("The survey is deleted."))
