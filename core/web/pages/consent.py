"""Asking for consent after the fact: ``/consent`` (the page every other page sends a member
whose account was made without their acceptance to) and ``POST /api/v1/me/consent``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import ValidationFailed
from tisserand.i18n import _
from tisserand.legal import accept_pending, current_versions
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, read_json, require_viewer
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.pages.common import checked, render, require_login, safe_next, site_of


class ConsentIn(BaseModel):
    """Accepting the privacy policy and the terms of use in force."""

    model_config = ConfigDict(extra="forbid")
    accept: bool = Field(description="true: I accept the terms of use and the privacy policy in force")


def _refusal() -> str:
    return _("Accept the terms and the privacy policy to use your account.")


async def consent_page(request: Request) -> Response:
    """The question: accept the documents in force (or log out)."""
    member = require_login(request)
    target = safe_next(request.query_params.get("next"))
    if not member.consent_pending:
        return flash_redirect(target, "")
    return await render(request, "accounts/consent.html", {
        "next": target, "errors": {}, "versions": current_versions(site_of(request))})


async def consent_answer(request: Request) -> Response:
    """Record the acceptance, then go where the member was going."""
    member = require_login(request)
    form = await read_form(request)
    target = safe_next(form.get("next"))
    if not member.consent_pending:
        return flash_redirect(target, "")
    if not checked(form, "accept"):
        return await render(request, "accounts/consent.html", {
            "next": target, "errors": {"accept": _refusal()}, "message": _refusal(),
            "versions": current_versions(site_of(request))}, status_code=422)
    await accept_pending(site_of(request), member)
    return flash_redirect(target, _("Thank you. Welcome, {name}!", name=member.name))


class ConsentOut(Out):
    """Consent recorded: nothing pending, the versions in force."""

    consent_pending: bool
    versions: dict[str, Any]


@documented(body=ConsentIn, tags=["accounts"], answer=ConsentOut)
async def api_consent(request: Request) -> Response:
    """Accept the terms of use and the privacy policy in force (accounts made by an
    administrator or through an identity provider are asked once)."""
    member = require_viewer(request)
    body = await read_json(request, ConsentIn)
    if not body.accept:
        raise ValidationFailed(_refusal(), fields={"accept": _refusal()})
    site = site_of(request)
    if member.consent_pending:
        await accept_pending(site, member)
    return answer({"consent_pending": False, "versions": current_versions(site)})


def routes() -> list[BaseRoute]:
    """HTML routes."""
    return [Route("/consent", consent_page, methods=["GET"], name="consent"),
            Route("/consent", consent_answer, methods=["POST"], name="consent-post")]


def api_routes() -> list[BaseRoute]:
    """JSON routes, relative to ``/api/v1``."""
    return [Route("/me/consent", api_consent, methods=["POST"], name="me-consent")]
