"""Insights in archive bundles: the daily rows (the community's measured history), the events
and topics they were computed from (with member and content ids mapped on import), and the quiet
periods. Visits are left out: who read what day is not part of a community's legacy."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tisserand.plugins.insights.models import Alert, Daily, Event, Thread

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

DAILY = "insights/daily.jsonl"
EVENTS = "insights/events.jsonl"
THREADS = "insights/threads.jsonl"
ALERTS = "insights/alerts.jsonl"
DAILY_FIELDS = ("day", "members", "joined", "departed", "readers", "contributors", "active", "active_week",
                "active_7d", "active_28d", "posts", "replies", "wiki_edits", "edits", "topics", "answered",
                "answer_minutes", "pending", "by_kind", "extra", "computed_at")


async def export_insights(community: Community, bundle: Bundle) -> None:
    """Write the community's insights rows."""
    bundle.write_jsonl(DAILY, await Daily.filter(community_id=community.id).order_by("day").values(*DAILY_FIELDS))
    events = await Event.filter(community_id=community.id).order_by("id").values(
        "member_id", "kind", "action", "content_id", "root_id", "counted", "happened_at", "day")
    for row in events:
        bundle.include_member(row["member_id"])
    bundle.write_jsonl(EVENTS, events)
    bundle.write_jsonl(THREADS, await Thread.filter(community_id=community.id).order_by("id").values(
        "content_id", "author_id", "created_at", "day", "counted", "first_reply_at"))
    bundle.write_jsonl(ALERTS, await Alert.filter(community_id=community.id).order_by("id").values(
        "kind", "started_on", "ended_on", "level", "usual", "notified"))


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _content(bundle: Bundle, old_id: Any) -> int | None:
    # Content the archive left out (deleted items) simply loses its link.
    try:
        return bundle.content_ids.get(int(old_id)) if old_id is not None else None
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


async def import_insights(community: Community, bundle: Bundle) -> None:
    """Restore the rows into the new community."""
    if bundle.has(DAILY):
        await Daily.bulk_create([
            Daily(community_id=community.id, **{**row, "day": _day(row["day"]),
                                                 "computed_at": _when(row.get("computed_at")) or datetime.now()})
            for row in bundle.read_jsonl(DAILY)])
    if bundle.has(EVENTS):
        await Event.bulk_create([
            Event(community_id=community.id, member_id=bundle.member_id(row.get("member_id")), kind=row["kind"],
                  action=row["action"], content_id=_content(bundle, row.get("content_id")),
                  root_id=_content(bundle, row.get("root_id")), counted=bool(row.get("counted", True)),
                  happened_at=_when(row["happened_at"]), day=_day(row["day"]))
            for row in bundle.read_jsonl(EVENTS)])
    if bundle.has(THREADS):
        for row in bundle.read_jsonl(THREADS):
            content_id = _content(bundle, row.get("content_id"))
            if content_id is None:
                continue
            await Thread.create(community_id=community.id, content_id=content_id,
                                author_id=bundle.member_id(row.get("author_id")), created_at=_when(row["created_at"]),
                                day=_day(row["day"]), counted=bool(row.get("counted", True)),
                                first_reply_at=_when(row.get("first_reply_at")))
    if bundle.has(ALERTS):
        for row in bundle.read_jsonl(ALERTS):
            await Alert.create(community_id=community.id, kind=row.get("kind", "quiet"),
                               started_on=_day(row["started_on"]), ended_on=_day(row.get("ended_on")),
                               level=row.get("level", 0), usual=row.get("usual", 0), notified=row.get("notified", 0))
