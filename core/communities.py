"""Communities and memberships: create, join, request, invite, approve, leave, roles, archive.

Every change of membership goes through here, so counts, hooks, audit entries and the
read-only rule of archived communities hold for every caller (web pages, API, CLI, plugins).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from tisserand.errors import Conflict, Forbidden, NotFound, ReadOnly, ValidationFailed
from tisserand.i18n import Message, _, lazy_gettext, render
from tisserand.models import (
    AuditLog,
    Community,
    CommunityStatus,
    JoinPolicy,
    Member,
    Membership,
    MembershipState,
    Role,
    Visibility,
)
from tisserand.plugin_manager import call_safely
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = [
    "RESERVED_SLUGS", "SLUG_RE", "approve", "archive_community", "audit", "audit_reason",
    "create_community", "invite", "join", "leave", "reopen_community", "set_role", "switch_plugins",
]

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
RESERVED_SLUGS = {"new", "api", "static", "admin", "me"}


def _read_only() -> ReadOnly:
    return ReadOnly(_("This community is archived: it is read-only."))


async def ensure_writable(community: Community) -> None:
    """Raise :class:`ReadOnly` if ``community`` is archived. The status is read again from the
    database (one indexed read): the object in hand may have been loaded before someone
    archived the community, a moment ago in another request or long ago in a job."""
    if not community.is_archived and await Community.filter(
            id=community.id, status=CommunityStatus.ARCHIVED).exists():
        community.status = CommunityStatus.ARCHIVED
    if community.is_archived:
        raise _read_only()


async def audit(actor: Member | None, community: Community | None, action: str, *,
                target_kind: str = "", target_id: int | None = None, reason: str | Message = "",
                data: dict[str, Any] | None = None) -> AuditLog:
    """Record an action in the audit log. A ``reason`` the site writes (not a person) is a
    :func:`~tisserand.i18n.lazy_gettext` message, shown in the reader's language
    (:func:`audit_reason`); the ``action`` code is labelled when read, never stored as a sentence."""
    return await AuditLog.create(actor=actor, community=community, action=action,
                                 target_kind=target_kind, target_id=target_id, reason=str(reason),
                                 data=audit_data(reason, data))


def audit_data(reason: str | Message, data: dict[str, Any] | None) -> dict[str, Any]:
    """The ``data`` of an audit line, with the reason's message when it is one."""
    stored = dict(data or {})
    if isinstance(reason, Message):
        stored["i18n"] = {"reason": reason.to_data()}
    return stored


def audit_reason(reason: str, data: Any) -> str:
    """The reason of an audit line in the reader's language (as written for a person's reason)."""
    if isinstance(data, str):
        try:
            data = json.loads(data or "{}")
        except ValueError:
            data = {}
    stored = (data or {}).get("i18n", {}).get("reason") if isinstance(data, dict) else None
    return render(stored) if isinstance(stored, dict) else reason


def validate_community(slug: str, name: str, visibility: str, join_policy: str,
                       plugins: list[str] | None, site: Site) -> dict[str, str]:
    """Field errors for a community's settings (empty when fine)."""
    errors: dict[str, str] = {}
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        errors["slug"] = _("Lower-case letters, digits and '-', up to 64 characters.")
    if not name.strip() or len(name) > 200:
        errors["name"] = _("A name of 1 to 200 characters is required.")
    if visibility not in {v.value for v in Visibility}:
        errors["visibility"] = _("Choose public, private or secret.")
    if join_policy not in {p.value for p in JoinPolicy}:
        errors["join_policy"] = _("Choose open, request or invite.")
    if plugins is not None:
        unknown = [p for p in plugins if p not in site.plugins.enabled]
        if unknown:
            errors["plugins"] = _("Not enabled on this site: {names}.", names=", ".join(unknown))
    return errors


async def _recount(community: Community) -> None:
    community.member_count = await Membership.filter(
        community_id=community.id, state=MembershipState.ACTIVE).count()
    await Community.filter(id=community.id).update(member_count=community.member_count)


async def parent_error(community: Community, parent_id: int | None) -> str | None:
    """Why ``community`` cannot be put under ``parent_id`` (translated), or None: a community
    is never its own ancestor (no cycles, whoever sets the parent: pages, API, CLI)."""
    if parent_id is None:
        return None
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == community.id:
            return _("A community cannot be placed under itself or one of its sub-communities.")
        seen.add(current)
        rows = await Community.filter(id=current).values("parent_id")
        current = rows[0]["parent_id"] if rows else None
    return None


async def create_community(
    creator: Member | None,
    *,
    slug: str,
    name: str,
    description: str = "",
    visibility: str = "public",
    join_policy: str = "open",
    plugins: list[str] | None = None,
    ends_on: date | None = None,
    parent: Community | None = None,
    site: Site | None = None,
) -> Community:
    """Create a community; ``creator`` (if given) becomes its coordinator."""
    site = site or current_site()
    slug = slug.strip().lower()
    errors = validate_community(slug, name, visibility, join_policy, plugins, site)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    if await Community.filter(slug=slug).exists():
        raise Conflict(_("A community already uses this address."),
                       fields={"slug": _("A community already uses this address.")})
    async with in_transaction():
        community = await Community.create(
            slug=slug, name=name.strip(), description=description, visibility=visibility,
            join_policy=join_policy, plugins=None if plugins is None else site.plugins.switches_for(plugins),
            ends_on=ends_on, parent=parent,
        )
        if creator is not None:
            await Membership.create(member=creator, community=community, role=Role.COORDINATOR)
            community.member_count = 1
            await community.save(update_fields=["member_count"])
        await audit(creator, community, "community.create")
    return community


