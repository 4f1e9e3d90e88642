"""Moderators' decisions on an item: approve, hide, delete, restore, edit.

Status changes go through the core's ``set_status`` (which writes the audit log); the item's
review is closed, its flags upheld or dismissed, and its author told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.communities import audit
from tisserand.content import set_status, update_content
from tisserand.errors import Conflict, ValidationFailed
from tisserand.i18n import Message, _, lazy_concat, lazy_gettext
from tisserand.models import ContentStatus, Member
from tisserand.plugins.moderation import notices, reviews, trust
from tisserand.plugins.moderation.access import Place
from tisserand.plugins.moderation.checks import SOURCE

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

ACTIONS = ("approve", "hide", "delete", "restore", "edit")
#: Action → (statuses it applies to, status it leaves).
MOVES = {
    "approve": ((ContentStatus.PENDING, ContentStatus.HIDDEN), ContentStatus.PUBLISHED),
    "hide": ((ContentStatus.PUBLISHED, ContentStatus.PENDING), ContentStatus.HIDDEN),
    "delete": ((ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN), ContentStatus.DELETED),
    "restore": ((ContentStatus.HIDDEN, ContentStatus.DELETED), ContentStatus.PUBLISHED),
}


def action_label(action: str) -> str:
    """An action's name in the reader's language."""
    return {"approve": _("Approve"), "hide": _("Hide"), "delete": _("Delete"), "restore": _("Restore"),
            "edit": _("Edit")}.get(action, action)


async def moderate(site: Site, content: Content, where: Place, action: str, reason: str = "", *,
                   title: str | None = None, body: str | None = None) -> Content:
    """Apply a moderator's ``action`` to ``content`` (the caller resolved ``where``)."""
    where.require("content.moderate")
    reason = (reason or "").strip()[:500]
    community = where.community
    content.community = community
    if action == "edit":
        if body is None or not body.strip():
            raise ValidationFailed(_("The text cannot be empty."), fields={"body": _("This field is required.")})
        assert where.viewer is not None
        content = await update_content(content, editor=where.viewer, title=title, body=body, site=site)
        await audit(where.viewer, community, "moderation.edit", target_kind=content.kind, target_id=content.id,
                    reason=reason)
        return content
    if action not in MOVES:
        raise ValidationFailed(_("Unknown action: choose approve, hide, delete, restore or edit."),
                               fields={"action": _("Choose approve, hide, delete, restore or edit.")})
    allowed, target = MOVES[action]
    if content.status not in allowed:
        raise Conflict(_("This item is {status}: it cannot be changed that way.", status=status_label(content.status)))
    await set_status(content, target, actor=where.viewer, reason=reason or default_reason(action), site=site,
                     source=SOURCE)
    upheld = await reviews.settle(content, action, where.viewer)
    author = await Member.get_or_none(id=content.author_id) if content.author_id else None
    if author is not None and (upheld or action == "restore"):
        await trust.refresh(site, [author.id])
    await _tell_author(site, content, action, reason, author)
    return content


def default_reason(action: str) -> Message | str:
    """The reason recorded when a moderator gives none: a message kept as data, shown in each
    reader's language (a moderator's own words are kept as written)."""
    if action == "hide":
        return lazy_gettext("Hidden by a moderator.")
    if action == "delete":
        return lazy_gettext("Deleted by a moderator.")
    return ""


def status_label(status: str) -> str:
    """A content status in the reader's language."""
    return {"published": _("published"), "pending": _("waiting for review"), "hidden": _("hidden"),
            "deleted": _("deleted")}.get(str(status), str(status))


async def _tell_author(site: Site, content: Content, action: str, reason: str, author: object) -> None:
    community = content.community

    def message() -> tuple[Message, Message]:
        title = {
            "approve": lazy_gettext("Your post in {community} was approved", community=community.name),
            "hide": lazy_gettext("Your post in {community} was hidden", community=community.name),
            "delete": lazy_gettext("Your post in {community} was deleted", community=community.name),
            "restore": lazy_gettext("Your post in {community} was restored", community=community.name),
        }[action]
        parts: list[Message] = [lazy_gettext("Reason: {reason}", reason=reason)] if reason else []
        if action in ("hide", "delete"):
            parts.append(lazy_gettext("If you think this is a mistake, you can appeal to the coordinators."))
        return title, lazy_concat(*parts)

    # A deleted item is only visible to staff: the notice points to the author's moderation page.
    linked = None if action == "delete" else content
    await notices.tell(site, author, f"moderation.{action}", message, community=community,  # type: ignore[arg-type]
                       content=linked, url=notices.mine_url(community))
