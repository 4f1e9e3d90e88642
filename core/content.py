"""The content pipeline, one path for every write.

validate → ``content_check`` verdicts (allow / hold / reject) → render Markdown (with the
plugins' extensions) → sanitize → save in a transaction (with the plugin's own row) →
``content_saved`` hooks after commit.

One :class:`WriteContext` follows each write from the checks to ``content_saved``: who writes,
whether a visitor's request made it, and every verdict with its ``data``, so that a plugin
passes what its check learned to its own later hook without marking the :class:`Content`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from tortoise.transactions import in_transaction

from tisserand.communities import audit_data, ensure_writable
from tisserand.errors import Forbidden, ReadOnly, TisserandError, TooLarge, ValidationFailed
from tisserand.i18n import Message, _, store_text
from tisserand.later import after_response
from tisserand.models import AuditLog, Community, Content, ContentStatus, Member
from tisserand.plugin_manager import call_safely, resolve_all
from tisserand.site import current_site
from tisserand.text import BadText, clean_text
from tisserand.uploads.references import claim_uploads

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = ["ContentRejected", "Verdict", "WriteContext", "create_content", "set_status", "update_content"]

log = logging.getLogger("tisserand.content")
SaveRelated = Callable[..., Awaitable[Any]]
_SEVERITY = {"allow": 0, "hold": 1, "reject": 2}


@dataclass(frozen=True)
class Verdict:
    """What a ``content_check`` implementation decides about an item."""

    action: Literal["allow", "hold", "reject"]
    #: Shown to the author; a :func:`~tisserand.i18n.lazy_gettext` message is kept as data and
    #: shown in the reader's language (``content.status_reason``, read with
    #: :func:`~tisserand.i18n.render_stored` or the ``stored`` template filter).
    reason: str | Message = ""
    status_code: int = 422
    retry_after: int | None = None
    #: Who decided (a plugin's name, by convention), to find one's own verdict later.
    source: str = ""
    #: What the check learned, for its plugin's later hooks (``WriteContext.verdict_of``):
    #: e.g. a score and its reasons. Never shown to the author.
    data: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def allow(cls, source: str = "", data: Mapping[str, Any] | None = None) -> Verdict:
        """Nothing to say (``data`` may still carry what the check learned)."""
        return cls("allow", source=source, data=dict(data or {}))

    @classmethod
    def hold(cls, reason: str | Message, source: str = "", data: Mapping[str, Any] | None = None) -> Verdict:
        """Save as ``pending``: a moderator must approve it; the author sees ``reason``."""
        return cls("hold", reason, source=source, data=dict(data or {}))

    @classmethod
    def reject(cls, reason: str | Message, status_code: int = 422, retry_after: int | None = None,
               source: str = "", data: Mapping[str, Any] | None = None) -> Verdict:
        """Refuse: nothing is saved and the author sees ``reason`` (429 with ``retry_after``)."""
        return cls("reject", reason, status_code, retry_after, source, dict(data or {}))


@dataclass
class WriteContext:
    """One content write as it goes through the pipeline, given as ``write`` to the
    ``content_check`` and ``content_saved`` hooks.

    ``actor`` is the author of a new item or the editor of an edited one; ``created`` tells
    which. ``interactive`` is True when a visitor's HTTP request (a web page or the API) made
    the write, False for work done by the server itself (the command line, jobs, imports, the
    demo): rate limits apply to the former only. ``verdicts`` holds every ``content_check``
    answer (empty while the checks run); ``verdict`` is the one that won. ``mentioned`` holds
    the ids of the members the core told of an @mention in this write
    (:mod:`tisserand.mentions`), before ``content_saved`` runs. ``parent_touched``: set it to
    True in ``before_save`` or ``save_related`` when one of your own statements already moved
    the ``activity_at`` of the new item's parent (and grandparent) to the item's ``created_at``,
    so that the core does not update them again.
    """

    actor: Member
    community: Community
    created: bool
    interactive: bool
    verdicts: list[Verdict] = field(default_factory=list)
    mentioned: set[int] = field(default_factory=set)
    parent_touched: bool = False

    @property
    def verdict(self) -> Verdict:
        """The strictest verdict (allow when no check answered)."""
        return strictest(self.verdicts)

    def verdict_of(self, source: str) -> Verdict | None:
        """The verdict that ``source`` gave (the strictest if several), or None."""
        own = [verdict for verdict in self.verdicts if verdict.source == source]
        return max(own, key=lambda verdict: _SEVERITY[verdict.action]) if own else None


class ContentRejected(TisserandError):
    """A ``content_check`` refused the item; ``verdict`` says why."""

    code = "content_rejected"

    def __init__(self, verdict: Verdict) -> None:
        headers = {"Retry-After": str(verdict.retry_after)} if verdict.retry_after else None
        super().__init__(str(verdict.reason), status_code=verdict.status_code,
                         code="rate_limited" if verdict.status_code == 429 else None,
                         headers=headers)
        self.verdict = verdict


def strictest(verdicts: list[Verdict]) -> Verdict:
    """The verdict that wins: reject over hold over allow (the first of equals)."""
    winner = Verdict.allow()
    for verdict in verdicts:
        if _SEVERITY[verdict.action] > _SEVERITY[winner.action]:
            winner = verdict
    return winner


def _clean(text: str) -> str:
    """Text without control characters, whatever way it came in (API, form, CLI, import)."""
    try:
        return clean_text(text)
    except BadText:
        raise ValidationFailed(_("The text contains characters that are not valid Unicode.")) from None


def _validate(site: Site, content: Content, community: Community, author: Member) -> None:
    if community.is_archived:
        raise ReadOnly(_("This community is archived: it is read-only."))
    if not author.is_active:
        raise Forbidden(_("This account is disabled."))
    if not content.kind or "." not in content.kind:
        raise ValidationFailed("content kind must be dotted, like 'forums.topic'")
    limit = site.settings.site.max_body_chars
    if len(content.body) > limit:
        raise TooLarge(_("The text is too long: {size} characters, the limit is {limit}.",
                         size=len(content.body), limit=limit), fields={"body": "too long"})
    if len(content.title) > 300:
        raise ValidationFailed(_("The title is too long (300 characters at most)."),
                               fields={"title": "too long"})


def _write_context(actor: Member, community: Community, created: bool) -> WriteContext:
    from tisserand.web.security import current_request

    return WriteContext(actor=actor, community=community, created=created,
                        interactive=current_request() is not None)


async def _check(site: Site, content: Content, write: WriteContext) -> Verdict:
    relay = site.plugins.for_community(write.community)
    results = await resolve_all(relay.content_check(content=content, author=write.actor,
                                                    community=write.community, write=write))
    write.verdicts = [r for r in results if isinstance(r, Verdict)]
    return write.verdict


async def _render(site: Site, content: Content, write: WriteContext | None = None) -> dict[str, Any]:
    # Markdown rules read the write (and what the checks learned) from the env: ``env["write"]``.
    html, env = await site.markdown.render_async(content.body, {"community": content.community,
                                                    "content": content, "write": write})
    content.html = html
    return env


async def _save_related(save_related: SaveRelated, content: Content, write: WriteContext) -> None:
    """``save_related(content)``, or ``save_related(content, write=write)`` when it has a
    parameter named ``write``."""
    if "write" in inspect.signature(save_related).parameters:
        await save_related(content, write=write)
    else:
        await save_related(content)


async def _after_commit(site: Site, content: Content, write: WriteContext) -> None:
    # In a web request the writer gets their answer first (mentions, notifications, counts and
    # digests bookkeeping can wait a few milliseconds); elsewhere it all runs now.
    await after_response(_announce_write, site, content, write)


async def _announce_write(site: Site, content: Content, write: WriteContext) -> None:
    from tisserand.mentions import notify_mentions

    write.mentioned = await notify_mentions(site, content)
    relay = site.plugins.for_community(write.community)
    await call_safely(relay.content_saved, content=content, created=write.created, write=write)


async def create_content(
    *,
    kind: str,
    community: Community,
    author: Member,
    title: str = "",
    body: str = "",
    parent: Content | None = None,
    meta: dict[str, Any] | None = None,
    save_related: SaveRelated | None = None,
    site: Site | None = None,
    lang: str | None = None,
    before_save: SaveRelated | None = None,
) -> Content:
    """Run the whole pipeline for a new item and return it (status published or pending).

    ``lang`` is the language the author wrote in (``fr``, ``en``); without it, it is guessed
    from the text (:func:`tisserand.language.detect_language`).

    ``save_related(content)`` runs inside the same transaction once the item has its id: save
    the plugin's own row there, so that a failure leaves nothing behind (with a parameter
    named ``write``, it also gets the :class:`WriteContext`, with what the checks learned).
    ``before_save(content)`` (same convention) runs in the transaction just before the item is
    inserted, when it has no id yet but its status, author, parent and ``created_at`` are
    known: what it sets on the item (``meta``, e.g. a number taken from a counter) is stored
    with it, with no second write. Raises
    :class:`ContentRejected`, :class:`~tisserand.errors.ReadOnly` or
    :class:`~tisserand.errors.ValidationFailed`.
    """
    site = site or current_site()
    now = datetime.now(UTC)
    await ensure_writable(community)
    content = Content(kind=kind, community=community, author=author, title=_clean(title).strip(),
                      body=_clean(body), parent=parent, meta=meta or {}, activity_at=now, created_at=now)
    content.lang = _language(lang, content)
    _validate(site, content, community, author)
    write = _write_context(author, community, created=True)
    verdict = await _check(site, content, write)
    if verdict.action == "reject":
        raise ContentRejected(verdict)
    if verdict.action == "hold":
        content.status = ContentStatus.PENDING
        content.status_reason = store_text(verdict.reason)
    await _render(site, content, write)
    async with in_transaction():
        if before_save is not None:
            await _save_related(before_save, content, write)
        await content.save()
        await claim_uploads(content)
        if save_related is not None:
            await _save_related(save_related, content, write)
        if parent is not None and content.status == ContentStatus.PUBLISHED and not write.parent_touched:
            await _touch_ancestors(parent, now)
    await _after_commit(site, content, write)
    return content


def _language(chosen: str | None, content: Content) -> str:
    from tisserand.language import LANGUAGES, detect_language

    if chosen:
        if chosen not in LANGUAGES:
            raise ValidationFailed(_("Choose French or English."), fields={"lang": ", ".join(LANGUAGES)})
        return chosen
    return detect_language(content.title, content.body)


async def _touch_ancestors(parent: Content, when: datetime) -> None:
    from tisserand.db import execute

    if parent.parent_id is None:
        await execute("UPDATE content SET activity_at = ? WHERE id = ?", [when, parent.id])
    else:
        await execute("UPDATE content SET activity_at = ? WHERE id IN (?, ?)", [when, parent.id, parent.parent_id])


async def update_content(
    content: Content,
    *,
    editor: Member,
    title: str | None = None,
    body: str | None = None,
    meta: dict[str, Any] | None = None,
    save_related: SaveRelated | None = None,
    site: Site | None = None,
    lang: str | None = None,
) -> Content:
    """Edit an item through the same checks; marks it edited. Permission checks are the
    caller's (who may edit depends on the plugin). The language is guessed again from the new
    text unless ``lang`` is given."""
    site = site or current_site()
    community = await Community.get(id=content.community_id)
    content.community = community
    if title is not None:
        content.title = _clean(title).strip()
    if body is not None:
        content.body = _clean(body)
    if meta is not None:
        content.meta = {**(content.meta or {}), **meta}
    if lang is not None or title is not None or body is not None:
        content.lang = _language(lang, content)
    _validate(site, content, community, editor)
    write = _write_context(editor, community, created=False)
    verdict = await _check(site, content, write)
    if verdict.action == "reject":
        raise ContentRejected(verdict)
    if verdict.action == "hold" and content.status == ContentStatus.PUBLISHED:
        content.status = ContentStatus.PENDING
        content.status_reason = store_text(verdict.reason)
    await _render(site, content, write)
    content.edited_at = datetime.now(UTC)
    async with in_transaction():
        await content.save()
        await claim_uploads(content)
        if save_related is not None:
            await _save_related(save_related, content, write)
    await _after_commit(site, content, write)
    return content


async def set_status(
    content: Content,
    new_status: ContentStatus | str,
    *,
    actor: Member | None,
    reason: str | Message = "",
    site: Site | None = None,
    source: str = "",
) -> Content:
    """Change an item's status (approve, hide, delete, restore), log it, call
    ``content_status_changed``. Permission checks are the caller's. ``source`` names who
    changes it (a plugin's name, by convention), passed on to the hook so that a plugin can
    tell its own changes from others'."""
    site = site or current_site()
    new_status = ContentStatus(new_status)
    old_status = ContentStatus(content.status)
    if old_status == new_status:
        return content
    community = await Community.get(id=content.community_id)
    if community.is_archived:
        raise ReadOnly(_("This community is archived: it is read-only."))
    content.status = new_status
    # A site-written reason is kept as a code and parameters (shown in each reader's language);
    # a moderator's own words are kept as written.
    content.status_reason = store_text(reason) if new_status != ContentStatus.PUBLISHED else ""
    async with in_transaction():
        await content.save(update_fields=["status", "status_reason", "updated_at"])
        await AuditLog.create(actor=actor, community=community, action=f"content.{new_status.value}",
                              target_kind=content.kind, target_id=content.id, reason=str(reason),
                              data=audit_data(reason, {"from": old_status.value}))
    if new_status == ContentStatus.PUBLISHED:
        from tisserand.mentions import notify_mentions

        await notify_mentions(site, content)  # a held item is approved: its mentions are told now
    relay = site.plugins.for_community(community)
    await call_safely(relay.content_status_changed, content=content, old_status=old_status.value,
                      new_status=new_status.value, actor=actor, reason=str(reason), source=source)
    return content
