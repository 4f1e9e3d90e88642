"""In Chromium: "Sign in with Corp ID", log in at a real OpenID Provider, come back signed in
with the roles the provider's groups give."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.oidc_op import OpenIDProvider
from tisserand.testing.live import LiveSite


@pytest.fixture(scope="module")
def sso_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OpenIDProvider, LiveSite]]:
    site = LiveSite(tmp_path_factory.mktemp("sso-live"), [])
    op = OpenIDProvider(site.url)
    config = site.folder / "tisserand.toml"
    config.write_text(config.read_text() + op.toml(), encoding="utf-8")
    try:
        site.start()

        async def seed(_site: Any) -> None:
            from tisserand.communities import create_community

            await create_community(None, slug="eau", name="Eau potable", join_policy="invite")

        site.run(seed)
        yield op, site
    finally:
        site.stop()
        op.stop()


def test_sign_in_with_the_organization_and_come_back_with_the_mapped_roles(sso_live, new_page):
    op, site = sso_live
    op.set_account("claire", email="claire@example.org", email_verified=True, name="Claire Dubois",
                   preferred_username="claire", locale="en", groups=["cop-eau-animateurs"])
    page = new_page("en")
    page.goto(f"{site.url}/login")
    screenshot(page, "oidc-login")
    page.get_by_role("link", name="Sign in with Corp ID").click()
    page.wait_for_url(f"{op.issuer}/**")
    page.fill("input[name=login]", "claire")
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")
    page.wait_for_selector("button[type=submit]")  # the provider's consent page
    page.click("button[type=submit]")
    page.wait_for_url(f"{site.url}/consent**")  # a new account: the site's terms come first
    assert "Welcome, Claire Dubois" in page.content()
    page.get_by_label("I accept the terms of use and the privacy policy.").check()
    page.get_by_role("button", name="Accept and continue").click()
    page.wait_for_url(f"{site.url}/")
    page.goto(f"{site.url}/c/eau/members")
    members = page.content()
    assert "Claire Dubois" in members and "Animator" in members
    page.goto(f"{site.url}/me")
    assert "Corp ID" in page.content() and "claire@example.org" in page.content()
    screenshot(page, "oidc-signed-in")
