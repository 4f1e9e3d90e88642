"""Sign-up, log-in, log-out, password reset and e-mail verification pages.

Answers never tell whether an account exists (log-in and reset give the same message either
way, with the same cost); log-ins are throttled per account name and per address; mails go out
after the answer is sent, so their delay tells nothing either.
"""

from __future__ import annotations

from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import auth, i18n, oidc, twofactor
from tisserand.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Session, SsoSession
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import (
    checked,
    client_ip,
    render,
    require_login,
    safe_next,
    site_of,
    viewer_of,
)
from tisserand.web.pages.sso import providers_for_templates
from tisserand.web.pages.twofactor import second_step
from tisserand.web.security import clear_session_cookie, set_session_cookie

SIGNUPS_PER_HOUR = 10
RESETS_PER_HOUR_PER_IP = 20


async def start_session(request: Request, member: Any, target: str, message: str) -> Response:
    """Open a session for ``member`` and go to ``target``."""
    site = site_of(request)
    secret, _session = await auth.open_session(site.settings, member,
                                               request.headers.get("user-agent", ""), client_ip(request))
    response = flash_redirect(target, message)
    set_session_cookie(response, secret, site)
    return response


def _login_context(request: Request) -> dict[str, Any]:
    return {"providers": providers_for_templates(request),
            "local_passwords": site_of(request).settings.auth.local_passwords}


# --- sign-up ----------------------------------------------------------------------------


async def signup_page(request: Request) -> Response:
    """The sign-up form."""
    site = site_of(request)
    if viewer_of(request) is not None:
        return flash_redirect("/", _("You are already logged in."), kind="info")
    if not site.settings.auth.signups_open or not site.settings.auth.local_passwords:
        return await render(request, "accounts/signup_closed.html", {
            "providers": providers_for_templates(request),
            "next": safe_next(request.query_params.get("next"))}, status_code=403)
    return await render(request, "accounts/signup.html", {
        "values": {}, "errors": {}, "next": safe_next(request.query_params.get("next")),
        "providers": providers_for_templates(request)})


async def signup(request: Request) -> Response:
    """Create an account, log it in and send the e-mail verification link."""
    site = site_of(request)
    if not site.settings.auth.signups_open or not site.settings.auth.local_passwords:
        raise Forbidden(_("Sign-ups are closed on this site. Ask an administrator for an account."))
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in ("username", "display_name", "email")}
    target = safe_next(form.get("next"))
    wait = await site.ratelimiter.hit(f"signup:{client_ip(request)}", SIGNUPS_PER_HOUR, 3600)
    if wait is not None:
        raise RateLimited(_("Too many accounts were created from your network. Try again later."),
                          retry_after=wait)
    if not checked(form, "accept"):  # said together with the other fields' problems
        refusal = _("Accept the terms and the privacy policy to create an account.")
        errors = auth.validate_account(values["username"].lower(), values["email"].lower(), form.get("password", ""))
        return await render(request, "accounts/signup.html", {
            "values": values, "errors": {**errors, "accept": refusal},
            "message": _("Please correct the highlighted fields.") if errors else refusal, "next": target,
            "providers": providers_for_templates(request)}, status_code=422)
    try:
        member = await auth.create_member(site.settings, username=values["username"],
                                          email=values["email"], password=form.get("password", ""),
                                          display_name=values["display_name"],
                                          locale=i18n.get_locale())
    except (ValidationFailed, Conflict) as exc:
        return await render(request, "accounts/signup.html", {
            "values": values, "errors": exc.fields, "message": exc.message, "next": target,
            "providers": providers_for_templates(request)}, status_code=exc.status_code)
    from tisserand.legal import record_consents

    await record_consents(site, member)
    response = await start_session(request, member, target,
                                   _("Welcome, {name}! We sent you a link to confirm your e-mail address.",
                                     name=member.name))
    response.background = BackgroundTask(auth.send_verification, site, member)
    return response


# --- log-in and log-out -------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    """The log-in form."""
    target = safe_next(request.query_params.get("next"))
    if viewer_of(request) is not None:
        return flash_redirect(target, "")
    return await render(request, "accounts/login.html", {"values": {}, "next": target,
                                                         **_login_context(request)})


async def login(request: Request) -> Response:
    """Check the credentials (throttled) and open a session."""
    site = site_of(request)
    if not site.settings.auth.local_passwords:
        raise Forbidden(_("This site signs you in through your organization: use the button on the "
                          "log-in page."))
    form = await read_form(request)
    name = form.get("login", "").strip()
    target = safe_next(form.get("next"))
    try:
        member = await auth.log_in(site, name, form.get("password", ""), ip=client_ip(request))
    except (ValidationFailed, RateLimited, Forbidden) as exc:
        return await render(request, "accounts/login.html", {
            "values": {"login": name}, "message": exc.message, "next": target,
            **_login_context(request)}, status_code=exc.status_code)
    if await twofactor.enrolled(member):
        return await second_step(request, member, target)
    if member.is_admin and site.settings.auth.admins_require_2fa:
        return await start_session(request, member, "/me/2fa", _(
            "Welcome back, {name}. This site asks administrators to use two factors: set them up "
            "now to use the administration.", name=member.name))
    return await start_session(request, member, target, _("Welcome back, {name}.", name=member.name))


async def logout_page(request: Request) -> Response:
    """A confirmation button (log-out is a POST, so that no link can log someone out)."""
    if viewer_of(request) is None:
        return flash_redirect("/", "")
    return await render(request, "accounts/logout.html")


