"""Two factors on the account page (``/me/2fa``) and the second step of a password log-in
(``/login/2fa``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import auth, twofactor
from tisserand.errors import Forbidden, NotFound, RateLimited
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.tickets import issue_ticket, peek_ticket, take_ticket
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import render, require_login, safe_next, site_of

SECOND_STEP_SECONDS = 300
ATTEMPTS_PER_15MIN = 10


def _local(request: Request, member: Member) -> None:
    if not member.password_hash or not site_of(request).settings.auth.local_passwords:
        raise Forbidden(_("Two factors protect password log-ins; you sign in through your organization, "
                          "which checks your identity."))


async def settings_page(request: Request) -> Response:
    """Set up (QR code and first code) or manage two factors."""
    member = require_login(request)
    _local(request, member)
    enabled = await twofactor.enrolled(member)
    row = None if enabled else await twofactor.pending_secret(member)
    return await render(request, "accounts/twofactor.html", {
        "enabled": enabled, "secret": row.secret if row else "", "errors": {}, "codes": None,
        "required": bool(getattr(request.state, "admin_needs_2fa", False))})


async def qr_code(request: Request) -> Response:
    """The QR code of the secret being set up, as SVG (made here, nothing leaves the site)."""
    member = require_login(request)
    _local(request, member)
    if await twofactor.enrolled(member):
        raise NotFound(_("Two factors are already on."))
    row = await twofactor.pending_secret(member)
    uri = twofactor.provisioning_uri(row, member, site_of(request).settings.site.name)
    return Response(twofactor.provisioning_qr_svg(uri), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


async def enable(request: Request) -> Response:
    """Check the first code and switch two factors on; show the recovery codes once."""
    member = require_login(request)
    _local(request, member)
    form = await read_form(request)
    row = await twofactor.pending_secret(member)
    # The password too: someone holding a stolen session must not lock the owner out.
    if not await auth.verify_password(site_of(request).settings, member.password_hash, form.get("password", "")):
        return await render(request, "accounts/twofactor.html", {
            "enabled": False, "secret": row.secret, "codes": None,
            "required": bool(getattr(request.state, "admin_needs_2fa", False)),
            "errors": {"password": _("This is not your current password.")}}, status_code=422)
    codes = None if row.confirmed_at else await twofactor.confirm(row, form.get("code", ""))
    if codes is None:
        return await render(request, "accounts/twofactor.html", {
            "enabled": False, "secret": row.secret, "codes": None,
            "required": bool(getattr(request.state, "admin_needs_2fa", False)),
            "errors": {"code": _("This code is not right. Check your phone's clock and type the "
                                 "six digits shown now.")}}, status_code=422)
    return await render(request, "accounts/twofactor.html", {
        "enabled": True, "secret": "", "codes": codes, "errors": {}, "required": False})


async def _check_password_and_code(request: Request, member: Member, form: dict[str, str]) -> dict[str, str]:
    site = site_of(request)
    errors: dict[str, str] = {}
    if not await auth.verify_password(site.settings, member.password_hash, form.get("password", "")):
        errors["password"] = _("This is not your current password.")
    elif not await twofactor.check_code(member, form.get("code", "")):
        errors["code"] = _("This code is not right.")
    return errors


async def disable(request: Request) -> Response:
    """Switch two factors off (password and a code asked)."""
    member = require_login(request)
    _local(request, member)
    form = await read_form(request)
    errors = await _check_password_and_code(request, member, form)
    if errors:
        return await render(request, "accounts/twofactor.html", {
            "enabled": True, "secret": "", "codes": None, "errors": errors, "required": False},
            status_code=422)
    await twofactor.disable(member)
    return flash_redirect("/me#twofactor", _("Two factors are off."))


async def new_recovery_codes(request: Request) -> Response:
    """Make new recovery codes (password and a code asked)."""
    member = require_login(request)
    _local(request, member)
    form = await read_form(request)
    errors = await _check_password_and_code(request, member, form)
    if errors:
        return await render(request, "accounts/twofactor.html", {
            "enabled": True, "secret": "", "codes": None, "errors": errors, "required": False},
            status_code=422)
    from tisserand.models import TwoFactor

    row = await TwoFactor.get(member_id=member.id)
    codes = await twofactor.regenerate_recovery_codes(row)
    return await render(request, "accounts/twofactor.html", {
        "enabled": True, "secret": "", "codes": codes, "errors": {}, "required": False})


# --- the second step of a log-in ----------------------------------------------------------------


async def second_step(request: Request, member: Member, target: str) -> Response:
    """After a right password, ask for the code (the ticket stands for the first factor)."""
    ticket = await issue_ticket("2fa", member=member, seconds=SECOND_STEP_SECONDS, data={"next": target})
    return await render(request, "accounts/login_2fa.html", {"ticket": ticket, "message": ""})


async def login_code(request: Request) -> Response:
    """Check the code (or a recovery code) and open the session."""
    from tisserand.web.pages.accounts import start_session

    site = site_of(request)
    form = await read_form(request)
    secret = form.get("ticket", "")
    ticket = await peek_ticket("2fa", secret)
    if ticket is None or ticket.member is None:
        return flash_redirect("/login", _("This log-in took too long. Enter your password again."), kind="error")
    member: Member = ticket.member
    wait = await site.ratelimiter.hit(f"2fa:{member.id}", ATTEMPTS_PER_15MIN, 900)
    if wait is not None:
        raise RateLimited(_("Too many wrong codes. Wait a few minutes and try again."), retry_after=wait)
    if not await twofactor.check_code(member, form.get("code", "")):
        return await render(request, "accounts/login_2fa.html", {
            "ticket": secret, "message": _("This code is not right. Type the six digits your app shows "
                                           "now, or one of your recovery codes.")}, status_code=422)
    if await take_ticket("2fa", secret) is None:
        return flash_redirect("/login", _("This log-in took too long. Enter your password again."), kind="error")
    await site.ratelimiter.reset(f"2fa:{member.id}")
    return await start_session(request, member, safe_next(str(ticket.data.get("next") or "/")),
                               _("Welcome back, {name}.", name=member.name))


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/login/2fa", login_code, methods=["POST"], name="login-2fa"),
        Route("/me/2fa", settings_page, methods=["GET"], name="me-2fa"),
        Route("/me/2fa", enable, methods=["POST"], name="me-2fa-enable"),
        Route("/me/2fa/qr.svg", qr_code, methods=["GET"], name="me-2fa-qr"),
        Route("/me/2fa/disable", disable, methods=["POST"], name="me-2fa-disable"),
        Route("/me/2fa/recovery", new_recovery_codes, methods=["POST"], name="me-2fa-recovery"),
    ]
