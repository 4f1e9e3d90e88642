"""Surveys and their questions: dates and states, create, edit, delete.

With :mod:`.lifecycle` (opening, closing, rounds) and :mod:`.answers` (taking answers), every
write goes through these modules, for the pages, the API and the scheduler alike. Permission
checks (who may manage, who may answer) are the callers'; the rules that hold whatever the
caller are checked here: archived communities are read-only, questions are frozen once someone
answered, a member has one participation per survey, an answer is taken only while open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from tisserand.db import utcnow as utcnow  # re-exported: the core's clock
from tisserand.errors import Conflict, ReadOnly, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Member
from tisserand.plugins.surveys.models import Participation, Question, Survey
from tisserand.plugins.surveys.questions import QuestionInput
from tisserand.site import current_site
from tisserand.web.params import check_day

RECURRENCES = (0, 1, 2, 3, 4, 6, 12)
DEFAULT_DAYS = 14


def zone() -> ZoneInfo:
    """The site's time zone: survey dates are days in it."""
    try:
        return ZoneInfo(current_site().settings.site.timezone)
    except Exception:  # a bad zone name must not stop surveys
        return ZoneInfo("UTC")


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's zone, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)  # stored in UTC: round-trips


def local_day(moment: datetime | None) -> date | None:
    """The day of ``moment`` in the site's zone."""
    return moment.astimezone(zone()).date() if moment else None


def last_day(survey: Survey) -> date | None:
    """The last day a survey takes answers (it closes at the end of it)."""
    if survey.closes_at is None:
        return None
    return local_day(survey.closes_at - timedelta(seconds=1))


def state_of(survey: Survey, at: datetime | None = None) -> str:
    """``draft``, ``scheduled``, ``open`` or ``closed`` at ``at`` (now by default)."""
    at = at or utcnow()
    if not survey.published:
        return "draft"
    if survey.opens_at is not None and at < survey.opens_at:
        return "scheduled"
    if survey.closes_at is not None and at >= survey.closes_at:
        return "closed"
    return "open"


def state_label(state: str) -> str:
    """A survey state, for people."""
    return {"draft": _("Draft"), "scheduled": _("Scheduled"), "open": _("Open for answers"),
            "closed": _("Closed")}.get(state, state)


def recurrence_label(months: int) -> str:
    """"Every 4 months"…"""
    if not months:
        return _("Does not recur")
    if months == 12:
        return _("Every year")
    if months == 1:
        return _("Every month")
    return _("Every {n} months", n=months)


def refuse_if_archived(community: Community) -> None:
    """Archived communities are read-only (409)."""
    if community.is_archived:
        raise ReadOnly(_("This community is archived: it is read-only."))


# --- Surveys --------------------------------------------------------------------------------


@dataclass
class SurveyInput:
    """A survey's settings as typed by its author, checked."""

    title: str
    description: str = ""
    anonymous: bool = False
    opens_on: date | None = None
    closes_on: date | None = None
    recurrence_months: int = 0


def _parse_day(raw: Any) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return check_day(raw)
    return check_day(date.fromisoformat(str(raw).strip()[:10]))


def check_survey(data: dict[str, Any]) -> tuple[SurveyInput | None, dict[str, str]]:
    """Read a survey's settings from form or JSON data; field errors when not right."""
    errors: dict[str, str] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the survey a title.")
    elif len(title) > 200:
        errors["title"] = _("At most {n} characters.", n=200)
    description = str(data.get("description") or "")
    if len(description) > 20_000:
        errors["description"] = _("At most {n} characters.", n=20_000)
    days: dict[str, date | None] = {}
    for name in ("opens_on", "closes_on"):
        try:
            days[name] = _parse_day(data.get(name))
        except ValueError:
            errors[name] = _("Give a date such as 2026-09-01.")
    if days.get("opens_on") and days.get("closes_on") and days["closes_on"] < days["opens_on"]:  # type: ignore[operator]
        errors["closes_on"] = _("The survey must close after it opens.")
    try:
        months = int(data.get("recurrence_months") or 0)
    except (TypeError, ValueError):
        months = -1
    if months not in RECURRENCES:
        errors["recurrence_months"] = _("Choose how often the survey comes back.")
    anonymous = data.get("anonymous") in (True, "on", "1", "true", "yes", "anonymous")
    if errors:
        return None, errors
    return SurveyInput(title=title, description=description, anonymous=anonymous,
                       opens_on=days.get("opens_on"), closes_on=days.get("closes_on"),
                       recurrence_months=months), {}


