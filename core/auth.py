"""Accounts: password log-ins (hashes in :mod:`tisserand.passwords`), server-side sessions, API tokens,
signed, expiring links (password reset, e-mail verification, unsubscribe) sent through the
site's mailer, and log-in throttling with the site's rate limiter."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from tisserand.errors import Conflict, Forbidden, RateLimited, ValidationFailed
from tisserand.i18n import _, ngettext
from tisserand.models import ApiToken, Member, Session
from tisserand.names import unlinked
from tisserand.passwords import _hasher, burn_password_time, hash_password, verify_password

if TYPE_CHECKING:
    from tisserand.settings import Settings
    from tisserand.site import Site

__all__ = ["close_sessions", "member_by_username", "sign", "signer", "unsign"]

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,38}[a-z0-9_]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
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


def _name_errors(display_name: str) -> dict[str, str]:
    from tisserand.names import display_name_error

    problem = display_name_error(display_name.strip())
    return {"display_name": problem} if problem else {}


async def create_member(settings: Settings, *, username: str, email: str, password: str | None,
                        display_name: str = "", is_admin: bool = False, locale: str = "") -> Member:
    """Create an account after validation; 409 when the username or e-mail is taken."""
    username = username.strip().lower()
    email = email.strip().lower()
    errors = {**validate_account(username, email, password), **_name_errors(display_name)}
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


USERNAME_MAX = 40
EMAIL_MAX = 254


async def member_by_username(username: object, **filters: Any) -> Member | None:
    """The account named ``username`` (and matching ``filters``), or None — also for a name
    that cannot exist (too long, not text), so no caller sends such a value to the database."""
    if not isinstance(username, str) or not 0 < len(username) <= USERNAME_MAX:
        return None
    return await Member.get_or_none(username=username, **filters)


async def member_by_email(email: object, **filters: Any) -> Member | None:
    """The account with this e-mail address (and ``filters``), or None (as for a username)."""
    if not isinstance(email, str) or not 0 < len(email) <= EMAIL_MAX:
        return None
    return await Member.get_or_none(email=email, **filters)


async def find_login(login: str) -> Member | None:
    """The account for a username or an e-mail address."""
    login = login.strip().lower()
    if "@" in login:
        return await member_by_email(login)
    return await member_by_username(login)


async def authenticate(settings: Settings, login: str, password: str) -> Member | None:
    """The member if ``login``/``password`` match an active account; same cost either way."""
    member = await find_login(login)
    if member is None or not member.is_active:
        await burn_password_time(settings, password)
        return None
    if not await verify_password(settings, member.password_hash, password):
        return None
    if _hasher(settings).check_needs_rehash(member.password_hash):
        # The site's argon2 cost changed since this hash was made: renew it while the password
        # is at hand, so that every account follows the setting in time.
        member.password_hash = await hash_password(settings, password)
        await Member.filter(id=member.id).update(password_hash=member.password_hash)
    return member


async def open_session(settings: Settings, member: Member, user_agent: str = "",
                       ip: str = "") -> tuple[str, Session]:
    """Start a session; returns the secret for the cookie and the stored row. Signing in
    cancels a pending account closing."""
    from tisserand.account_closing import cancel_closing

    await cancel_closing(member)
    from tisserand.inactivity import clear_inactivity_warning

    await clear_inactivity_warning(member)
    secret = secrets.token_urlsafe(32)
    session = await Session.create(
        key_hash=digest(secret), member=member, csrf_token=secrets.token_urlsafe(24),
        user_agent=user_agent[:300], ip=(ip[:45] if ip and ip != "unknown" else None),
        expires_at=datetime.now(UTC) + timedelta(days=settings.auth.session_days),
    )
    await record_visit(member)  # signing in is a visit
    return secret, session


_SESSION_SQL: str | None = None


def _session_sql() -> str:
    """One read for the session and its member, with the columns the models map (built once:
    the ORM's query builder costs more than the query on every signed-in request)."""
    from tisserand.db import model_columns

    global _SESSION_SQL
    if _SESSION_SQL is None:
        sessions, members = model_columns(Session), model_columns(Member)
        columns = [f's."{name}" AS "s__{name}"' for name in sessions] + [f'm."{name}"' for name in members]
        _SESSION_SQL = (f"SELECT {', '.join(columns)} FROM \"session\" s JOIN \"member\" m ON m.id = s.member_id "
                        "WHERE s.key_hash = ?")
    return _SESSION_SQL


async def session_for(secret: str) -> Session | None:
    """The live session for a cookie secret (with its member loaded), or None.

    One raw query for both rows (every signed-in request pays it); the models are built from the
    row as the ORM builds them (same conversions, saved state), so ``member.save()`` works."""
    from tisserand.db import fetch_one, model_from_row

    row = await fetch_one(_session_sql(), [digest(secret)])
    if row is None:
        return None
    session = model_from_row(Session, row, "s__")
    if session.expires_at is None or session.expires_at < datetime.now(UTC):
        return None
    session.member = model_from_row(Member, row, "")
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
    token = await api_token_for(secret)
    return token.member if token is not None else None


async def api_token_for(secret: str) -> ApiToken | None:
    """The API token of ``secret`` (with its ``member``), if it belongs to an active member."""
    token = await ApiToken.get_or_none(key_hash=digest(secret)).select_related("member")
    if token is None or not token.member.is_active:
        return None
    return token


#: A member's, a session's and a token's ``last_seen_at``/``last_used_at`` move at most this
#: often: every authenticated request counts as a visit, without a write per request.
SEEN_EVERY = timedelta(minutes=5)


def _stale(moment: datetime | None, now: datetime) -> bool:
    return moment is None or now - moment >= SEEN_EVERY


async def record_visit(member: Member, *, session: Session | None = None, token: ApiToken | None = None,
                       now: datetime | None = None) -> None:
    """Note that ``member`` is here now (any authenticated request: cookie or API token).

    Throttled: a row is written only when its stamp is older than :data:`SEEN_EVERY`, with a
    conditional UPDATE, so concurrent requests and several processes write it once."""
    from tortoise.expressions import Q

    now = now or datetime.now(UTC)
    limit = now - SEEN_EVERY
    if _stale(member.last_seen_at, now):
        await Member.filter(Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=limit), id=member.id) \
            .update(last_seen_at=now)
        member.last_seen_at = now
    if session is not None and _stale(session.last_seen_at, now):
        await Session.filter(id=session.id, last_seen_at__lt=limit).update(last_seen_at=now)
        session.last_seen_at = now
    if token is not None and _stale(token.last_used_at, now):
        await ApiToken.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=limit), id=token.id) \
            .update(last_used_at=now)
        token.last_used_at = now


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


