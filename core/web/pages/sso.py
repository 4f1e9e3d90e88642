"""Sign-in with an identity provider (``/auth/oidc/{name}/login`` → the provider →
``/auth/oidc/{name}/callback``), joining an existing account after a password check, linking
and unlinking providers from the account page, and break-glass log-in links."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tisserand import auth, oidc, sso_accounts
from tisserand.communities import audit
from tisserand.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import IdentityLink, Member, SsoSession
from tisserand.plugin_manager import resolve_all
from tisserand.settings import OidcProviderSettings
from tisserand.tickets import issue_ticket, peek_ticket, take_ticket
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import client_ip, render, require_login, safe_next, site_of
from tisserand.web.security import set_session_cookie

STATE_COOKIE = "tisserand_oidc_state"
LINK_SECONDS = 900
#: ``SsoSession.provider`` of sessions opened with a break-glass link.
BREAK_GLASS = "cli"


def providers_for_templates(request: Request) -> list[dict[str, str]]:
    """``[{name, label}]`` of the configured providers, for buttons."""
    return [{"name": p.name, "label": oidc.provider_label(p)} for p in site_of(request).settings.auth.oidc]


def _provider(request: Request) -> OidcProviderSettings:
    provider = site_of(request).settings.auth.provider(request.path_params["name"])
    if provider is None:
        raise NotFound(_("This site does not sign in with that provider."))
    return provider


async def _redirect_to_provider(request: Request, provider: OidcProviderSettings, next_url: str,
                                link_member: Member | None = None) -> Response:
    try:
        url, state = await oidc.start_login(site_of(request), provider, next_url=next_url,
                                            link_member=link_member)
    except oidc.SignInRefused as exc:
        return await _refused(request, exc)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(STATE_COOKIE, state, max_age=oidc.STATE_SECONDS, httponly=True, samesite="lax",
                        path="/auth/oidc", secure=site_of(request).settings.site.base_url.startswith("https://"))
    return response


async def login_start(request: Request) -> Response:
    """Send the browser to the provider."""
    provider = _provider(request)
    return await _redirect_to_provider(request, provider, safe_next(request.query_params.get("next")))


async def link_start(request: Request) -> Response:
    """Link a provider to my account (a POST from the account page)."""
    member = require_login(request)
    return await _redirect_to_provider(request, _provider(request), "/me#identities", link_member=member)


async def _refused(request: Request, exc: oidc.SignInRefused, status_code: int = 400) -> Response:
    import logging

    logging.getLogger("tisserand.oidc").info("sign-in refused: %s", exc.reason)
    response = await render(request, "accounts/sso_refused.html", {"message": exc.message},
                            status_code=status_code)
    response.delete_cookie(STATE_COOKIE, path="/auth/oidc")
    return response


async def open_sso_session(request: Request, member: Member, provider: OidcProviderSettings,
                           id_token: str, target: str, message: str) -> Response:
    """Open a session remembered as coming from ``provider`` (for signing out there too)."""
    site = site_of(request)
    secret, session = await auth.open_session(site.settings, member, request.headers.get("user-agent", ""),
                                              client_ip(request))
    await SsoSession.create(session=session, provider=provider.name, id_token=id_token)
    response = flash_redirect(target, message)
    set_session_cookie(response, secret, site)
    response.delete_cookie(STATE_COOKIE, path="/auth/oidc")
    return response


async def _check_allowed(member: Member) -> None:
    from tisserand.site import current_site

    if not member.is_active:
        raise oidc.SignInRefused(_("This account is closed. Ask an administrator."), reason="inactive")
    reasons = await resolve_all(current_site().hook.login_check(member=member))
    if reasons:
        raise oidc.SignInRefused(str(reasons[0]), reason="login_check refused")


async def callback(request: Request) -> Response:
    """Check the provider's answer, then sign in, create the account, or ask for the password of
    the account with the same verified address."""
    site = site_of(request)
    provider = _provider(request)
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    try:
        result = await oidc.finish_login(site, provider, params, request.cookies.get(STATE_COOKIE))
        claims = result.claims
        target = safe_next(str(result.ticket.data.get("next") or "/"))
        label = oidc.provider_label(provider)
        if result.ticket.member is not None:  # linking from the account page
            member = result.ticket.member
            try:
                await sso_accounts.link_identity(provider, member, claims)
            except Conflict as exc:
                return flash_redirect("/me#identities", exc.message, kind="error")
            return flash_redirect("/me#identities", _("Your account is now linked to {provider}.", provider=label))
        link = await sso_accounts.find_linked(provider, str(claims["sub"]))
        if link is None:
            email = str(claims.get("email") or "").strip().lower()
            existing = await Member.get_or_none(email=email) if email else None
            if existing is not None:
                return await _ask_to_join(request, provider, existing, claims, result.id_token, target)
            if not provider.create_accounts:
                raise oidc.SignInRefused(_("No account here is linked to your {provider} account. Ask an "
                                           "administrator.", provider=label), reason="no linked account")
            member = await sso_accounts.create_from_claims(site.settings, provider, claims)
            link = await sso_accounts.find_linked(provider, str(claims["sub"]))
            assert link is not None
            message = _("Welcome, {name}! Your account is ready.", name=member.name)
        else:
            member = link.member
            message = _("Welcome back, {name}.", name=member.name)
        await _check_allowed(member)
        await sso_accounts.apply_roles(site, provider, link, claims)
        return await open_sso_session(request, member, provider, result.id_token, target, message)
    except oidc.SignInRefused as exc:
        return await _refused(request, exc)


async def _ask_to_join(request: Request, provider: OidcProviderSettings, member: Member,
                       claims: dict[str, Any], id_token: str, target: str) -> Response:
    label = oidc.provider_label(provider)
    if not sso_accounts.email_verified(claims):
        raise oidc.SignInRefused(_(
            "An account here already uses the address {email}, but {provider} does not confirm that "
            "this address is yours, so the two cannot be joined. Log in with your password, then link "
            "{provider} from your account page.", email=member.email, provider=label),
            reason="unverified e-mail matches an existing account")
    if not member.password_hash or member.is_placeholder:
        raise oidc.SignInRefused(_(
            "An account here already uses the address {email}. Ask an administrator to link it to "
            "{provider}.", email=member.email, provider=label), reason="existing account without password")
    ticket = await issue_ticket("oidc-join", member=member, seconds=LINK_SECONDS, data={
        "provider": provider.name, "claims": {k: claims[k] for k in ("sub", "email", "name") if k in claims},
        "groups": claims.get(provider.groups_claim) if provider.groups_claim else None,
        "id_token": id_token, "next": target})
    response = await render(request, "accounts/sso_join.html", {
        "ticket": ticket, "member": member, "provider_label": label, "errors": {}})
    response.delete_cookie(STATE_COOKIE, path="/auth/oidc")
    return response


async def join_confirm(request: Request) -> Response:
    """Join the provider's identity to the existing account once its password is given."""
    site = site_of(request)
    form = await read_form(request)
    secret = form.get("ticket", "")
    ticket = await peek_ticket("oidc-join", secret)
    if ticket is None or ticket.member is None:
        raise NotFound(_("This sign-in has expired or was already used. Start again from the log-in page."))
    member: Member = ticket.member
    provider = site.settings.auth.provider(str(ticket.data.get("provider")))
    if provider is None:
        raise NotFound(_("This site does not sign in with that provider."))
    label = oidc.provider_label(provider)
    await auth.throttle_login(site, member.username, client_ip(request))
    if not await auth.verify_password(site.settings, member.password_hash, form.get("password", "")):
        return await render(request, "accounts/sso_join.html", {
            "ticket": secret, "member": member, "provider_label": label,
            "errors": {"password": _("This is not the password of this account.")}}, status_code=422)
    if await take_ticket("oidc-join", secret) is None:
        raise NotFound(_("This sign-in has expired or was already used. Start again from the log-in page."))
    claims = dict(ticket.data.get("claims") or {})
    if provider.groups_claim and ticket.data.get("groups") is not None:
        claims[provider.groups_claim] = ticket.data["groups"]
    try:
        await _check_allowed(member)
        link = await sso_accounts.link_identity(provider, member, claims)
    except oidc.SignInRefused as exc:
        return await _refused(request, exc, 403)
    except Conflict as exc:
        raise Forbidden(exc.message) from None
    link.member = member
    await sso_accounts.apply_roles(site, provider, link, claims)
    return await open_sso_session(request, member, provider, str(ticket.data.get("id_token") or ""),
                                  safe_next(str(ticket.data.get("next") or "/")),
                                  _("Your account is now linked to {provider}. Welcome back, {name}.",
                                    provider=label, name=member.name))


