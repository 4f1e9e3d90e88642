"""The moderation part of a community's archive bundle (``moderation/…``).

Always: the community's watched words and settings. In a full export (``include_private``,
for coordinators and admins): flags, review items, sanctions and appeals too, since they name
members and their reports. Site bans are the site's, not a community's: they stay out. On
import, rows about content or members the bundle does not hold are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.plugins.moderation import clock
from tisserand.plugins.moderation.config import bump
from tisserand.plugins.moderation.models import Appeal, Flag, ModerationConfig, Review, Sanction, WatchedWord

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

PREFIX = "moderation/"


async def export_rows(community: Community, bundle: Bundle) -> None:
    """Write the community's moderation data into ``bundle``."""
    config = await ModerationConfig.get_or_none(scope=f"community:{community.id}")
    bundle.write_json(PREFIX + "settings.json", {"settings": config.settings if config else {}})
    words = await WatchedWord.filter(community_id=community.id).order_by("id").values(
        "kind", "pattern", "action", "replacement", "created_by_id", "created_at")
    for row in words:
        bundle.include_member(row["created_by_id"])
    bundle.write_jsonl(PREFIX + "words.jsonl", words)
    if not getattr(bundle, "include_private", True):
        return
    flags = await Flag.filter(community_id=community.id).order_by("id").values(
        "id", "content_id", "member_id", "reason", "note", "weight", "state", "created_at", "resolved_at")
    bundle.write_jsonl(PREFIX + "flags.jsonl", [
        {**{k: v for k, v in row.items() if k != "member_id"}, "flagger_id": row["member_id"]} for row in flags])
    reviews = await Review.filter(community_id=community.id).order_by("id").values(
        "content_id", "author_id", "state", "cause", "reason", "score", "score_reasons", "flag_weight",
        "flag_count", "decision", "decided_by_id", "decided_at", "created_at")
    bundle.write_jsonl(PREFIX + "reviews.jsonl", reviews)
    sanctions = await Sanction.filter(community_id=community.id).exclude(kind="ban").order_by("id").values(
        "id", "member_id", "kind", "reason", "starts_at", "ends_at", "content_id", "created_by_id", "data",
        "closed_at", "close_reason", "closed_by_id", "created_at")
    bundle.write_jsonl(PREFIX + "sanctions.jsonl", [
        {**{k: v for k, v in row.items() if k != "closed_by_id"}, "moderator_id": row["closed_by_id"]}
        for row in sanctions])
    appeals = await Appeal.filter(community_id=community.id).order_by("id").values(
        "id", "member_id", "content_id", "sanction_id", "message", "state", "answer", "answered_by_id",
        "answered_at", "created_at")
    bundle.write_jsonl(PREFIX + "appeals.jsonl", [
        {**{k: v for k, v in row.items() if k != "answered_by_id"}, "reviewer_id": row["answered_by_id"]}
        for row in appeals])
    for rows, keys in ((flags, ("member_id",)), (reviews, ("author_id", "decided_by_id")),
                       (sanctions, ("member_id", "created_by_id", "closed_by_id")),
                       (appeals, ("member_id", "answered_by_id"))):
        for row in rows:
            for key in keys:
                bundle.include_member(row[key])


def _content(bundle: Bundle, old: Any) -> tuple[bool, int | None]:
    """(known, new id): content the bundle does not hold makes the row skipped."""
    if old is None:
        return True, None
    try:
        return True, bundle.content_id(old)
    except Exception:  # the bundle's own error for an unknown item
        return False, None


def _dt(value: Any) -> Any:
    return clock.as_datetime(value) if value else None


def _rows(bundle: Bundle, name: str) -> list[dict[str, Any]]:
    return list(bundle.read_jsonl(PREFIX + name)) if bundle.has(PREFIX + name) else []


