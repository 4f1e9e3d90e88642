"""API: accounts, tokens and the member's own account (``/api/v1/accounts``, ``/tokens``, ``/me``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand import auth
from tisserand.auth import member_by_username
from tisserand.errors import Forbidden, NotFound, RateLimited, Unauthorized, ValidationFailed
from tisserand.i18n import _
from tisserand.models import ApiToken, Member
from tisserand.names import display_name_error
from tisserand.plugin_manager import resolve_all
from tisserand.profile_visibility import choices, visible_fields
from tisserand.web.answers import AccountOut, MyAccountOut, TokenSecretOut
from tisserand.web.api import answer, documented, read_json, require_viewer, viewer
from tisserand.web.pages.accounts import SIGNUPS_PER_HOUR
from tisserand.web.pages.common import client_ip, site_of
from tisserand.web.pages.me import valid_timezone


class AccountIn(BaseModel):
    """A new account."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=40, description="3 to 40 characters: a-z, 0-9, '.', '-', '_'")
    email: str = Field(max_length=254)
    password: str = Field(max_length=1000, description="At least 10 characters")
    display_name: str = Field("", max_length=100)
    locale: str = Field("", pattern="^(|fr|en)$")
    accept_terms: bool = Field(False, description="true: the person accepts the terms of use and the privacy "
                               "policy in force (required for a self sign-up; an account an administrator "
                               "creates is asked on its first page view)")


class TokenIn(BaseModel):
    """Credentials for a new API token."""

    model_config = ConfigDict(extra="forbid")
    login: str = Field(max_length=254, description="Username or e-mail address")
    password: str = Field(max_length=1000)
    name: str = Field("", max_length=100, description="What the token is for")
    otp: str = Field("", max_length=20, description="A code from the authenticator app (accounts with two factors)")


Level = Literal["everyone", "members", "me"]


class VisibilityIn(BaseModel):
    """Who sees each profile field (absent fields stay as they are)."""

    model_config = ConfigDict(extra="forbid")
    location: Level | None = Field(None, description="The city and the place on maps")
    communities: Level | None = Field(None, description="The communities listed on the profile")
    email: Level | None = Field(None, description="The e-mail address")


class MeIn(BaseModel):
    """Changes to my account (absent fields stay as they are)."""

    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(None, max_length=100)
    locale: str | None = Field(None, pattern="^(|fr|en)$")
    timezone: str | None = Field(None, max_length=64)
    visibility: VisibilityIn | None = Field(None, description="Who sees each profile field: everyone, "
                                            "members (of my communities) or me")


def account_json(member: Member, *, private: bool = False, shown: set[str] | None = None) -> dict[str, Any]:
    """An account as the API shows it; ``private`` adds what only its owner sees; ``shown`` the
    profile fields the member lets this viewer see (:mod:`tisserand.profile_visibility`)."""
    data: dict[str, Any] = {
        "username": member.username, "display_name": member.display_name, "name": member.name,
        "initials": member.initials, "created_at": member.created_at, "url": f"/u/{member.username}",
    }
    if shown and "location" in shown and member.city:
        data["city"] = member.city
    if shown and "email" in shown:
        data["email"] = member.email
    if private:
        location = None
        if member.latitude is not None and member.longitude is not None:
            location = {"city": member.city, "latitude": member.latitude, "longitude": member.longitude}
        data.update(email=member.email, email_verified=member.email_verified_at is not None,
                    locale=member.locale, timezone=member.timezone, is_admin=member.is_admin,
                    location=location, consent_pending=member.consent_pending,
                    visibility=choices(member.profile_visibility))
    return data


@documented(body=AccountIn, status=201, tags=["accounts"], answer=MyAccountOut)
async def create_account(request: Request) -> Response:
    """Create an account (sign-up); a link to confirm the e-mail address is sent."""
    site = site_of(request)
    current = viewer(request)
    body = await read_json(request, AccountIn)
    if not site.settings.auth.signups_open and not (current and current.is_admin):
        raise Forbidden(_("Sign-ups are closed on this site. Ask an administrator for an account."))
    wait = await site.ratelimiter.hit(f"signup:{client_ip(request)}", SIGNUPS_PER_HOUR, 3600)
    if wait is not None:
        raise RateLimited(_("Too many accounts were created from your network. Try again later."),
                          retry_after=wait)
    by_admin = current is not None and current.is_admin
    if not body.accept_terms and not by_admin:
        refusal = _("Accept the terms and the privacy policy to create an account: send “accept_terms”: true.")
        raise ValidationFailed(refusal, fields={"accept_terms": refusal})
    member = await auth.create_member(site.settings, username=body.username, email=body.email,
                                      password=body.password, display_name=body.display_name,
                                      locale=body.locale)
    from tisserand.legal import record_consents

    if body.accept_terms and not by_admin:
        await record_consents(site, member)
    else:  # made by an administrator for someone: they are asked on their first page view
        member.consent_pending = True
        await member.save(update_fields=["consent_pending"])
    response = answer(account_json(member, private=True), status_code=201,
                      headers={"Location": f"/api/v1/accounts/{member.username}"})
    response.background = BackgroundTask(auth.send_verification, site, member)
    return response


