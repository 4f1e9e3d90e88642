"""The member's own account page ``/me``: profile, language and time zone, password, sessions
("log out everywhere"), API tokens, and the links plugins add through ``account_links``."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import auth
from tisserand.errors import NotFound, ValidationFailed
from tisserand.i18n import _
from tisserand.models import ApiToken, Member, Session, SsoSession
from tisserand.names import display_name_error
from tisserand.nav import NavItem
from tisserand.plugin_manager import resolve_all
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import client_ip, render, require_login, site_of
from tisserand.web.security import clear_session_cookie

COMMON_TIMEZONES = (
    "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "Europe/London",
    "America/Toronto", "America/Montreal", "America/Moncton", "America/Vancouver", "America/New_York",
    "America/Martinique", "America/Guadeloupe", "America/Cayenne", "Indian/Reunion", "Indian/Mayotte",
    "Pacific/Noumea", "Pacific/Tahiti", "Africa/Dakar", "Africa/Abidjan", "Africa/Casablanca",
    "Africa/Tunis", "Africa/Kinshasa", "UTC",
)
_ZONES: set[str] = set()


def valid_timezone(name: str) -> bool:
    """Is ``name`` an IANA time zone known here?"""
    if not _ZONES:
        _ZONES.update(available_timezones())
    return name in _ZONES


async def account_links(member: Member) -> list[NavItem]:
    """The links plugins add to the account page."""
    site_links: list[NavItem] = []
    from tisserand.site import current_site

    for result in await resolve_all(current_site().hook.account_links(viewer=member)):
        site_links.extend(item for item in result if isinstance(item, NavItem))
    return sorted(site_links, key=lambda item: item.order)


async def _page(request: Request, member: Member, status_code: int = 200, **extra: Any) -> Response:
    sessions = await Session.filter(member_id=member.id).order_by("-last_seen_at").limit(50)
    tokens = await ApiToken.filter(member_id=member.id).order_by("-created_at").limit(50)
    zones = list(COMMON_TIMEZONES)
    if member.timezone and member.timezone not in zones:
        zones.insert(0, member.timezone)
    from tisserand import twofactor
    from tisserand.web.pages.sso import BREAK_GLASS, identities, providers_for_templates

    site = site_of(request)
    links = await identities(member)
    labels = {p["name"]: p["label"] for p in providers_for_templates(request)}
    sso_sessions = {row.session_id: row.provider for row in await SsoSession.filter(
        session_id__in=[s.id for s in sessions])}
    context: dict[str, Any] = {
        "member": member, "sessions": sessions, "tokens": tokens,
        "identities": [{"id": link.id, "provider": link.provider, "label": labels.get(link.provider, link.provider),
                        "email": link.email, "created_at": link.created_at} for link in links],
        "providers_to_link": [p for p in providers_for_templates(request)
                              if p["name"] not in {link.provider for link in links}],
        "sso_sessions": {sid: labels.get(name) or (_("a one-time link") if name == BREAK_GLASS else name)
                         for sid, name in sso_sessions.items()},
        "local_passwords": site.settings.auth.local_passwords,
        "twofactor_on": await twofactor.enrolled(member),
        "zones": [(zone, zone.replace("_", " ")) for zone in zones],
        "links": await account_links(member), "errors": {}, "section": "",
        "current_session": getattr(request.state, "session", None),
        "site_timezone": site_of(request).settings.site.timezone,
    }
    from tisserand.account_closing import last_coordinator_of
    from tisserand.web.pages.privacy import describe, visible_exports

    context["exports"] = [describe(site, export) for export in await visible_exports(member)]
    context["closing_blocked"] = await last_coordinator_of(member)
    context["grace_days"] = site.settings.privacy.closing_grace_days
    from tisserand import profile_visibility as pv

    levels = pv.choices(member.profile_visibility)
    context["visibility"] = levels
    context["visibility_fields"] = [{"name": name, "label": pv.field_label(name), "level": levels[name]}
                                    for name in pv.FIELDS]
    context["visibility_levels"] = [(level, pv.level_label(level)) for level in pv.LEVELS]
    from tisserand.feeds import personal_feed_urls

    context["feeds"] = await personal_feed_urls(site, member)
    context.update(extra)
    return await render(request, "accounts/me.html", context, status_code=status_code)


async def me(request: Request) -> Response:
    """The account page."""
    return await _page(request, require_login(request))


async def save_profile(request: Request) -> Response:
    """Save the display name, language and time zone."""
    member = require_login(request)
    form = await read_form(request)
    errors: dict[str, str] = {}
    display_name = form.get("display_name", "").strip()
    locale = form.get("locale", "")
    timezone = form.get("timezone", "").strip()
    name_problem = display_name_error(display_name)
    if name_problem:
        errors["display_name"] = name_problem
    if locale not in ("", "fr", "en"):
        errors["locale"] = _("Choose French, English or automatic.")
    if timezone and not valid_timezone(timezone):
        errors["timezone"] = _("Unknown time zone.")
    if errors:
        return await _page(request, member, 422, errors=errors, section="profile")
    member.display_name = display_name
    member.locale = locale
    member.timezone = timezone
    await member.save(update_fields=["display_name", "locale", "timezone"])
    return flash_redirect("/me", _("Your profile is saved."))


async def save_visibility(request: Request) -> Response:
    """Save who sees each profile field."""
    from tisserand.profile_visibility import FIELDS, LEVELS, choices

    member = require_login(request)
    form = await read_form(request)
    chosen = {name: form.get(name, "") for name in FIELDS if form.get(name)}
    if any(level not in LEVELS for level in chosen.values()):
        raise ValidationFailed(_("Choose everyone, members of my communities or only me."))
    member.profile_visibility = choices({**choices(member.profile_visibility), **chosen})
    await member.save(update_fields=["profile_visibility"])
    return flash_redirect("/me#visibility", _("Your choices are saved."))


async def change_password(request: Request) -> Response:
    """Change the password (the current one is asked); other sessions end."""
    site = site_of(request)
    member = require_login(request)
    if not site.settings.auth.local_passwords:
        raise ValidationFailed(_("This site signs you in through your organization: passwords are "
                                 "managed there."))
    form = await read_form(request)
    errors = auth.validate_password(form.get("password", ""), form.get("password_confirm", ""))
    if not await auth.check_current_password(site, member, form.get("current_password", ""), client_ip(request)):
        errors["current_password"] = _("This is not your current password.")
    if errors:
        return await _page(request, member, 422, errors=errors, section="password")
    ended = await auth.change_password(site.settings, member, form["password"],
                                       keep=getattr(request.state, "session", None))
    return flash_redirect("/me", _("Your password is changed. Other devices were logged out ({count}).",
                                   count=ended))


async def logout_everywhere(request: Request) -> Response:
    """End every session of this account, this one included."""
    member = require_login(request)
    await auth.close_sessions(member)
    response = flash_redirect("/login", _("You are logged out on every device."))
    clear_session_cookie(response)
    return response


async def revoke_session(request: Request) -> Response:
    """End one of my sessions (another device, or this one)."""
    member = require_login(request)
    try:
        session_id = int(request.path_params["session_id"])
    except ValueError:
        raise NotFound(_("No such session.")) from None
    if not await Session.filter(id=session_id, member_id=member.id).delete():
        raise NotFound(_("No such session."))
    current = getattr(request.state, "session", None)
    if current is not None and current.id == session_id:
        response = flash_redirect("/login", _("You are logged out on this device."))
        clear_session_cookie(response)
        return response
    return flash_redirect("/me#sessions", _("That device is logged out."))


async def create_token(request: Request) -> Response:
    """Create an API token and show it once."""
    member = require_login(request)
    form = await read_form(request)
    name = form.get("name", "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("Give the token a name of 1 to 100 characters, e.g. the script using it."),
                               fields={"name": _("A name of 1 to 100 characters is required.")})
    secret = await auth.create_token(member, name)
    return await _page(request, member, new_token=secret, new_token_name=name, section="tokens")


async def revoke_token(request: Request) -> Response:
    """Delete one of my API tokens."""
    member = require_login(request)
    try:
        token_id = int(request.path_params["token_id"])
    except ValueError:
        raise NotFound(_("No such token.")) from None
    deleted = await ApiToken.filter(id=token_id, member_id=member.id).delete()
    if not deleted:
        raise NotFound(_("No such token."))
    return flash_redirect("/me#tokens", _("The token is revoked: scripts using it are refused from now on."))


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [
        Route("/me", me, methods=["GET"], name="me"),
        Route("/me", save_profile, methods=["POST"], name="me-post"),
        Route("/me/password", change_password, methods=["POST"], name="me-password"),
        Route("/me/visibility", save_visibility, methods=["POST"], name="me-visibility"),
        Route("/me/logout-everywhere", logout_everywhere, methods=["POST"], name="me-logout-everywhere"),
        Route("/me/tokens", create_token, methods=["POST"], name="me-tokens"),
        Route("/me/sessions/{session_id}/revoke", revoke_session, methods=["POST"], name="me-session-revoke"),
        Route("/me/tokens/{token_id}/revoke", revoke_token, methods=["POST"], name="me-token-revoke"),
    ]
