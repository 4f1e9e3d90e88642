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


async def test_api_signup_requires_consent_and_records_it(site, client):
    data = {"username": "nadia", "email": "nadia@example.org", "password": "a long enough password"}
    refused = await client.post("/api/v1/accounts", json=data)
    assert refused.status_code == 422 and "accept_terms" in refused.json()["error"]["message"]
    assert not await Member.exists(username="nadia")
    created = await client.post("/api/v1/accounts", json={**data, "accept_terms": True})
    assert created.status_code == 201 and created.json()["consent_pending"] is False
    nadia = await Member.get(username="nadia")
    assert {c.document: c.version for c in await Consent.filter(member_id=nadia.id)} == {"privacy": "1", "terms": "1"}


async def test_an_account_made_for_someone_asks_them_on_their_first_page(site, factory, client):
    admin = await factory.member("root", admin=True)
    await client.login_as(admin)
    made = await client.api("POST", "/api/v1/accounts", {"username": "sami", "email": "sami@example.org",
                                                         "password": "a long enough password", "accept_terms": True})
    assert made.status_code == 201 and made.json()["consent_pending"] is True
    sami = await Member.get(username="sami")
    assert not await Consent.exists(member_id=sami.id)
    client.logout_locally()
    await client.login_as(sami)
    home = await client.get("/c/?x=1")
    assert home.status_code == 303 and home.headers["location"] == "/consent?next=/c/%3Fx%3D1"
    assert (await client.get("/privacy")).status_code == 200  # the documents stay readable
    question = await client.get(home.headers["location"])
    assert question.status_code == 200 and 'href="/privacy"' in question.text and 'name="accept"' in question.text
    assert (await client.get("/api/v1/me")).status_code == 200  # the API stays open (it has its own way)
    refused = await client.post_form("/consent", {"next": "/c/?x=1"})
    assert refused.status_code == 422 and "Accept the terms" in refused.text
    accepted = await client.post_form("/consent", {"next": "/c/?x=1", "accept": "on"})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/c/?x=1"
    assert (await client.get("/c/")).status_code == 200
    assert {c.document for c in await Consent.filter(member_id=sami.id)} == {"privacy", "terms"}


async def test_a_script_accepts_through_the_api(site, factory, client):
    lea = await factory.member("lea")
    await Member.filter(id=lea.id).update(consent_pending=True)
    await client.login_as(lea)
    refused = await client.api("POST", "/api/v1/me/consent", {"accept": False})
    assert refused.status_code == 422
    accepted = await client.api("POST", "/api/v1/me/consent", {"accept": True})
    assert accepted.status_code == 200 and accepted.json()["consent_pending"] is False
    assert not (await Member.get(id=lea.id)).consent_pending
    assert await Consent.filter(member_id=lea.id).count() == 2
    assert (await client.get("/")).status_code == 200
