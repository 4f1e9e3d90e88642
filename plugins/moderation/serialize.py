"""JSON shapes of the moderation API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.i18n import render_stored
from tisserand.plugins.moderation import trust
from tisserand.plugins.moderation.scoring import describe, describe_hold
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.models import Community, Content, Member
    from tisserand.plugins.moderation.models import Appeal, Flag, Sanction
    from tisserand.plugins.moderation.words import WordRow


async def content_json(content: Content, community: Community) -> dict[str, Any]:
    """A content item as ``GET /api/v1/content/{id}`` shows it, with ``status_reason``."""
    from tisserand.models import Member

    author_id = content.author_id
    author = await Member.get_or_none(id=author_id).values("username") if author_id else None
    return {
        "id": content.id, "kind": content.kind, "community": community.slug,
        "author": author["username"] if author else None,
        "title": content.title, "body": content.body, "html": content.html, "status": str(content.status),
        "status_reason": render_stored(content.status_reason), "created_at": content.created_at, "updated_at": content.updated_at,
    }


def flag_json(flag: Flag, content: Content) -> dict[str, Any]:
    """A flag as its author sees it, with the item's status after it."""
    return {"id": flag.id, "content": flag.content_id, "reason": flag.reason, "note": flag.note,
            "created_at": flag.created_at, "content_status": str(content.status)}


def queue_item_json(item: dict[str, Any], community: Community) -> dict[str, Any]:
    """One entry of the review queue."""
    return {
        "content": {
            "id": item["id"], "kind": item["kind"], "community": community.slug, "title": item["title"],
            "body": item["body"], "html": item["html"], "status": item["status"],
            "status_reason": render_stored(item["status_reason"]), "url": item["url"], "created_at": item["created_at"],
        },
        "topic": None if item["parent_id"] is None or item["parent_kind"] is None else {
            "id": item["parent_id"], "kind": item["parent_kind"], "title": item["parent_title"],
            "url": item["parent_url"],
        },
        "link": current_site().url(item["url"]) if item["url"] else None,
        "cause": item["cause"],
        "reason": describe_hold(item["review_reason"]) if item["review_reason"] else render_stored(item["status_reason"]),
        "queued_at": item["queued_at"],
        "score": round(float(item["score"] or 0), 1),
        "score_reasons": [{"points": r.get("points", 0), "text": describe(r)} for r in item["score_reasons"]],
        "flag_weight": float(item["flag_weight"] or 0),
        "flags": [{"reason": f["reason"], "note": f["note"], "weight": f["weight"], "by": f["username"],
                   "created_at": f["created_at"]} for f in item["flags"]],
        "author": None if item["author_id"] is None else {
            "username": item["username"], "display_name": item["display_name"],
            "trust_level": trust.code(item["level"]), "joined_at": item["joined_at"],
            "published": item["published"], "removed": item["removed"], "flags_upheld": item["upheld"],
            "sanctions": item["sanctions"], "open_sanctions": item["open_sanctions"],
        },
    }


def sanction_json(sanction: Sanction, member: Member, community: Community | None) -> dict[str, Any]:
    """A sanction."""
    from tisserand.plugins.moderation.sanctions import in_force

    return {
        "id": sanction.id, "kind": sanction.kind, "member": member.username,
        "community": community.slug if community is not None else None, "reason": sanction.reason,
        "starts_at": sanction.starts_at, "until": sanction.ends_at, "active": in_force(sanction),
        "closed_at": sanction.closed_at, "close_reason": sanction.close_reason,
    }


def appeal_json(appeal: Appeal, member: Member) -> dict[str, Any]:
    """An appeal."""
    return {
        "id": appeal.id, "member": member.username, "content": appeal.content_id,
        "sanction": appeal.sanction_id, "message": appeal.message, "state": appeal.state,
        "answer": appeal.answer, "created_at": appeal.created_at, "answered_at": appeal.answered_at,
    }


def audit_json(row: dict[str, Any]) -> dict[str, Any]:
    """An audit log entry."""
    return {"id": row["id"], "action": row["action"], "actor": row.get("actor"), "target_kind": row["target_kind"],
            "target_id": row["target_id"], "target": row.get("target"), "reason": row["reason"],
            "data": row["data"], "created_at": row["created_at"]}


def word_json(word: WordRow) -> dict[str, Any]:
    """A watched word or domain."""
    return {"id": word.id, "kind": word.kind, "pattern": word.pattern, "action": word.action,
            "replacement": word.replacement, "scope": word.scope, "source": word.source,
            "overridden": word.overridden}

