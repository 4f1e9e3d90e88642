"""The account page /me: profile, language, time zone, password change, sessions, tokens and
the links plugins add."""

from __future__ import annotations

import re

from tests.core.web.helpers import flash_of
from tisserand.auth import open_session, session_for, verify_password
from tisserand.models import ApiToken, Member
from tisserand.testing.factory import PASSWORD


async def test_me_shows_avatar_initials_sessions_and_plugin_links(client, factory):
    alice = await factory.member("alice", display_name="Alice Martin")
    await client.login_as(alice)
    page = await client.get("/me")
    assert page.status_code == 200
    assert ">AM</span>" in page.text  # avatar by initials
    assert 'href="/probe/location">My probe location' in page.text  # account_links
    assert "This device" in page.text
    assert "not confirmed yet" in page.text
    assert 'href="/probe-map"' in page.text  # site_nav in the header


async def test_edit_profile_language_and_time_zone(client, factory):
    alice = await factory.member("alice")
    await client.login_as(alice)
    saved = await client.post_form("/me", {"display_name": "Alice M.", "locale": "fr", "timezone": "America/Toronto"})
    assert saved.status_code == 303 and flash_of(saved)
    alice = await Member.get(id=alice.id)
    assert (alice.display_name, alice.locale, alice.timezone) == ("Alice M.", "fr", "America/Toronto")
    assert '<html lang="fr">' in (await client.get("/me")).text
    bad = await client.post_form("/me", {"display_name": "x" * 101, "locale": "de", "timezone": "Mars/Base"})
    assert bad.status_code == 422
    assert bad.text.count('aria-invalid="true"') == 3


async def test_change_password_ends_other_sessions(client, factory, site):
    alice = await factory.member("alice")
    other_secret, _ = await open_session(site.settings, alice, "phone")
    await client.login_as(alice)
    wrong = await client.post_form("/me/password", {"current_password": "nope", "password": "brand new password",
                                                     "password_confirm": "brand new password"})
    assert wrong.status_code == 422 and "not your current password" in wrong.text
    done = await client.post_form("/me/password", {"current_password": PASSWORD, "password": "brand new password",
                                                    "password_confirm": "brand new password"})
    assert done.status_code == 303
    alice = await Member.get(id=alice.id)
    assert await verify_password(site.settings, alice.password_hash, "brand new password")
    assert await session_for(other_secret) is None
    assert (await client.get("/me")).status_code == 200  # this session lives on


async def test_log_out_everywhere(client, factory, site):
    alice = await factory.member("alice")
    other_secret, _ = await open_session(site.settings, alice, "phone")
    await client.login_as(alice)
    response = await client.post_form("/me/logout-everywhere")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert await session_for(other_secret) is None
    client.cookies.clear()
    assert (await client.get("/me")).status_code == 303


async def test_api_tokens_are_shown_once_and_revocable(client, factory):
    alice = await factory.member("alice")
    await client.login_as(alice)
    page = await client.post_form("/me/tokens", {"name": "weekly report"})
    assert page.status_code == 200
    secret = re.search(r'<code class="token" id="new-token">([^<]+)</code>', page.text).group(1)
    assert secret.startswith("tis_")
    assert secret not in (await client.get("/me")).text
    token = await ApiToken.get(member_id=alice.id)
    assert token.key_hash != secret
    revoked = await client.post_form(f"/me/tokens/{token.id}/revoke")
    assert revoked.status_code == 303
    assert await ApiToken.filter(member_id=alice.id).count() == 0
    bob = await factory.member("bob")
    await client.login_as(bob)
    other = await ApiToken.create(key_hash="y" * 64, member=alice, name="x")
    assert (await client.post_form(f"/me/tokens/{other.id}/revoke")).status_code == 404


async def test_resend_verification_link(client, factory, mailbox):
    alice = await factory.member("alice")
    await client.login_as(alice)
    sent = await client.post_form("/verify")
    assert sent.status_code == 303
    assert mailbox.wait_for(1)[0]["To"] == "alice@example.org"
    for _ in range(3):
        await client.post_form("/verify")
    assert (await client.post_form("/verify")).status_code == 429


async def test_public_profile_and_mentions_target(client, factory):
    alice = await factory.member("alice", display_name="Alice Martin")
    page = await client.get("/u/alice")
    assert page.status_code == 200 and "Alice Martin" in page.text and "@alice" in page.text
    assert '<p class="probe-profile">Alice Martin wrote 3 probes</p>' in page.text  # profile_panels
    assert (await client.get("/u/ghost")).status_code == 404
    await Member.filter(id=alice.id).update(is_active=False)
    assert (await client.get("/u/alice")).status_code == 404


async def test_profile_shows_only_communities_the_viewer_may_see_them_in(client, factory):
    alice = await factory.member("alice")
    await factory.community("ouvert", name="Ouvert", coordinator=alice)
    await factory.community("ferme", name="Fermé", visibility="private", coordinator=alice)
    page = await client.get("/u/alice")  # the list is for members of her communities by default
    assert "Ouvert" not in page.text and "keeps this list private" in page.text
    bob = await factory.member("bob")
    await factory.community("autre", coordinator=bob)
    await client.login_as(bob)
    assert "Ouvert" not in (await client.get("/u/alice")).text  # no community in common
    client.logout_locally()
    await Member.filter(id=alice.id).update(profile_visibility={"communities": "everyone"})
    page = await client.get("/u/alice")
    assert "Ouvert" in page.text and "Fermé" not in page.text