async def unlink(request: Request) -> Response:
    """Unlink a provider, unless it is the only way left to log in."""
    member = require_login(request)
    try:
        link_id = int(request.path_params["link_id"])
    except ValueError:
        raise NotFound(_("No such linked account.")) from None
    link = await IdentityLink.get_or_none(id=link_id, member_id=member.id)
    if link is None:
        raise NotFound(_("No such linked account."))
    others = await IdentityLink.filter(member_id=member.id).exclude(id=link.id).count()
    can_use_password = bool(member.password_hash) and site_of(request).settings.auth.local_passwords
    if not others and not can_use_password:
        raise ValidationFailed(_("This is the only way you log in: link another provider first."))
    await link.delete()
    await audit(member, None, "auth.identity.unlink", target_kind="member", target_id=member.id,
                data={"provider": link.provider, "member": member.username})
    return flash_redirect("/me#identities", _("The account is unlinked."))


async def identities(member: Member) -> list[IdentityLink]:
    """The member's linked provider accounts."""
    return await IdentityLink.filter(member_id=member.id).order_by("provider")


# --- break-glass log-in links (made by `tisserand user login-link`) ---------------------------


async def break_glass_page(request: Request) -> Response:
    """Confirm before using a log-in link (so that a link preview cannot use it up)."""
    ticket = await peek_ticket("break-glass", request.path_params["token"])
    if ticket is None or ticket.member is None:
        raise NotFound(_("This log-in link has expired or was already used."))
    return await render(request, "accounts/break_glass.html", {"member": ticket.member})


