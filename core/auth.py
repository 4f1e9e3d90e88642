"""Accounts: argon2id password hashes (off the event loop), server-side sessions, API tokens,
and signed, expiring links (password reset, e-mail verification, unsubscribe)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from tisserand.errors import Conflict, ValidationFailed
from tisserand.i18n import _
from tisserand.models import ApiToken, Member, Session

if TYPE_CHECKING:
    from tisserand.settings import Settings

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,38}[a-z0-9_]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
_hashers: dict[tuple[int, int, int], PasswordHasher] = {}


def _hasher(settings: Settings) -> PasswordHasher:
    key = (settings.auth.argon2_time_cost, settings.auth.argon2_memory_kib,
           settings.auth.argon2_parallelism)
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


async def hash_password(settings: Settings, password: str) -> str:
    """An argon2id hash of ``password``, computed in a worker thread."""
    return await anyio.to_thread.run_sync(_hasher(settings).hash, password)


async def verify_password(settings: Settings, password_hash: str, password: str) -> bool:
    """Check ``password`` against a hash, in a worker thread; False on any mismatch."""
    if not password_hash:
        return False

    def check() -> bool:
        try:
            return _hasher(settings).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(check)


_DUMMY_HASH: dict[tuple[int, int, int], str] = {}


async def burn_password_time(settings: Settings, password: str) -> None:
    """Spend the time of a real check, so that a wrong login name answers as slowly."""
    hasher = _hasher(settings)
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = await anyio.to_thread.run_sync(hasher.hash, "not-a-password")
    await verify_password(settings, _DUMMY_HASH[key], password)


def digest(secret: str) -> str:
    """The SHA-256 hex digest stored in place of a session or token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def validate_account(username: str, email: str, password: str | None) -> dict[str, str]:
    """Field errors for a new account (empty when all is well)."""
    errors: dict[str, str] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = _("3 to 40 characters: lower-case letters, digits, '.', '-' or '_'.")
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = _("Enter a valid e-mail address.")
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = _("At least {n} characters.", n=MIN_PASSWORD)
    return errors


async def create_member(settings: Settings, *, username: str, email: str, password: str | None,
                        display_name: str = "", is_admin: bool = False, locale: str = "") -> Member:
    """Create an account after validation; 409 when the username or e-mail is taken."""
    username = username.strip().lower()
    email = email.strip().lower()
    errors = validate_account(username, email, password)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    if await Member.filter(username=username).exists():
        raise Conflict(_("This username is taken."), fields={"username": _("This username is taken.")})
    if await Member.filter(email=email).exists():
        raise Conflict(_("An account already uses this e-mail address."),
                       fields={"email": _("An account already uses this e-mail address.")})
    password_hash = await hash_password(settings, password) if password else ""
    return await Member.create(username=username, email=email, password_hash=password_hash,
                               display_name=display_name.strip()[:100], is_admin=is_admin,
                               locale=locale)


async def find_login(login: str) -> Member | None:
    """The account for a username or an e-mail address."""
    login = login.strip().lower()
    if "@" in login:
        return await Member.get_or_none(email=login)
    return await Member.get_or_none(username=login)


async def authenticate(settings: Settings, login: str, password: str) -> Member | None:
    """The member if ``login``/``password`` match an active account; same cost either way."""
    member = await find_login(login)
    if member is None or not member.is_active:
        await burn_password_time(settings, password)
        return None
    if not await verify_password(settings, member.password_hash, password):
        return None
    return member


async def open_session(settings: Settings, member: Member, user_agent: str = "") -> tuple[str, Session]:
    """Start a session; returns the secret for the cookie and the stored row."""
    secret = secrets.token_urlsafe(32)
    session = await Session.create(
        key_hash=digest(secret), member=member, csrf_token=secrets.token_urlsafe(24),
        user_agent=user_agent[:300],
        expires_at=datetime.now(UTC) + timedelta(days=settings.auth.session_days),
    )
    return secret, session


async def session_for(secret: str) -> Session | None:
    """The live session for a cookie secret (with its member loaded), or None."""
    session = await Session.get_or_none(key_hash=digest(secret)).select_related("member")
    if session is None or session.expires_at < datetime.now(UTC):
        return None
    return session


async def close_sessions(member: Member, keep: Session | None = None) -> int:
    """Log out everywhere (except ``keep``); returns how many sessions ended."""
    query = Session.filter(member_id=member.id)
    if keep is not None:
        query = query.exclude(id=keep.id)
    return await query.delete()


async def create_token(member: Member, name: str = "") -> str:
    """A new API token for ``member``; only its digest is stored, so show it once."""
    secret = "tis_" + secrets.token_urlsafe(32)
    await ApiToken.create(key_hash=digest(secret), member=member, name=name[:100])
    return secret


async def member_for_token(secret: str) -> Member | None:
    """The active member a bearer token belongs to."""
    token = await ApiToken.get_or_none(key_hash=digest(secret)).select_related("member")
    if token is None or not token.member.is_active:
        return None
    return token.member


def signer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    """A serializer for signed links; ``purpose`` keeps one kind of link from serving another."""
    return URLSafeTimedSerializer(settings.site.secret_key, salt=f"tisserand.{purpose}")


def sign(settings: Settings, purpose: str, data: object) -> str:
    """A signed, URL-safe token carrying ``data``."""
    return signer(settings, purpose).dumps(data)


def unsign(settings: Settings, purpose: str, token: str, max_age: int) -> object | None:
    """The data in a signed token, or None if forged, for another purpose or older than
    ``max_age`` seconds."""
    try:
        return signer(settings, purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
