"""Private by default: a privacy policy and terms, linked everywhere, accepted at sign-up."""

from tisserand.models import Consent, Member


async def test_signup_requires_and_records_consent_to_the_versions_in_force(site, client):
    page = await client.get("/signup")
    assert 'href="/privacy"' in page.text and 'href="/terms"' in page.text and 'name="accept"' in page.text
    data = {"username": "nadia", "email": "nadia@example.org", "password": "a long enough password"}
    refused = await client.post_form("/signup", data)
    assert refused.status_code == 422 and "Accept the terms" in refused.text
    assert not await Member.exists(username="nadia")
    assert (await client.post_form("/signup", {**data, "accept": "on"})).status_code == 303
    nadia = await Member.get(username="nadia")
    consents = {c.document: c.version for c in await Consent.filter(member_id=nadia.id)}
    assert consents == {"privacy": "1", "terms": "1"}


async def test_policy_and_terms_are_linked_from_every_footer_and_overridable(site, client):
    home = await client.get("/")
    assert 'href="/privacy"' in home.text and 'href="/terms"' in home.text
    custom = site.settings.path("templates") / "legal"
    custom.mkdir(parents=True, exist_ok=True)
    (custom / "privacy.html").write_text('{% extends "base.html" %}{% block content %}Our own policy{% endblock %}')
    try:
        assert "Our own policy" in (await client.get("/privacy")).text
    finally:
        (custom / "privacy.html").unlink()
    policy = await client.get("/privacy")
    assert policy.status_code == 200 and "30 days" in policy.text and "Our own policy" not in policy.text
    assert (await client.get("/terms")).status_code == 200
