"""Accounts from an identity provider: find the member a verified identity belongs to, create
one from the claims at the first sign-in, join an existing account only when the provider says
the address is verified and the member proves the account is theirs, and apply the roles that
the provider's groups give — at every sign-in, both ways, in the audit log."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tisserand import auth, i18n
from tisserand.communities import audit, grant_role, leave
from tisserand.errors import Conflict, ReadOnly, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, IdentityLink, Member, Membership, MembershipState, Role
from tisserand.oidc import SignInRefused, provider_label

if TYPE_CHECKING:
    from tisserand.settings import OidcProviderSettings, Settings
    from tisserand.site import Site

__all__ = ["ROLE_RANK", "apply_roles", "audit_text", "create_from_claims", "email_verified",
           "find_linked", "link_identity", "wanted_roles"]

log = logging.getLogger("tisserand.oidc")
ROLE_RANK = {Role.COORDINATOR: 5, Role.ANIMATOR: 4, Role.SPONSOR: 3, Role.MEMBER: 2, Role.OBSERVER: 1}


def email_verified(claims: dict[str, Any]) -> bool:
    """Does the provider say the address is verified? (Some send the string ``"true"``.)"""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


async def find_linked(provider: OidcProviderSettings, subject: str) -> IdentityLink | None:
    """The link for this provider's ``sub``, with its member."""
    return await IdentityLink.get_or_none(provider=provider.name, subject=subject).prefetch_related("member")


async def link_identity(provider: OidcProviderSettings, member: Member, claims: dict[str, Any]) -> IdentityLink:
    """Link ``member`` to the provider's identity in ``claims``; 409 if it belongs to someone else."""
    existing = await find_linked(provider, str(claims["sub"]))
    if existing is not None:
        if existing.member_id != member.id:
            raise Conflict(_("This {provider} account is already linked to another account here.",
                             provider=provider_label(provider)))
        return existing
    if await IdentityLink.filter(provider=provider.name, member_id=member.id).exists():
        raise Conflict(_("Your account is already linked to another {provider} account. Unlink it "
                         "first.", provider=provider_label(provider)))
    link = await IdentityLink.create(member=member, provider=provider.name, subject=str(claims["sub"]),
                                     email=str(claims.get("email") or "")[:254])
    await audit(member, None, "auth.identity.link", target_kind="member", target_id=member.id,
                data={"provider": provider.name, "member": member.username})
    return link


def _username_base(claims: dict[str, Any]) -> str:
    raw = str(claims.get("preferred_username") or "") or str(claims.get("email") or "").split("@")[0]
    raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    raw = re.sub(r"[^a-z0-9_.-]+", "-", raw).strip("-._")[:36]
    return raw if len(raw) >= 3 else (raw + "-member")[:36].strip("-")


async def _free_username(claims: dict[str, Any]) -> str:
    base = _username_base(claims)
    candidate = base
    number = 1
    while not auth.USERNAME_RE.match(candidate) or await Member.filter(username=candidate).exists():
        number += 1
        candidate = f"{base[:36]}{number}"
        if number > 500:
            raise SignInRefused(_("No username could be made for you. Ask an administrator."))
    return candidate


async def create_from_claims(settings: Settings, provider: OidcProviderSettings,
                             claims: dict[str, Any]) -> Member:
    """A new account from the claims (username, display name, e-mail, locale), linked."""
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SignInRefused(_("{provider} did not give your e-mail address, which this site needs. "
                              "Allow it at {provider} and try again.", provider=provider_label(provider)),
                            reason="no email claim")
    try:
        member = await auth.create_member(
            settings, username=await _free_username(claims), email=email, password=None,
            display_name=_display_name(claims),
            locale=i18n.normalize(str(claims.get("locale") or "")) or "")
    except (ValidationFailed, Conflict) as exc:
        raise SignInRefused(exc.message, reason=f"account creation: {exc.message}") from None
    # The provider vouched for who they are, not for their acceptance of this site's terms and
    # privacy policy: the first page they open asks (tisserand.legal).
    member.consent_pending = True
    fields_ = ["consent_pending"]
    if email_verified(claims):
        member.email_verified_at = datetime.now(UTC)
        fields_.append("email_verified_at")
    await member.save(update_fields=fields_)
    await link_identity(provider, member, claims)
    return member


def _display_name(claims: dict[str, Any]) -> str:
    """``name``, else given name and family name (ProConnect: ``given_name`` and ``usual_name``)."""
    name = str(claims.get("name") or "").strip()
    if not name:
        parts = [claims.get("given_name"), claims.get("family_name") or claims.get("usual_name")]
        name = " ".join(str(part).strip() for part in parts if part)
    return name[:100]


def _groups(provider: OidcProviderSettings, claims: dict[str, Any]) -> set[str]:
    value = claims.get(provider.groups_claim)
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list):
        return set()
    return {str(group) for group in value}


