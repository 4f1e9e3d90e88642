"""One line per community for site administrators: which of the communities need help?

Four queries whatever the number of communities: the communities, their contributions per week
over the last twelve weeks, their active members of the last days, their open alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tisserand.db import as_json, dialect, fetch_all
from tisserand.plugins.insights.aggregate import monday
from tisserand.plugins.insights.record import as_date, day_of, utcnow

WEEKS = 12
SORTS = ("attention", "name", "trend", "active", "members", "ends")


@dataclass
class Line:
    """A community in the site-wide table."""

    id: int
    slug: str
    name: str
    visibility: str
    status: str
    members: int
    ends_on: date | None
    enabled: bool
    created_on: date | None = None
    weekly: list[int] = field(default_factory=list)
    active_28d: int = 0
    quiet_since: date | None = None

    @property
    def recent(self) -> int:
        """Contributions of the last four weeks."""
        return sum(self.weekly[-4:])

    @property
    def before(self) -> int:
        """Contributions of the four weeks before."""
        return sum(self.weekly[-8:-4])

    @property
    def trend(self) -> float | None:
        """Change of the last four weeks against the four before (None when both are empty)."""
        if self.before == 0:
            return None if self.recent == 0 else 1.0
        return (self.recent - self.before) / self.before

    def days_left(self, today: date) -> int | None:
        """Days until the planned end."""
        return (self.ends_on - today).days if self.ends_on else None

    def reasons(self, today: date) -> list[str]:
        """Why the community may need help (codes: quiet, falling, silent, ending)."""
        found: list[str] = []
        if self.status == "archived" or not self.enabled:
            return found
        if self.quiet_since is not None:
            found.append("quiet")
        if self.trend is not None and self.trend <= -0.5 and self.before >= 4:
            found.append("falling")
        young = self.created_on is not None and (today - self.created_on).days < 28
        if self.members > 0 and self.active_28d == 0 and not young:
            found.append("silent")
        left = self.days_left(today)
        if left is not None and 0 <= left <= 30:
            found.append("ending")
        return found

    def as_json(self, today: date) -> dict[str, Any]:
        """The API's view of the line."""
        return {"slug": self.slug, "name": self.name, "visibility": self.visibility, "status": self.status,
                "members": self.members, "ends_on": self.ends_on, "insights": self.enabled,
                "active_28d": self.active_28d, "weekly_contributions": self.weekly,
                "contributions_4w": self.recent, "contributions_previous_4w": self.before,
                "trend": None if self.trend is None else round(self.trend, 4), "quiet_since": self.quiet_since,
                "needs_attention": self.reasons(today)}


def _switched_on(plugins: Any) -> bool:
    from tisserand.plugin_manager import plugins_switched_on
    from tisserand.site import current_site

    chosen = as_json(plugins)
    return "insights" in plugins_switched_on(current_site().plugins.enabled, chosen)


async def overview(today: date | None = None) -> list[Line]:
    """Every community with its twelve weeks of contributions and whether insights is on."""
    today = today or day_of(utcnow())
    first = monday(today) - timedelta(weeks=WEEKS - 1)
    communities = await fetch_all("SELECT id, slug, name, visibility, status, member_count, ends_on, plugins, "
                                  "created_at FROM community ORDER BY name")
    lines = {c["id"]: Line(c["id"], c["slug"], c["name"], str(c["visibility"]), str(c["status"]),
                           int(c["member_count"]), as_date(c["ends_on"]) if c["ends_on"] else None,
                           _switched_on(c["plugins"]), as_date(c["created_at"]), [0] * WEEKS) for c in communities}
    # Weeks are counted by the database: at most twelve rows per community come back.
    week = ("CAST((julianday(day) - julianday(?)) / 7 AS INTEGER)" if dialect() == "sqlite"
            else "((day - CAST(? AS date)) / 7)")
    for row in await fetch_all(f"SELECT community_id, {week} AS week, SUM(posts + replies + wiki_edits) AS n "
                               "FROM insights_daily WHERE day BETWEEN ? AND ? GROUP BY community_id, week",
                               [first, first, today]):
        line = lines.get(row["community_id"])
        if line is not None and 0 <= int(row["week"]) < WEEKS:
            line.weekly[int(row["week"])] += int(row["n"])
    latest: dict[int, date] = {}
    for row in await fetch_all("SELECT community_id, day, active_28d FROM insights_daily WHERE day BETWEEN ? AND ?",
                               [today - timedelta(days=6), today]):
        day = as_date(row["day"])
        if row["community_id"] in lines and day >= latest.get(row["community_id"], day):
            latest[row["community_id"]] = day
            lines[row["community_id"]].active_28d = int(row["active_28d"])
    for row in await fetch_all("SELECT community_id, started_on FROM insights_alert WHERE ended_on IS NULL"):
        if row["community_id"] in lines:
            lines[row["community_id"]].quiet_since = as_date(row["started_on"])
    return list(lines.values())


def sort_lines(lines: list[Line], key: str, today: date) -> list[Line]:
    """Order the table: ``attention`` puts the communities that need help first."""
    if key == "name":
        return sorted(lines, key=lambda line: line.name.casefold())
    if key == "trend":
        return sorted(lines, key=lambda line: (line.trend is None, line.trend or 0.0, line.name.casefold()))
    if key == "active":
        return sorted(lines, key=lambda line: (-line.active_28d, line.name.casefold()))
    if key == "members":
        return sorted(lines, key=lambda line: (-line.members, line.name.casefold()))
    if key == "ends":
        return sorted(lines, key=lambda line: (line.ends_on is None, line.ends_on or today, line.name.casefold()))
    return sorted(lines, key=lambda line: (-len(line.reasons(today)), line.trend if line.trend is not None else 0.0,
                                           line.name.casefold()))
