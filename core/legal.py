"""The site's privacy policy and terms of use, and members' consent to them.

The pages ``/privacy`` and ``/terms`` render ``legal/privacy.html`` and ``legal/terms.html``: a
site replaces them with its own text by putting files of the same names in its instance's
``templates/legal/`` folder, and bumps ``[privacy] policy_version`` / ``terms_version`` when the
text changes. Each sign-up records the versions accepted, with the date (:class:`Consent`).

An account made without the member's own acceptance — the first sign-in through an identity
provider, an account an administrator made for someone — is marked ``consent_pending``: the
next page the member opens is ``/consent``, which asks before anything else
(:func:`consent_gate_allows` lists the pages still open meanwhile); ``POST /api/v1/me/consent``
does the same for scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site

__all__ = ["DOCUMENTS", "accept_pending", "consent_gate_allows", "current_versions", "record_consents"]

#: The documents a member accepts at sign-up.
DOCUMENTS: tuple[str, ...] = ("privacy", "terms")


def current_versions(site: Site) -> dict[str, str]:
    """The version of each document now in force."""
    privacy = site.settings.privacy
    return {"privacy": privacy.policy_version, "terms": privacy.terms_version}


async def record_consents(site: Site, member: Member) -> None:
    """Record that ``member`` accepted the documents in force, now."""
    from tisserand.models import Consent

    for document, version in current_versions(site).items():
        await Consent.create(member=member, document=document, version=version)


async def accept_pending(site: Site, member: Member) -> None:
    """``member`` accepted the documents asked for after their account was made: record it."""
    from tisserand.models import Member as MemberModel

    await record_consents(site, member)
    await MemberModel.filter(id=member.id).update(consent_pending=False)
    member.consent_pending = False


#: Paths a member whose consent is pending may still open (reading the documents, leaving).
_OPEN_PATHS = ("/consent", "/privacy", "/terms", "/logout", "/static", "/uploads", "/auth", "/healthz",
               "/readyz", "/metrics", "/favicon.ico", "/robots.txt")


def consent_gate_allows(path: str) -> bool:
    """May a member who has not accepted the documents yet open ``path``? The JSON API stays
    open (scripts accept through ``POST /api/v1/me/consent``); HTML pages other than the
    documents, the consent page itself and logging out are not."""
    return path.startswith("/api/") or any(path == p or path.startswith(p + "/") for p in _OPEN_PATHS)