async def get_community(slug: str) -> Community:
    """The community with ``slug`` (404 otherwise)."""
    community = await Community.get_or_none(slug=slug)
    if community is None:
        raise NotFound(_("No such community."))
    return community


async def _activate(membership: Membership, site: Site) -> Membership:
    membership.state = MembershipState.ACTIVE
    await membership.save(update_fields=["state", "updated_at"])
    community = await Community.get(id=membership.community_id)
    await _recount(community)
    membership.community = community
    await call_safely(site.plugins.for_community(community).member_joined, membership=membership)
    return membership


async def join(member: Member, community: Community, *, site: Site | None = None) -> Membership:
    """Join an open community, request to join a ``request`` one, or accept an invitation."""
    site = site or current_site()
    await ensure_writable(community)
    existing = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if existing is not None:
        if existing.state == MembershipState.INVITED:
            return await _activate(existing, site)
        if existing.state == MembershipState.ACTIVE:
            raise Conflict(_("You are already a member of this community."))
        raise Conflict(_("Your request to join is waiting for a coordinator."))
    if community.join_policy == JoinPolicy.INVITE:
        raise Forbidden(_("This community is open on invitation only."))
    state = MembershipState.ACTIVE if community.join_policy == JoinPolicy.OPEN else MembershipState.REQUESTED
    membership = await Membership.create(member=member, community=community, role=Role.MEMBER,
                                         state=MembershipState.REQUESTED)
    if state == MembershipState.ACTIVE:
        return await _activate(membership, site)
    await _notify_staff(community, member, site)
    return membership


async def _notify_staff(community: Community, requester: Member, site: Site) -> None:
    from tisserand.notify import notify

    staff = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE,
                                    role=Role.COORDINATOR).select_related("member")
    for membership in staff:
        await notify(membership.member, "membership.request",
                     lazy_gettext("{name} asks to join {community}", name=requester.name, community=community.name),
                     url=f"/c/{community.slug}/members", actor=requester, community=community, site=site)


async def invite(inviter: Member, community: Community, invitee: Member, *,
                 role: Role = Role.MEMBER, site: Site | None = None) -> Membership:
    """Invite ``invitee``; they become a member when they accept (join)."""
    from tisserand.notify import notify

    site = site or current_site()
    await ensure_writable(community)
    existing = await Membership.get_or_none(member_id=invitee.id, community_id=community.id)
    if existing is not None:
        if existing.state == MembershipState.REQUESTED:
            # Inviting someone who asked to join is approving their request: only those who
            # may approve requests can do it (an animator may invite, not approve).
            from tisserand.permissions import can

            if not await can(inviter, "community.members.manage", community):
                raise Forbidden(_("{name} already asked to join: a coordinator decides on requests.",
                                  name=invitee.name))
            return await approve(inviter, existing, site=site)
        raise Conflict(_("{name} is already a member or invited.", name=invitee.name))
    membership = await Membership.create(member=invitee, community=community, role=role,
                                         state=MembershipState.INVITED, invited_by=inviter)
    await audit(inviter, community, "membership.invite", target_kind="member", target_id=invitee.id)
    await notify(invitee, "membership.invitation",
                 lazy_gettext("{name} invites you to join {community}", name=inviter.name,
                              community=community.name),
                 url=f"/c/{community.slug}", actor=inviter, site=site)
    return membership


async def approve(actor: Member, membership: Membership, *, site: Site | None = None) -> Membership:
    """Accept a request to join."""
    site = site or current_site()
    community = await Community.get(id=membership.community_id)
    if community.is_archived:
        raise _read_only()
    if membership.state != MembershipState.REQUESTED:
        raise Conflict(_("There is no pending request."))
    await audit(actor, community, "membership.approve", target_kind="member",
                target_id=membership.member_id)
    return await _activate(membership, site)


async def leave(member: Member, community: Community, *, actor: Member | None = None,
                site: Site | None = None) -> None:
    """Leave (or, with ``actor``, remove someone from) a community, or decline an invitation."""
    site = site or current_site()
    await ensure_writable(community)
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if membership is None:
        raise NotFound(_("Not a member of this community."))
    if membership.role == Role.COORDINATOR and membership.state == MembershipState.ACTIVE:
        others = await Membership.filter(community_id=community.id, role=Role.COORDINATOR,
                                         state=MembershipState.ACTIVE).exclude(id=membership.id).count()
        if others == 0:
            raise Conflict(_("A community needs a coordinator: name another one before leaving."))
    was_active = membership.state == MembershipState.ACTIVE
    await membership.delete()
    await _recount(community)
    if actor is not None and actor.id != member.id:
        await audit(actor, community, "membership.remove", target_kind="member", target_id=member.id)
    if was_active:
        membership.community = community
        membership.member = member
        await call_safely(site.plugins.for_community(community).member_left, membership=membership)


