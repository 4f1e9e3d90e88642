"""The scheduler's work: invite members when a scheduled survey opens, announce the results when
a survey closes, and make the next round of a recurring survey. Also what the surveys give to
digests and to the community's home page."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import _, format_date
from tisserand.models import Community, Member
from tisserand.permissions import can
from tisserand.plugins.surveys.lifecycle import finish, invite, scheduler_may_open
from tisserand.plugins.surveys.models import Participation, Survey
from tisserand.plugins.surveys.service import last_day, utcnow

if TYPE_CHECKING:
    from tisserand.site import Site


log = logging.getLogger("tisserand.surveys")


def _switched_on(site: Site, community: Community) -> bool:
    return "surveys" in site.plugins.community_plugins(community)


async def tick(site: Site, now: datetime | None = None) -> dict[str, int]:
    """Do what is due: invitations of surveys that opened, results of surveys that closed
    (with the next round of recurring ones). Safe to run often and from several processes:
    each step is claimed in the database first."""
    now = now or utcnow()
    done = {"invited": 0, "finished": 0}
    opening = await Survey.filter(published=True, invited_at__isnull=True, opens_at__lte=now,
                                  closes_at__gt=now).order_by("id")
    closing = await Survey.filter(published=True, closed_at__isnull=True, closes_at__lte=now).order_by("id")
    ids = {s.community_id for s in [*opening, *closing]}
    communities = {c.id: c for c in await Community.filter(id__in=list(ids))}
    for survey in opening:
        community = communities[survey.community_id]
        if _switched_on(site, community) and not community.is_archived:
            if not await scheduler_may_open(survey, community):
                # whoever scheduled it lost the right since: it goes back to draft, unsent
                await Survey.filter(id=survey.id, invited_at__isnull=True).update(published=False)
                log.warning("survey %s not opened: its author may no longer manage surveys", survey.id)
                continue
            await invite(survey, community)
            done["invited"] += 1
    for survey in closing:
        community = communities[survey.community_id]
        if _switched_on(site, community):
            await finish(survey, community)
            done["finished"] += 1
    return done


async def open_unanswered(member: Member, community: Community, at: datetime | None = None) -> list[Survey]:
    """Open surveys of ``community`` that ``member`` may answer and has not answered yet."""
    at = at or utcnow()
    if community.is_archived or not await can(member, "surveys.answer", community):
        return []
    surveys = await Survey.filter(community_id=community.id, published=True, opens_at__lte=at,
                                  closes_at__gt=at).order_by("closes_at")
    if not surveys:
        return []
    answered = set(await Participation.filter(member_id=member.id, survey_id__in=[s.id for s in surveys])
                   .values_list("survey_id", flat=True))
    return [s for s in surveys if s.id not in answered]


async def digest_sections(member: Member, community: Community, since: datetime, until: datetime) -> list[DigestSection]:
    """Open surveys the member has not answered, and results published during the period."""
    items = []
    for survey in await open_unanswered(member, community, until):
        closes = last_day(survey)
        items.append(DigestItem(survey.title, f"/c/{community.slug}/surveys/{survey.id}",
                                _("Open until {day}: your answers help the community.",
                                  day=format_date(closes, "long")) if closes else "",
                                # Opened before the period: a reminder, not news.
                                news=survey.opens_at is not None and survey.opens_at >= since))
    if await can(member, "surveys.view", community):
        for survey in await Survey.filter(community_id=community.id, published=True, closed_at__gte=since,
                                          closed_at__lt=until).order_by("closed_at"):
            items.append(DigestItem(_("Results: {title}", title=survey.title),
                                    f"/c/{community.slug}/surveys/{survey.id}/results",
                                    _("The survey is closed, its results are out.")))
    if not items:
        return []
    return [DigestSection(_("Surveys"), items, order=60, plugin="surveys")]


async def home_panel(community: Community, viewer: Member | None) -> Markup | None:
    """A reminder on the community's home page for members with a survey to answer."""
    if viewer is None:
        return None
    waiting = await open_unanswered(viewer, community)
    if not waiting:
        return None
    lines = []
    for survey in waiting[:3]:
        closes = last_day(survey)
        until = (" " + escape(_("(open until {day})", day=format_date(closes, "long")))) if closes else ""
        lines.append(Markup('<li><a href="/c/{slug}/surveys/{id}">{title}</a>{until}</li>').format(
            slug=community.slug, id=survey.id, title=survey.title, until=Markup(until)))
    return Markup('<section class="card survey-panel" aria-labelledby="survey-panel-title">'
                  '<h2 id="survey-panel-title">{heading}</h2><p>{text}</p><ul>{items}</ul></section>').format(
        heading=_("A survey is waiting for your answers"),
        text=_("A few minutes of your time help the community adapt to what members need."),
        items=Markup("").join(lines))

