"""The moderation API (``/api/v1``): flags, the review queue, decisions, sanctions, appeals,
watched words and settings, as listed in API.md."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute, Route

from tisserand.auth import member_by_username
from tisserand.errors import Forbidden, NotFound, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.moderation import actions, appeals, flags, sanctions, words
from tisserand.plugins.moderation import queue as review_queue
from tisserand.plugins.moderation.access import Place, content_place
from tisserand.plugins.moderation.models import Appeal, Sanction
from tisserand.plugins.moderation.serialize import (
    appeal_json,
    audit_json,
    content_json,
    flag_json,
    queue_item_json,
    sanction_json,
    word_json,
)
from tisserand.site import current_site
from tisserand.web.answers import ContentOut, Out
from tisserand.web.api import (
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    int_param,
    listing,
    read_json,
    require_viewer,
)
from tisserand.web.community import load_community
from tisserand.web.params import Id

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response



class FlagOut(Out):
    """A flag as its author sees it, with the item's status after it."""

    id: int
    content: int
    reason: str
    note: str
    created_at: datetime
    content_status: str


class QueueContentOut(Out):
    """The item under review."""

    id: int
    kind: str
    community: str
    title: str
    body: str
    html: str
    status: str
    status_reason: str | None
    url: str | None
    created_at: datetime


class QueueTopicOut(Out):
    """The item the reviewed one belongs to (a reply's topic)."""

    id: int
    kind: str
    title: str
    url: str | None


class QueueItemOut(Out):
    """An entry of the review queue: the item, its ``topic`` and absolute ``link``, why it is
    there, its score and flags, and its author's history."""

    content: QueueContentOut
    topic: QueueTopicOut | None
    link: str | None
    cause: str = Field(description="held or flagged")
    reason: str | None
    queued_at: datetime
    score: float
    score_reasons: list[dict[str, Any]]
    flag_weight: float
    flags: list[dict[str, Any]]
    author: dict[str, Any] | None


class ModeratedContentOut(ContentOut):
    """A content item after a decision, with ``status_reason``."""

    status_reason: str | None


class SanctionOut(Out):
    """A sanction (``community`` null for a site-wide ban)."""

    id: int
    kind: str
    member: str
    community: str | None
    reason: str
    starts_at: datetime
    until: datetime | None
    active: bool
    closed_at: datetime | None
    close_reason: str | None


class AppealOut(Out):
    """An appeal against a decision or a sanction."""

    id: int
    member: str
    content: int | None
    sanction: int | None
    message: str
    state: str
    answer: str | None
    created_at: datetime
    answered_at: datetime | None


class AuditOut(Out):
    """An entry of the moderation log."""

    id: int
    action: str
    actor: str | None
    target_kind: str
    target_id: int | None
    target: Any = None
    reason: str
    data: Any
    created_at: datetime


class WordOut(Out):
    """A watched word or domain (``id`` is null for the built-in lists)."""

    id: int | None
    kind: str
    pattern: str
    action: str
    replacement: str | None
    scope: str
    source: str
    overridden: bool


class DeletedOut(Out):
    """What was deleted."""

    deleted: bool


class SettingsOut(Out):
    """Each setting with its site value, the community's override and the effective value."""


class TrustOut(Out):
    """A member's trust level, activity and what the level allows."""

    level: str
    label: str
    locked: bool
    days_visited: int
    posts_written: int
    posts_read: int
    flags_upheld: int
    limits: dict[str, Any]

class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FlagIn(_Body):
    """A flag: a reason, and a note (required for "other")."""

    reason: Literal["spam", "troll", "abuse", "off_topic", "other"]
    note: str = Field("", max_length=1000)


class ActionIn(_Body):
    """A moderator's decision on a content item (``edit`` needs ``body``)."""

    action: Literal["approve", "hide", "delete", "restore", "edit"]
    reason: str = Field("", max_length=500)
    title: str | None = Field(None, max_length=300)
    body: str | None = None


class SanctionIn(_Body):
    """A sanction: its kind, the reason the member reads, its end (ISO 8601 with offset)."""

    kind: Literal["warning", "silence", "suspend", "ban"]
    reason: str = Field(max_length=2000)
    until: datetime | None = None
    content: Id | None = None


class LiftIn(_Body):
    """Why a sanction ends early."""

    reason: str = Field("", max_length=500)


class AppealIn(_Body):
    """An appeal about one content item or one sanction."""

    message: str = Field(max_length=2000)
    content: Id | None = None
    sanction: Id | None = None


