"""Trust levels, computed from activity as Discourse does: new (0), basic (1), member (2),
regular (3).

An hourly job counts the days each member visited (from the core's ``last_seen_at`` and the
days they posted), their published items, the posts they read (when a plugin answers
``moderation_posts_read``) and the items of theirs hidden after flags in the last 100 days,
then gives each member the highest level whose requirements they meet. Upheld flags take a
member back down. An admin may lock a member's level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from tisserand.db import fetch_all
from tisserand.i18n import _
from tisserand.models import Content, Member
from tisserand.plugin_manager import resolve_all
from tisserand.plugins.moderation import clock
from tisserand.plugins.moderation.config import LEVELS, ModerationSettings, settings
from tisserand.plugins.moderation.models import Flag, Trust

if TYPE_CHECKING:
    from tisserand.site import Site

FLAG_WINDOW = timedelta(days=100)
BATCH = 500


def label(level: int | None) -> str:
    """The name of a trust level in the reader's language."""
    names = {0: _("New"), 1: _("Basic"), 2: _("Member"), 3: _("Regular")}
    return names.get(level or 0, names[0])


def code(level: int | None) -> str:
    """The stable name of a level (``new``, ``basic``, ``member``, ``regular``)."""
    return LEVELS[max(0, min(3, level or 0))]


@dataclass
class Activity:
    """What a member did, as counted for trust."""

    days_visited: int = 0
    last_visit_on: date | None = None
    posts_written: int = 0
    posts_read: int = 0
    flags_upheld: int = 0
    joined: datetime | None = None


def compute(activity: Activity, rules: ModerationSettings, reads_counted: bool, now: datetime) -> int:
    """The highest level whose requirements ``activity`` meets (each level needs the ones before)."""
    account_days = (now - activity.joined).days if activity.joined else 0
    level = 0
    for number, needs in ((1, rules.trust_basic), (2, rules.trust_member), (3, rules.trust_regular)):
        if (activity.days_visited >= needs.days_visited and activity.posts_written >= needs.posts_written
                and account_days >= needs.account_days and activity.flags_upheld <= needs.max_flags_upheld
                and (not reads_counted or activity.posts_read >= needs.posts_read)):
            level = number
        else:
            break
    return level


async def _posts_read(site: Site, member_ids: list[int]) -> dict[int, int] | None:
    callers = site.plugins.pm.hook.moderation_posts_read.get_hookimpls()
    if not callers:
        return None
    counts: dict[int, int] = {}
    for start in range(0, len(member_ids), BATCH):
        batch = member_ids[start:start + BATCH]
        for answer in await resolve_all(site.plugins.pm.hook.moderation_posts_read(member_ids=batch)):
            for member_id, count in (answer or {}).items():
                counts[int(member_id)] = counts.get(int(member_id), 0) + int(count)
    return counts


async def refresh(site: Site, member_ids: list[int] | None = None) -> int:
    """Recompute activity and levels (for everyone, or for ``member_ids``); returns how many
    members changed level."""
    now = clock.now()
    rules = settings(site)
    only = set(member_ids) if member_ids is not None else None
    rows = Trust.all() if only is None else Trust.filter(member_id__in=list(only))
    current = {r["member_id"]: r for r in await rows.values()}
    activity: dict[int, Activity] = {
        mid: Activity(r["days_visited"], r["last_visit_on"], flags_upheld=0) for mid, r in current.items()}

    seen = Member.filter(last_seen_at__gte=now - timedelta(days=2))
    posted = Content.filter(created_at__gte=now - timedelta(days=2), author_id__isnull=False)
    if only is not None:
        seen = seen.filter(id__in=list(only))
        posted = posted.filter(author_id__in=list(only))
    visits: dict[int, date] = {}
    for row in await seen.values("id", "last_seen_at"):
        visits[row["id"]] = row["last_seen_at"].date()
    for row in await posted.values("author_id", "created_at"):
        day = row["created_at"].date()
        if day > visits.get(row["author_id"], date.min):
            visits[row["author_id"]] = day
    for member_id, day in visits.items():
        entry = activity.setdefault(member_id, Activity())
        if entry.last_visit_on is None or day > entry.last_visit_on:
            entry.days_visited += 1
            entry.last_visit_on = day

    query = ("SELECT author_id, COUNT(*) AS n FROM content WHERE status = 'published' "
             "AND author_id IS NOT NULL GROUP BY author_id")
    for row in await fetch_all(query):
        if only is None or row["author_id"] in only:
            activity.setdefault(row["author_id"], Activity()).posts_written = int(row["n"])
    upheld = Flag.filter(state="upheld", resolved_at__gte=now - FLAG_WINDOW)
    items: dict[int, set[int]] = {}
    for row in await upheld.values("content_id", "content__author_id"):
        author = row["content__author_id"]
        if author is not None and (only is None or author in only):
            items.setdefault(author, set()).add(row["content_id"])
    for author, contents in items.items():
        activity.setdefault(author, Activity()).flags_upheld = len(contents)

    ids = sorted(activity)
    joined = {r["id"]: r["created_at"] for r in await Member.filter(id__in=ids).values("id", "created_at")}
    reads = await _posts_read(site, ids)
    changed = 0
    async with in_transaction():
        for member_id in ids:
            if member_id not in joined:
                continue
            entry = activity[member_id]
            entry.joined = joined[member_id]
            entry.posts_read = (reads or {}).get(member_id, 0)
            level = compute(entry, rules, reads is not None, now)
            values: dict[str, Any] = {
                "level": level, "days_visited": entry.days_visited, "last_visit_on": entry.last_visit_on,
                "posts_written": entry.posts_written, "posts_read": entry.posts_read,
                "flags_upheld": entry.flags_upheld}
            old = current.get(member_id)
            if old is None:
                await Trust.create(member_id=member_id, computed_at=now, **values)
                changed += level != 0
            elif any(old[k] != v for k, v in values.items()):
                await Trust.filter(member_id=member_id).update(computed_at=now, **values)
                changed += old["level"] != level
    return changed


async def lock(member: Member, level: int | None) -> None:
    """Fix a member's level whatever their activity (None: computed again)."""
    row, _created = await Trust.get_or_create(member_id=member.id)
    row.locked_level = level
    await row.save(update_fields=["locked_level"])


async def levels_of(member_ids: list[int]) -> dict[int, int]:
    """Effective levels (a locked level wins) of several members; 0 for unknown ones."""
    rows = await Trust.filter(member_id__in=member_ids).values("member_id", "level", "locked_level")
    found = {r["member_id"]: r["locked_level"] if r["locked_level"] is not None else r["level"] for r in rows}
    return {mid: found.get(mid, 0) for mid in member_ids}
