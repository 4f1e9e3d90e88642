"""A real OpenID Provider for the sign-in tests: the certified ``oidc-provider`` npm package
(tests/oidc_provider, installed by scripts/bootstrap with ``npm ci``) run with this machine's
Node.js on loopback. Tests are skipped with the reason when Node.js or the package is missing,
unless ``TISSERAND_REQUIRE_OIDC=1`` (CI), which makes that a failure."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

HERE = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "tisserand"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"


def node_or_skip() -> str:
    """The ``node`` executable, or skip (fail when required)."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js is not installed"
    elif not (HERE / "node_modules" / "oidc-provider").exists():
        missing = "tests/oidc_provider is not installed (cd tests/oidc_provider && npm ci)"
    if missing:
        if os.environ.get("TISSERAND_REQUIRE_OIDC") == "1":
            pytest.fail(f"OpenID Provider tests are required: {missing}")
        pytest.skip(f"OpenID Provider tests skipped: {missing}")
    return str(node)


class OpenIDProvider:
    """``oidc-provider`` started on a free loopback port, for a client whose redirect URIs are on
    ``site_url``."""

    def __init__(self, site_url: str, provider_name: str = "corp") -> None:
        node = node_or_skip()
        self.folder = Path(tempfile.mkdtemp(prefix="tisserand-op-"))
        config = {"port": 0, "accounts": {}, "clients": [{
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{site_url}/auth/oidc/{provider_name}/callback"],
            "post_logout_redirect_uris": [f"{site_url}/"],
            "grant_types": ["authorization_code"], "response_types": ["code"]}, {
            # Like ProConnect: the userinfo answer is a signed JWT.
            "client_id": CLIENT_ID + "-jwt", "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{site_url}/auth/oidc/{provider_name}-jwt/callback"],
            "userinfo_signed_response_alg": "RS256",
            "grant_types": ["authorization_code"], "response_types": ["code"]}]}
        (self.folder / "config.json").write_text(json.dumps(config))
        self.log = open(self.folder / "op.log", "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([node, str(HERE / "server.mjs"), str(self.folder / "config.json")],
                                        stdout=subprocess.PIPE, stderr=self.log)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"the OpenID Provider did not start: {line}")
        self.issuer = line.split()[1]

    def toml(self, name: str = "corp", client_id: str = CLIENT_ID, **extra: str) -> str:
        """The ``[[auth.oidc]]`` table for this provider (``client_id="tisserand-jwt"`` and
        ``name="corp-jwt"`` for the client whose userinfo is a signed JWT)."""
        lines = ["[[auth.oidc]]", f'name = "{name}"', f'issuer = "{self.issuer}"',
                 f'client_id = "{client_id}"', f'client_secret = "{CLIENT_SECRET}"', 'label = "Corp ID"',
                 'scopes = ["openid", "email", "profile", "groups"]', 'groups_claim = "groups"',
                 *[f"{key} = {value}" for key, value in extra.items()],
                 "[auth.oidc.roles]", '"cop-eau-animateurs" = "eau:animator"',
                 '"cop-eau" = "eau:member"', '"tisserand-admins" = "admin"']
        return "\n".join(lines) + "\n"

    def set_account(self, account_id: str, **claims: Any) -> None:
        """Set what the provider says about ``account_id``."""
        httpx.post(f"{self.issuer}/__test/account", params={"id": account_id, "claims": json.dumps(claims)})

    def set_mode(self, mode: str) -> None:
        """``normal`` or a way to spoil the ID token (see server.mjs)."""
        httpx.post(f"{self.issuer}/__test/mode", params={"m": mode})

    def stop(self) -> None:
        """Stop the provider."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def sign_in_at_provider(client: httpx.Client, start: str, login: str, site_url: str) -> str:
    """Follow a sign-in from ``start`` (a URL on the site) through the provider's log-in and
    consent pages, as a browser would; returns the callback URL (not yet followed)."""
    url = start
    for _step in range(20):
        response = client.get(url)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["location"])
            if url.startswith(site_url) and "/callback" in url:
                return url
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', response.text)
        assert form, f"no form at {url}: {response.status_code} {response.text[:300]}"
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text))
        if 'name="login"' in response.text:
            fields.update(login=login, password="any password")
        posted = client.post(urljoin(url, form.group(1)), data=fields)
        assert posted.status_code in (302, 303), posted.text[:300]
        url = urljoin(url, posted.headers["location"])
        if url.startswith(site_url) and "/callback" in url:
            return url
    raise AssertionError("the provider never sent the browser back")


def wait_for(predicate: Any, seconds: float = 5) -> None:
    """Poll ``predicate`` until true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
