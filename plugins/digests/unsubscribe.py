"""Signed one-click unsubscribe links.

A token carries the member's id and their ``unsubscribe_version`` (a per-member nonce), signed
with the site's secret for the purpose ``digests.unsubscribe``: it cannot be forged, it does
nothing for another member, and using it moves the version on, so it works once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tisserand.auth import signer, unsign
from tisserand.db import fetch_one
from tisserand.plugins.digests.models import CommunityPreference, DigestAccount
from tisserand.plugins.digests.settings import digests_settings

if TYPE_CHECKING:
    from tisserand.site import Site

PURPOSE = "digests.unsubscribe"
#: One serializer per secret key (a run signs a token per member; the key rarely changes).
_SIGNERS: dict[str, Any] = {}


def make_token(site: Site, member_id: int, version: int) -> str:
    """The token for a member's links (``version`` from their settings row, 0 without one).

    The same as ``sign(site.settings, PURPOSE, ...)``, with the serializer made once per site
    and secret (a run signs one token per member)."""
    secret = site.settings.site.secret_key
    made = _SIGNERS.get(secret)
    if made is None:
        made = _SIGNERS[secret] = signer(site.settings, PURPOSE)
    return str(made.dumps([member_id, version]))


def page_url(site: Site, token: str) -> str:
    """The link in the message: a page that asks for one click to confirm."""
    return site.url(f"/digests/unsubscribe/{token}")


def one_click_url(site: Site, token: str) -> str:
    """The ``List-Unsubscribe`` address: mail clients POST ``List-Unsubscribe=One-Click`` to it
    (RFC 8058). It is an API path, so an anonymous POST needs no CSRF token."""
    return site.url(f"/api/v1/digests/unsubscribe/{token}")


async def check_token(site: Site, token: str) -> tuple[int, int] | None:
    """``(member id, version)`` of a valid, unused token, else None."""
    data = unsign(site.settings, PURPOSE, token, max_age=digests_settings(site).unsubscribe_days * 86400)
    if not (isinstance(data, list) and len(data) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in data)):
        return None
    member_id, version = data
    row = await fetch_one(
        "SELECT m.id, m.is_active, a.unsubscribe_version FROM member m "
        "LEFT JOIN digests_account a ON a.member_id = m.id WHERE m.id = ?", [member_id])
    if row is None or not row["is_active"]:
        return None
    if (row["unsubscribe_version"] or 0) != version:
        return None  # used already
    return int(member_id), int(version)


async def token_language(site: Site, token: str) -> str | None:
    """The language of the member a token was made for (even a used or expired one), or None."""
    data = unsign(site.settings, PURPOSE, token, max_age=digests_settings(site).unsubscribe_days * 86400 * 4)
    if not (isinstance(data, list) and data and isinstance(data[0], int) and not isinstance(data[0], bool)):
        return None
    row = await fetch_one("SELECT locale FROM member WHERE id = ?", [data[0]])
    return str(row["locale"]) if row and row["locale"] else None


async def use_token(site: Site, token: str) -> int | None:
    """Unsubscribe the token's member from every digest; returns their id, or None when the
    token is forged, expired or used."""
    checked = await check_token(site, token)
    if checked is None:
        return None
    member_id, version = checked
    try:
        await DigestAccount.get_or_create(member_id=member_id)
    except IntegrityError:
        pass  # created meanwhile
    async with in_transaction():
        # Compare-and-set on the version: of two clicks at the same instant, one wins.
        updated = await DigestAccount.filter(member_id=member_id, unsubscribe_version=version).update(
            unsubscribe_version=version + 1, frequency="never")
        if not updated:
            return None
        await CommunityPreference.filter(member_id=member_id).delete()
    return member_id
