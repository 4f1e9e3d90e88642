"""Reading the daily rows: weekly series for the charts and the API, the most active
contributors of a period, and one line per community for the site-wide view."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from tisserand.db import as_json, fetch_all
from tisserand.plugins.insights.aggregate import median, monday
from tisserand.plugins.insights.record import as_date, day_of, settings, utcnow

#: Plugin metrics whose weekly value is the last day's (a level), not the sum of the days.
LEVELS = {"moderation.open"}


@dataclass
class Week:
    """One week (Monday to Sunday) of a community."""

    start: date
    members: int = 0
    joined: int = 0
    departed: int = 0
    active: int = 0
    active_28d: int = 0
    posts: int = 0
    replies: int = 0
    wiki_edits: int = 0
    edits: int = 0
    topics: int = 0
    answered: int = 0
    pending: int = 0
    answer_minutes: list[int] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    days: int = 0

    measured: bool = False

    @property
    def end(self) -> date:
        """The Sunday."""
        return self.start + timedelta(days=6)

    @property
    def contributions(self) -> int:
        """New posts, replies and wiki edits."""
        return self.posts + self.replies + self.wiki_edits

    @property
    def answered_share(self) -> float | None:
        """Share of the week's topics answered so far (None without topics)."""
        return self.answered / self.topics if self.topics else None

    @property
    def median_answer_minutes(self) -> float | None:
        """Median time to the first answer of the week's answered topics."""
        return median([float(m) for m in self.answer_minutes])

    def as_json(self) -> dict[str, Any]:
        """The API's view of the week."""
        data = asdict(self)
        data.pop("answer_minutes")
        data.pop("days")
        data.pop("measured")
        data["end"] = self.end
        data["contributions"] = self.contributions
        data["answered_share"] = None if self.answered_share is None else round(self.answered_share, 4)
        data["median_answer_minutes"] = self.median_answer_minutes
        data["meetup_attendance"] = self.extra.get("meetups.attendance")
        return data


def _add(week: Week, row: dict[str, Any]) -> None:
    for name in ("joined", "departed", "posts", "replies", "wiki_edits", "edits", "topics", "answered"):
        setattr(week, name, getattr(week, name) + int(row[name]))
    # Levels: the latest day of the week gives them (rows come in day order).
    week.members = int(row["members"])
    week.active = int(row["active_week"])
    week.active_28d = int(row["active_28d"])
    week.pending = int(row["pending"])
    week.answer_minutes.extend(as_json(row["answer_minutes"]) or [])
    for name, value in (as_json(row["extra"]) or {}).items():
        week.extra[name] = value if name in LEVELS else week.extra.get(name, 0) + value
    for kind, actions in (as_json(row["by_kind"]) or {}).items():
        target = week.by_kind.setdefault(kind, {})
        for action, count in actions.items():
            target[action] = target.get(action, 0) + count
    week.days += 1


DAILY_COLUMNS = ("community_id, day, members, joined, departed, active_week, active_28d, posts, replies, "
                 "wiki_edits, edits, topics, answered, answer_minutes, pending, extra, by_kind")


async def weekly(community_id: int, weeks: int = 52, today: date | None = None) -> list[Week]:
    """The last ``weeks`` weeks (the current one included), oldest first, from the daily rows."""
    today = today or day_of(utcnow())
    first = monday(today) - timedelta(weeks=weeks - 1)
    rows = await fetch_all(f"SELECT {DAILY_COLUMNS} FROM insights_daily WHERE community_id = ? AND day BETWEEN ? AND ? "
                           "ORDER BY day", [community_id, first, today])
    series = [Week(first + timedelta(weeks=i)) for i in range(weeks)]
    for row in rows:
        index = (as_date(row["day"]) - first).days // 7
        _add(series[index], row)
    _carry_levels(series)
    return series


def _carry_levels(series: list[Week]) -> None:
    # A week without any row after the first measured one (the job did not run) keeps the
    # levels of the week before, so lines do not drop to zero; weeks before stay unmeasured.
    previous = None
    for week in series:
        if week.days == 0 and previous is not None:
            week.members, week.pending = previous.members, previous.pending
        week.measured = week.days > 0 or previous is not None
        if week.measured:
            previous = week


async def contributors(community_id: int, days: int = 30, limit: int = 10,
                       today: date | None = None) -> list[dict[str, Any]]:
    """The members with the most contributions over the last ``days`` days."""
    today = today or day_of(utcnow())
    kinds = settings().edit_kinds
    marks = ",".join("?" * len(kinds)) or "''"
    rows = await fetch_all(
        "SELECT e.member_id, m.username, m.display_name, "
        f"SUM(CASE WHEN e.action = 'new' AND e.kind NOT IN ({marks}) THEN 1 ELSE 0 END) AS posts, "
        "SUM(CASE WHEN e.action = 'reply' THEN 1 ELSE 0 END) AS replies, "
        f"SUM(CASE WHEN e.kind IN ({marks}) AND e.action IN ('new', 'edit') THEN 1 ELSE 0 END) AS wiki_edits "
        "FROM insights_event e JOIN member m ON m.id = e.member_id "
        "WHERE e.community_id = ? AND e.day BETWEEN ? AND ? AND e.counted = ? "
        f"AND (e.action IN ('new', 'reply') OR (e.action = 'edit' AND e.kind IN ({marks}))) AND m.is_active = ? "
        "GROUP BY e.member_id, m.username, m.display_name",
        [*kinds, *kinds, community_id, today - timedelta(days=days - 1), today, True, *kinds, True])
    people = [{"username": r["username"], "name": r["display_name"] or r["username"], "posts": int(r["posts"]),
               "replies": int(r["replies"]), "wiki_edits": int(r["wiki_edits"]),
               "contributions": int(r["posts"]) + int(r["replies"]) + int(r["wiki_edits"])} for r in rows]
    people.sort(key=lambda p: (-p["contributions"], p["name"].casefold()))
    return people[:limit]
