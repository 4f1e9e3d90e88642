"""What a community achieved: the numbers behind the celebration page (``/c/{slug}/legacy``).

A handful of grouped queries whatever the size of the community (the counts are done by the
database). Only published content counts, so nothing pending, hidden or deleted shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tisserand.db import dialect, fetch_all, fetch_one
from tisserand.plugin_manager import resolve_all
from tisserand.plugins.archive.kinds import kind_order
from tisserand.plugins.archive.lifecycle import SeasonView, seasons_of, today

if TYPE_CHECKING:
    from tisserand.digest import DigestSection
    from tisserand.models import Community, Member
    from tisserand.site import Site

TOP_CONTRIBUTORS = 10
#: Beyond this many months the chart shows years.
MAX_MONTH_BARS = 48


@dataclass
class Contributor:
    """A member and how many published items they wrote."""

    username: str
    name: str
    count: int
    is_placeholder: bool = False


@dataclass
class Legacy:
    """Everything the celebration page shows."""

    started_on: date
    ended_on: date | None
    archived: bool
    days: int
    members: int
    counts: list[tuple[str, int]]
    activity: list[tuple[str, int]]
    activity_unit: str
    contributors: list[Contributor]
    seasons: list[SeasonView]
    sections: list[DigestSection] = field(default_factory=list)

    @property
    def objectives(self) -> int:
        """How many objectives the seasons had."""
        return sum(len(s.objectives) for s in self.seasons)

    @property
    def objectives_reached(self) -> int:
        """How many were reached."""
        return sum(s.reached for s in self.seasons)

    @property
    def total_content(self) -> int:
        """Published items of every kind."""
        return sum(count for _kind, count in self.counts)

    def as_dict(self) -> dict[str, Any]:
        """The API's form."""
        on = self.ended_on or date.today()
        return {
            "started_on": self.started_on, "ended_on": self.ended_on, "archived": self.archived,
            "days": self.days, "members": self.members,
            "content": {kind: count for kind, count in self.counts},
            "activity": [{"period": p, "count": c} for p, c in self.activity],
            "activity_unit": self.activity_unit,
            "contributors": [{"username": c.username, "name": c.name, "count": c.count}
                             for c in self.contributors],
            "seasons": [s.as_dict(on) for s in self.seasons],
            "objectives": self.objectives, "objectives_reached": self.objectives_reached,
            "sections": [{"title": s.title, "items": [{"text": i.text, "url": i.url, "detail": i.detail}
                                                        for i in s.items]} for s in self.sections],
        }


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


async def _monthly(community_id: int) -> list[tuple[str, int]]:
    if dialect() == "postgres":
        period = "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')"
    else:
        period = "substr(created_at, 1, 7)"
    rows = await fetch_all(
        f"SELECT {period} AS period, COUNT(*) AS n FROM content "
        "WHERE community_id = ? AND status = 'published' GROUP BY period ORDER BY period",
        [community_id])
    return [(str(r["period"]), int(r["n"])) for r in rows]


def fill_months(counts: list[tuple[str, int]], start: date, end: date) -> tuple[list[tuple[str, int]], str]:
    """Every month from ``start`` to ``end`` with its count (zero included), or every year when
    that is more than :data:`MAX_MONTH_BARS` bars. Returns the periods and ``month``/``year``."""
    known = dict(counts)
    if counts:
        first = min(counts)[0]
        start = min(start, date(int(first[:4]), int(first[5:7]), 1))
    months: list[tuple[str, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, known.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) <= MAX_MONTH_BARS:
        return months, "month"
    years: dict[str, int] = {}
    for key, count in months:
        years[key[:4]] = years.get(key[:4], 0) + count
    return sorted(years.items()), "year"


async def _contributors(community_id: int) -> list[Contributor]:
    rows = await fetch_all(
        "SELECT m.username, m.display_name, m.is_placeholder, COUNT(*) AS n FROM content c "
        "JOIN member m ON m.id = c.author_id WHERE c.community_id = ? AND c.status = 'published' "
        "GROUP BY m.id, m.username, m.display_name, m.is_placeholder "
        "ORDER BY n DESC, m.username LIMIT ?", [community_id, TOP_CONTRIBUTORS])
    return [Contributor(r["username"], r["display_name"] or r["username"], int(r["n"]),
                        bool(r["is_placeholder"])) for r in rows]


async def legacy_of(site: Site, community: Community, viewer: Member | None) -> Legacy:
    """The numbers, seasons, chart data and highlights of ``community``."""
    started = _as_date(community.created_at)
    ended: date | None = None
    if community.is_archived and community.archived_at is not None:
        ended = _as_date(community.archived_at)
    last = ended or today(site)
    counts_rows = await fetch_all(
        "SELECT kind, COUNT(*) AS n FROM content WHERE community_id = ? AND status = 'published' "
        "GROUP BY kind", [community.id])
    counts = sorted(((r["kind"], int(r["n"])) for r in counts_rows), key=lambda kc: kind_order(kc[0]))
    members = await fetch_one(
        "SELECT COUNT(*) AS n FROM membership WHERE community_id = ? AND state = 'active'",
        [community.id])
    activity, unit = fill_months(await _monthly(community.id), started, last)
    sections = await legacy_sections(site, community, viewer)
    return Legacy(
        started_on=started, ended_on=ended, archived=community.is_archived,
        days=max((last - started).days, 0) + 1, members=int(members["n"]) if members else 0,
        counts=counts, activity=activity, activity_unit=unit,
        contributors=await _contributors(community.id), seasons=await seasons_of(community),
        sections=sections,
    )


async def legacy_sections(site: Site, community: Community, viewer: Member | None) -> list[DigestSection]:
    """What the plugins switched on here add to the celebration page (``legacy_sections``)."""
    from tisserand.plugins.archive.edits import most_revised

    relay = site.plugins.for_community(community)
    sections: list[DigestSection] = []
    for result in await resolve_all(relay.legacy_sections(community=community, viewer=viewer)):
        sections.extend(result)
    if not sections and "wiki" in site.plugins.community_plugins(community):
        # The wiki says nothing (it counts no reads): show its most revised pages instead.
        fallback = await most_revised(community)
        if fallback is not None:
            sections.append(fallback)
    return sorted(sections, key=lambda s: s.order)
