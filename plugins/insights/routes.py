"""The insights pages: a community's health for its coordinators and animators, the thanks to
its most active members, the weekly CSV, and the site-wide table for administrators."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.auth import member_by_username
from tisserand.errors import Conflict, Forbidden, NotFound, Unauthorized
from tisserand.i18n import _, format_date, format_number, lazy_gettext, ngettext
from tisserand.models import Member, Membership, MembershipState, Notification
from tisserand.plugins.insights import charts
from tisserand.plugins.insights.aggregate import median
from tisserand.plugins.insights.backfill import needs_backfill, queue_backfill
from tisserand.plugins.insights.metrics import Week, contributors, weekly
from tisserand.plugins.insights.models import Alert
from tisserand.plugins.insights.overview import SORTS, overview, sort_lines
from tisserand.plugins.insights.record import day_of, utcnow
from tisserand.site import current_site
from tisserand.web.community import CommunityView, load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.templates import render_page

PERIODS = (12, 26, 52)
CONTRIBUTOR_DAYS = (30, 90, 365)


def choice(request: Request, name: str, allowed: tuple[int, ...], default: int) -> int:
    """A whole-number query parameter among ``allowed`` (anything else gives the default)."""
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        return default
    return value if value in allowed else default


def duration(minutes: float) -> str:
    """"12 min", "5 h", "3 days": a waiting time as people say it."""
    if minutes < 60:
        return ngettext("{count} minute", "{count} minutes", round(minutes))
    if minutes < 48 * 60:
        hours = round(minutes / 60, 1)
        return _("{hours} h", hours=format_number(hours))
    return ngettext("{count} day", "{count} days", round(minutes / 1440))


def month_ticks(series: list[Week]) -> list[tuple[int, str]]:
    """An axis label at the first week of each month (every other month for a long period)."""
    ticks: list[tuple[int, str]] = []
    previous = None
    gap = 2 if len(series) > 30 else 1
    for index, week in enumerate(series):
        if week.start.month != previous:
            previous = week.start.month
            if not ticks or index - ticks[-1][0] >= 4 * gap - 1:
                ticks.append((index, format_date(week.start, "MMM")))
    return ticks


def describe(name: str, series: list[Week], values: Sequence[float | None], unit: str = "") -> str:
    """A sentence with what a reader of the chart would look for: the latest, highest, lowest."""
    known = [(v, w) for v, w in zip(values, series, strict=True) if v is not None]
    if not known:
        return _("{name}: no data for this period yet.", name=name)
    latest = known[-1][0]
    high, high_week = max(known, key=lambda item: item[0])
    return _("{name}, week by week from {first} to {last}. Latest week: {latest}{unit}. Highest: {high}{unit} "
             "(week of {high_week}).", name=name, first=format_date(series[0].start, "long"),
             last=format_date(series[-1].start, "long"), latest=format_number(round(latest, 1)), unit=unit,
             high=format_number(round(high, 1)),
             high_week=format_date(high_week.start, "long"))


def build_charts(series: list[Week]) -> list[dict[str, Any]]:
    """The charts of the insights page, each with its title, drawing and legend."""
    labels = [_("Week of {day}", day=format_date(w.start, "d MMM yyyy")) for w in series]
    ticks = month_ticks(series)
    # Weeks before the first measured day have no point (not a zero).
    active: list[float | None] = [float(w.active) if w.measured else None for w in series]
    members: list[float | None] = [float(w.members) if w.measured else None for w in series]
    share = [None if w.answered_share is None else round(100 * w.answered_share, 1) for w in series]
    hours = [None if w.median_answer_minutes is None else round(w.median_answer_minutes / 60, 1) for w in series]
    attendance = [w.extra.get("meetups.attendance") for w in series]
    found: list[dict[str, Any]] = []

    def add(key: str, title: str, svg: Any, legend: list[tuple[str, str]], note: str = "") -> None:
        found.append({"key": key, "title": title, "svg": svg, "legend": legend, "note": note})

    title = _("Members and active members")
    add("active", title, charts.lines("chart-active", title, describe(_("Active members"), series, active), labels,
                                      [(_("Members"), members, "s1"), (_("Active members"), active, "s0")], ticks),
        [(_("Members"), "s1"), (_("Active members (read or wrote during the week)"), "s0")])
    title = _("New and leaving members")
    joined, left = [float(w.joined) for w in series], [float(w.departed) for w in series]
    add("moves", title, charts.columns("chart-moves", title, describe(_("New members"), series, joined), labels,
                                       [(_("New members"), joined, "s2"), (_("Leaving members"), left, "s3")],
                                       ticks, stacked=False),
        [(_("New members"), "s2"), (_("Leaving members"), "s3")])
    title = _("Posts, replies and wiki edits")
    posts, replies, wiki = ([float(getattr(w, n)) for w in series] for n in ("posts", "replies", "wiki_edits"))
    total = [float(w.contributions) for w in series]
    add("contributions", title, charts.columns(
        "chart-contributions", title, describe(_("Contributions"), series, total), labels,
        [(_("New posts"), posts, "s0"), (_("Replies"), replies, "s1"), (_("Wiki edits"), wiki, "s2")], ticks),
        [(_("New posts (topics, meet-ups…)"), "s0"), (_("Replies"), "s1"), (_("Wiki edits"), "s2")])
    title = _("Share of topics answered")
    add("answered", title, charts.lines("chart-answered", title, describe(title, series, share, " %"), labels,
                                        [(title, share, "s0")], ticks, unit=" %", top=100, integer=False),
        [(_("Topics of the week answered by someone else than their author, so far"), "s0")])
    title = _("Median time to a first answer")
    add("answer-time", title, charts.lines("chart-answer-time", title, describe(title, series, hours, " h"), labels,
                                           [(title, hours, "s1")], ticks, unit=" h", integer=False),
        [(_("Hours between a topic and its first answer"), "s1")])
    title = _("Meet-up attendance")
    if any(value is not None for value in attendance):
        values = [float(v or 0) for v in attendance]
        add("attendance", title, charts.columns("chart-attendance", title, describe(title, series, values), labels,
                                                [(title, values, "s2")], ticks), [(_("People at meet-ups"), "s2")])
    else:
        add("attendance", title, None, [], _("n/a: no plugin of this community reports meet-up attendance."))
    title = _("Content awaiting review")
    pending: list[float | None] = [float(w.pending) if w.measured else None for w in series]
    add("pending", title, charts.lines("chart-pending", title, describe(title, series, pending), labels,
                                       [(title, pending, "s3")], ticks),
        [(_("Held for moderation at the end of the week"), "s3")])
    return found


def totals(series: list[Week]) -> dict[str, Any]:
    """The last four weeks against the four before, for the summary at the top."""
    recent, before = series[-4:], series[-8:-4]

    def total(weeks: list[Week], name: str) -> int:
        return sum(getattr(w, name) for w in weeks)

    topics, answered = total(recent, "topics"), total(recent, "answered")
    minutes = sorted(m for w in recent for m in w.answer_minutes)
    return {"members": series[-1].members if series else 0, "joined": total(recent, "joined"),
            "departed": total(recent, "departed"), "active": series[-1].active_28d if series else 0,
            "contributions": total(recent, "contributions"), "previous": total(before, "contributions"),
            "answered_share": answered / topics if topics else None,
            "median_minutes": median([float(m) for m in minutes])}


async def community_page(request: Request) -> Response:
    """A community's health over up to twelve months, and who to thank."""
    view = await load_community(request, plugin="insights")
    view.require("insights.view")
    if await needs_backfill(view.community):
        # Content older than what insights recorded: a worker rebuilds the history (queued once).
        await queue_backfill(current_site(), view.community)
    weeks = choice(request, "weeks", PERIODS, 52)
    days = choice(request, "days", CONTRIBUTOR_DAYS, 30)
    series = await weekly(view.community.id, weeks)
    alert = await Alert.filter(community_id=view.community.id, ended_on__isnull=True).first()
    return await render_community(request, view, "insights/community.html", {
        "series": series, "charts": build_charts(series), "summary": totals(series), "weeks": weeks, "days": days,
        "periods": PERIODS, "contributor_days": CONTRIBUTOR_DAYS, "alert": alert,
        "contributors": await contributors(view.community.id, days),
        "can_thank": view.can("insights.thank"), "base": f"/c/{view.community.slug}/insights",
        "percent": charts.percent, "duration": duration,
    }, tab="insights")


