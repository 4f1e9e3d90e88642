"""Two factors for local accounts: TOTP (RFC 6238, through pyotp) with a QR code made here
(segno), and one-time recovery codes stored as SHA-256 digests."""

from __future__ import annotations

import hmac
import io
import secrets
import time
from datetime import UTC, datetime

import pyotp

from tisserand.auth import digest
from tisserand.models import Member, TwoFactor

__all__ = ["RECOVERY_CODES", "check_code", "confirm", "disable", "enrolled", "pending_secret",
           "provisioning_qr_svg", "provisioning_uri", "regenerate_recovery_codes"]

RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


async def enrolled(member: Member) -> bool:
    """Does ``member`` sign in with a second factor?"""
    return await TwoFactor.filter(member_id=member.id, confirmed_at__isnull=False).exists()


async def pending_secret(member: Member) -> TwoFactor:
    """The member's TOTP row: a new unconfirmed secret if none is being set up."""
    row = await TwoFactor.get_or_none(member_id=member.id)
    if row is None:
        row = await TwoFactor.create(member=member, secret=pyotp.random_base32(32))
    return row


def provisioning_uri(row: TwoFactor, member: Member, site_name: str) -> str:
    """The ``otpauth://`` URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(row.secret).provisioning_uri(name=member.username, issuer_name=site_name)


def provisioning_qr_svg(uri: str) -> bytes:
    """The QR code of ``uri`` as an SVG image, made locally."""
    buffer = io.BytesIO()
    import segno  # imported when needed: ~9 MiB that most requests never use

    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue()


def _normalize(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())[:20]


def _totp_step(row: TwoFactor, code: str) -> int | None:
    """The time step ``code`` belongs to (this one, or one either side), or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(row.secret)
    now = int(time.time())
    for offset in (0, -30, 30):
        at = now + offset
        if hmac.compare_digest(totp.at(at), code):
            return at // 30
    return None


async def confirm(row: TwoFactor, code: str) -> list[str] | None:
    """Switch two factors on if ``code`` is right; returns the new recovery codes (shown once)."""
    step = _totp_step(row, _normalize(code))
    if step is None:
        return None
    row.confirmed_at = datetime.now(UTC)
    row.last_step = step
    await row.save(update_fields=["confirmed_at", "last_step"])
    return await regenerate_recovery_codes(row)


async def regenerate_recovery_codes(row: TwoFactor) -> list[str]:
    """New recovery codes (the old ones stop working); only their digests are kept."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    row.recovery_codes = [digest(code) for code in codes]
    await row.save(update_fields=["recovery_codes"])
    return [f"{code[:5]}-{code[5:]}" for code in codes]


async def check_code(member: Member, code: str) -> bool:
    """Is ``code`` a valid TOTP code not used before, or an unused recovery code (then used up)?"""
    row = await TwoFactor.get_or_none(member_id=member.id, confirmed_at__isnull=False)
    if row is None:
        return False
    code = _normalize(code)
    step = _totp_step(row, code)
    if step is not None:
        if step <= row.last_step:
            return False  # a code works once
        updated = await TwoFactor.filter(id=row.id, last_step__lt=step).update(last_step=step)
        return bool(updated)
    hashed = digest(code)
    if hashed in (row.recovery_codes or []):
        remaining = [h for h in row.recovery_codes if h != hashed]
        row.recovery_codes = remaining
        await row.save(update_fields=["recovery_codes"])
        return True
    return False


async def disable(member: Member) -> None:
    """Switch two factors off."""
    await TwoFactor.filter(member_id=member.id).delete()