async def import_rows(community: Community, bundle: Bundle) -> None:
    """Restore what :func:`export_rows` wrote, with ids mapped to the new ones."""
    if bundle.has(PREFIX + "settings.json"):
        settings = (bundle.read_json(PREFIX + "settings.json") or {}).get("settings") or {}
        await bump(community, settings if isinstance(settings, dict) else {})
    for row in _rows(bundle, "words.jsonl"):
        from tisserand.plugins.moderation.matcher import PatternError, make_rule
        from tisserand.plugins.moderation.words import _stored_key

        try:
            rule = make_rule(row["kind"], row["pattern"], row["action"], replacement=row.get("replacement", ""))
        except (PatternError, KeyError):
            continue
        await WatchedWord.create(community=community, kind=rule.kind, pattern=rule.pattern, normalized=_stored_key(rule),
                                 action=rule.action, replacement=rule.replacement,
                                 created_by_id=bundle.member_id(row.get("created_by_id")), created_at=_dt(row.get("created_at")))
    for row in _rows(bundle, "flags.jsonl"):
        known, content_id = _content(bundle, row.get("content_id"))
        member_id = bundle.member_id(row.get("flagger_id"))
        if not known or content_id is None or member_id is None:
            continue
        await Flag.create(content_id=content_id, community=community, member_id=member_id, reason=row["reason"],
                          note=row.get("note", ""), weight=row.get("weight", 1.0), state=row.get("state", "open"),
                          created_at=_dt(row.get("created_at")), resolved_at=_dt(row.get("resolved_at")))
    for row in _rows(bundle, "reviews.jsonl"):
        known, content_id = _content(bundle, row.get("content_id"))
        if not known or content_id is None or await Review.filter(content_id=content_id).exists():
            continue
        await Review.create(content_id=content_id, community=community, author_id=bundle.member_id(row.get("author_id")),
                            state=row.get("state", "open"), cause=row.get("cause", "held"), reason=row.get("reason", ""),
                            score=row.get("score", 0), score_reasons=row.get("score_reasons") or [],
                            flag_weight=row.get("flag_weight", 0), flag_count=row.get("flag_count", 0),
                            decision=row.get("decision", ""), decided_by_id=bundle.member_id(row.get("decided_by_id")),
                            decided_at=_dt(row.get("decided_at")), created_at=_dt(row.get("created_at")))
    sanction_ids: dict[int, int] = {}
    for row in _rows(bundle, "sanctions.jsonl"):
        member_id = bundle.member_id(row.get("member_id"))
        _known, content_id = _content(bundle, row.get("content_id"))
        if member_id is None:
            continue
        created = await Sanction.create(
            member_id=member_id, community=community, kind=row["kind"], reason=row.get("reason", ""),
            starts_at=_dt(row["starts_at"]), ends_at=_dt(row.get("ends_at")), content_id=content_id,
            created_by_id=bundle.member_id(row.get("created_by_id")), data=row.get("data") or {},
            closed_at=_dt(row.get("closed_at")), close_reason=row.get("close_reason", ""),
            closed_by_id=bundle.member_id(row.get("moderator_id")), created_at=_dt(row.get("created_at")))
        sanction_ids[int(row["id"])] = created.id
    for row in _rows(bundle, "appeals.jsonl"):
        member_id = bundle.member_id(row.get("member_id"))
        known, content_id = _content(bundle, row.get("content_id"))
        sanction_id = sanction_ids.get(int(row["sanction_id"])) if row.get("sanction_id") is not None else None
        if member_id is None or not known or (content_id is None and sanction_id is None):
            continue
        await Appeal.create(member_id=member_id, community=community, content_id=content_id, sanction_id=sanction_id,
                            message=row.get("message", ""), state=row.get("state", "open"), answer=row.get("answer", ""),
                            answered_by_id=bundle.member_id(row.get("reviewer_id")), answered_at=_dt(row.get("answered_at")),
                            created_at=_dt(row.get("created_at")))
    await bump(community)
