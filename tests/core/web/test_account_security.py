"""Accounts hold: a password change ends tokens, confirming an address takes a click, wrong
current passwords are throttled, only failed log-ins use up a shared address, display names
cannot become links in our e-mails, and every HTML answer carries the security headers."""

from __future__ import annotations

import re

from tisserand.auth import create_token
from tisserand.models import ApiToken, Member
from tisserand.names import unlinked
from tisserand.testing.factory import PASSWORD

NEW = "brand new password"


async def test_a_password_change_ends_every_api_token(client, factory):
    alice = await factory.member("alice")
    secret = await create_token(alice, "script")
    client.use_token(secret)
    assert (await client.get("/api/v1/me")).status_code == 200
    client.use_token(None)
    await client.login_as(alice)
    done = await client.post_form("/me/password", {"current_password": PASSWORD, "password": NEW,
                                                    "password_confirm": NEW})
    assert done.status_code == 303
    assert await ApiToken.filter(member_id=alice.id).count() == 0
    client.logout_locally()
    client.use_token(secret)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_confirming_an_address_takes_a_click_not_a_get(client, mailbox):
    await client.post_form("/signup", {"username": "nadia", "email": "nadia@example.org",
                                       "password": "a long enough password", "accept": "on"})
    link = re.search(r"http://testserver(/verify/\S+)", mailbox.wait_for(1)[0].get_content()).group(1)
    client.logout_locally()
    scanned = await client.get(link)  # what a mail scanner does
    assert scanned.status_code == 200 and "Confirm my address" in scanned.text
    assert (await Member.get(username="nadia")).email_verified_at is None
    refused = await client.post(link)  # no CSRF token: refused
    assert refused.status_code == 403
    clicked = await client.post_form(link)
    assert clicked.status_code == 303
    assert (await Member.get(username="nadia")).email_verified_at is not None
    forged = await client.get(link[:-3] + "xyz")
    assert forged.status_code == 404


async def test_wrong_current_passwords_are_throttled_like_log_ins(client, factory, site):
    alice = await factory.member("alice")
    await client.login_as(alice)
    limit = site.settings.auth.login_attempts_per_15min
    for _ in range(limit):
        wrong = await client.post_form("/me/password", {"current_password": "a wrong guess!", "password": NEW,
                                                         "password_confirm": NEW})
        assert wrong.status_code == 422
    blocked = await client.post_form("/me/password", {"current_password": PASSWORD, "password": NEW,
                                                       "password_confirm": NEW})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text


async def test_successful_log_ins_do_not_use_up_a_shared_address(client, factory, site):
    limit = site.settings.auth.login_attempts_per_15min
    colleagues = [await factory.member(f"colleague{i}") for i in range(limit * 5 + 2)]
    for person in colleagues:
        response = await client.post_form("/login", {"login": person.username, "password": PASSWORD})
        assert response.status_code == 303, person.username
        client.logout_locally()


async def test_display_names_cannot_look_like_links(client, factory):
    for name in ("www.example.org", "example.com", "http://evil.test", "me@evil.test", "Go to evil.test/x"):
        taken = await client.post_form("/signup", {"username": "nadia", "email": "nadia@example.org",
                                                   "display_name": name, "password": "a long enough password",
                                                   "accept": "on"})
        assert taken.status_code == 422 and "cannot look like a web" in taken.text, name
    alice = await factory.member("alice")
    await client.login_as(alice)
    page = await client.post_form("/me", {"display_name": "bank.example.com", "locale": "", "timezone": ""})
    assert page.status_code == 422 and "cannot look like a web" in page.text
    api = await client.api("PATCH", "/api/v1/me", json={"display_name": "https://evil.test"})
    assert api.status_code == 422
    fine = await client.post_form("/me", {"display_name": "J.-P. Dupont", "locale": "", "timezone": ""})
    assert fine.status_code == 303


def test_names_in_mails_are_written_so_they_do_not_become_links():
    assert "example.com" not in unlinked("example.com")
    assert unlinked("example.com").replace("\u200b", "") == "example.com"
    assert unlinked("Marie Dupont") == "Marie Dupont"


async def test_every_html_answer_carries_the_security_headers(client, factory):
    for path in ("/", "/login", "/c/", "/no-such-page"):
        response = await client.get(path)
        csp = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
    api = await client.get("/api/v1/me")
    assert api.headers["x-content-type-options"] == "nosniff"
