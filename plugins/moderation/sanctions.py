"""Sanctions on a member: a warning (a private notice), a silence (read-only in a community),
a suspension (out of a community) and a ban from the site (site admins only).

Each has a reason and an end. The end is checked whenever it matters (a silenced member may
post again the minute it ends); a job every minute closes the ended ones and gives suspended
members their place back. A ban ends every session and API token of the member at once, and
``login_check`` refuses them until it ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tisserand.auth import close_sessions
from tisserand.communities import audit, leave
from tisserand.errors import Forbidden, NotFound, ValidationFailed
from tisserand.i18n import Message, _, lazy_concat, lazy_gettext
from tisserand.models import ApiToken, Community, Member, Membership, MembershipState
from tisserand.plugin_manager import call_safely
from tisserand.plugins.moderation import clock, notices, text
from tisserand.plugins.moderation.access import Place, outranks
from tisserand.plugins.moderation.config import settings
from tisserand.plugins.moderation.models import Sanction

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

KINDS = ("warning", "silence", "suspend", "ban")
LONGEST = timedelta(days=3650)


def kind_label(kind: str) -> str:
    """A sanction's name in the reader's language."""
    return {"warning": _("Warning"), "silence": _("Silence"), "suspend": _("Suspension"),
            "ban": _("Site ban")}.get(kind, kind)


def in_force(sanction: Sanction, now: datetime | None = None) -> bool:
    """Is the sanction still running (not lifted, not ended)?"""
    now = now or clock.now()
    if sanction.kind == "warning" or sanction.closed_at is not None:
        return False
    return sanction.ends_at is None or sanction.ends_at > now


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason: the member will read it."), fields={"reason": _("This field is required.")})
    if len(reason) > 2000:
        raise ValidationFailed(_("The reason is too long (2,000 characters at most)."), fields={"reason": "too long"})
    return reason


async def give(site: Site, where: Place, target: Member, kind: str, reason: str,
               until: datetime | None = None, *, content: Content | None = None) -> Sanction:
    """Sanction ``target`` from ``where`` (the actor's place in the community)."""
    actor = where.viewer
    if actor is None:
        from tisserand.errors import Unauthorized

        raise Unauthorized(_("Log in to do this."))
    if kind not in KINDS:
        raise ValidationFailed(_("Choose a warning, a silence, a suspension or a ban."),
                               fields={"kind": _("Choose warning, silence, suspend or ban.")})
    if kind == "ban":
        return await ban(site, actor, target, reason, until, community=where.community, content=content)
    reason = _reason(reason)
    where.require("moderation.sanction")
    if target.id == actor.id:
        raise ValidationFailed(_("You cannot sanction yourself."))
    target_membership = await Membership.get_or_none(member_id=target.id, community_id=where.community.id)
    if not outranks(where, target_membership, target):
        raise Forbidden(_("You cannot sanction a member whose role is equal to or above yours."))
    if kind == "suspend" and (target_membership is None or target_membership.state != MembershipState.ACTIVE):
        raise NotFound(_("{name} is not a member of this community.", name=target.name))
    now = clock.now()
    ends = _end(site, kind, until, now)
    data = {"role": str(target_membership.role)} if kind == "suspend" and target_membership else {}
    sanction = await _record(actor, target, where.community, kind, reason, now, ends, content, data)
    await _tell(site, sanction, target, where.community, "given")
    if kind == "suspend":
        await leave(target, where.community, actor=actor, site=site)
    return sanction


async def ban(site: Site, actor: Member | None, target: Member, reason: str, until: datetime | None = None, *,
              community: Community | None = None, content: Content | None = None) -> Sanction:
    """Ban ``target`` from the whole site (site administrators only; ``actor`` None is the
    operator at the command line): every session and API token ends now, and log-ins are
    refused until the end."""
    if actor is not None and not actor.is_admin:
        raise Forbidden(_("Only site administrators can ban a member from the site."))
    reason = _reason(reason)
    if actor is not None and target.id == actor.id:
        raise ValidationFailed(_("You cannot sanction yourself."))
    if target.is_admin:
        raise Forbidden(_("A site administrator cannot be banned: remove their administrator rights first."))
    now = clock.now()
    ends = _end(site, "ban", until, now)
    sanction = await _record(actor, target, community, "ban", reason, now, ends, content, {})
    await close_sessions(target)
    await ApiToken.filter(member_id=target.id).delete()
    await _tell(site, sanction, target, None, "given")
    return sanction


async def _record(actor: Member | None, target: Member, community: Community | None, kind: str, reason: str,
                  now: datetime, ends: datetime | None, content: Content | None, data: dict[str, str]) -> Sanction:
    sanction = await Sanction.create(member=target, community=community, kind=kind, reason=reason, starts_at=now,
                                     ends_at=ends, content=content, created_by=actor, data=data)
    await _replace_older(sanction, actor)
    await audit(actor, community, f"moderation.sanction.{kind}", target_kind="member", target_id=target.id,
                reason=reason, data={"sanction": sanction.id, "until": ends.isoformat() if ends else None})
    return sanction


def _end(site: Site, kind: str, until: datetime | None, now: datetime) -> datetime | None:
    rules = settings(site)
    if kind == "warning":
        return None
    if until is None:
        if kind == "silence":
            return now + timedelta(hours=rules.default_silence_hours)
        if kind == "suspend":
            return now + timedelta(days=rules.default_suspension_days)
        return None  # a ban without an end lasts until lifted
    if until.tzinfo is None:
        raise ValidationFailed(_("Give the end with its time zone."), fields={"until": _("Add a time zone.")})
    if until <= now:
        raise ValidationFailed(_("The end must be in the future."), fields={"until": _("Choose a later date.")})
    if until - now > LONGEST:
        raise ValidationFailed(_("The end must be within ten years."), fields={"until": _("Choose an earlier date.")})
    return until


async def _replace_older(sanction: Sanction, actor: Member | None) -> None:
    # A new silence (or suspension, or ban) replaces the one running in the same place.
    older = Sanction.filter(member_id=sanction.member_id, kind=sanction.kind, closed_at__isnull=True)
    if sanction.kind != "ban":
        older = older.filter(community_id=sanction.community_id)
    await older.exclude(id=sanction.id).exclude(kind="warning").update(
        closed_at=clock.now(), close_reason="replaced", closed_by_id=actor.id if actor else None)


async def lift(site: Site, sanction: Sanction, actor: Member | None, reason: str = "") -> Sanction:
    """End a sanction now (``actor`` None: it reached its end)."""
    if sanction.closed_at is not None:
        return sanction
    now = clock.now()
    expired = actor is None
    sanction.closed_at = sanction.ends_at if expired and sanction.ends_at else now
    sanction.close_reason = "ended" if expired else (reason.strip()[:500] or "lifted")
    updated = await Sanction.filter(id=sanction.id, closed_at__isnull=True).update(
        closed_at=sanction.closed_at, close_reason=sanction.close_reason, closed_by_id=actor.id if actor else None)
    if not updated:  # closed meanwhile by another process
        return sanction
    community = await Community.get_or_none(id=sanction.community_id) if sanction.community_id else None
    member = await Member.get(id=sanction.member_id)
    if sanction.kind == "suspend" and community is not None:
        await _restore(site, sanction, member, community)
    if sanction.kind != "warning":
        await audit(actor, community, "moderation.sanction.end" if expired else "moderation.sanction.lift",
                    target_kind="member", target_id=member.id, reason="" if expired else reason,
                    data={"sanction": sanction.id, "kind": sanction.kind})
        await _tell(site, sanction, member, community, "ended")
    return sanction


async def _restore(site: Site, sanction: Sanction, member: Member, community: Community) -> None:
    if community.is_archived or await Membership.filter(member_id=member.id, community_id=community.id).exists():
        return
    role = (sanction.data or {}).get("role", "member")
    membership = await Membership.create(member=member, community=community, role=role,
                                         state=MembershipState.ACTIVE)
    count = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).count()
    await Community.filter(id=community.id).update(member_count=count)
    membership.community = community
    membership.member = member
    await call_safely(site.plugins.for_community(community).member_joined, membership=membership)


