"""Sign-up, log-in, log-out, password reset, e-mail verification and throttling, over HTTP."""

from __future__ import annotations

import re

from tests.core.web.helpers import flash_of, text
from tisserand.auth import authenticate, open_session, session_for
from tisserand.models import Member, Session
from tisserand.testing.factory import PASSWORD
from tisserand.web.security import SESSION_COOKIE


async def signup(client, **fields):
    data = {"username": "nadia", "display_name": "Nadia Benali", "email": "nadia@example.org",
            "password": "a long enough password", "accept": "on", **fields}
    return await client.post_form("/signup", data)


async def test_signup_creates_an_argon2id_account_and_logs_in(client, site):
    response = await signup(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert SESSION_COOKIE in response.cookies
    member = await Member.get(username="nadia")
    assert member.password_hash.startswith("$argon2id$")
    assert member.display_name == "Nadia Benali"
    assert member.email_verified_at is None
    home = await client.get("/")
    assert "Nadia Benali" in home.text and "Log out" in home.text


async def test_signup_form_shows_field_errors_and_keeps_values(client, factory):
    await factory.member("taken", email="taken@example.org")
    response = await signup(client, username="X", email="not-an-address", password="short")
    assert response.status_code == 422
    page = text(response.text)
    assert "lower-case letters" in page and "valid e-mail" in page and "At least 10 characters" in page
    assert 'value="not-an-address"' in response.text
    assert 'aria-invalid="true"' in response.text
    taken = await signup(client, username="taken", email="fresh@example.org")
    assert taken.status_code == 409
    assert "This username is taken" in taken.text
    assert await Member.filter(username="x").count() == 0


async def test_signup_sends_a_verification_link_that_confirms_the_address(client, mailbox):
    response = await client.post_form("/signup", {
        "username": "nadia", "email": "nadia@example.org", "password": "a long enough password",
        "accept": "on"})
    assert response.status_code == 303
    messages = mailbox.wait_for(1)
    assert messages[0]["To"] == "nadia@example.org"
    link = re.search(r"http://testserver(/verify/\S+)", messages[0].get_content()).group(1)
    page = await client.get(link)  # a page with a button: the click confirms
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    confirmed = await client.post(link, data={"csrf_token": token})
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/me"
    member = await Member.get(username="nadia")
    assert member.email_verified_at is not None
    forged = await client.get(link[:-3] + "xyz")
    assert forged.status_code == 404
    assert "expired" in forged.text


async def test_signups_closed(site, client):
    site.settings.auth.signups_open = False
    page = await client.get("/signup")
    assert page.status_code == 403 and "Sign-ups are closed" in page.text
    refused = await client.post_form("/signup", {"username": "nadia", "email": "n@example.org",
                                                 "password": "a long enough password"})
    assert refused.status_code == 403
    api = await client.post("/api/v1/accounts", json={"username": "nadia", "email": "n@example.org",
                                                       "password": "a long enough password"})
    assert api.status_code == 403
    assert await Member.filter(username="nadia").count() == 0


async def test_login_with_username_or_email_and_logout(client, factory):
    await factory.member("alice", display_name="Alice Martin")
    by_name = await client.post_form("/login", {"login": "Alice", "password": PASSWORD, "next": "/c/"})
    assert by_name.status_code == 303 and by_name.headers["location"] == "/c/"
    assert "Alice Martin" in (await client.get("/")).text
    client.cookies.clear()
    by_email = await client.post_form("/login", {"login": "alice@example.org", "password": PASSWORD})
    assert by_email.status_code == 303
    page = await client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    logout = await client.post("/logout", data={"csrf_token": token})
    assert logout.status_code == 303
    assert await Session.all().count() == 1  # the first log-in's session was not closed
    assert "Log in" in (await client.get("/")).text


async def test_login_never_says_whether_the_account_exists(client, factory):
    await factory.member("alice")
    wrong_password = await client.post_form("/login", {"login": "alice", "password": "not the password"})
    unknown = await client.post_form("/login", {"login": "nobody", "password": "not the password"})
    assert wrong_password.status_code == unknown.status_code == 422
    message = "This account name and password do not match"
    assert message in wrong_password.text and message in unknown.text
    assert text(wrong_password.text).replace("alice", "X") == text(unknown.text).replace("nobody", "X")


async def test_login_is_throttled_with_a_clear_message(client, factory, site):
    await factory.member("alice")
    limit = site.settings.auth.login_attempts_per_15min
    for _ in range(limit):
        response = await client.post_form("/login", {"login": "alice", "password": "wrong password!"})
        assert response.status_code == 422
    blocked = await client.post_form("/login", {"login": "alice", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts to log in" in blocked.text and "minutes" in blocked.text
    # an unknown account is throttled the same way
    for _ in range(limit):
        await client.post_form("/login", {"login": "ghost", "password": "wrong password!"})
    assert (await client.post_form("/login", {"login": "ghost", "password": "x"})).status_code == 429


async def test_login_next_never_leaves_the_site(client, factory):
    await factory.member("alice")
    response = await client.post_form("/login", {"login": "alice", "password": PASSWORD,
                                                 "next": "//evil.example.org/"})
    assert response.headers["location"] == "/"


async def test_login_check_hook_refuses_a_banned_member(site, client, factory):
    from tisserand import hookimpl

    class Bans:
        @hookimpl
        def login_check(self, member):
            return "You are banned until tomorrow." if member.username == "troll" else None

    site.plugins.pm.register(Bans(), name="bans")
    await factory.member("troll")
    response = await client.post_form("/login", {"login": "troll", "password": PASSWORD})
    assert response.status_code == 403
    assert "You are banned until tomorrow." in response.text
    assert await Session.all().count() == 0


async def test_forms_without_csrf_token_are_refused(client, factory):
    await factory.member("alice")
    response = await client.post("/login", data={"login": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    forged = await client.post("/signup", data={"username": "eve", "email": "eve@example.org",
                                                "password": "a long enough password", "csrf_token": "forged"})
    assert forged.status_code == 403
    assert await Member.filter(username="eve").count() == 0


async def test_password_reset_same_answer_and_a_working_single_use_link(client, factory, mailbox, site):
    alice = await factory.member("alice", locale="fr")
    old_secret, _old = await open_session(site.settings, alice)
    known = await client.post_form("/reset", {"email": "alice@example.org"})
    unknown = await client.post_form("/reset", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"] == "/login"
    assert flash_of(known) and flash_of(unknown)
    messages = mailbox.wait_for(1)
    assert len(messages) == 1 and messages[0]["To"] == "alice@example.org"
    assert "mot de passe" in messages[0]["Subject"]  # in Alice's language
    link = re.search(r"http://testserver(/reset/\S+)", messages[0].get_content()).group(1)
    form = await client.get(link)
    assert form.status_code == 200 and "alice" in form.text
    mismatch = await client.post_form(link, {"password": "new password 123", "password_confirm": "other"})
    assert mismatch.status_code == 422
    done = await client.post_form(link, {"password": "new password 123", "password_confirm": "new password 123"})
    assert done.status_code == 303 and SESSION_COOKIE in done.cookies
    assert await session_for(old_secret) is None  # every old session ended
    again = await client.get(link)
    assert again.status_code == 404  # the link served once
    assert await authenticate(site.settings, "alice", "new password 123") is not None


async def test_reset_link_expires(site, factory):
    from unittest import mock

    from tisserand import auth

    alice = await factory.member("alice")
    token = auth.password_reset_token(site.settings, alice)
    assert (await auth.member_for_reset(site.settings, token)).id == alice.id
    with mock.patch.object(auth, "RESET_MAX_AGE", -1):
        assert await auth.member_for_reset(site.settings, token) is None
    assert await auth.member_for_reset(site.settings, "forged.token.value") is None


async def test_unauthenticated_pages_send_to_login_and_back(client):
    response = await client.get("/me")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/me"
    login = await client.get("/login?next=/me")
    assert 'name="next" value="/me"' in login.text