async def grant_role(member: Member, community: Community, role: Role, *,
                     site: Site | None = None) -> Membership:
    """Make ``member`` an active member of ``community`` with ``role`` whatever the join policy
    (for roles an organization gives, e.g. from its identity provider's groups). Joining fires
    ``member_joined``; the caller writes the audit line."""
    site = site or current_site()
    await ensure_writable(community)
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    if membership is None:
        membership = await Membership.create(member=member, community=community, role=role,
                                             state=MembershipState.REQUESTED)
        return await _activate(membership, site)
    if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
        others = await Membership.filter(community_id=community.id, role=Role.COORDINATOR,
                                         state=MembershipState.ACTIVE).exclude(id=membership.id).count()
        if others == 0:
            raise Conflict(_("A community needs a coordinator: name another one first."))
    membership.role = role
    await membership.save(update_fields=["role", "updated_at"])
    if membership.state != MembershipState.ACTIVE:
        return await _activate(membership, site)
    return membership


async def set_role(actor: Member | None, community: Community, member: Member, role: str) -> Membership:
    """Change a member's role (coordinators only, checked by the caller)."""
    await ensure_writable(community)
    try:
        new_role = Role(role)
    except ValueError:
        raise ValidationFailed(_("Unknown role: {role}.", role=role),
                               fields={"role": _("Choose coordinator, animator, sponsor, member or observer.")}) from None
    membership = await Membership.get_or_none(member_id=member.id, community_id=community.id,
                                              state=MembershipState.ACTIVE)
    if membership is None:
        raise NotFound(_("Not a member of this community."))
    if membership.role == Role.COORDINATOR and new_role != Role.COORDINATOR:
        others = await Membership.filter(community_id=community.id, role=Role.COORDINATOR,
                                         state=MembershipState.ACTIVE).exclude(id=membership.id).count()
        if others == 0:
            raise Conflict(_("A community needs a coordinator: name another one first."))
    old = membership.role
    membership.role = new_role
    await membership.save(update_fields=["role", "updated_at"])
    await audit(actor, community, "membership.role", target_kind="member", target_id=member.id,
                data={"from": str(old), "to": new_role.value})
    return membership


async def archive_community(community: Community, actor: Member | None, *, reason: str | Message = "",
                            site: Site | None = None) -> Community:
    """Make a community read-only for everyone and tell the plugins."""
    site = site or current_site()
    if community.is_archived:
        return community
    community.status = CommunityStatus.ARCHIVED
    community.archived_at = datetime.now(UTC)
    await community.save(update_fields=["status", "archived_at", "updated_at"])
    await audit(actor, community, "community.archive", reason=reason)
    await call_safely(site.plugins.for_community(community).community_archived, community=community)
    return community


async def reopen_community(community: Community, actor: Member | None, *, reason: str | Message = "",
                           site: Site | None = None) -> Community:
    """Make an archived community writable again."""
    site = site or current_site()
    if not community.is_archived:
        return community
    community.status = CommunityStatus.ACTIVE
    community.archived_at = None
    await community.save(update_fields=["status", "archived_at", "updated_at"])
    await audit(actor, community, "community.reopen", reason=reason)
    await call_safely(site.plugins.for_community(community).community_reopened, community=community)
    return community


async def switch_plugins(community: Community, chosen: list[str], actor: Member | None) -> list[str]:
    """Switch on exactly the ``chosen`` plugins in ``community`` (among those the site enables:
    others are refused with 422), in the site's order; the settings page and ``tisserand
    community plugins`` both change them here. Returns the plugins now on."""
    await ensure_writable(community)
    site = current_site()
    unknown = [name for name in chosen if name not in site.plugins.enabled]
    if unknown:
        raise ValidationFailed(_("Not enabled on this site: {names}.", names=", ".join(unknown)),
                               fields={"plugins": ", ".join(unknown)})
    ordered = [name for name in site.plugins.enabled if name in chosen]
    community.plugins = site.plugins.switches_for(ordered)
    await Community.filter(id=community.id).update(plugins=community.plugins)
    await audit(actor, community, "community.plugins", data={"plugins": ordered})
    return ordered


async def set_parent(community: Community, parent: Community | None, actor: Member | None) -> Community:
    """Move ``community`` under ``parent`` (``None``: make it a top-level community).

    Refuses a parent that is the community itself or one of its descendants (a community
    can't become its own ancestor).
    """
    await ensure_writable(community)
    error = await parent_error(community, parent.id if parent else None)
    if error:
        raise Conflict(error, fields={"parent": error})
    old_id = community.parent_id
    community.parent = parent  # type: ignore[assignment]
    await Community.filter(id=community.id).update(parent_id=parent.id if parent else None)
    await audit(actor, community, "community.parent", data={
        "from": old_id, "to": parent.id if parent else None})
    return community