async def expire_due(site: Site) -> int:
    """Close every sanction whose end has passed (the job); returns how many."""
    due = await Sanction.filter(closed_at__isnull=True, ends_at__lte=clock.now()).exclude(kind="warning")
    for sanction in due:
        await lift(site, sanction, None)
    return len(due)


async def _tell(site: Site, sanction: Sanction, member: Member, community: Community | None, event: str) -> None:
    kind = sanction.kind
    place = community.name if community is not None else ""

    def message() -> tuple[Message, Message | str]:
        until = _local(sanction.ends_at, member) if sanction.ends_at else None
        if event == "ended":
            title = {"silence": lazy_gettext("You may post again in {community}", community=place),
                     "suspend": lazy_gettext("You are back in {community}", community=place),
                     "ban": lazy_gettext("Your ban from the site has ended")}[kind]
            return title, ""
        if kind == "warning":
            title = lazy_gettext("A warning from the moderators of {community}", community=place)
        elif kind == "silence":
            title = (lazy_gettext("You are silenced in {community} until {when}", community=place, when=until)
                     if until else lazy_gettext("You are silenced in {community}", community=place))
        elif kind == "suspend":
            title = (lazy_gettext("You are suspended from {community} until {when}", community=place, when=until)
                     if until else lazy_gettext("You are suspended from {community}", community=place))
        else:
            title = (lazy_gettext("You are banned from the site until {when}", when=until) if until
                     else lazy_gettext("You are banned from the site"))
        body = lazy_gettext("Reason: {reason}", reason=sanction.reason)
        if kind != "ban":
            body = lazy_concat(body, lazy_gettext("You can appeal once to the coordinators from your moderation page."))
        return title, body

    # Suspended and banned members may no longer read the community: the notice goes to the
    # account alone (no community), so that it is not dropped.
    where = community if kind in ("warning", "silence") or event == "ended" else None
    url = notices.mine_url(community) if community is not None and kind != "ban" else ""
    await notices.tell(site, member, f"moderation.sanction.{kind}" if event == "given" else "moderation.sanction.end",
                       message, community=where, url=url)
    if kind == "ban" and event == "given" and member.email and not member.is_placeholder:
        await _mail_ban(site, member, message)


def _local(moment: datetime, member: Member) -> datetime:
    """``moment`` in the member's time zone (kept in the message, written in their language)."""
    try:
        return moment.astimezone(ZoneInfo(text.zone(member)))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


async def _mail_ban(site: Site, member: Member, message: object) -> None:
    from tisserand.mail import MailError

    with notices.speaking(member):
        title, body = (str(part) for part in message())  # type: ignore[operator]
    try:
        await site.mailer.send(site.mailer.message(to=member.email, subject=title, text=f"{body}\n"))
    except MailError:
        pass  # the ban holds whether or not the message could be delivered
