"""Two factors for local accounts, sessions and tokens revocable one by one, SSO-only mode."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from typer.testing import CliRunner

from tisserand.models import ApiToken, AuditLog, Session, TwoFactor
from tisserand.testing.factory import PASSWORD
from tisserand.web.security import SESSION_COOKIE


async def _enable_2fa(client, member) -> tuple[str, list[str]]:
    await client.login_as(member)
    page = await client.get("/me/2fa")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    qr = await client.get("/me/2fa/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in qr.content
    wrong = await client.post_form("/me/2fa", {"code": "000000", "password": PASSWORD})
    assert wrong.status_code == 422 and "not right" in wrong.text
    no_password = await client.post_form("/me/2fa", {"code": pyotp.TOTP(secret).now(), "password": "x"})
    assert no_password.status_code == 422 and not await TwoFactor.filter(confirmed_at__isnull=False).exists()
    done = await client.post_form("/me/2fa", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.text)
    assert len(codes) == 10
    client.logout_locally()
    return secret, codes


async def _password_step(client, username):
    response = await client.post_form("/login", {"login": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert SESSION_COOKIE not in response.cookies  # no session after the password alone
    return re.search(r'name="ticket" value="([^"]+)"', response.text).group(1)


async def test_totp_is_asked_after_the_password_and_works_once(client, factory):
    member = await factory.member("camille")
    secret, codes = await _enable_2fa(client, member)
    row = await TwoFactor.get(member_id=member.id)
    assert codes[0].replace("-", "") not in str(row.recovery_codes)  # only digests are kept

    ticket = await _password_step(client, "camille")
    bad = await client.post_form("/login/2fa", {"ticket": ticket, "code": "123456"})
    assert bad.status_code == 422 and SESSION_COOKIE not in bad.cookies
    code = pyotp.TOTP(secret).at(time.time() + 30)  # the code used to switch on is spent
    good = await client.post_form("/login/2fa", {"ticket": ticket, "code": code})
    assert good.status_code == 303 and SESSION_COOKIE in good.cookies

    client.logout_locally()
    ticket = await _password_step(client, "camille")
    replay = await client.post_form("/login/2fa", {"ticket": ticket, "code": code})
    assert replay.status_code == 422  # the same code does not work twice
    recovery = await client.post_form("/login/2fa", {"ticket": ticket, "code": codes[0].upper()})
    assert recovery.status_code == 303 and SESSION_COOKIE in recovery.cookies
    client.logout_locally()
    ticket = await _password_step(client, "camille")
    again = await client.post_form("/login/2fa", {"ticket": ticket, "code": codes[0]})
    assert again.status_code == 422  # a recovery code works once


async def test_api_tokens_need_the_code_when_two_factors_are_on(client, factory):
    member = await factory.member("camille")
    secret, _codes = await _enable_2fa(client, member)
    refused = await client.api("POST", "/api/v1/tokens", {"login": "camille", "password": PASSWORD})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "otp_required"
    given = await client.api("POST", "/api/v1/tokens", {"login": "camille", "password": PASSWORD,
                                                        "otp": pyotp.TOTP(secret).at(time.time() + 30)})
    assert given.status_code == 201


@pytest.mark.plugins(config={"auth": {"admins_require_2fa": True, "argon2_time_cost": 1,
                                      "argon2_memory_kib": 8}})
async def test_admins_act_as_members_until_they_set_up_two_factors(client, factory):
    await factory.member("root", admin=True)
    response = await client.post_form("/login", {"login": "root", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/me/2fa"
    admin_page = await client.get("/admin")
    assert admin_page.status_code == 403
    setup = await client.get("/me/2fa")
    assert "act as a member without administration rights" in setup.text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', setup.text).group(1)
    client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', setup.text).group(1)
    enabled = await client.post_form("/me/2fa", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert enabled.status_code == 200
    assert (await client.get("/admin")).status_code == 200


async def test_sessions_and_tokens_are_listed_and_revoked_one_by_one(client, factory):
    member = await factory.member("camille")
    other = await factory.member("other")
    await client.login_as(member)
    from tisserand.auth import create_token, open_session
    from tisserand.site import current_site

    _secret, phone = await open_session(current_site().settings, member, "Mozilla/5.0 (Android 14)")
    await open_session(current_site().settings, other, "theirs")
    await create_token(member, "report script")
    page = await client.get("/me")
    assert f"/me/sessions/{phone.id}/revoke" in page.text

    listed = await client.api("GET", "/api/v1/me/sessions")
    items = listed.json()["items"]
    assert len(items) == 2 and sum(item["current"] for item in items) == 1
    token_items = (await client.api("GET", "/api/v1/me/tokens")).json()["items"]
    assert [t["name"] for t in token_items] == ["report script"]
    assert "key_hash" not in token_items[0]

    others_session = await Session.get(member_id=other.id)
    assert (await client.api("DELETE", f"/api/v1/me/sessions/{others_session.id}")).status_code == 404
    assert (await client.api("DELETE", "/api/v1/me/sessions/abc")).status_code == 404
    assert (await client.api("DELETE", f"/api/v1/me/sessions/{phone.id}")).status_code == 204
    assert not await Session.filter(id=phone.id).exists()
    assert await Session.filter(id=others_session.id).exists()
    token = await ApiToken.get(member_id=member.id)
    assert (await client.api("DELETE", f"/api/v1/me/tokens/{token.id}")).status_code == 204
    assert not await ApiToken.filter(member_id=member.id).exists()

    _secret, laptop = await open_session(current_site().settings, member, "laptop")
    gone = await client.post_form(f"/me/sessions/{laptop.id}/revoke")
    assert gone.status_code == 303 and not await Session.filter(id=laptop.id).exists()


SSO_ONLY = {"auth": {"local_passwords": False, "argon2_time_cost": 1, "argon2_memory_kib": 8,
                     "oidc": [{"name": "corp", "issuer": "http://127.0.0.1:9/", "client_id": "x",
                               "label": "Corp ID"}]}}


@pytest.mark.plugins(config=SSO_ONLY)
async def test_sso_only_mode_turns_passwords_and_signup_off(client, factory):
    await factory.member("camille")
    login_page = await client.get("/login")
    assert "Sign in with Corp ID" in login_page.text and 'name="password"' not in login_page.text
    assert "/auth/oidc/corp/login" in login_page.text
    refused = await client.post_form("/login", {"login": "camille", "password": PASSWORD})
    assert refused.status_code == 403 and SESSION_COOKIE not in refused.cookies
    signup = await client.get("/signup")
    assert signup.status_code == 403 and "Sign in with Corp ID" in signup.text
    assert (await client.post_form("/signup", {"username": "new", "email": "n@example.org",
                                               "password": "a long password"})).status_code == 403
    token = await client.api("POST", "/api/v1/tokens", {"login": "camille", "password": PASSWORD})
    assert token.status_code == 403
    assert (await client.post_form("/reset", {"email": "camille@example.org"})).status_code == 403


@pytest.mark.plugins(config=SSO_ONLY)
async def test_break_glass_link_from_the_cli_logs_an_admin_in_once(client, factory, site, monkeypatch):
    admin = await factory.member("root", admin=True)
    from tisserand.tickets import issue_ticket

    secret = await issue_ticket("break-glass", member=admin, seconds=900)
    page = await client.get(f"/login/link/{secret}")
    assert page.status_code == 200 and "Log in as @root" in page.text
    used = await client.post_form(f"/login/link/{secret}")
    assert used.status_code == 303 and SESSION_COOKIE in used.cookies
    assert await AuditLog.filter(action="auth.break_glass").count() == 1
    client.logout_locally()
    again = await client.post_form(f"/login/link/{secret}")
    assert again.status_code == 404


def test_login_link_command_prints_a_link(tmp_path, monkeypatch):
    from tisserand.cli.main import app

    runner = CliRunner()
    monkeypatch.setenv("TISSERAND_INSTANCE", str(tmp_path / "inst"))
    assert runner.invoke(app, ["init", str(tmp_path / "inst")]).exit_code == 0
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    created = runner.invoke(app, ["user", "create", "root", "--email", "root@example.org",
                                  "--password", "a long password", "--admin"])
    assert created.exit_code == 0, created.output
    result = runner.invoke(app, ["user", "login-link", "root"])
    assert result.exit_code == 0, result.output
    assert re.search(r"http://\S+/login/link/\S+", result.stdout)
    missing = runner.invoke(app, ["user", "login-link", "nobody"])
    assert missing.exit_code != 0


def test_sign_in_audit_lines_are_stored_as_kinds_and_read_in_the_readers_language():
    from tisserand import i18n
    from tisserand.sso_accounts import audit_text

    data = {"member": "alice", "provider": "corp", "community": "eau", "role": "animator"}
    token = i18n.set_locale("fr")
    try:
        assert audit_text("auth.sso.role_granted", data) == "alice est devenu·e animateur d'eau (groupes de corp)."
    finally:
        i18n._locale.reset(token)
    token = i18n.set_locale("en")
    try:
        assert audit_text("auth.sso.role_granted", data) == "alice became animator of eau (groups at corp)."
    finally:
        i18n._locale.reset(token)
    assert audit_text("content.hidden", data) is None
