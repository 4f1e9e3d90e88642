"""The quiet-community alert: activity well below the community's own usual level for two
weeks is told to its coordinators once, with ideas to bring members back.

A week's level is its contributions (new posts, replies, wiki edits) plus its active members
(who read or wrote). The usual level is the median of the weeks before the last two (ten by
default), so one busy or empty week does not move it. Weeks are the seven days ending yesterday,
then the seven before, and so on: the check does not wait for a Monday.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tisserand.db import fetch_all
from tisserand.i18n import lazy_gettext
from tisserand.models import Community, Membership, MembershipState
from tisserand.plugins.insights.models import Alert
from tisserand.plugins.insights.record import as_date, day_of, settings, utcnow

if TYPE_CHECKING:
    from tisserand.site import Site


@dataclass(frozen=True)
class Level:
    """A community's last two weeks against its usual level."""

    community_id: int
    recent: tuple[float, float]
    usual: float | None

    def quiet(self, ratio: float, minimum: float) -> bool:
        """Both recent weeks well below a usual level that is worth watching."""
        return self.usual is not None and self.usual >= minimum and max(self.recent) < ratio * self.usual

    def recovered(self, ratio: float) -> bool:
        """The last week is back above the alert line."""
        return self.usual is None or self.recent[0] >= ratio * self.usual


def week_levels(rows: list[dict[str, Any]], end: date, weeks: int) -> list[float]:
    """Levels of ``weeks`` seven-day windows ending on ``end``, newest first."""
    by_day = {as_date(r["day"]): r for r in rows}
    levels = []
    for k in range(weeks):
        last = end - timedelta(days=7 * k)
        days = [last - timedelta(days=i) for i in range(7)]
        contributions = sum(int(by_day[d]["posts"]) + int(by_day[d]["replies"]) + int(by_day[d]["wiki_edits"])
                            for d in days if d in by_day)
        active = int(by_day[last]["active_7d"]) if last in by_day else 0
        levels.append(float(contributions + active))
    return levels


async def levels(today: date | None = None, community_ids: list[int] | None = None) -> dict[int, Level]:
    """Every community's level (one query). Communities without enough history have no usual
    level: their rows must cover the whole baseline."""
    today = today or day_of(utcnow())
    baseline = settings().quiet_baseline_weeks
    end = today - timedelta(days=1)
    first = end - timedelta(days=7 * (baseline + 2) - 1)
    rows = await fetch_all("SELECT community_id, day, posts, replies, wiki_edits, active_7d FROM insights_daily "
                           "WHERE day BETWEEN ? AND ? ORDER BY community_id, day", [first, end])
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["community_id"], []).append(row)
    found = {}
    for community_id, mine in grouped.items():
        if community_ids is not None and community_id not in community_ids:
            continue
        values = week_levels(mine, end, baseline + 2)
        covered = as_date(mine[0]["day"]) <= first + timedelta(days=6)
        usual = statistics.median(values[2:]) if covered else None
        found[community_id] = Level(community_id, (values[0], values[1]), usual)
    return found


async def check_quiet(site: Site, today: date | None = None) -> list[Alert]:
    """Open an alert (and tell the coordinators) for each community that fell quiet; close the
    alerts of communities that came back. Returns the alerts opened now."""
    cfg = settings()
    today = today or day_of(utcnow())
    communities = {c.id: c for c in await Community.all()
                   if "insights" in site.plugins.community_plugins(c) and not c.is_archived}
    open_alerts = {a.community_id: a for a in await Alert.filter(ended_on__isnull=True)}
    opened = []
    for community_id, level in (await levels(today, list(communities))).items():
        alert = open_alerts.get(community_id)
        if alert is None and level.quiet(cfg.quiet_ratio, cfg.quiet_min_level):
            alert = await Alert.create(community_id=community_id, started_on=today - timedelta(days=14),
                                       level=max(level.recent), usual=level.usual or 0)
            alert.notified = await _tell(site, communities[community_id], alert)
            await alert.save(update_fields=["notified"])
            opened.append(alert)
        elif alert is not None and level.recovered(cfg.quiet_ratio):
            alert.ended_on = today
            await alert.save(update_fields=["ended_on"])
    return opened


async def _tell(site: Site, community: Community, alert: Alert) -> int:
    from tisserand.notify import notify

    roles = settings().quiet_roles
    people = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE,
                                     role__in=roles).select_related("member")
    # Kept as data (the share a number, not text): each reader gets it in their language.
    title = lazy_gettext("{community} has been quiet for two weeks", community=community.name)
    text = lazy_gettext(
        "Activity over each of the last two weeks stayed below {share:%} of its usual level "
        "({level} against about {usual} a week). Members often come back when something "
        "reaches them: send a call to all with a simple question, propose a short meet-up "
        "or a virtual café, open a survey on what they need now, or thank the members who "
        "keep the community alive.", share=float(settings().quiet_ratio),
        level=alert.level, usual=round(alert.usual))
    told = 0
    for membership in people:
        member = membership.member
        if await notify(member, "insights.quiet", title, text=text, url=f"/c/{community.slug}/insights",
                        community=community, data={"level": alert.level, "usual": alert.usual}, site=site):
            told += 1
    return told
