"""The site's privacy policy and terms of use, and members' consent to them.

The pages ``/privacy`` and ``/terms`` render ``legal/privacy.html`` and ``legal/terms.html``: a
site replaces them with its own text by putting files of the same names in its instance's
``templates/legal/`` folder, and bumps ``[privacy] policy_version`` / ``terms_version`` when the
text changes. Each sign-up records the versions accepted, with the date (:class:`Consent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site

__all__ = ["DOCUMENTS", "current_versions", "record_consents"]

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