async def thank(request: Request) -> Response:
    """Send a member a word of thanks for their contributions (once a week per sender)."""
    view = await load_community(request, plugin="insights")
    view.require("insights.thank")
    form = await read_form(request)
    member = await send_thanks(view, form.get("username", ""))
    return flash_redirect(f"/c/{view.community.slug}/insights#contributors",
                          _("{name} received your thanks.", name=member.name))


async def send_thanks(view: CommunityView, username: str) -> Member:
    """Thank a member of the community for their contributions, in their language (once a week
    per sender; 404 for someone who is not a member, 409 for oneself or a second time). The
    page and the API both thank through here."""
    from tisserand.notify import notify

    view.require("insights.thank")
    member = await member_by_username(username.strip().lower(), is_active=True)
    membership = await Membership.get_or_none(member_id=member.id, community_id=view.community.id,
                                              state=MembershipState.ACTIVE) if member else None
    if member is None or membership is None:
        raise NotFound(_("This person is not a member of the community."))
    if member.id == view.viewer.id:  # type: ignore[union-attr]
        raise Conflict(_("You cannot thank yourself, but thank you for your work!"))
    week_ago = utcnow() - timedelta(days=7)
    if await Notification.filter(kind="insights.thanks", member_id=member.id, actor_id=view.viewer.id,  # type: ignore[union-attr]
                                 community_id=view.community.id, created_at__gte=week_ago).exists():
        raise Conflict(_("You already thanked {name} this week.", name=member.name))
    from tisserand.i18n import use_locale
    from tisserand.site import current_site

    with use_locale(member.locale or current_site().settings.site.default_locale):
        title = lazy_gettext("{name} thanks you for your contributions to {community}",
                             name=view.viewer.name, community=view.community.name)  # type: ignore[union-attr]
        text = lazy_gettext("Your posts, replies and edits keep the community alive. Thank you!")
    await notify(member, "insights.thanks", title, text=text, url=f"/c/{view.community.slug}",
                 actor=view.viewer, community=view.community)
    return member


