"""Review items: one row per content item that a moderator has to look at (held or flagged),
kept in step with the item's status whoever changes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.i18n import Message, lazy_gettext
from tisserand.models import Community, ContentStatus, Member
from tisserand.plugins.moderation import clock, notices, scoring
from tisserand.plugins.moderation.models import Flag, Review

if TYPE_CHECKING:
    from tisserand.content import Verdict
    from tisserand.models import Content
    from tisserand.site import Site

async def score_of(site: Site, content: Content, verdict: Verdict | None = None) -> dict[str, Any]:
    """The score of a saved item: the one this plugin's check gave in ``verdict`` (its
    ``data``), else computed now (for items flagged after publication)."""
    from tisserand.plugins.moderation.checks import load_context
    from tisserand.plugins.moderation.config import load_policy

    given = verdict.data if verdict is not None else {}
    if "score" in given:
        return {"score": given["score"], "reasons": given.get("reasons", [])}
    community = content.community if isinstance(content.community, Community) else \
        await Community.get(id=content.community_id)
    content.community = community
    author = await Member.get_or_none(id=content.author_id) if content.author_id else None
    context = await load_context(author, community) if author is not None else None
    policy = await load_policy(site, community, context.site_version if context else None,
                               context.community_version if context else None)
    score = await scoring.total(site, content, policy.matcher.scan(f"{content.title}\n{content.body}"))
    return {"score": score.points, "reasons": score.reasons}


async def open_review(site: Site, content: Content, *, cause: str, reason: str = "",
                      flags: tuple[float, int] | None = None, verdict: Verdict | None = None) -> Review:
    """Put ``content`` in its community's review queue (or update its entry); ``verdict`` is
    this plugin's verdict on the write that held it, when there is one (its score is reused)."""
    review = await Review.get_or_none(content_id=content.id)
    scored = await score_of(site, content, verdict)
    values: dict[str, Any] = {"state": "open", "score": scored["score"], "score_reasons": scored["reasons"]}
    if reason:
        values["reason"] = reason[:500]
    if flags is not None:
        values["flag_weight"], values["flag_count"] = flags
    if review is None:
        return await Review.create(content_id=content.id, community_id=content.community_id,
                                   author_id=content.author_id, cause=cause, **values)
    if review.state != "open":
        values.update(cause=cause, decision="", decided_by_id=None, decided_at=None)
    await Review.filter(id=review.id).update(**values)
    await review.refresh_from_db()
    return review


async def held(site: Site, content: Content, verdict: Verdict | None = None) -> None:
    """A new or edited item was saved ``pending``: queue it and tell the staff. ``verdict`` is
    this plugin's verdict on the write (None when another plugin held it)."""
    detail = str((verdict.data if verdict is not None else {}).get("detail", ""))
    await open_review(site, content, cause="held", reason=detail or content.status_reason, verdict=verdict)
    community = content.community if isinstance(content.community, Community) else \
        await Community.get(id=content.community_id)

    def message() -> tuple[Message, Message]:
        return (lazy_gettext("Posts are waiting for review in {community}", community=community.name),
                lazy_gettext("Open the review queue to approve or refuse them."))

    await notices.tell_staff(site, community, "moderation.review", message, content=content)
    from tisserand.events import publish

    # open review-queue pages of the community's moderators hear of it (``queue:<community id>``)
    await publish(site, f"queue:{community.id}", "moderation.queue", {"id": content.id, "kind": content.kind},
                  community=community, content=content, permission="moderation.queue.view")


async def settle(content: Content, decision: str, actor: Member | None) -> int:
    """Close the item's review with ``decision`` and settle its open flags; returns how many
    flags were upheld."""
    now = clock.now()
    await Review.filter(content_id=content.id, state="open").update(
        state="resolved", decision=decision, decided_by_id=actor.id if actor else None, decided_at=now)
    flags = Flag.filter(content_id=content.id)
    if decision == "approve":
        await flags.filter(state="open").update(state="dismissed", resolved_at=now)
    elif decision == "restore":  # undoing a removal also clears the flags that caused it
        await flags.filter(state__in=["open", "upheld"]).update(state="dismissed", resolved_at=now)
    elif decision in ("hide", "delete"):
        return int(await flags.filter(state="open").update(state="upheld", resolved_at=now))
    return 0


async def status_changed(content: Content, old: str, new: str, actor: Member | None) -> None:
    """Keep the queue right when another plugin (or the core) changed an item's status."""
    if new == ContentStatus.PUBLISHED and old in (ContentStatus.PENDING, ContentStatus.HIDDEN):
        await settle(content, "approve" if old == ContentStatus.PENDING else "restore", actor)
    elif new in (ContentStatus.HIDDEN, ContentStatus.DELETED) and actor is not None:
        await settle(content, "hide" if new == ContentStatus.HIDDEN else "delete", actor)