class AnswerIn(_Body):
    """A coordinator's answer to an appeal."""

    accept: bool
    answer: str = Field("", max_length=2000)


class WordIn(_Body):
    """A watched word, phrase or link domain and its action."""

    pattern: str = Field(max_length=200)
    kind: Literal["word", "domain"] = "word"
    action: Literal["block", "hold", "replace", "allow"] = "hold"
    replacement: str = Field("", max_length=100)


class SettingsIn(_Body):
    """A community's moderation settings (null: the site's value)."""

    flag_threshold: float | None = Field(None, gt=0, le=100)
    hold_first_posts: int | None = Field(None, ge=0, le=100)
    hold_score: float | None = Field(None, ge=1, le=100)
    new_max_links: int | None = Field(None, ge=-1, le=100)
    new_max_mentions: int | None = Field(None, ge=-1, le=100)
    posts_per_minute: int | None = Field(None, ge=0, le=1000)
    community_posts_per_minute: int | None = Field(None, ge=0, le=10_000)


def _id(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])
    except (KeyError, ValueError):
        raise NotFound(_("There is nothing at this address.")) from None


async def _staff_place(request: Request, permission: str = "moderation.queue.view") -> Place:
    view = await load_community(request, plugin="moderation")
    where = Place(view.community, view.viewer, view.membership)
    require_viewer(request)
    where.require(permission)
    return where


@documented(tags=["moderation"], status=201, answer=FlagOut)
async def flag_content(request: Request) -> Response:
    """Flag a content item for the moderators (one flag per member per item)."""
    viewer = require_viewer(request)
    data = await read_json(request, FlagIn)
    content, where = await content_place(_id(request, "id"), viewer)
    flag = await flags.add(current_site(), content, where, data.reason, data.note)
    await content.refresh_from_db(fields=["status"])
    return answer(flag_json(flag, content), status_code=201)


@documented(tags=["moderation"], listing=True, answer=QueueItemOut,
            query={"show": "all, held or flagged", "cursor": "the previous page's next", "limit": "1 to 100"})
async def queue(request: Request) -> Response:
    """Held and flagged content of a community, oldest first (animators, coordinators)."""
    where = await _staff_place(request)
    show = request.query_params.get("show", "all")
    if show not in review_queue.FILTERS:
        show = "all"
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    after = int(cursor[0]) if cursor else None
    limit = int_param(request, "limit", review_queue.PAGE, low=1, high=100)
    items, next_id = await review_queue.items(current_site(), where.community, show=show, after=after, limit=limit)
    return listing([queue_item_json(item, where.community) for item in items],
                   encode_cursor(next_id) if next_id else None)


@documented(tags=["moderation"], answer=ModeratedContentOut)
async def moderate(request: Request) -> Response:
    """Approve, hide, delete, restore or edit a content item (animators, coordinators)."""
    viewer = require_viewer(request)
    data = await read_json(request, ActionIn)
    content, where = await content_place(_id(request, "id"), viewer)
    content = await actions.moderate(current_site(), content, where, data.action, data.reason,
                                     title=data.title, body=data.body)
    return answer(await content_json(content, where.community))


async def _target(username: str) -> Member:
    member = await member_by_username(username.lower())
    if member is None:
        raise NotFound(_("No member has this username."))
    return member


@documented(tags=["moderation"], status=201, answer=SanctionOut)
async def sanction(request: Request) -> Response:
    """Warn, silence, suspend (animators, coordinators) or ban from the site (admins) a member."""
    data = await read_json(request, SanctionIn)
    view = await load_community(request, plugin="moderation")
    require_viewer(request)
    where = Place(view.community, view.viewer, view.membership)
    target = await _target(request.path_params["username"])
    content = None
    if data.content is not None:
        content, _place = await content_place(data.content, view.viewer)
    given = await sanctions.give(current_site(), where, target, data.kind, data.reason, data.until, content=content)
    return answer(sanction_json(given, target, where.community), status_code=201)


@documented(tags=["moderation"], listing=True, answer=SanctionOut)
async def member_sanctions(request: Request) -> Response:
    """A member's sanctions in this community, newest first (animators, coordinators)."""
    where = await _staff_place(request, "moderation.sanction")
    target = await _target(request.path_params["username"])
    rows = await Sanction.filter(member_id=target.id).filter(community_id=where.community.id).order_by("-id")
    return listing([sanction_json(row, target, where.community) for row in rows], None)


