"""Closing one's account (the right to erasure).

:func:`request_closing` records the member's choice — ``delete`` what they wrote, or
``anonymize`` it (it stays, signed by a former member) — and signs them out everywhere; the
closing happens after ``[privacy] closing_grace_days`` unless they sign in before
(:func:`cancel_closing`, called by every sign-in). The job ``core.account_closings`` runs
:func:`close_due_accounts`, which calls :func:`erase_member`: the member row is kept as an empty
"former member" shell (so references stay valid) and every personal trace goes — profile,
e-mail, location, sessions, tokens, identity-provider links, two factors, notifications,
consents, exports, memberships — and each plugin erases its own through
``member_erased(member, mode)``. The audit log keeps the fact ("an account was closed"),
not the person.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from tisserand.errors import Conflict
from tisserand.i18n import _

if TYPE_CHECKING:
    from tisserand.models import AccountClosing, Member
    from tisserand.site import Site

__all__ = ["MODES", "cancel_closing", "close_due_accounts", "erase_member", "last_coordinator_of",
           "request_closing"]

Mode = Literal["delete", "anonymize"]
MODES: tuple[str, ...] = ("delete", "anonymize")


async def last_coordinator_of(member: Member) -> list[str]:
    """Names of the communities where ``member`` is the only active coordinator."""
    from tisserand.models import Membership, MembershipState, Role

    mine = await Membership.filter(member_id=member.id, role=Role.COORDINATOR,
                                   state=MembershipState.ACTIVE).select_related("community")
    alone = []
    for membership in mine:
        others = await Membership.filter(community_id=membership.community_id, role=Role.COORDINATOR,
                                         state=MembershipState.ACTIVE).exclude(member_id=member.id).exists()
        if not others:
            alone.append(membership.community.name)
    return sorted(alone)


async def _refuse_if_last_coordinator(member: Member) -> None:
    alone = await last_coordinator_of(member)
    if alone:
        raise Conflict(_("You are the last coordinator of {communities}: name another coordinator there "
                         "first, so that the community keeps someone to run it.",
                         communities=", ".join(alone)), code="last_coordinator")


async def request_closing(site: Site, member: Member, mode: str) -> AccountClosing:
    """Schedule the closing of ``member``'s account; they are signed out everywhere.

    Raises :class:`Conflict` while they are the last coordinator of a community."""
    from tortoise.transactions import in_transaction

    from tisserand.communities import audit
    from tisserand.models import AccountClosing, ApiToken, Session

    if mode not in MODES:
        raise ValueError(mode)
    await _refuse_if_last_coordinator(member)
    due = datetime.now(UTC) + timedelta(days=site.settings.privacy.closing_grace_days)
    async with in_transaction():
        await AccountClosing.filter(member_id=member.id).delete()
        closing = await AccountClosing.create(member=member, mode=mode, due_at=due)
        await Session.filter(member_id=member.id).delete()
        await ApiToken.filter(member_id=member.id).delete()
        await audit(member, None, "account.closing_requested", target_kind="member", target_id=member.id,
                    data={"mode": mode, "due_at": due.isoformat()})
    if site.settings.privacy.closing_grace_days == 0:
        await close_due_accounts(site)
    return closing


async def cancel_closing(member: Member) -> bool:
    """Called by every sign-in: a pending closing is cancelled. True when one was."""
    from tisserand.communities import audit
    from tisserand.models import AccountClosing

    if not await AccountClosing.filter(member_id=member.id).delete():
        return False
    await audit(member, None, "account.closing_cancelled", target_kind="member", target_id=member.id)
    return True


async def erase_member(site: Site, member: Member, mode: str) -> None:
    """Close ``member``'s account now: delete or anonymize what they wrote, erase every personal
    trace (plugins erase theirs through ``member_erased``), keep an empty "former member" row."""
    from tortoise.transactions import in_transaction

    from tisserand.communities import audit
    from tisserand.db import execute
    from tisserand.member_export import EXPORT_DIR
    from tisserand.models import (
        AccountClosing,
        ApiToken,
        AuditLog,
        AuthTicket,
        Community,
        Consent,
        Content,
        ContentStatus,
        DataExport,
        IdentityLink,
        LiveEvent,
        Member,
        Membership,
        MembershipState,
        Notification,
        Session,
        TwoFactor,
    )
    from tisserand.plugin_manager import resolve_all

    await _refuse_if_last_coordinator(member)
    for export in await DataExport.filter(member_id=member.id):
        if export.file_name:
            (site.settings.path(EXPORT_DIR) / export.file_name).unlink(missing_ok=True)
    communities = await Membership.filter(member_id=member.id).values_list("community_id", flat=True)
    async with in_transaction():
        await resolve_all(site.hook.member_erased(member=member, mode=mode))
        if mode == "delete":
            await Content.filter(author_id=member.id).update(
                title="", body="", html="", meta={}, status=ContentStatus.DELETED, status_reason="")
            # ... and the text found inside their files (tisserand.search.set_search_text).
            await execute("UPDATE content SET search_extra = '' WHERE author_id = ? AND search_extra <> ''",
                          [member.id])
        for model in (Session, ApiToken, IdentityLink, AuthTicket, TwoFactor, Consent, DataExport,
                      AccountClosing, Membership):
            await model.filter(member_id=member.id).delete()
        await Notification.filter(member_id=member.id).delete()
        # The short replay log of live events carries authors' names: drop theirs.
        authored = await Content.filter(author_id=member.id).values_list("id", flat=True)
        await LiveEvent.filter(member_id=member.id).delete()
        if authored:
            await LiveEvent.filter(content_id__in=list(authored)).delete()
        # Others' notifications name the member in their stored text ("alice replied…").
        await Notification.filter(actor_id=member.id).delete()
        # The audit log keeps the facts, not the person: no free text about them either.
        await AuditLog.filter(target_kind="member", target_id=member.id).update(reason="", data={})
        await AuditLog.filter(actor_id=member.id).update(actor_id=None)
        await Member.filter(id=member.id).update(
            username=f"former-member-{member.id}", email=f"former-member-{member.id}@invalid",
            display_name="", password_hash="", is_active=False, is_admin=False, is_placeholder=True,
            locale="", timezone="", email_verified_at=None, latitude=None, longitude=None, city="",
            last_seen_at=None, profile_visibility=None, inactivity_warned_at=None, consent_pending=False)
        for community_id in communities:
            count = await Membership.filter(community_id=community_id, state=MembershipState.ACTIVE).count()
            await Community.filter(id=community_id).update(member_count=count)
        await audit(None, None, "account.closed", target_kind="member", target_id=member.id, data={"mode": mode})


async def close_due_accounts(site: Site) -> int:
    """The job: close the accounts whose grace period is over. Returns how many were closed."""
    import logging

    from tisserand.models import AccountClosing

    closed = 0
    now = datetime.now(UTC)
    for closing in await AccountClosing.filter(due_at__lte=now).select_related("member"):
        try:
            await erase_member(site, closing.member, closing.mode)
            closed += 1
        except Conflict:
            # Became the last coordinator since asking: wait (the page and the API say why).
            logging.getLogger("tisserand.privacy").warning(
                "account closing %s waits: last coordinator of a community", closing.id)
        except Exception:
            logging.getLogger("tisserand.privacy").exception("account closing %s failed", closing.id)
    return closed
