"""In a real browser: sign-up with mistakes then success, log-out and log-in, a forgotten
password reset through the e-mailed link, and the account page — in French and in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tisserand.testing.live import LiveSite

WORDS = {
    "fr": {"invalid": "Veuillez corriger les champs signalés", "mismatch": "ne correspondent pas",
           "reset_sent": "nous venons de lui envoyer un lien", "saved": "Votre nouveau mot de passe est enregistré",
           "profile_saved": "Votre profil est enregistré", "log_in": "Se connecter"},
    "en": {"invalid": "Please correct the highlighted fields", "mismatch": "do not match",
           "reset_sent": "we just sent it a link", "saved": "Your new password is saved",
           "profile_saved": "Your profile is saved", "log_in": "Log in"},
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A core-only site sending its mail to files (data/mail/*.eml)."""
    site = LiveSite(tmp_path_factory.mktemp("live-accounts"), []).start()
    try:
        yield site
    finally:
        site.stop()


def last_link(live: LiveSite, address: str, path: str) -> str:
    """The link to ``path`` in the newest e-mail sent to ``address``."""
    mails = sorted((live.folder / "data" / "mail").glob("*.eml"), key=lambda p: p.stat().st_mtime)
    for mail in reversed(mails):
        message = message_from_bytes(mail.read_bytes(), policy=policy.default)
        if message["To"] == address:
            found = re.search(rf"(http://\S+{path}\S+)", message.get_content())
            if found:
                return found.group(1)
    raise AssertionError(f"no mail to {address} with {path}")


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_sign_up_log_out_log_in_and_reset_the_password(live, new_page, locale):
    words = WORDS[locale]
    username, email = f"nadia-{locale}", f"nadia-{locale}@example.org"
    page = new_page(locale)
    page.goto(live.url + "/signup")
    page.fill("#f-username", "X!")
    page.fill("#f-email", "not-an-address")
    page.fill("#f-password", "short")
    page.locator("main form button[type=submit]").click()
    assert words["invalid"] in page.locator("#form-errors").inner_text()
    assert page.evaluate("document.activeElement.id") == "form-errors"  # announced to screen readers
    assert page.get_attribute("#f-email", "aria-invalid") == "true"
    assert page.input_value("#f-email") == "not-an-address"  # nothing typed is lost
    screenshot(page, f"{locale}-accounts-01-signup-errors")

    page.fill("#f-display_name", "Nadia Benali")
    page.fill("#f-username", username)
    page.fill("#f-email", email)
    page.fill("#f-password", "a long enough password")
    page.check("#f-accept")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live.url + "/")
    assert "Nadia Benali" in page.locator("header").inner_text()
    assert page.locator(".flash").is_visible()

    page.locator("header form[action='/logout'] button").click()
    page.get_by_role("link", name=words["log_in"], exact=True).first.click()
    page.fill("#f-login", username)
    page.fill("#f-password", "wrong password")
    page.locator("main form button[type=submit]").click()
    assert words["mismatch"] in page.locator("main [role=alert]").inner_text()
    screenshot(page, f"{locale}-accounts-02-wrong-password")

    page.goto(live.url + "/reset")
    page.fill("#f-email", email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live.url + "/login")
    assert words["reset_sent"] in page.locator(".flash").inner_text()
    link = last_link(live, email, "/reset/")
    page.goto(link)
    screenshot(page, f"{locale}-accounts-03-new-password")
    page.fill("#f-password", "my brand new password")
    page.fill("#f-password_confirm", "my brand new password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live.url + "/me")
    assert words["saved"] in page.locator(".flash").inner_text()

    page.fill("#f-display_name", "Nadia B. Tremblay")
    page.select_option("#f-timezone", "America/Toronto")
    page.locator("#profile button[type=submit]").click()
    assert words["profile_saved"] in page.locator(".flash").inner_text()
    assert page.locator(".profile-header .avatar").inner_text() == "NB"
    screenshot(page, f"{locale}-accounts-04-my-account")


def test_log_in_with_the_keyboard_only(live, new_page):
    async def create(site: Any) -> None:
        from tisserand.auth import create_member

        await create_member(site.settings, username="kbd", email="kbd@example.org",
                            password="a long enough password")

    live.run(create)
    page = new_page("en")
    page.goto(live.url + "/login")
    page.focus("#f-login")
    page.keyboard.type("kbd")
    page.keyboard.press("Tab")
    page.keyboard.type("a long enough password")
    page.keyboard.press("Enter")
    page.wait_for_url(live.url + "/")
    assert "kbd" in page.locator("header").inner_text()


def test_the_content_security_policy_refuses_inline_scripts(live, chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto(live.url + "/login")
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'document.body.dataset.injected = "yes"';
                                 document.head.appendChild(s); }""")
        page.wait_for_timeout(200)
        assert page.evaluate("() => document.body.dataset.injected") is None
        assert any("Content Security Policy" in text for text in messages)
        assert page.evaluate("() => window.self === window.top")
    finally:
        context.close()