def wanted_roles(provider: OidcProviderSettings, claims: dict[str, Any]) -> tuple[bool, dict[str, Role]]:
    """What the groups in ``claims`` give: site admin, and the best role per community slug."""
    admin = False
    roles: dict[str, Role] = {}
    for group in _groups(provider, claims):
        target = provider.roles.get(group)
        if target is None:
            continue
        if target == "admin":
            admin = True
            continue
        slug, _sep, role_name = target.partition(":")
        role = Role(role_name)
        if slug not in roles or ROLE_RANK[role] > ROLE_RANK[roles[slug]]:
            roles[slug] = role
    return admin, roles


async def apply_roles(site: Site, provider: OidcProviderSettings, link: IdentityLink,
                      claims: dict[str, Any]) -> None:
    """Give what the groups give, and take back what an earlier sign-in gave and the groups no
    longer give (never what someone granted by hand). Every change goes to the audit log."""
    if not provider.groups_claim or not provider.roles:
        return
    member: Member = link.member
    want_admin, want = wanted_roles(provider, claims)
    before: dict[str, Any] = link.granted or {}
    before_roles: dict[str, str] = dict(before.get("communities") or {})
    data = {"provider": provider.name}
    granted_admin = bool(before.get("admin")) and want_admin
    if want_admin and not member.is_admin:
        member.is_admin = True
        granted_admin = True
        await member.save(update_fields=["is_admin"])
        await audit(None, None, "auth.sso.admin_granted", target_kind="member", target_id=member.id,
                    data={**data, "member": member.username})
    elif not want_admin and before.get("admin") and member.is_admin:
        member.is_admin = False
        await member.save(update_fields=["is_admin"])
        await audit(None, None, "auth.sso.admin_revoked", target_kind="member", target_id=member.id,
                    data={**data, "member": member.username})
    granted: dict[str, str] = {}
    for slug, role in want.items():
        community = await Community.get_or_none(slug=slug)
        if community is None:
            log.warning("OIDC %s: group mapping names community %r, which does not exist", provider.name, slug)
            continue
        membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
        ours = before_roles.get(slug)
        if (membership is not None and membership.state == MembershipState.ACTIVE
                and membership.role != ours and ROLE_RANK[Role(membership.role)] >= ROLE_RANK[role]):
            continue  # someone gave a role at least as high by hand: leave it
        if membership is None or membership.role != role or membership.state != MembershipState.ACTIVE:
            previous = str(membership.role) if membership is not None else ""
            try:
                await grant_role(member, community, role, site=site)
            except (ReadOnly, Conflict) as exc:
                log.warning("OIDC %s: cannot make %s %s of %s: %s", provider.name, member.username,
                            role, slug, exc)
                continue
            await audit(None, community, "auth.sso.role_granted", target_kind="member", target_id=member.id,
                        data={**data, "member": member.username, "community": slug, "role": role.value,
                              "previous": previous})
        granted[slug] = role.value
    for slug, role_name in before_roles.items():
        if slug in want:
            continue
        community = await Community.get_or_none(slug=slug)
        membership = (await Membership.get_or_none(member_id=member.id, community_id=community.id)
                      if community is not None else None)
        if community is None or membership is None or membership.role != role_name:
            continue  # gone, or changed by hand since: not ours to take back
        try:
            await leave(member, community, site=site)
        except (ReadOnly, Conflict) as exc:
            log.warning("OIDC %s: cannot remove %s from %s: %s", provider.name, member.username, slug, exc)
            granted[slug] = role_name
            continue
        await audit(None, community, "auth.sso.role_revoked", target_kind="member", target_id=member.id,
                    data={**data, "member": member.username, "community": slug, "role": role_name})
    link.granted = {"admin": granted_admin, "communities": granted}
    link.last_login_at = datetime.now(UTC)
    await link.save(update_fields=["granted", "last_login_at"])


def audit_text(action: str, data: dict[str, Any]) -> str | None:
    """An audit line of this module in the reader's language (None for other actions)."""
    params = {"member": data.get("member", ""), "provider": data.get("provider", ""),
              "community": data.get("community", ""), "role": _role_name(str(data.get("role", "")))}
    texts = {
        "auth.sso.admin_granted": lambda: _("{member} became a site administrator (groups at {provider}).", **params),
        "auth.sso.admin_revoked": lambda: _("{member} is no longer a site administrator (groups at {provider}).", **params),
        "auth.sso.role_granted": lambda: _("{member} became {role} of {community} (groups at {provider}).", **params),
        "auth.sso.role_revoked": lambda: _("{member} is no longer {role} of {community} (groups at {provider}).", **params),
        "auth.identity.link": lambda: _("{member} linked an account at {provider}.", **params),
        "auth.identity.unlink": lambda: _("{member} unlinked an account at {provider}.", **params),
        "auth.break_glass": lambda: _("{member} logged in with a break-glass link from the command line.", **params),
    }
    make = texts.get(action)
    return make() if make else None


def _role_name(role: str) -> str:
    names = {"coordinator": _("coordinator"), "animator": _("animator"), "sponsor": _("sponsor"),
             "member": _("member"), "observer": _("observer")}
    return names.get(role, role)
