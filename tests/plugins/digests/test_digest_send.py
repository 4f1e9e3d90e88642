"""E-mail digests through a real SMTP server: content, language, privacy, empty digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.plugins.digests.conftest import html_part, text_part
from tisserand.plugins.digests.runner import send_digests


async def test_weekly_digest_holds_the_notes_of_my_communities(dsite, dfactory, mailbox, later):
    author = await dfactory.member("autrice", display_name="Aline Autrice")
    reader = await dfactory.member("lecteur", display_name="Louis Lecteur", locale="en")
    community = await dfactory.community("jardins", name="Jardins partagés", coordinator=author,
                                         members={reader: "member"})
    await dfactory.content(community, author, title="Seed swap on Saturday")

    report = await send_digests(dsite, "weekly", now=later)

    assert report.sent == 2  # the author reads her community too
    [message] = mailbox.to("lecteur@example.org")
    assert message["Subject"] == "Your weekly digest from Tisserand"
    text = text_part(message)
    assert "Jardins partagés" in text
    assert "Seed swap on Saturday" in text
    assert "http://testserver/notes/" in text
    html = html_part(message)
    assert "Seed swap on Saturday" in html and "<a href=\"http://testserver/c/jardins\"" in html
    assert message["List-Unsubscribe"].strip().startswith("<http://testserver/api/v1/digests/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_digest_is_written_in_the_members_language(dsite, dfactory, mailbox, later):
    author = await dfactory.member("camille", locale="fr")
    community = await dfactory.community("cafe", coordinator=author)
    await dfactory.content(community, author, title="Café virtuel")

    await send_digests(dsite, "weekly", now=later)

    [message] = mailbox.to("camille@example.org")
    assert message["Subject"] == "Votre résumé hebdomadaire de Tisserand"
    assert "Se désabonner" in text_part(message)
    assert 'lang="fr"' in html_part(message)


async def test_nothing_is_sent_when_nothing_happened(dsite, dfactory, mailbox, later):
    member = await dfactory.member()
    await dfactory.community("calme", coordinator=member)

    report = await send_digests(dsite, "weekly", now=later)

    assert report.sent == 0 and report.empty == 1
    assert mailbox.messages == []


async def test_outsider_gets_nothing_from_a_private_community(dsite, dfactory, mailbox, later):
    insider = await dfactory.member("insider")
    outsider = await dfactory.member("outsider")
    applicant = await dfactory.member("applicant")
    secret_club = await dfactory.community("club", visibility="private", coordinator=insider)
    public = await dfactory.community("place", coordinator=outsider)
    await dfactory.content(secret_club, insider, title="Private plans")
    await dfactory.content(public, outsider, title="Public news")
    # A pending request to join is not a membership.
    from tisserand.models import Membership, MembershipState

    await Membership.create(member=applicant, community=secret_club, state=MembershipState.REQUESTED)

    await send_digests(dsite, "weekly", now=later)

    every_text = "\n".join(text_part(m) + html_part(m) for m in mailbox.to("outsider@example.org"))
    assert "Public news" in every_text
    assert "Private plans" not in every_text and "club" not in every_text.lower()
    assert mailbox.to("applicant@example.org") == []
    assert "Private plans" in text_part(mailbox.to("insider@example.org")[0])


async def test_frequencies_per_community_and_globally(dsite, dfactory, mailbox, later):
    from tisserand.plugins.digests.preferences import save_choices

    author = await dfactory.member("author")
    reader = await dfactory.member("reader")
    quiet = await dfactory.member("quiet")
    lively = await dfactory.community("lively", coordinator=author, members={reader: "member", quiet: "member"})
    calm = await dfactory.community("calm", coordinator=author, members={reader: "member"})
    await dfactory.content(lively, author, title="Lively news")
    await dfactory.content(calm, author, title="Calm news")
    await save_choices(dsite, reader, frequency="weekly", communities={"lively": "daily"})
    await save_choices(dsite, quiet, frequency="never")

    await send_digests(dsite, "weekly", now=later)
    await send_digests(dsite, "daily", now=datetime.now(UTC) + timedelta(days=1))

    weekly = [m for m in mailbox.to("reader@example.org") if "weekly" in m["Subject"]]
    daily = [m for m in mailbox.to("reader@example.org") if "daily" in m["Subject"]]
    assert len(weekly) == 1 and len(daily) == 1
    assert "Calm news" in text_part(weekly[0]) and "Lively news" not in text_part(weekly[0])
    assert "Lively news" in text_part(daily[0]) and "Calm news" not in text_part(daily[0])
    assert mailbox.to("quiet@example.org") == []


async def test_new_members_to_welcome(dsite, dfactory, mailbox, later):
    host = await dfactory.member("host")
    newcomer = await dfactory.member("newcomer", display_name="Nina Nouvelle")
    await dfactory.community("accueil", coordinator=host, members={newcomer: "member"})

    await send_digests(dsite, "weekly", now=later)

    text = text_part(mailbox.to("host@example.org")[0])
    assert "A new member to welcome" in text and "Nina Nouvelle" in text
    # The newcomer is not asked to welcome themself, and the host joined first.
    newcomer_mail = mailbox.to("newcomer@example.org")
    assert newcomer_mail == [] or "Nina Nouvelle" not in text_part(newcomer_mail[0])


async def test_newcomers_cities_show_only_when_they_chose_to(dsite, dfactory, mailbox, later):
    from tisserand.models import Member

    host = await dfactory.member("host")
    shown = await dfactory.member("nina", display_name="Nina Nouvelle")
    private = await dfactory.member("paul", display_name="Paul Privé")
    await Member.filter(id=shown.id).update(city="Lévis")
    await Member.filter(id=private.id).update(city="Gaspé", profile_visibility={"location": "me"})
    await dfactory.community("accueil", coordinator=host, members={shown: "member", private: "member"})

    await send_digests(dsite, "weekly", now=later)

    text = text_part(mailbox.to("host@example.org")[0])
    assert "Nina Nouvelle" in text and "Lévis" in text
    assert "Paul Privé" in text and "Gaspé" not in text


async def test_unread_notifications_are_in_the_digest_once(dsite, dfactory, mailbox, later):
    from tisserand.notify import notify

    member = await dfactory.member("reader")
    community = await dfactory.community("place", coordinator=member)
    await notify(member, "test.ping", "Someone waved at you", url="/c/place", community=community, site=dsite)

    await send_digests(dsite, "weekly", now=later)
    await send_digests(dsite, "daily", now=later)

    messages = mailbox.to("reader@example.org")
    assert len(messages) == 1
    assert "Someone waved at you" in text_part(messages[0])




async def test_an_archived_community_leaves_digests(dsite, dfactory, mailbox, later):
    from tisserand.communities import archive_community

    author = await dfactory.member("archiviste")
    reader = await dfactory.member("lectrice")
    community = await dfactory.community("saison-1", coordinator=author, members={reader: "member"})
    await dfactory.content(community, author, title="Bilan de la saison")
    await archive_community(community, author)

    report = await send_digests(dsite, "weekly", now=later)

    assert report.sent == 0
    assert mailbox.to("lectrice@example.org") == []


async def test_queued_notifications_are_mailed_in_the_language_of_the_moment(dsite, dfactory, mailbox, later):
    """A notification waiting for the digest was made in French; the member switched to English
    before the digest left: the whole e-mail, notification included, is in English."""
    from tisserand.i18n import lazy_gettext
    from tisserand.models import Member
    from tisserand.notify import notify

    member = await dfactory.member("reader", locale="fr")
    coordinator = await dfactory.member("coord")
    community = await dfactory.community("place", name="La Place", coordinator=coordinator,
                                         members={member: "member"})
    await notify(member, "test.ping", lazy_gettext("{name} asks to join {community}", name="Inès",
                                                   community="La Place"), community=community, site=dsite)
    await Member.filter(id=member.id).update(locale="en")
    await send_digests(dsite, "weekly", now=later)
    [message] = mailbox.to("reader@example.org")
    text = text_part(message)
    assert "Inès asks to join La Place" in text and "demande à rejoindre" not in text
