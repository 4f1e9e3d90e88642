"""OpenID Connect sign-in against a real OpenID Provider (oidc-provider on loopback) and a real
uvicorn server: accounts from claims, roles from groups both ways, and every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.oidc_op import OpenIDProvider, sign_in_at_provider
from tisserand.testing.live import LiveSite
from tisserand.web.security import SESSION_COOKIE

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def op_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OpenIDProvider, LiveSite]]:
    site = LiveSite(tmp_path_factory.mktemp("oidc"), [])
    op = OpenIDProvider(site.url)
    config = site.folder / "tisserand.toml"
    config.write_text(config.read_text() + op.toml() + op.toml("corp-jwt", "tisserand-jwt"),
                      encoding="utf-8")
    try:
        site.start()

        async def seed(_site: Any) -> None:
            from tisserand.auth import create_member
            from tisserand.communities import create_community

            boss = await create_member(_site.settings, username="boss", email="boss@example.org",
                                       password=PASSWORD)
            await create_community(boss, slug="eau", name="Eau", join_policy="invite")
            await create_member(_site.settings, username="bob", email="bob@example.org", password=PASSWORD)

        site.run(seed)
        yield op, site
    finally:
        site.stop()
        op.stop()


def _browser() -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=15)


def _signed_in(op_site, account: str) -> tuple[httpx.Client, httpx.Response]:
    op, site = op_site
    browser = _browser()
    callback = sign_in_at_provider(browser, f"{site.url}/auth/oidc/corp/login", account, site.url)
    return browser, browser.get(callback)


def _state_of(site: LiveSite, username: str) -> dict[str, Any]:
    async def read(_site: Any) -> dict[str, Any]:
        from tisserand.models import AuditLog, IdentityLink, Member, Membership

        member = await Member.get_or_none(username=username)
        if member is None:
            return {}
        roles = {m.community.slug: str(m.role) for m in
                 await Membership.filter(member_id=member.id).prefetch_related("community")}
        audit = [a.action for a in await AuditLog.filter(target_id=member.id,
                                                         action__startswith="auth.").order_by("id")]
        links = await IdentityLink.filter(member_id=member.id).count()
        from tisserand.models import Consent

        consents = sorted(c.document for c in await Consent.filter(member_id=member.id))
        return {"admin": member.is_admin, "roles": roles, "audit": audit, "links": links,
                "email": member.email, "name": member.display_name, "locale": member.locale,
                "verified": member.email_verified_at is not None, "consents": consents}

    return site.run(read)


def test_first_sign_in_creates_the_account_with_the_roles_of_its_groups(op_site):
    op, site = op_site
    op.set_account("alice-sub", email="alice@example.org", email_verified=True, name="Alice Martin",
                   preferred_username="alice", locale="en-GB",
                   groups=["cop-eau-animateurs", "tisserand-admins", "unrelated"])
    browser, response = _signed_in(op_site, "alice-sub")
    assert response.status_code == 303, response.text
    assert SESSION_COOKIE in response.cookies
    me = browser.get(f"{site.url}/api/v1/me").json()
    assert me["username"] == "alice" and me["is_admin"] is True
    state = _state_of(site, "alice")
    assert state["roles"] == {"eau": "animator"}
    assert state["name"] == "Alice Martin" and state["locale"] == "en" and state["verified"]
    assert "auth.sso.role_granted" in state["audit"] and "auth.sso.admin_granted" in state["audit"]
    # The provider vouched for who she is, not for this site's terms: the first page asks.
    assert state["consents"] == []
    asked = browser.get(f"{site.url}/admin")
    assert asked.status_code == 303 and asked.headers["location"] == "/consent?next=/admin"
    question = browser.get(f"{site.url}/consent?next=/admin")
    assert 'href="/privacy"' in question.text and 'name="accept"' in question.text
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', question.text).group(1)
    accepted = browser.post(f"{site.url}/consent", data={"csrf_token": csrf, "accept": "on", "next": "/admin"})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/admin"
    assert _state_of(site, "alice")["consents"] == ["privacy", "terms"]
    admin_page = browser.get(f"{site.url}/admin")
    assert admin_page.status_code == 200
    assert "alice became animator of eau (groups at corp)." in admin_page.text

    # Next sign-in: the groups changed at the provider, the roles follow (both ways).
    op.set_account("alice-sub", email="alice@example.org", email_verified=True, name="Alice Martin",
                   preferred_username="alice", groups=["cop-eau"])
    _browser2, again = _signed_in(op_site, "alice-sub")
    assert again.status_code == 303
    state = _state_of(site, "alice")
    assert state["admin"] is False and state["roles"] == {"eau": "member"}
    assert "auth.sso.admin_revoked" in state["audit"]
    op.set_account("alice-sub", email="alice@example.org", email_verified=True, groups=[])
    _browser3, third = _signed_in(op_site, "alice-sub")
    assert third.status_code == 303
    state = _state_of(site, "alice")
    assert state["roles"] == {} and "auth.sso.role_revoked" in state["audit"]
    assert state["links"] == 1  # the same account every time


@pytest.mark.parametrize("mode", ["bad-signature", "wrong-audience", "wrong-issuer", "expired", "wrong-nonce"])
def test_spoiled_id_tokens_are_refused(op_site, mode):
    op, site = op_site
    op.set_account(f"eve-{mode}", email=f"eve-{mode}@example.org", groups=["tisserand-admins"])
    op.set_mode(mode)
    try:
        _browser, response = _signed_in(op_site, f"eve-{mode}")
    finally:
        op.set_mode("normal")
    assert response.status_code == 400
    assert "could not be checked" in response.text
    assert SESSION_COOKIE not in response.cookies
    assert _state_of(site, f"eve-{mode}") == {}


def test_a_replayed_or_missing_state_is_refused(op_site):
    op, site = op_site
    op.set_account("rita", email="rita@example.org")
    browser = _browser()
    callback = sign_in_at_provider(browser, f"{site.url}/auth/oidc/corp/login", "rita", site.url)
    assert browser.get(callback).status_code == 303
    browser.cookies.clear()
    replay = _browser()
    replay.cookies.set("tisserand_oidc_state", callback.split("state=")[1].split("&")[0])
    replayed = replay.get(callback)
    assert replayed.status_code == 400 and "already used" in replayed.text
    missing = _browser().get(f"{site.url}/auth/oidc/corp/callback?code=abc")
    assert missing.status_code == 400 and "already used" in missing.text
    # A state started in another browser (login CSRF) is refused too.
    other = _browser()
    callback = sign_in_at_provider(other, f"{site.url}/auth/oidc/corp/login", "rita", site.url)
    victim = _browser()
    assert victim.get(callback).status_code == 400
    unknown = _browser().get(f"{site.url}/auth/oidc/nope/login")
    assert unknown.status_code == 404
    # The person cancels at the provider: a clear message, no session.
    cancel = _browser()
    start = cancel.get(f"{site.url}/auth/oidc/corp/login")
    state = start.headers["location"].split("state=")[1].split("&")[0]
    denied = cancel.get(f"{site.url}/auth/oidc/corp/callback?state={state}&error=access_denied"
                        "&error_description=End-User+aborted+interaction")
    assert denied.status_code == 400 and "did not sign you in: End-User aborted interaction" in denied.text
    assert SESSION_COOKIE not in denied.cookies


def test_an_unverified_address_cannot_take_over_an_account(op_site):
    op, site = op_site
    op.set_account("mallory", email="bob@example.org", email_verified=False, groups=["tisserand-admins"])
    _browser, response = _signed_in(op_site, "mallory")
    assert response.status_code == 400
    assert "does not confirm that this address is yours" in response.text
    assert SESSION_COOKIE not in response.cookies
    state = _state_of(site, "bob")
    assert state["links"] == 0 and state["admin"] is False


def test_a_verified_address_joins_the_account_only_with_its_password(op_site):
    op, site = op_site
    op.set_account("bob-at-corp", email="bob@example.org", email_verified=True, groups=["cop-eau"])
    browser, response = _signed_in(op_site, "bob-at-corp")
    assert response.status_code == 200 and "You already have an account here" in response.text
    assert SESSION_COOKIE not in response.cookies
    import re

    ticket = re.search(r'name="ticket" value="([^"]+)"', response.text).group(1)
    csrf = browser.cookies["tisserand_csrf"]
    wrong = browser.post(f"{site.url}/auth/oidc/join", data={"ticket": ticket, "password": "not it at all",
                                                             "csrf_token": csrf})
    assert wrong.status_code == 422 and _state_of(site, "bob")["links"] == 0
    right = browser.post(f"{site.url}/auth/oidc/join", data={"ticket": ticket, "password": PASSWORD,
                                                             "csrf_token": csrf})
    assert right.status_code == 303 and SESSION_COOKIE in right.cookies
    state = _state_of(site, "bob")
    assert state["links"] == 1 and state["roles"] == {"eau": "member"}
    # From now on the provider alone signs Bob in.
    _again, next_time = _signed_in(op_site, "bob-at-corp")
    assert next_time.status_code == 303 and SESSION_COOKIE in next_time.cookies


def test_logging_out_signs_out_at_the_provider_too(op_site):
    op, site = op_site
    op.set_account("lea", email="lea@example.org")
    browser, response = _signed_in(op_site, "lea")
    assert response.status_code == 303
    browser.cookies.set(SESSION_COOKIE, response.cookies[SESSION_COOKIE])
    page = browser.get(f"{site.url}/consent")  # a new account: asked first, may log out
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    out = browser.post(f"{site.url}/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    assert out.headers["location"].startswith(f"{op.issuer}/session/end")
    assert "id_token_hint=" in out.headers["location"]
    assert browser.get(f"{site.url}/api/v1/me").status_code == 401


def test_members_link_and_unlink_a_provider_from_their_account_page(op_site):
    import re

    op, site = op_site

    async def make(_site: Any) -> None:
        from tisserand.auth import create_member

        await create_member(_site.settings, username="zoe", email="zoe@example.org", password=PASSWORD)

    site.run(make)
    browser = _browser()
    page = browser.get(f"{site.url}/login")
    logged = browser.post(f"{site.url}/login", data={"login": "zoe", "password": PASSWORD,
                                                     "csrf_token": browser.cookies["tisserand_csrf"]})
    assert logged.status_code == 303
    page = browser.get(f"{site.url}/me")
    assert "Link Corp ID" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    start = browser.post(f"{site.url}/auth/oidc/corp/link", data={"csrf_token": csrf})
    assert start.status_code == 303
    op.set_account("zoe-at-corp", email="zoe.other@example.org", email_verified=False)
    callback = sign_in_at_provider(browser, start.headers["location"], "zoe-at-corp", site.url)
    linked = browser.get(callback)
    assert linked.status_code == 303 and linked.headers["location"] == "/me#identities"
    assert _state_of(site, "zoe")["links"] == 1
    page = browser.get(f"{site.url}/me")
    link_id = re.search(r"/me/identities/(\d+)/unlink", page.text).group(1)
    unlinked = browser.post(f"{site.url}/me/identities/{link_id}/unlink", data={"csrf_token": csrf})
    assert unlinked.status_code == 303 and _state_of(site, "zoe")["links"] == 0


def test_a_signed_userinfo_answer_is_checked_and_read(op_site):
    op, site = op_site
    op.set_account("paul-sub", email="paul@example.org", email_verified=True, name="Paul Leroy",
                   preferred_username="paul", groups=["cop-eau"])
    browser = _browser()
    callback = sign_in_at_provider(browser, f"{site.url}/auth/oidc/corp-jwt/login", "paul-sub", site.url)
    response = browser.get(callback)
    assert response.status_code == 303, response.text
    state = _state_of(site, "paul")
    assert state["name"] == "Paul Leroy" and state["roles"] == {"eau": "member"}