async def weekly_csv(request: Request) -> Response:
    """The weekly numbers as a spreadsheet."""
    view = await load_community(request, plugin="insights")
    view.require("insights.view")
    series = await weekly(view.community.id, choice(request, "weeks", PERIODS, 52))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["week_start", "members", "joined", "departed", "active_members", "posts", "replies",
                     "wiki_edits", "contributions", "topics", "topics_answered", "median_answer_minutes",
                     "awaiting_review", "meetup_attendance"])
    for w in series:
        writer.writerow([w.start.isoformat(), w.members, w.joined, w.departed, w.active, w.posts, w.replies,
                         w.wiki_edits, w.contributions, w.topics, w.answered,
                         "" if w.median_answer_minutes is None else round(w.median_answer_minutes),
                         w.pending, w.extra.get("meetups.attendance", "")])
    name = f"insights-{view.community.slug}-{day_of(utcnow()).isoformat()}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def require_admin(request: Request) -> Member:
    """A site administrator, or 401/403."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None:
        raise Unauthorized(_("Log in to continue."))
    if not viewer.is_admin:
        raise Forbidden(_("This page is for site administrators."))
    return viewer


def reason_label(code: str) -> str:
    """Why a community is flagged, for people."""
    return {"quiet": _("quiet for two weeks"), "falling": _("activity halved"),
            "silent": _("nobody active for four weeks"), "ending": _("ends within a month")}.get(code, code)


async def admin_page(request: Request) -> Response:
    """Every community's trend, members, status and end date: which ones need help?"""
    require_admin(request)
    today = day_of(utcnow())
    sort = request.query_params.get("sort", "attention")
    sort = sort if sort in SORTS else "attention"
    lines = sort_lines(await overview(today), sort, today)
    if request.query_params.get("show") == "attention":
        lines = [line for line in lines if line.reasons(today)]
    rows = [{"line": line, "reasons": [reason_label(r) for r in line.reasons(today)],
             "spark": charts.sparkline(ngettext("{count} contribution over twelve weeks",
                                                "{count} contributions over twelve weeks", sum(line.weekly)),
                                       [float(v) for v in line.weekly]),
             "days_left": line.days_left(today)} for line in lines]
    return await render_page(request, "insights/admin.html", {
        "rows": rows, "sort": sort, "sorts": SORTS, "show": request.query_params.get("show", ""),
        "attention": sum(1 for row in rows if row["reasons"]), "percent": charts.percent})


def routes() -> list[BaseRoute]:
    """The plugin's pages."""
    return [
        Route("/c/{slug}/insights", community_page, methods=["GET"], name="insights"),
        Route("/c/{slug}/insights/thanks", thank, methods=["POST"], name="insights-thanks"),
        Route("/c/{slug}/insights/weekly.csv", weekly_csv, methods=["GET"], name="insights-csv"),
        Route("/admin/insights", admin_page, methods=["GET"], name="insights-admin"),
    ]
