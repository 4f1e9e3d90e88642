"""Text is data until it is read: notifications, plugin and permission labels, validation
messages and error pages in the reader's language, whatever language they were made in."""

from __future__ import annotations

import html

import pytest

from tisserand import i18n
from tisserand.communities import join
from tisserand.models import Member, Notification
from tisserand.notify import notify


async def _requested(factory, coordinator_locale: str):
    coordinator = await factory.member("camille", locale=coordinator_locale, display_name="Camille")
    community = await factory.community("atelier", name="Atelier", coordinator=coordinator,
                                        join_policy="request")
    ines = await factory.member("ines", display_name="Inès")
    await join(ines, community)
    return coordinator, community


@pytest.mark.parametrize(("made_in", "read_in", "expected", "absent"), [
    ("fr", "en", "Inès asks to join Atelier", "demande à rejoindre"),
    ("en", "fr", "Inès demande à rejoindre Atelier", "asks to join"),
])
async def test_a_notification_is_shown_in_the_language_of_its_reader(site, client, factory, made_in,
                                                                       read_in, expected, absent):
    coordinator, _community = await _requested(factory, made_in)
    stored = await Notification.get(member_id=coordinator.id, kind="membership.request")
    assert stored.data["i18n"]["title"]["msgid"] == "{name} asks to join {community}"
    await Member.filter(id=coordinator.id).update(locale=read_in)  # the member switches language
    await client.login_as(coordinator)
    page = await client.get("/me/notifications")
    assert expected in html.unescape(page.text) and absent not in html.unescape(page.text)
    api = await client.api("GET", "/api/v1/me/notifications")
    assert api.json()["items"][0]["title"] == expected


async def test_notification_excerpts_are_plain_text(site, factory):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("lieu", coordinator=alice, members={bob: "member"})
    note = await factory.content(community, alice, body="**Important**: lisez [le guide](https://x.org) `vite`")
    from tisserand.markdown import plain_excerpt

    await notify(bob, "test.ping", i18n.lazy_gettext("Welcome to {name}!", name="Lieu"),
                 text=plain_excerpt(note.html, is_html=True), community=community, site=site)
    stored = await Notification.get(member_id=bob.id)
    assert stored.text == "Important: lisez le guide vite"
    assert "**" not in plain_excerpt("**gras** et _italique_") and plain_excerpt("**gras**") == "gras"


def test_rows_stored_as_text_are_recovered_in_both_languages(site):
    for text, msgid in [("Inès demande à rejoindre Atelier", "{name} asks to join {community}"),
                        ("Posts are waiting for review in Atelier", "Posts are waiting for review in {community}")]:
        message = i18n.recover(text)
        assert message is not None and message.msgid == msgid, text
        with i18n.use_locale("en"):
            english = str(message)
        with i18n.use_locale("fr"):
            french = str(message)
        assert "Atelier" in english and "Atelier" in french and english != french


@pytest.mark.parametrize(("language", "expected", "english_only"), [
    ("fr", ["Lancer un sujet", "Sondages", "Envoyer un appel à tous les membres"], ["Start a topic", ">Surveys<"]),
    ("en", ["Start a topic", "Surveys", "Send a call to all members"], ["Lancer un sujet", "Sondages"]),
])
async def test_permissions_and_plugins_are_named_in_the_readers_language(site, client, factory, language,
                                                                         expected, english_only):
    coordinator = await factory.member("camille", locale=language)
    await factory.community("atelier", coordinator=coordinator)
    await client.login_as(coordinator)
    page = html.unescape((await client.get("/c/atelier/settings")).text)
    for text in expected:
        assert text in page, text
    for text in english_only:
        assert text not in page, text


def test_plugins_name_themselves(site):
    with i18n.use_locale("fr"):
        assert site.plugins.label("surveys") == "Sondages" and site.plugins.label("forums") == "Forums"
        assert site.plugins.label("unknown_plugin") == "Unknown plugin"
    with i18n.use_locale("en"):
        assert site.plugins.label("digests") == "Notifications and digests"


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Nom\u00a0: 200 caractères au plus."),
    ("en", "Name: 200 characters at most."),
])
async def test_api_validation_messages_follow_the_request_locale(client, factory, language, expected):
    await client.login_as(await factory.member("alice", admin=True))
    answer = await client.api("POST", "/api/v1/communities", json={"slug": "x", "name": "n" * 300},
                              headers={"Accept-Language": language})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["message"] == expected, error
    wrong_type = await client.api("POST", "/api/v1/communities", json={"slug": "x", "name": 3, "bad": 1},
                                  headers={"Accept-Language": language})
    fields = wrong_type.json()["error"]["fields"]
    assert fields["name"] == ("Un texte est attendu ici." if language == "fr" else "Text is expected here.")
    assert fields["bad"] == ("Champ inconnu." if language == "fr" else "Unknown field.")


@pytest.mark.parametrize(("language", "title", "english"), [
    ("fr", "Non autorisé", "Method Not Allowed"),
    ("en", "Not allowed", "Méthode"),
])
async def test_the_405_page_is_translated(client, language, title, english):
    page = await client.post_form("/c/", {}, headers={"Accept-Language": language})
    assert page.status_code == 405
    text = html.unescape(page.text)
    assert title in text and english not in text and "Method Not Allowed" not in text
    # In the site's layout: its header, the skip link and the footer's language switch.
    assert f'<html lang="{language}">' in page.text and 'class="site-header"' in page.text
    assert 'href="#main"' in page.text and 'class="language-switch"' in page.text


async def test_the_migration_turns_old_rows_into_messages(site, factory):
    """Rows stored as sentences before this release: their message is recovered (from French
    or English), Markdown excerpts become plain text, unknown text stays as it was."""
    import importlib
    from types import SimpleNamespace

    from tisserand.db import connection
    from tisserand.notify import notification_texts

    migration = importlib.import_module("tisserand.migrations.0008_notification_messages")
    reader = await factory.member("reader")
    french = await Notification.create(member=reader, kind="membership.request",
                                       title="Inès demande à rejoindre Atelier", text="**Bonjour** à _tous_")
    english = await Notification.create(member=reader, kind="forums.reply",
                                        title="Posts are waiting for review in Atelier")
    unknown = await Notification.create(member=reader, kind="x", title="Something nobody wrote in a catalog")
    await migration.forward(None, SimpleNamespace(client=connection()))
    rows = {n.id: n for n in await Notification.filter(member_id=reader.id)}
    assert rows[french.id].text == "Bonjour à tous"
    assert rows[unknown.id].data == {} and rows[unknown.id].title == "Something nobody wrote in a catalog"
    with i18n.use_locale("en"):
        assert str(notification_texts(rows[french.id].title, "", rows[french.id].data)[0]) == \
            "Inès asks to join Atelier"
    with i18n.use_locale("fr"):
        title = str(notification_texts(rows[english.id].title, "", rows[english.id].data)[0])
        assert "Atelier" in title and "Posts are" not in title
