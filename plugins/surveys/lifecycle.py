"""Opening and closing surveys, inviting members, announcing results, the next round."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from tisserand.errors import Conflict, ValidationFailed
from tisserand.i18n import _, lazy_gettext, use_locale
from tisserand.models import Community, Member, Membership, MembershipState
from tisserand.plugins.surveys.models import Participation, Question, Survey
from tisserand.plugins.surveys.service import (
    DEFAULT_DAYS,
    check_editable,
    last_day,
    local_day,
    questions_of,
    refuse_if_archived,
    start_of,
    state_of,
    utcnow,
    zone,
)
from tisserand.site import current_site


async def publish(survey: Survey, community: Community, *, now: bool, default_days: int = DEFAULT_DAYS,
                  actor: Member | None = None) -> Survey:
    """Open the survey now (``now=True``) or at its opening date; members are invited when it
    opens (at once here when it opens now, else by the scheduler). Whoever schedules it
    (``actor``) becomes its author: the scheduler checks their rights again when it opens."""
    refuse_if_archived(community)
    if not await Question.filter(survey_id=survey.id).exists():
        raise ValidationFailed(_("Add at least one question before opening the survey."))
    moment = utcnow()
    if now:
        survey.opens_at = moment
        if survey.closes_at is None or survey.closes_at <= moment:
            survey.closes_at = start_of((local_day(moment) or moment.date()) + timedelta(days=default_days + 1))
    else:
        if survey.opens_at is None or survey.opens_at <= moment:
            raise ValidationFailed(_("Choose an opening date in the future, or open the survey now."),
                                   fields={"opens_on": _("A date in the future.")})
        if survey.closes_at is None:
            survey.closes_at = survey.opens_at + timedelta(days=default_days)
        if actor is not None:
            survey.author_id = actor.id
    survey.published = True
    await survey.save()
    if state_of(survey) == "open":
        await invite(survey, community)
    return survey


async def scheduler_may_open(survey: Survey, community: Community) -> bool:
    """Work scheduled by someone runs with their rights *then*: may the survey's author still
    manage surveys in ``community`` (active account, role still granted)?"""
    from tisserand.permissions import can

    author = await Member.get_or_none(id=survey.author_id) if survey.author_id else None
    return author is not None and author.is_active and await can(author, "surveys.manage", community)


async def unpublish(survey: Survey, community: Community) -> Survey:
    """Back to draft (a scheduled survey nobody answered yet)."""
    await check_editable(survey, community)
    survey.published = False
    await survey.save(update_fields=["published", "updated_at"])
    return survey


async def close_now(survey: Survey, community: Community) -> Survey:
    """Stop taking answers now; tell participants that the results are out."""
    refuse_if_archived(community)
    if state_of(survey) != "open":
        raise Conflict(_("This survey is not open."))
    # Keep the planned end: the next round of a series keeps the series' rhythm and length.
    survey.planned_closes_at = survey.planned_closes_at or survey.closes_at
    survey.closes_at = utcnow()
    await survey.save(update_fields=["closes_at", "planned_closes_at", "updated_at"])
    await finish(survey, community)
    return survey


def shift_months(moment: datetime, months: int) -> datetime:
    """The same local day and time ``months`` later (the 31st becomes the month's last day)."""
    local = moment.astimezone(zone())
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = local.day
    while True:
        try:
            return local.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


async def copy_survey(survey: Survey, community: Community, author: Member | None, *,
                      next_round: bool) -> Survey:
    """A copy with the same questions (same ``ref``, so the two can be compared).

    ``next_round=True`` makes the next round of a recurring survey: scheduled, its dates moved
    by the recurrence. Otherwise a draft without dates, to adapt.
    """
    refuse_if_archived(community)
    copy = Survey(community=community, author_id=author.id if author else survey.author_id,
                  title=survey.title,
                  description=survey.description, description_html=survey.description_html,
                  anonymous=survey.anonymous, recurrence_months=survey.recurrence_months)
    if next_round:
        months = survey.recurrence_months
        copy.series_id = survey.series_id or survey.id
        copy.round = survey.round + 1
        copy.published = True
        planned_end = survey.planned_closes_at or survey.closes_at
        if survey.opens_at and planned_end:
            copy.opens_at = shift_months(survey.opens_at, months)
            copy.closes_at = shift_months(planned_end, months)
    async with in_transaction():
        await copy.save()
        if copy.series_id is None:
            copy.series_id = copy.id
            await copy.save(update_fields=["series_id"])
        for question in await questions_of(survey):
            await Question.create(survey=copy, ref=question.ref, position=question.position,
                                  kind=question.kind, label=question.label, help=question.help,
                                  required=question.required, options=list(question.options or []),
                                  low_label=question.low_label, high_label=question.high_label)
    return copy


async def invite(survey: Survey, community: Community) -> int:
    """Notify every member who may answer; returns how many were told. Runs once per survey."""
    from tisserand.notify import notify

    claimed = await Survey.filter(id=survey.id, invited_at__isnull=True).update(invited_at=utcnow())
    if not claimed:
        return 0
    site = current_site()
    roles = site.permissions.roles_for("surveys.answer", community)
    memberships = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE,
                                          role__in=list(roles)).select_related("member")
    closes = last_day(survey)
    author_id = survey.author_id
    author = await Member.get_or_none(id=author_id) if author_id else None
    sent = 0
    for membership in memberships:
        member = membership.member
        with use_locale(member.locale or site.settings.site.default_locale):
            title = lazy_gettext("Survey in {community}: {title}", community=community.name, title=survey.title)
            text = (lazy_gettext("Your answers help the community. Open until {day}.", day=closes)
                    if closes else "")
        if await notify(member, "surveys.invitation", title, text=text,
                        url=f"/c/{community.slug}/surveys/{survey.id}", community=community,
                        actor=author, data={"survey": survey.id}, site=site):
            sent += 1
    return sent


async def finish(survey: Survey, community: Community) -> None:
    """After a survey closed: tell its participants the results are out, and make the next
    round of a recurring survey. Runs once per survey."""
    from tisserand.notify import notify

    claimed = await Survey.filter(id=survey.id, closed_at__isnull=True).update(closed_at=utcnow())
    if not claimed:
        return
    site = current_site()
    participants = await Participation.filter(survey_id=survey.id).select_related("member")
    for participation in participants:
        member = participation.member
        with use_locale(member.locale or site.settings.site.default_locale):
            title = lazy_gettext("Results of the survey “{title}”", title=survey.title)
        await notify(member, "surveys.results", title,
                     url=f"/c/{community.slug}/surveys/{survey.id}/results", community=community,
                     data={"survey": survey.id}, site=site)
    if survey.recurrence_months and not community.is_archived:
        made = await Survey.filter(id=survey.id, next_round_made=False).update(next_round_made=True)
        if made:
            await copy_survey(survey, community, None, next_round=True)
