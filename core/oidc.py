"""OpenID Connect sign-in, through authlib: discovery, the authorization code flow with PKCE,
state (a one-time ticket bound to the browser) and nonce, and every check of the ID token —
signature against the provider's published keys, issuer, audience, expiry, nonce.

The account side — finding, creating or joining the member, and roles from groups — is in
:mod:`tisserand.sso_accounts`; the pages are in :mod:`tisserand.web.pages.sso`.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tisserand.i18n import _
from tisserand.tickets import issue_ticket, take_ticket

# httpx2, authlib, joserfc and cryptography weigh ~13 MiB in every process (issue 23): they are
# imported by the functions that use them, so only sites signing members in with OIDC pay it.
if TYPE_CHECKING:
    from authlib.integrations.httpx_client import AsyncOAuth2Client
    from joserfc.jwk import KeySet

    from tisserand.models import AuthTicket, Member
    from tisserand.settings import OidcProviderSettings
    from tisserand.site import Site

__all__ = ["SignInRefused", "SignInResult", "callback_url", "end_session_url", "finish_login",
           "provider_label", "start_login"]

log = logging.getLogger("tisserand.oidc")
METADATA_TTL = 3600
STATE_SECONDS = 600
#: Clock difference tolerated between the provider and this server, in seconds.
LEEWAY = 60
_metadata: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks: dict[str, tuple[float, dict[str, Any]]] = {}


class SignInRefused(Exception):
    """A sign-in that must not go through; ``message`` is for the person, ``reason`` for the log."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or message


@dataclass
class SignInResult:
    """The checked outcome of a callback: the claims (ID token + userinfo), the raw ID token and
    the state ticket (with the member who asked to link, if any, and where to go next)."""

    claims: dict[str, Any]
    id_token: str
    ticket: AuthTicket


def provider_label(provider: OidcProviderSettings) -> str:
    """The name on the provider's button."""
    return provider.label or provider.name


def callback_url(site: Site, provider: OidcProviderSettings) -> str:
    """The redirect URI to register at the provider."""
    return site.url(f"/auth/oidc/{provider.name}/callback")


def _unreachable(provider: OidcProviderSettings) -> SignInRefused:
    return SignInRefused(_("{provider} does not answer right now. Try again in a moment.",
                           provider=provider_label(provider)), reason="provider unreachable")


async def _get_json(provider: OidcProviderSettings, url: str, token: str = "") -> dict[str, Any]:
    import httpx2

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with httpx2.AsyncClient(timeout=10) as client:
            response = await client.get(url, headers=headers)
        response.raise_for_status()
        data = response.json()
    except (httpx2.HTTPError, ValueError) as exc:
        log.warning("OIDC %s: GET %s failed: %s", provider.name, url, exc)
        raise _unreachable(provider) from None
    if not isinstance(data, dict):
        raise _unreachable(provider)
    return data


async def metadata(provider: OidcProviderSettings, *, force: bool = False) -> dict[str, Any]:
    """The provider's discovery document (cached an hour); its issuer must be the configured one."""
    cached = _metadata.get(provider.issuer)
    if cached and not force and cached[0] > time.monotonic():
        return cached[1]
    data = await _get_json(provider, provider.issuer + "/.well-known/openid-configuration")
    if str(data.get("issuer", "")).rstrip("/") != provider.issuer:
        log.warning("OIDC %s: discovery names issuer %r, configured %r", provider.name,
                    data.get("issuer"), provider.issuer)
        raise _unreachable(provider)
    _metadata[provider.issuer] = (time.monotonic() + METADATA_TTL, data)
    return data


async def _key_set(provider: OidcProviderSettings, meta: dict[str, Any], *, force: bool = False) -> KeySet:
    from joserfc.jwk import KeySet

    uri = str(meta.get("jwks_uri", ""))
    cached = _jwks.get(uri)
    if not cached or force or cached[0] < time.monotonic():
        cached = (time.monotonic() + METADATA_TTL, await _get_json(provider, uri))
        _jwks[uri] = cached
    return KeySet.import_key_set(cached[1])  # type: ignore[arg-type]


def _client(site: Site, provider: OidcProviderSettings) -> AsyncOAuth2Client:
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    return AsyncOAuth2Client(client_id=provider.client_id, client_secret=provider.client_secret,
                             scope=" ".join(provider.scopes), redirect_uri=callback_url(site, provider),
                             code_challenge_method="S256", timeout=10)


async def start_login(site: Site, provider: OidcProviderSettings, *, next_url: str = "/",
                      link_member: Member | None = None) -> tuple[str, str]:
    """Begin a sign-in: returns the provider's authorization URL and the state, which the caller
    also keeps in a cookie (so that the callback must come back to the same browser)."""
    from authlib.common.security import generate_token

    meta = await metadata(provider)
    verifier = generate_token(64)
    nonce = generate_token(32)
    state = await issue_ticket("oidc", member=link_member, seconds=STATE_SECONDS, data={
        "provider": provider.name, "nonce": nonce, "verifier": verifier, "next": next_url})
    async with _client(site, provider) as client:
        url, _state = client.create_authorization_url(meta["authorization_endpoint"], state=state,
                                                      code_verifier=verifier, nonce=nonce)
    return url, state


def _expired_state() -> SignInRefused:
    return SignInRefused(_("This sign-in has expired or was already used. Start again from the "
                           "log-in page."), reason="missing, unknown or replayed state")


