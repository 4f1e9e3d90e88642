"""Members' digest choices: a global frequency plus optional per-community ones.

A member's digest for a period holds the communities whose *effective* frequency is that
period: the community choice when there is one, else the member's global choice, else the
site's ``default_frequency``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tisserand.db import fetch_all
from tisserand.errors import ValidationFailed
from tisserand.i18n import _
from tisserand.plugins.digests.models import CommunityPreference, DigestAccount
from tisserand.plugins.digests.settings import FREQUENCIES, digests_settings

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site


def frequency_label(frequency: str) -> str:
    """A frequency in words, in the active language."""
    labels = {"never": _("Never"), "daily": _("Daily"), "weekly": _("Weekly"),
              "monthly": _("Monthly")}
    return labels.get(frequency, frequency)


def check_frequency(value: str | None, field: str = "frequency", *, allow_inherit: bool = False) -> str | None:
    """``value`` if it is a frequency (or None/"" for "as my global choice" where allowed)."""
    if allow_inherit and value in (None, "", "default"):
        return None
    if value not in FREQUENCIES:
        raise ValidationFailed(_("Choose never, daily, weekly or monthly."),
                               fields={field: _("Choose never, daily, weekly or monthly.")})
    return value


async def account_for(member: Member) -> DigestAccount:
    """The member's settings row, created with the defaults if missing."""
    account = await DigestAccount.get_or_none(member_id=member.id)
    if account is not None:
        return account
    try:
        return await DigestAccount.create(member_id=member.id)
    except IntegrityError:  # created at the same instant by another request
        return await DigestAccount.get(member_id=member.id)


async def global_frequency(site: Site, member: Member) -> str:
    """The member's global choice, or the site default."""
    rows = await fetch_all("SELECT frequency FROM digests_account WHERE member_id = ?", [member.id])
    chosen = rows[0]["frequency"] if rows else None
    return chosen or digests_settings(site).default_frequency


async def community_choices(site: Site, member: Member) -> list[dict[str, Any]]:
    """The member's active communities with their own choice (None = as the global one) and
    the effective frequency, in one query."""
    default = await global_frequency(site, member)
    rows = await fetch_all(
        "SELECT cm.id, cm.slug, cm.name, cm.visibility, cp.frequency FROM membership ms "
        "JOIN community cm ON cm.id = ms.community_id "
        "LEFT JOIN digests_community_pref cp ON cp.member_id = ms.member_id AND cp.community_id = cm.id "
        "WHERE ms.member_id = ? AND ms.state = 'active' ORDER BY cm.name",
        [member.id])
    return [{"id": r["id"], "slug": r["slug"], "name": r["name"], "visibility": r["visibility"],
             "frequency": r["frequency"], "effective": r["frequency"] or default} for r in rows]


async def save_choices(site: Site, member: Member, *, frequency: str | None = None,
                       communities: dict[str, str | None] | None = None) -> None:
    """Store a new global choice and/or per-community ones (slug → frequency, None to follow
    the global choice). Communities the member is not active in are refused (422)."""
    if frequency is not None:
        check_frequency(frequency)
    wanted: dict[int, str | None] = {}
    if communities:
        mine = {c["slug"]: c["id"] for c in await community_choices(site, member)}
        unknown = [slug for slug in communities if slug not in mine]
        if unknown:
            raise ValidationFailed(_("You are not a member of: {names}.", names=", ".join(unknown)),
                                   fields={"communities": _("Only your own communities.")})
        for slug, value in communities.items():
            wanted[mine[slug]] = check_frequency(value, f"communities.{slug}", allow_inherit=True)
    async with in_transaction():
        if frequency is not None:
            account = await account_for(member)
            account.frequency = frequency
            await account.save(update_fields=["frequency", "updated_at"])
        for community_id, value in wanted.items():
            if value is None:
                await CommunityPreference.filter(member_id=member.id, community_id=community_id).delete()
            else:
                await CommunityPreference.update_or_create(
                    member_id=member.id, community_id=community_id, defaults={"frequency": value})


async def resume_email(member: Member) -> None:
    """Start e-mails again after bounces paused them (the member fixed their address)."""
    account = await account_for(member)
    account.bounce_count = 0
    account.email_paused_at = None
    await account.save(update_fields=["bounce_count", "email_paused_at", "updated_at"])


async def settings_payload(site: Site, member: Member) -> dict[str, Any]:
    """The API's view of the member's digest settings."""
    account = await DigestAccount.get_or_none(member_id=member.id)
    default = digests_settings(site).default_frequency
    return {
        "frequency": (account.frequency if account else None) or default,
        "chosen": account is not None and account.frequency is not None,
        "site_default": default,
        "email_paused": account is not None and account.email_paused_at is not None,
        "email_paused_at": account.email_paused_at if account else None,
        "communities": [{"slug": c["slug"], "name": c["name"], "frequency": c["frequency"],
                         "effective": c["effective"]} for c in await community_choices(site, member)],
        "updated_at": account.updated_at if account else None,
    }