@documented(tags=["moderation"], listing=True, answer=SanctionOut)
async def community_sanctions(request: Request) -> Response:
    """Sanctions given in this community, newest first (animators, coordinators)."""
    where = await _staff_place(request, "moderation.sanction")
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    query = Sanction.filter(community_id=where.community.id).select_related("member").order_by("-id")
    if cursor:
        query = query.filter(id__lt=int(cursor[0]))
    if request.query_params.get("active") in ("1", "true"):
        query = query.filter(closed_at__isnull=True).exclude(kind="warning")
    rows = await query.limit(51)
    page = rows[:50]
    return listing([sanction_json(row, row.member, where.community) for row in page],
                   encode_cursor(page[-1].id) if len(rows) > 50 else None)


@documented(tags=["moderation"], answer=SanctionOut)
async def lift(request: Request) -> Response:
    """End a sanction now."""
    viewer = require_viewer(request)
    data = await read_json(request, LiftIn)
    row = await Sanction.get_or_none(id=_id(request, "id")).select_related("member", "community")
    if row is None:
        raise nothing_here()
    if row.kind == "ban" or row.community is None:
        if not viewer.is_admin:
            raise Forbidden(_("Only site administrators can lift a ban."))
    else:
        with hidden_unless_allowed():  # in a community the viewer may not read: as if missing
            view = await load_community(request, slug=row.community.slug, plugin="moderation")
        Place(view.community, viewer, view.membership).require("moderation.sanction")
    lifted = await sanctions.lift(current_site(), row, viewer, data.reason)
    return answer(sanction_json(lifted, row.member, row.community))


@documented(tags=["moderation"], status=201, answer=AppealOut)
async def file_appeal(request: Request) -> Response:
    """Appeal once, as the author, against a decision on your content or a sanction."""
    viewer = require_viewer(request)
    data = await read_json(request, AppealIn)
    site = current_site()
    if data.content is not None:
        content, where = await content_place(data.content, viewer)
        appeal = await appeals.file(site, where, data.message, content=content)
    elif data.sanction is not None:
        row = await Sanction.get_or_none(id=data.sanction, member_id=viewer.id).select_related("community")
        if row is None or row.community is None:
            raise nothing_here()
        from tisserand.plugins.moderation.access import place

        appeal = await appeals.file(site, await place(row.community, viewer), data.message, sanction=row)
    else:
        from tisserand.errors import ValidationFailed

        raise ValidationFailed(_("Say which post or sanction you appeal about."),
                               fields={"content": _("Give content or sanction.")})
    return answer(appeal_json(appeal, viewer), status_code=201)


@documented(tags=["moderation"], listing=True, answer=AppealOut)
async def community_appeals(request: Request) -> Response:
    """Appeals in this community, open ones first (coordinators)."""
    where = await _staff_place(request, "moderation.appeals.answer")
    rows = await Appeal.filter(community_id=where.community.id).select_related("member").order_by("state", "-id").limit(100)
    return listing([appeal_json(row, row.member) for row in rows], None)


@documented(tags=["moderation"], answer=AppealOut)
async def answer_appeal(request: Request) -> Response:
    """Accept or refuse an appeal, with an answer the author reads (coordinators)."""
    viewer = require_viewer(request)
    data = await read_json(request, AnswerIn)
    row = await Appeal.get_or_none(id=_id(request, "id")).select_related("community")
    if row is None:
        raise nothing_here()
    with hidden_unless_allowed():  # in a community the viewer may not read: as if missing
        view = await load_community(request, slug=row.community.slug, plugin="moderation")
    where = Place(view.community, viewer, view.membership)
    answered = await appeals.answer(current_site(), where, row, data.accept, data.answer)
    return answer(appeal_json(answered, await Member.get(id=row.member_id)))


@documented(tags=["moderation"], listing=True, answer=AuditOut)
async def log(request: Request) -> Response:
    """The community's audit log: moderation decisions, sanctions, flags, appeals (coordinators)."""
    from tisserand.plugins.moderation.log import entries

    where = await _staff_place(request, "community.audit.view")
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    rows, next_id = await entries(where.community, before=int(cursor[0]) if cursor else None,
                                  everything=request.query_params.get("all") in ("1", "true"))
    return listing([audit_json(row) for row in rows], encode_cursor(next_id) if next_id else None)


@documented(tags=["moderation"], listing=True, status={"GET": 200, "POST": 201}, answer=WordOut)
async def community_words(request: Request) -> Response:
    """GET: the community's watched words. POST: add or change one (coordinators)."""
    if request.method == "GET":
        where = await _staff_place(request)
        return listing([word_json(w) for w in await words.listing(where.community)], None)
    data = await read_json(request, WordIn)
    where = await _staff_place(request, "moderation.words.edit")
    row = await words.save(where.community, where.viewer, data.kind, data.pattern, data.action, data.replacement)
    return answer(word_json(row), status_code=201)