async def finish_login(site: Site, provider: OidcProviderSettings, params: dict[str, str],
                       browser_state: str | None) -> SignInResult:
    """Check a callback and return the verified claims; raises :class:`SignInRefused`."""
    label = provider_label(provider)
    state = params.get("state", "")
    if not state or not browser_state or not hmac.compare_digest(state, browser_state):
        raise _expired_state()
    ticket = await take_ticket("oidc", state)
    if ticket is None or ticket.data.get("provider") != provider.name:
        raise _expired_state()
    if params.get("error"):
        description = params.get("error_description") or params["error"]
        raise SignInRefused(_("{provider} did not sign you in: {reason}", provider=label,
                              reason=description[:200]), reason=f"provider error {params['error']}")
    if "iss" in params and params["iss"].rstrip("/") != provider.issuer:  # RFC 9207
        raise SignInRefused(_("The answer did not come from {provider}.", provider=label),
                            reason=f"iss parameter {params['iss']!r}")
    code = params.get("code", "")
    if not code:
        raise _expired_state()
    meta = await metadata(provider)
    try:
        async with _client(site, provider) as client:
            token = await client.fetch_token(meta["token_endpoint"], code=code,
                                             code_verifier=ticket.data["verifier"])
    except Exception as exc:
        log.warning("OIDC %s: token exchange failed: %s", provider.name, exc)
        raise SignInRefused(_("{provider} did not confirm the sign-in. Start again from the log-in "
                              "page.", provider=label), reason=f"token exchange: {exc}") from None
    id_token = str(token.get("id_token") or "")
    if not id_token:
        raise SignInRefused(_("{provider} did not send an identity token.", provider=label),
                            reason="no id_token")
    claims = await _verify_id_token(provider, meta, id_token, nonce=ticket.data["nonce"],
                                    access_token=str(token.get("access_token") or ""))
    access_token = str(token.get("access_token") or "")
    if meta.get("userinfo_endpoint") and access_token:
        info = await _userinfo(provider, meta, access_token)
        if info.get("sub") == claims["sub"]:
            claims = {**info, **claims}
    return SignInResult(claims=claims, id_token=id_token, ticket=ticket)


async def _userinfo(provider: OidcProviderSettings, meta: dict[str, Any], access_token: str) -> dict[str, Any]:
    """The userinfo claims, as JSON or as a signed JWT (ProConnect answers ``application/jwt``,
    checked with the provider's keys like the ID token)."""
    import httpx2
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jws import JWSRegistry

    url = str(meta["userinfo_endpoint"])
    try:
        async with httpx2.AsyncClient(timeout=10) as client:
            response = await client.get(url, headers={"Authorization": f"Bearer {access_token}"})
        response.raise_for_status()
    except httpx2.HTTPError as exc:
        log.warning("OIDC %s: userinfo failed: %s", provider.name, exc)
        raise _unreachable(provider) from None
    if response.headers.get("content-type", "").startswith("application/jwt"):
        algorithms = [a for a in meta.get("userinfo_signing_alg_values_supported") or ["RS256", "ES256"]
                      if a != "none"]
        try:
            decoded = jwt.decode(response.text.strip(), await _key_set(provider, meta),
                                 registry=JWSRegistry(algorithms=algorithms, strict_check_header=False))
        except (JoseError, ValueError) as exc:
            log.warning("OIDC %s: signed userinfo refused: %s", provider.name, exc)
            raise _unreachable(provider) from None
        return dict(decoded.claims)
    try:
        data = response.json()
    except ValueError:
        raise _unreachable(provider) from None
    return data if isinstance(data, dict) else {}


async def _verify_id_token(provider: OidcProviderSettings, meta: dict[str, Any], id_token: str, *,
                           nonce: str, access_token: str) -> dict[str, Any]:
    from authlib.oidc.core import CodeIDToken
    from joserfc import jwt
    from joserfc.errors import InvalidKeyIdError, JoseError
    from joserfc.jws import JWSRegistry

    label = provider_label(provider)
    algorithms = meta.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = [alg for alg in algorithms if alg != "none"]
    registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)
    try:
        try:
            decoded = jwt.decode(id_token, await _key_set(provider, meta), registry=registry)
        except InvalidKeyIdError:  # the provider may have rotated its keys
            decoded = jwt.decode(id_token, await _key_set(provider, meta, force=True), registry=registry)
        claims = CodeIDToken(decoded.claims, decoded.header, {
            "iss": {"essential": True, "value": provider.issuer},
            "aud": {"essential": True, "value": provider.client_id},
            "sub": {"essential": True},
        }, {"nonce": nonce, "client_id": provider.client_id, "access_token": access_token})
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        log.warning("OIDC %s: ID token refused: %s: %s", provider.name, type(exc).__name__, exc)
        raise SignInRefused(_("The identity sent by {provider} could not be checked, so you are not "
                              "signed in. Try again; if it happens again, tell the site's "
                              "administrators.", provider=label),
                            reason=f"id_token: {type(exc).__name__}: {exc}") from None
    return dict(claims)


async def end_session_url(site: Site, provider: OidcProviderSettings, id_token: str) -> str | None:
    """Where to send the browser to sign out at the provider too (RP-initiated logout), if it
    offers it."""
    try:
        meta = await metadata(provider)
    except SignInRefused:
        return None
    endpoint = meta.get("end_session_endpoint")
    if not endpoint:
        return None
    from authlib.common.urls import add_params_to_uri

    params = [("client_id", provider.client_id), ("post_logout_redirect_uri", site.url("/"))]
    if id_token:
        params.append(("id_token_hint", id_token))
    return str(add_params_to_uri(str(endpoint), params))