# --- Log-in with throttling, password reset and e-mail verification ------------------------

RESET_MAX_AGE = 3600
VERIFY_MAX_AGE = 3 * 86400
LOGIN_WINDOW = 15 * 60
#: Attempts from one address may be this many times the per-account limit (shared offices, NAT).
IP_FACTOR = 5
log = logging.getLogger("tisserand.auth")


def _fingerprint(member: Member) -> str:
    # A reset link dies once the password changed: it carries a fingerprint of the old hash.
    return hashlib.sha256((member.password_hash or "-").encode()).hexdigest()[:16]


def password_reset_token(settings: Settings, member: Member) -> str:
    """A signed token for a password reset link (valid :data:`RESET_MAX_AGE` seconds, once)."""
    return sign(settings, "reset", {"m": member.id, "p": _fingerprint(member)})


async def member_for_reset(settings: Settings, token: str) -> Member | None:
    """The member a reset token is for, or None if forged, expired or already used."""
    data = unsign(settings, "reset", token, RESET_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    member = await Member.get_or_none(id=data["m"], is_active=True)
    if member is None or not hmac.compare_digest(str(data.get("p", "")), _fingerprint(member)):
        return None
    return member


def verification_token(settings: Settings, member: Member) -> str:
    """A signed token confirming ``member``'s current e-mail address (:data:`VERIFY_MAX_AGE`)."""
    return sign(settings, "verify", {"m": member.id, "e": member.email})


async def verify_email(settings: Settings, token: str) -> Member | None:
    """Mark the address in ``token`` as verified; None if the link is forged, expired, or the
    address changed since."""
    data = unsign(settings, "verify", token, VERIFY_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    member = await Member.get_or_none(id=data["m"], is_active=True)
    if member is None or member.email != data.get("e"):
        return None
    if member.email_verified_at is None:
        member.email_verified_at = datetime.now(UTC)
        await member.save(update_fields=["email_verified_at"])
    return member


def validate_password(password: str, confirm: str | None = None) -> dict[str, str]:
    """Field errors for a new password (and its confirmation when given)."""
    errors: dict[str, str] = {}
    if len(password) < MIN_PASSWORD:
        errors["password"] = _("At least {n} characters.", n=MIN_PASSWORD)
    elif len(password) > 1000:
        errors["password"] = _("At most {n} characters.", n=1000)
    if confirm is not None and confirm != password:
        errors["password_confirm"] = _("The two passwords differ.")
    return errors


async def change_password(settings: Settings, member: Member, password: str, *,
                          keep: Session | None = None) -> int:
    """Set a new password and end every other session (all but ``keep``) and every API token:
    whoever knew the old password may have left a door open. Returns how many sessions ended."""
    errors = validate_password(password)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    member.password_hash = await hash_password(settings, password)
    await member.save(update_fields=["password_hash"])
    await ApiToken.filter(member_id=member.id).delete()
    return await close_sessions(member, keep=keep)


@contextmanager
def in_locale(language: str | None) -> Iterator[None]:
    """Translate into ``language`` inside the block (e-mails go out in the member's language)."""
    from tisserand import i18n

    if not language:
        yield
        return
    token = i18n.set_locale(language)
    try:
        yield
    finally:
        i18n._locale.reset(token)


async def _deliver(site: Site, to: str, subject: str, text: str) -> bool:
    from tisserand.mail import MailError

    try:
        await site.mailer.send(site.mailer.message(to=to, subject=subject, text=text))
        return True
    except MailError as exc:  # the visitor's answer must not depend on the mail server
        log.warning("could not send '%s' to %s: %s", subject, to, exc)
        return False


async def send_password_reset(site: Site, email: str, *, locale: str | None = None) -> bool:
    """E-mail a reset link if an active account uses ``email``; True when a message went out.

    Callers answer the same whatever this returns (no account enumeration). At most three
    messages per address and hour are sent.
    """
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        return False
    member = await member_by_email(email, is_active=True, is_placeholder=False)
    if member is None:
        return False
    if await site.ratelimiter.hit(f"reset:{digest(email)}", 3, 3600) is not None:
        return False
    link = site.url(f"/reset/{password_reset_token(site.settings, member)}")
    with in_locale(member.locale or locale):
        subject = _("Reset your password on {site}", site=site.settings.site.name)
        text = _("Hello {name},\n\nSomeone, probably you, asked to reset the password of the account "
                 "“{username}” on {site}. Open this link within an hour to choose a new password:\n\n"
                 "{link}\n\nIf you did not ask for it, ignore this message: your password stays the "
                 "same.\n", name=unlinked(member.name), username=member.username,
                 site=site.settings.site.name, link=link)
    return await _deliver(site, member.email, subject, text)


async def send_verification(site: Site, member: Member) -> bool:
    """E-mail a link confirming ``member``'s address; True when a message went out."""
    link = site.url(f"/verify/{verification_token(site.settings, member)}")
    with in_locale(member.locale or None):
        subject = _("Confirm your e-mail address on {site}", site=site.settings.site.name)
        text = _("Hello {name},\n\nPlease confirm that {email} is your address on {site} by opening "
                 "this link within three days:\n\n{link}\n\nIf you did not create this account, "
                 "ignore this message.\n", name=unlinked(member.name), email=member.email,
                 site=site.settings.site.name, link=link)
    return await _deliver(site, member.email, subject, text)


def _too_many(retry_after: int) -> RateLimited:
    minutes = max(1, (retry_after + 59) // 60)
    return RateLimited(ngettext(
        "Too many attempts to log in. Wait {count} minute and try again, or reset your password.",
        "Too many attempts to log in. Wait {count} minutes and try again, or reset your password.",
        minutes), retry_after=retry_after)


def _login_keys(site: Site, login: str, ip: str) -> tuple[tuple[str, int], tuple[str, int]]:
    limit = site.settings.auth.login_attempts_per_15min
    return ((f"login:{digest(login.strip().lower())}", limit), (f"login-ip:{ip}", limit * IP_FACTOR))


async def throttle_login(site: Site, login: str, ip: str) -> None:
    """Count a log-in attempt for this account name and this address; 429 when over
    ``[auth] login_attempts_per_15min``. A successful attempt is given back afterwards
    (:func:`forgive_login`): only failures use up an office's shared address."""
    for key, allowed in _login_keys(site, login, ip):
        wait = await site.ratelimiter.hit(key, allowed, LOGIN_WINDOW)
        if wait is not None:
            raise _too_many(wait)


async def forgive_login(site: Site, login: str, ip: str) -> None:
    """After a successful log-in: forget the account's failures and give back the attempt
    counted against the address."""
    account, address = _login_keys(site, login, ip)
    await site.ratelimiter.reset(account[0])
    await site.ratelimiter.give_back(address[0], LOGIN_WINDOW)


async def check_current_password(site: Site, member: Member, password: str, ip: str) -> bool:
    """Check ``member``'s current password before a sensitive change, throttled like log-ins
    (429 once too many wrong guesses); True when it matches."""
    await throttle_login(site, member.username, ip or "unknown")
    if not await verify_password(site.settings, member.password_hash, password):
        return False
    await forgive_login(site, member.username, ip or "unknown")
    return True


async def log_in(site: Site, login: str, password: str, *, ip: str = "") -> Member:
    """Check credentials with throttling; the same answer for an unknown account and a wrong
    password. Raises :class:`RateLimited`, :class:`ValidationFailed` or :class:`Forbidden`
    (a plugin's ``login_check`` refused, e.g. a ban)."""
    from tisserand.plugin_manager import resolve_all

    await throttle_login(site, login, ip or "unknown")
    member = await authenticate(site.settings, login, password)
    if member is None or member.is_placeholder:
        raise ValidationFailed(_("This account name and password do not match. Check them, or "
                                 "reset your password."), code="bad_credentials")
    reasons = await resolve_all(site.hook.login_check(member=member))
    if reasons:
        raise Forbidden(str(reasons[0]))
    await forgive_login(site, login, ip or "unknown")
    from tisserand.account_closing import cancel_closing

    await cancel_closing(member)  # a sign-in (even for an API token) cancels a pending closing
    from tisserand.inactivity import clear_inactivity_warning

    await clear_inactivity_warning(member)
    return member
