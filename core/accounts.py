"""Operators' work on accounts: deactivate and reactivate, shared by the admin pages and the CLI."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from tisserand.communities import audit
from tisserand.errors import Conflict
from tisserand.i18n import _
from tisserand.models import ApiToken, Member, Session

__all__ = ["deactivate_member", "reactivate_member"]


async def deactivate_member(member: Member, actor: Member | None) -> bool:
    """Deactivate ``member``: they are signed out everywhere and their API tokens end.

    Returns False when the account was already inactive. Refuses to deactivate the last
    active site administrator (nobody could administer the site any more) and, for a
    member acting on themself, their own account.
    """
    if not member.is_active:
        return False
    if actor is not None and actor.id == member.id:
        raise Conflict(_("You cannot do this to your own account: ask another administrator."))
    if member.is_admin and not await Member.filter(is_admin=True, is_active=True).exclude(id=member.id).exists():
        raise Conflict(_("This is the last active site administrator: make another one first."))
    async with in_transaction():
        await Member.filter(id=member.id).update(is_active=False)
        await Session.filter(member_id=member.id).delete()
        await ApiToken.filter(member_id=member.id).delete()
        await audit(actor, None, "member.deactivate", target_kind="member", target_id=member.id)
    member.is_active = False
    return True


async def reactivate_member(member: Member, actor: Member | None) -> bool:
    """Make a deactivated account usable again (a new log-in is needed); False if it was active."""
    if member.is_active:
        return False
    async with in_transaction():
        await Member.filter(id=member.id).update(is_active=True)
        await audit(actor, None, "member.reactivate", target_kind="member", target_id=member.id)
    member.is_active = True
    return True
