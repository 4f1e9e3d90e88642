"""Digest settings (API and page), the preview, and the scheduled job."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.plugins.digests.conftest import FAST, NotesPlugin


async def _member_in_two(dfactory):
    me = await dfactory.member("mia", locale="en")
    other = await dfactory.member("otto")
    await dfactory.community("alpha", name="Alpha", coordinator=other, members={me: "member"})
    await dfactory.community("beta", name="Beta", coordinator=other, members={me: "member"})
    await dfactory.community("gamma", name="Gamma", coordinator=other)
    return me, other


async def test_api_reads_and_changes_frequencies(dsite, dfactory, dclient):
    me, _other = await _member_in_two(dfactory)
    await dclient.login_as(me)

    start = (await dclient.get("/api/v1/me/digest")).json()
    assert start["frequency"] == "weekly" and start["chosen"] is False and start["site_default"] == "weekly"
    assert [c["slug"] for c in start["communities"]] == ["alpha", "beta"]

    changed = await dclient.api("PUT", "/api/v1/me/digest",
                                json={"frequency": "monthly", "communities": {"alpha": "daily"}})
    body = changed.json()
    assert changed.status_code == 200 and body["frequency"] == "monthly" and body["chosen"] is True
    assert {c["slug"]: (c["frequency"], c["effective"]) for c in body["communities"]} == {
        "alpha": ("daily", "daily"), "beta": (None, "monthly")}

    back = await dclient.api("PUT", "/api/v1/me/digest", json={"communities": {"alpha": None}})
    assert back.json()["communities"][0]["frequency"] is None


async def test_api_refuses_bad_choices(dsite, dfactory, dclient):
    me, _other = await _member_in_two(dfactory)
    await dclient.login_as(me)
    for body in ({"frequency": "hourly"}, {"communities": {"gamma": "daily"}},
                 {"communities": {"alpha": "sometimes"}}, {}, {"frequency": "daily", "x": 1}):
        response = await dclient.api("PUT", "/api/v1/me/digest", json=body)
        assert response.status_code == 422, body
    assert (await dclient.get("/api/v1/me/digest")).json()["frequency"] == "weekly"


async def test_settings_page_saves_the_form(dsite, dfactory, dclient):
    me, _other = await _member_in_two(dfactory)
    await dclient.login_as(me)
    page = await dclient.get("/me/digest")
    assert page.status_code == 200 and 'name="community-alpha"' in page.text

    saved = await dclient.post_form("/me/digest", {"frequency": "daily", "community-alpha": "never",
                                                   "community-beta": ""})
    assert saved.status_code == 303
    body = (await dclient.get("/api/v1/me/digest")).json()
    assert body["frequency"] == "daily"
    assert {c["slug"]: c["effective"] for c in body["communities"]} == {"alpha": "never", "beta": "daily"}

    wrong = await dclient.post_form("/me/digest", {"frequency": "hourly"})
    assert wrong.status_code == 422 and "Choose never, daily, weekly or monthly." in wrong.text


async def test_preview_shows_what_the_next_digest_holds(dsite, dfactory, dclient):
    me, other = await _member_in_two(dfactory)
    from tisserand.models import Community

    alpha = await Community.get(slug="alpha")
    await dfactory.content(alpha, other, title="Fresh alpha news")
    await dclient.login_as(me)

    api = (await dclient.get("/api/v1/me/digest/preview?period=weekly")).json()
    assert api["empty"] is False and api["subscribed"] is True
    assert api["subject"] == "Your weekly digest from Tisserand"
    assert "Fresh alpha news" in api["text"] and "Fresh alpha news" in api["html"]

    page = await dclient.get("/me/digest/preview")
    assert page.status_code == 200 and "Fresh alpha news" in page.text
    assert (await dclient.get("/api/v1/me/digest/preview?period=hourly")).status_code == 422


async def test_the_scheduled_job_sends_due_digests(site_factory, mailbox):
    from tisserand.jobs import all_jobs
    from tisserand.models import Content
    from tisserand.plugins.digests.periods import previous_window, zone
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin()},
                              config={"plugins": {"digests": {**FAST, "send_hour": 0}}})
    factory = Factory(site)
    author = await factory.member("author")
    community = await factory.community("place", coordinator=author)
    note = await factory.content(community, author, title="Last week's news")
    window = previous_window("weekly", datetime.now(UTC), zone(site.settings.site.timezone))
    await Content.filter(id=note.id).update(created_at=window.since)

    jobs = all_jobs(site)
    assert {"digests.send", "digests.calls"} <= set(jobs)
    await jobs["digests.send"].func(site)
    await jobs["digests.send"].func(site)

    [message] = mailbox.to("author@example.org")
    assert "Last week's news" in message.get_body(preferencelist=("plain",)).get_content()