async def break_glass(request: Request) -> Response:
    """Use a log-in link: open a session for its account."""
    ticket = await take_ticket("break-glass", request.path_params["token"])
    if ticket is None or ticket.member is None or not ticket.member.is_active:
        raise NotFound(_("This log-in link has expired or was already used."))
    member: Member = ticket.member
    await audit(member, None, "auth.break_glass", target_kind="member", target_id=member.id,
                data={"member": member.username, "ip": client_ip(request)})
    site = site_of(request)
    secret, session = await auth.open_session(site.settings, member, request.headers.get("user-agent", ""),
                                              client_ip(request))
    await SsoSession.create(session=session, provider=BREAK_GLASS)
    response = flash_redirect("/admin" if member.is_admin else "/",
                              _("You are logged in with a one-time link, {name}.", name=member.name))
    set_session_cookie(response, secret, site)
    return response


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/auth/oidc/join", join_confirm, methods=["POST"], name="oidc-join"),
        Route("/auth/oidc/{name}/login", login_start, methods=["GET"], name="oidc-login"),
        Route("/auth/oidc/{name}/link", link_start, methods=["POST"], name="oidc-link"),
        Route("/auth/oidc/{name}/callback", callback, methods=["GET"], name="oidc-callback"),
        Route("/me/identities/{link_id}/unlink", unlink, methods=["POST"], name="me-identity-unlink"),
        Route("/login/link/{token}", break_glass_page, methods=["GET"], name="break-glass"),
        Route("/login/link/{token}", break_glass, methods=["POST"], name="break-glass-post"),
    ]


__all__ = ["identities", "open_sso_session", "providers_for_templates", "routes"]
