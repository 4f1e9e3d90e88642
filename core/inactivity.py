"""Inactive accounts: an optional site policy (``[privacy] inactive_after_days``, off by default).

The job ``core.inactive_accounts`` (:func:`apply_inactivity_policy`) e-mails each member unused
for ``inactive_after_days`` days (no visit: no page, no API call) a warning in their language;
``inactive_warning_days`` later, if they still have not come back, their account is anonymized
through the same path as a closing (:func:`tisserand.account_closing.erase_member`, mode
``anonymize``: what they wrote stays, signed by a former member). Signing in, or any visit,
stops it. Site administrators and the last coordinator of a community are never anonymized:
the site administrators are told instead (again after each further warning period).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tisserand.i18n import _, format_date

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site

__all__ = ["InactivityReport", "apply_inactivity_policy", "clear_inactivity_warning"]

log = logging.getLogger("tisserand.privacy")


@dataclass
class InactivityReport:
    """What one run did: usernames warned, anonymized, kept (admins were told), back again."""

    warned: list[str] = field(default_factory=list)
    anonymized: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)


async def clear_inactivity_warning(member: Member) -> None:
    """Called by every sign-in: a warning about inactivity no longer holds."""
    from tisserand.models import Member as MemberModel

    await MemberModel.filter(id=member.id, inactivity_warned_at__isnull=False).update(inactivity_warned_at=None)
    member.inactivity_warned_at = None


def _last_activity(member: Member) -> datetime:
    return member.last_seen_at or member.created_at


async def _warn(site: Site, member: Member, due: datetime) -> bool:
    from tisserand.auth import _deliver, in_locale
    from tisserand.names import unlinked

    days = site.settings.privacy.inactive_after_days
    with in_locale(member.locale or site.settings.site.default_locale):
        name = site.settings.site.name
        subject = _("Your account on {site} will be anonymized on {date}", site=name, date=format_date(due, "long"))
        text = _("Hello {name},\n\nYou have not used your account on {site} for {days} days. Under the site's "
                 "policy, unused accounts are anonymized: on {date}, your profile, e-mail address and personal "
                 "data will be erased; what you wrote will stay, signed by a former member.\n\nTo keep your "
                 "account, simply log in before then:\n\n{link}\n\nTo keep a copy of your data, log in and ask "
                 "for an export on your account page.\n", name=unlinked(member.name), site=name, days=days,
                 date=format_date(due, "long"), link=site.url("/login"))
    return await _deliver(site, member.email, subject, text)


async def _tell_admins(site: Site, kept: list[Member]) -> None:
    from tisserand.auth import _deliver, in_locale
    from tisserand.models import Member as MemberModel

    admins = await MemberModel.filter(is_admin=True, is_active=True, is_placeholder=False)
    for admin in admins:
        with in_locale(admin.locale or site.settings.site.default_locale):
            subject = _("{site}: inactive accounts that were not anonymized", site=site.settings.site.name)
            text = _("Hello {name},\n\nThese accounts have not been used for more than {days} days, were warned, "
                     "and did not come back. They were not anonymized because each is a site administrator "
                     "or the last coordinator of a community:\n\n{accounts}\n\nName another coordinator, or "
                     "close or keep these accounts yourself: {link}\n", name=admin.name,
                     days=site.settings.privacy.inactive_after_days,
                     accounts="\n".join(f"- {m.username}" for m in kept), link=site.url("/admin/members"))
        await _deliver(site, admin.email, subject, text)


async def apply_inactivity_policy(site: Site, now: datetime | None = None) -> InactivityReport:
    """The job: warn the newly inactive, anonymize those warned long enough ago who did not come
    back, tell the admins about those that must not be anonymized. Does nothing when
    ``[privacy] inactive_after_days`` is 0."""
    from tortoise.expressions import Q

    from tisserand.account_closing import erase_member, last_coordinator_of
    from tisserand.errors import Conflict
    from tisserand.models import AccountClosing, Member

    report = InactivityReport()
    privacy = site.settings.privacy
    if not privacy.inactive_after_days:
        return report
    now = now or datetime.now(UTC)
    limit = now - timedelta(days=privacy.inactive_after_days)
    grace = timedelta(days=privacy.inactive_warning_days)
    closing = await AccountClosing.all().values_list("member_id", flat=True)
    people = Member.filter(is_active=True, is_placeholder=False).exclude(id__in=list(closing) or [0])

    # Warned, then came back (a visit with a long-lived session or an API token): forget it.
    for member in await people.filter(inactivity_warned_at__isnull=False):
        if member.inactivity_warned_at is not None and _last_activity(member) > member.inactivity_warned_at:
            await clear_inactivity_warning(member)
            report.returned.append(member.username)

    inactive = people.filter(Q(last_seen_at__lt=limit) | Q(last_seen_at__isnull=True, created_at__lt=limit))
    kept: list[Member] = []
    for member in await inactive.filter(inactivity_warned_at__lte=now - grace).order_by("id"):
        if member.is_admin or await last_coordinator_of(member):
            kept.append(member)
            continue
        try:
            await erase_member(site, member, "anonymize")
        except Conflict:  # became the last coordinator meanwhile
            kept.append(member)
            continue
        except Exception:
            log.exception("anonymizing inactive account %s failed", member.id)
            continue
        report.anonymized.append(member.username)
    if kept:
        await _tell_admins(site, kept)
        # Told now; told again after another warning period if nothing changes.
        await Member.filter(id__in=[m.id for m in kept]).update(inactivity_warned_at=now)
        report.kept = [m.username for m in kept]

    for member in await inactive.filter(inactivity_warned_at__isnull=True).order_by("id"):
        if await _warn(site, member, now + grace):
            await Member.filter(id=member.id).update(inactivity_warned_at=now)
            report.warned.append(member.username)
    if report.warned or report.anonymized or report.kept:
        log.info("inactive accounts: %d warned, %d anonymized, %d kept (admins told)",
                 len(report.warned), len(report.anonymized), len(report.kept))
    return report