async def logout(request: Request) -> Response:
    """End this session (and, after a sign-in through a provider that offers it, the session
    at the provider: RP-initiated logout)."""
    site = site_of(request)
    session = getattr(request.state, "session", None)
    elsewhere = None
    if session is not None:
        sso = await SsoSession.get_or_none(session_id=session.id)
        provider = site.settings.auth.provider(sso.provider) if sso is not None else None
        if sso is not None and provider is not None:
            elsewhere = await oidc.end_session_url(site, provider, sso.id_token)
        await Session.filter(id=session.id).delete()
    response = flash_redirect(elsewhere or "/", _("You are logged out. See you soon!"))
    clear_session_cookie(response)
    return response


# --- password reset -----------------------------------------------------------------------


async def forgot_page(request: Request) -> Response:
    """Ask for a reset link."""
    return await render(request, "accounts/forgot.html", {"values": {}})


async def forgot(request: Request) -> Response:
    """Send a reset link if an account uses this address; the same answer either way."""
    site = site_of(request)
    if not site.settings.auth.local_passwords:
        raise Forbidden(_("This site signs you in through your organization: there is no password "
                          "to reset here."))
    form = await read_form(request)
    email = form.get("email", "").strip()
    if not auth.EMAIL_RE.match(email):
        return await render(request, "accounts/forgot.html", {
            "values": {"email": email}, "errors": {"email": _("Enter a valid e-mail address.")}},
            status_code=422)
    wait = await site.ratelimiter.hit(f"reset-ip:{client_ip(request)}", RESETS_PER_HOUR_PER_IP, 3600)
    if wait is not None:
        raise RateLimited(_("Too many requests from your network. Try again later."), retry_after=wait)
    response = flash_redirect("/login", _(
        "If an account uses {email}, we just sent it a link to choose a new password. "
        "The link works for one hour.", email=email), kind="info")
    response.background = BackgroundTask(auth.send_password_reset, site, email, locale=i18n.get_locale())
    return response


async def _reset_member(request: Request) -> Any:
    member = await auth.member_for_reset(site_of(request).settings, request.path_params["token"])
    if member is None:
        raise NotFound(_("This link has expired or was already used. Ask for a new one."))
    return member


async def reset_page(request: Request) -> Response:
    """Choose a new password from an e-mailed link."""
    member = await _reset_member(request)
    return await render(request, "accounts/reset.html", {"member": member, "errors": {}})


async def reset(request: Request) -> Response:
    """Set the new password, end every session, verify the address and log in."""
    site = site_of(request)
    if not site.settings.auth.local_passwords:
        raise Forbidden(_("This site signs you in through your organization: there is no password "
                          "to reset here."))
    member = await _reset_member(request)
    form = await read_form(request)
    errors = auth.validate_password(form.get("password", ""), form.get("password_confirm", ""))
    if errors:
        return await render(request, "accounts/reset.html", {"member": member, "errors": errors},
                            status_code=422)
    await auth.change_password(site.settings, member, form["password"])
    if member.email_verified_at is None:  # the link came through this address
        await auth.verify_email(site.settings, auth.verification_token(site.settings, member))
    if await twofactor.enrolled(member):
        return await second_step(request, member, "/me")
    return await start_session(request, member, "/me", _("Your new password is saved."))


# --- e-mail verification ------------------------------------------------------------------


def _verification_target(request: Request, token: str) -> Any:
    data = auth.unsign(site_of(request).settings, "verify", token, auth.VERIFY_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        raise NotFound(_("This confirmation link has expired. Log in and ask for a new one from your account page."))
    return data


async def verify_page(request: Request) -> Response:
    """The page an e-mailed confirmation link opens: a button to press, so that mail scanners
    that open every link do not confirm an address on their own."""
    data = _verification_target(request, request.path_params["token"])
    return await render(request, "accounts/verify.html", {"email": data.get("e", "")})


async def verify(request: Request) -> Response:
    """Confirm an e-mail address (the button of :func:`verify_page`, with its CSRF token)."""
    member = await auth.verify_email(site_of(request).settings, request.path_params["token"])
    if member is None:
        raise NotFound(_("This confirmation link has expired. Log in and ask for a new one from your account page."))
    target = "/me" if viewer_of(request) is not None else "/login"
    return flash_redirect(target, _("Thank you: your e-mail address {email} is confirmed.", email=member.email))


async def resend_verification(request: Request) -> Response:
    """Send the confirmation link again (at most three times an hour)."""
    site = site_of(request)
    member = require_login(request)
    if member.email_verified_at is not None:
        return flash_redirect("/me", _("Your e-mail address is already confirmed."), kind="info")
    wait = await site.ratelimiter.hit(f"verify:{member.id}", 3, 3600)
    if wait is not None:
        raise RateLimited(_("We already sent several links. Check your spam folder, or try again later."),
                          retry_after=wait)
    response = flash_redirect("/me", _("We sent a new link to {email}.", email=member.email))
    response.background = BackgroundTask(auth.send_verification, site, member)
    return response


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/signup", signup_page, methods=["GET"], name="signup"),
        Route("/signup", signup, methods=["POST"], name="signup-post"),
        Route("/login", login_page, methods=["GET"], name="login"),
        Route("/login", login, methods=["POST"], name="login-post"),
        Route("/logout", logout_page, methods=["GET"], name="logout"),
        Route("/logout", logout, methods=["POST"], name="logout-post"),
        Route("/reset", forgot_page, methods=["GET"], name="forgot"),
        Route("/reset", forgot, methods=["POST"], name="forgot-post"),
        Route("/reset/{token}", reset_page, methods=["GET"], name="reset"),
        Route("/reset/{token}", reset, methods=["POST"], name="reset-post"),
        Route("/verify/{token}", verify_page, methods=["GET"], name="verify"),
        Route("/verify/{token}", verify, methods=["POST"], name="verify-post"),
        Route("/verify", resend_verification, methods=["POST"], name="verify-resend"),
    ]