@documented(tags=["moderation"], answer=DeletedOut)
async def community_word(request: Request) -> Response:
    """Remove one of the community's watched words (coordinators)."""
    where = await _staff_place(request, "moderation.words.edit")
    await words.remove(where.community, where.viewer, _id(request, "id"))
    return answer({"deleted": True})


@documented(tags=["moderation"], listing=True, status={"GET": 200, "POST": 201}, answer=WordOut)
async def site_words(request: Request) -> Response:
    """GET: the site-wide watched words, defaults included. POST: add or change one (admins)."""
    viewer = require_viewer(request)
    if not viewer.is_admin:
        raise Forbidden(_("Only site administrators manage the site-wide watched words."))
    if request.method == "GET":
        return listing([word_json(w) for w in await words.listing(None)], None)
    data = await read_json(request, WordIn)
    row = await words.save(None, viewer, data.kind, data.pattern, data.action, data.replacement)
    return answer(word_json(row), status_code=201)


@documented(tags=["moderation"], answer=DeletedOut)
async def site_word(request: Request) -> Response:
    """Remove a site-wide watched word (admins)."""
    viewer = require_viewer(request)
    if not viewer.is_admin:
        raise Forbidden(_("Only site administrators manage the site-wide watched words."))
    await words.remove(None, viewer, _id(request, "id"))
    return answer({"deleted": True})


@documented(tags=["moderation"], answer=SettingsOut)
async def community_settings(request: Request) -> Response:
    """GET: the community's moderation settings with the site's defaults. PUT: change them
    (coordinators; null restores the site's value)."""
    from tisserand.plugins.moderation.settings_service import effective, update

    if request.method == "GET":
        where = await _staff_place(request)
        return answer(await effective(current_site(), where.community))
    data = await read_json(request, SettingsIn)
    where = await _staff_place(request, "moderation.words.edit")
    await update(where.community, where.viewer, data.model_dump(exclude_unset=True))
    return answer(await effective(current_site(), where.community))


@documented(tags=["moderation"], answer=TrustOut)
async def my_trust(request: Request) -> Response:
    """Your trust level and what it allows."""
    from tisserand.plugins.moderation.settings_service import trust_of

    viewer = require_viewer(request)
    return answer(await trust_of(current_site(), viewer))


def routes() -> list[BaseRoute]:
    """API routes, relative to /api/v1."""
    return [
        Route("/content/{id:id}/flags", flag_content, methods=["POST"], name="moderation_flag"),
        Route("/content/{id:id}/moderation", moderate, methods=["POST"], name="moderation_action"),
        Route("/communities/{slug}/moderation/queue", queue, methods=["GET"], name="moderation_queue"),
        Route("/communities/{slug}/moderation/sanctions", community_sanctions, methods=["GET"],
              name="moderation_sanctions"),
        Route("/communities/{slug}/members/{username}/sanctions", sanction, methods=["POST"],
              name="moderation_sanction"),
        Route("/communities/{slug}/members/{username}/sanctions", member_sanctions, methods=["GET"],
              name="moderation_member_sanctions"),
        Route("/moderation/sanctions/{id:id}/lift", lift, methods=["POST"], name="moderation_lift"),
        Route("/moderation/appeals", file_appeal, methods=["POST"], name="moderation_appeal"),
        Route("/moderation/appeals/{id:id}/answer", answer_appeal, methods=["POST"], name="moderation_answer"),
        Route("/communities/{slug}/moderation/appeals", community_appeals, methods=["GET"],
              name="moderation_appeals"),
        Route("/communities/{slug}/moderation/log", log, methods=["GET"], name="moderation_log"),
        Route("/communities/{slug}/moderation/words", community_words, methods=["GET", "POST"],
              name="moderation_words"),
        Route("/communities/{slug}/moderation/words/{id:id}", community_word, methods=["DELETE"],
              name="moderation_word"),
        Route("/communities/{slug}/moderation/settings", community_settings, methods=["GET", "PUT"],
              name="moderation_settings"),
        Route("/moderation/words", site_words, methods=["GET", "POST"], name="moderation_site_words"),
        Route("/moderation/words/{id:id}", site_word, methods=["DELETE"], name="moderation_site_word"),
        Route("/me/trust", my_trust, methods=["GET"], name="moderation_my_trust"),
    ]