async def _render(text: str, community: Community) -> str:
    if not text.strip():
        return ""
    html, _env = await current_site().markdown.render_async(text, {"community": community})
    return str(html)


async def _apply(survey: Survey, data: SurveyInput, community: Community) -> None:
    survey.title = data.title
    survey.description = data.description
    survey.description_html = await _render(data.description, community)
    survey.recurrence_months = data.recurrence_months
    survey.opens_at = start_of(data.opens_on) if data.opens_on else None
    survey.closes_at = start_of(data.closes_on + timedelta(days=1)) if data.closes_on else None


async def create_survey(community: Community, author: Member | None, data: SurveyInput,
                        questions: list[QuestionInput] | None = None) -> Survey:
    """A new draft survey (with its questions, if given)."""
    refuse_if_archived(community)
    survey = Survey(community=community, author=author, anonymous=data.anonymous)
    await _apply(survey, data, community)
    async with in_transaction():
        await survey.save()
        survey.series_id = survey.id
        await survey.save(update_fields=["series_id"])
        for position, question in enumerate(questions or []):
            await _save_question(survey, question, position)
    return survey


async def has_answers(survey: Survey) -> bool:
    """Did anyone answer? (Questions and anonymity are frozen from then on.)"""
    return await Participation.filter(survey_id=survey.id).exists()


async def update_survey(survey: Survey, community: Community, data: SurveyInput) -> Survey:
    """Change a survey's settings. Anonymity cannot change once someone answered: members
    answered under the promise they read."""
    refuse_if_archived(community)
    if data.anonymous != survey.anonymous and await has_answers(survey):
        message = _("Members already answered: the survey stays {kind}.",
                    kind=_("anonymous") if survey.anonymous else _("named"))
        raise ValidationFailed(message, fields={"anonymous": message})
    survey.anonymous = data.anonymous
    await _apply(survey, data, community)
    await survey.save()
    return survey


async def delete_survey(survey: Survey, community: Community) -> None:
    """Delete a survey with its questions and answers."""
    refuse_if_archived(community)
    await survey.delete()


# --- Questions ------------------------------------------------------------------------------


async def _save_question(survey: Survey, data: QuestionInput, position: int,
                         ref: str | None = None) -> Question:
    return await Question.create(survey=survey, ref=ref or uuid4().hex, position=position,
                                 kind=data.kind, label=data.label, help=data.help,
                                 required=data.required, options=data.options or [],
                                 low_label=data.low_label, high_label=data.high_label)


async def check_editable(survey: Survey, community: Community) -> None:
    """Questions change only before the first answer (409 after)."""
    refuse_if_archived(community)
    if await has_answers(survey):
        raise Conflict(_("Members already answered this survey: its questions can no longer change. "
                         "Duplicate it to ask different questions."))


async def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions, in order."""
    return await Question.filter(survey_id=survey.id).order_by("position", "id")


async def add_question(survey: Survey, community: Community, data: QuestionInput) -> Question:
    """Add a question at the end."""
    await check_editable(survey, community)
    last = await Question.filter(survey_id=survey.id).order_by("-position").first()
    return await _save_question(survey, data, (last.position + 1) if last else 0)


async def update_question(question: Question, survey: Survey, community: Community,
                          data: QuestionInput) -> Question:
    """Change a question (before anyone answered)."""
    await check_editable(survey, community)
    question.kind = data.kind
    question.label = data.label
    question.help = data.help
    question.required = data.required
    question.options = data.options or []
    question.low_label = data.low_label
    question.high_label = data.high_label
    await question.save()
    return question


async def delete_question(question: Question, survey: Survey, community: Community) -> None:
    """Remove a question (before anyone answered)."""
    await check_editable(survey, community)
    await question.delete()


async def move_question(question: Question, survey: Survey, community: Community, step: int) -> None:
    """Move a question up (-1) or down (+1)."""
    await check_editable(survey, community)
    ordered = await questions_of(survey)
    index = next(i for i, q in enumerate(ordered) if q.id == question.id)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    async with in_transaction():
        for position, item in enumerate(ordered):
            if item.position != position:
                await Question.filter(id=item.id).update(position=position)
