"""The community's audit log as coordinators read it: moderation decisions (the core's
``content.*`` entries), sanctions, flags, appeals and changes of watched words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.communities import audit_reason
from tisserand.db import as_json, fetch_all
from tisserand.i18n import _
from tisserand.plugins.moderation import clock

if TYPE_CHECKING:
    from tisserand.models import Community

PAGE = 50
_SQL = """
SELECT a.id, a.action, a.target_kind, a.target_id, a.reason, a.data, a.created_at,
       m.username AS actor, t.username AS target_member, c.title AS target_title
FROM audit_log a
LEFT JOIN member m ON m.id = a.actor_id
LEFT JOIN member t ON t.id = a.target_id AND a.target_kind = 'member'
LEFT JOIN content c ON c.id = a.target_id AND a.target_kind NOT IN ('member', 'watched_word', 'appeal', 'sanction')
WHERE a.community_id = ? {only} {before}
ORDER BY a.id DESC
LIMIT ?
"""
MODERATION_ONLY = "AND (a.action LIKE 'content.%' OR a.action LIKE 'moderation.%' OR a.action = 'membership.remove')"


async def entries(community: Community, *, before: int | None = None, everything: bool = False,
                  limit: int = PAGE) -> tuple[list[dict[str, Any]], int | None]:
    """A page of entries, newest first, and the cursor of the next page."""
    params: list[Any] = [community.id]
    before_sql = ""
    if before:
        before_sql = "AND a.id < ?"
        params.append(before)
    params.append(limit + 1)
    rows = await fetch_all(_SQL.format(only="" if everything else MODERATION_ONLY, before=before_sql), params)
    more = len(rows) > limit
    rows = rows[:limit]
    for row in rows:
        row["created_at"] = clock.as_datetime(row["created_at"])
        row["data"] = as_json(row["data"]) or {}
        row["reason"] = audit_reason(row["reason"] or "", row["data"])
        row["target"] = row.pop("target_member") or row.pop("target_title", None) or ""
        row.pop("target_title", None)
    return rows, (rows[-1]["id"] if more and rows else None)


def action_label(action: str) -> str:
    """An audit action in the reader's language."""
    labels = {
        "content.published": _("approved or restored"), "content.hidden": _("hid"),
        "content.deleted": _("deleted"), "content.pending": _("held for review"),
        "moderation.flag": _("flagged"), "moderation.edit": _("edited"),
        "moderation.sanction.warning": _("warned"), "moderation.sanction.silence": _("silenced"),
        "moderation.sanction.suspend": _("suspended"), "moderation.sanction.ban": _("banned from the site"),
        "moderation.sanction.lift": _("lifted a sanction on"), "moderation.sanction.end": _("sanction ended for"),
        "moderation.appeal": _("appealed"), "moderation.appeal.accepted": _("accepted an appeal"),
        "moderation.appeal.refused": _("refused an appeal"), "moderation.words.save": _("changed a watched word"),
        "moderation.words.remove": _("removed a watched word"), "moderation.settings": _("changed the settings"),
        "membership.remove": _("removed a member"),
    }
    return labels.get(action, action)
