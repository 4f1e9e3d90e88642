"""The signed unsubscribe link: no log-in, works once, only for its member, cannot be forged."""

from __future__ import annotations

import re

from tests.plugins.digests.conftest import text_part
from tisserand.auth import sign
from tisserand.plugins.digests.models import DigestAccount
from tisserand.plugins.digests.preferences import global_frequency
from tisserand.plugins.digests.runner import send_digests
from tisserand.plugins.digests.unsubscribe import PURPOSE

LINK = re.compile(r"http://testserver(/digests/unsubscribe/\S+)")


async def _two_readers(dsite, dfactory, mailbox, later):
    anna = await dfactory.member("anna")
    bruno = await dfactory.member("bruno")
    community = await dfactory.community("place", coordinator=anna, members={bruno: "member"})
    await dfactory.content(community, anna, title="News")
    await send_digests(dsite, "weekly", now=later)
    anna_link = LINK.search(text_part(mailbox.to("anna@example.org")[0])).group(1)
    return anna, bruno, anna_link


async def test_the_link_asks_then_unsubscribes_without_log_in(dsite, dfactory, dclient, mailbox, later):
    anna, bruno, link = await _two_readers(dsite, dfactory, mailbox, later)

    page = await dclient.get(link)
    assert page.status_code == 200 and "Unsubscribe from all digests" in page.text
    assert await global_frequency(dsite, anna) == "weekly"  # a GET (a mail scanner) changes nothing

    done = await dclient.post_form(link)
    assert done.status_code == 200 and "you will not receive digests any more" in done.text
    assert await global_frequency(dsite, anna) == "never"
    assert await global_frequency(dsite, bruno) == "weekly"  # only its own member


async def test_the_link_works_once(dsite, dfactory, dclient, mailbox, later):
    anna, _bruno, link = await _two_readers(dsite, dfactory, mailbox, later)
    assert (await dclient.post_form(link)).status_code == 200
    # Anna subscribes again; the old link must not unsubscribe her a second time.
    from tisserand.plugins.digests.preferences import save_choices

    await save_choices(dsite, anna, frequency="daily")

    again = await dclient.post_form(link)
    assert again.status_code == 410 and "not valid any more" in again.text
    assert (await dclient.get(link)).status_code == 410
    assert await global_frequency(dsite, anna) == "daily"


async def test_forged_and_borrowed_tokens_do_nothing(dsite, dfactory, dclient, mailbox, later):
    anna, bruno, link = await _two_readers(dsite, dfactory, mailbox, later)
    token = link.rsplit("/", 1)[1]
    # Bruno's id with Anna's signature, a token signed with another key, another purpose.
    payload, _, signature = token.partition(".")
    tampered = token.replace(payload, sign(dsite.settings, PURPOSE, [bruno.id, 0]).split(".")[0])
    from itsdangerous import URLSafeTimedSerializer

    other_key = URLSafeTimedSerializer("not-the-site-key", salt=f"tisserand.{PURPOSE}").dumps([bruno.id, 0])
    other_purpose = sign(dsite.settings, "password.reset", [bruno.id, 0])

    for bad in (tampered, other_key, other_purpose, "garbage"):
        response = await dclient.post_form(f"/digests/unsubscribe/{bad}")
        assert response.status_code == 410, bad
    assert await global_frequency(dsite, bruno) == "weekly"
    assert await global_frequency(dsite, anna) == "weekly"
    assert signature  # the real token was signed


async def test_one_click_post_from_a_mail_client(dsite, dfactory, dclient, mailbox, later):
    anna, _bruno, _link = await _two_readers(dsite, dfactory, mailbox, later)
    message = mailbox.to("anna@example.org")[0]
    url = message["List-Unsubscribe"].strip().strip("<>").replace("http://testserver", "")

    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    response = await dclient.post(url, content=b"List-Unsubscribe=One-Click",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and response.json() == {"unsubscribed": True}
    assert await global_frequency(dsite, anna) == "never"
    account = await DigestAccount.get(member_id=anna.id)
    assert account.unsubscribe_version == 1

    reused = await dclient.post(url, content=b"List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reused.status_code == 404
    opened = await dclient.get(url)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/digests/unsubscribe/")


async def test_unsubscribed_member_gets_no_more_digests(dsite, dfactory, dclient, mailbox, later):
    from datetime import timedelta

    from tisserand.models import Community, Content

    anna, _bruno, link = await _two_readers(dsite, dfactory, mailbox, later)
    await dclient.post_form(link)
    community = await Community.get(slug="place")
    note = await dfactory.content(community, anna, title="Next week's news")
    await Content.filter(id=note.id).update(created_at=later)  # inside next run's window

    report = await send_digests(dsite, "weekly", now=later + timedelta(weeks=1))

    assert report.sent == 1
    assert len(mailbox.to("anna@example.org")) == 1  # the first digest only
    assert "Next week's news" in text_part(mailbox.to("bruno@example.org")[-1])


async def test_the_page_speaks_the_members_language(dsite, dfactory, dclient, mailbox, later):
    from tisserand.models import Member

    anna, _bruno, link = await _two_readers(dsite, dfactory, mailbox, later)
    await Member.filter(id=anna.id).update(locale="fr")
    page = await dclient.get(link, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    assert "Unsubscribe from all digests" not in page.text
    await Member.filter(id=anna.id).update(locale="en")
    english = await dclient.get(link, headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in english.text and "Unsubscribe from all digests" in english.text