@documented(tags=["accounts"], answer=AccountOut)
async def get_account(request: Request) -> Response:
    """A member's public account."""
    member = await member_by_username(request.path_params["username"].lower(), is_active=True)
    if member is None:
        raise NotFound(_("No member has this name."))
    current = viewer(request)
    return answer(account_json(member, private=bool(current and (current.id == member.id or current.is_admin)),
                               shown=await visible_fields(member, current)))


@documented(body=TokenIn, status=201, tags=["accounts"], answer=TokenSecretOut)
async def create_token(request: Request) -> Response:
    """Exchange a login (username or e-mail) and password for an API token (throttled)."""
    from tisserand import twofactor

    site = site_of(request)
    body = await read_json(request, TokenIn)
    if not site.settings.auth.local_passwords:
        raise Forbidden(_("This site signs you in through your organization: create tokens on your "
                          "account page."))
    try:
        member = await auth.log_in(site, body.login, body.password, ip=client_ip(request))
    except ValidationFailed as exc:
        raise Unauthorized(exc.message, code="bad_credentials") from None
    if await twofactor.enrolled(member) and not await twofactor.check_code(member, body.otp):
        raise Unauthorized(_("This account uses two factors: send the code from your app in “otp”."),
                           code="otp_required")
    token = await auth.create_token(member, body.name or "API")
    return answer({"token": token, "name": body.name or "API", "username": member.username}, status_code=201)


@documented(status=204, tags=["accounts"])
async def revoke_current_token(request: Request) -> Response:
    """Revoke the bearer token of this request."""
    header = request.headers.get("authorization", "")
    if getattr(request.state, "auth", "") != "token" or not header.lower().startswith("bearer "):
        raise Unauthorized(_("Send the token to revoke in the Authorization header."))
    await ApiToken.filter(key_hash=auth.digest(header[7:].strip())).delete()
    return Response(status_code=204)


async def me_json(member: Member) -> dict[str, Any]:
    """My account with the fields plugins add (``account_fields``)."""
    from tisserand.site import current_site

    data = account_json(member, private=True)
    for extra in await resolve_all(current_site().hook.account_fields(member=member)):
        if isinstance(extra, dict):
            data.update(extra)
    return data


@documented(body={"PATCH": MeIn}, tags=["accounts"], answer=MyAccountOut)
async def me(request: Request) -> Response:
    """My account (GET), or change my display name, language, time zone and who sees each
    profile field (PATCH)."""
    member = require_viewer(request)
    if request.method == "PATCH":
        body = await read_json(request, MeIn)
        if body.timezone and not valid_timezone(body.timezone):
            raise ValidationFailed(_("Unknown time zone."), fields={"timezone": _("Unknown time zone.")})
        name_problem = display_name_error(body.display_name.strip()) if body.display_name is not None else None
        if name_problem:
            raise ValidationFailed(name_problem, fields={"display_name": name_problem})
        changed = [name for name in ("display_name", "locale", "timezone") if getattr(body, name) is not None]
        for name in changed:
            setattr(member, name, getattr(body, name).strip())
        if body.visibility is not None:
            member.profile_visibility = choices({**choices(member.profile_visibility),
                                                 **body.visibility.model_dump(exclude_none=True)})
            changed.append("profile_visibility")
        if changed:
            await member.save(update_fields=changed)
    return answer(await me_json(member))


def routes() -> list[BaseRoute]:
    """API routes (relative to /api/v1)."""
    return [
        Route("/accounts", create_account, methods=["POST"], name="accounts"),
        Route("/accounts/{username}", get_account, methods=["GET"], name="account"),
        Route("/tokens", create_token, methods=["POST"], name="tokens"),
        Route("/tokens/current", revoke_current_token, methods=["DELETE"], name="token-current"),
        Route("/me", me, methods=["GET", "PATCH"], name="me"),
    ]
