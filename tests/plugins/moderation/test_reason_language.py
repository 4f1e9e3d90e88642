"""Why an item is hidden or held is kept as a reason code and parameters, shown in the
language of whoever reads it (the author, a moderator, another moderator); a moderator's own
words are kept and shown as written."""

from __future__ import annotations

from tisserand.i18n import is_stored_message, render_stored, use_locale
from tisserand.models import Content

from .test_api import note_by


async def test_a_standard_reason_is_shown_in_each_readers_language(client, factory, place):
    author = place["troll"]
    author.locale = "fr"
    await author.save()
    note = await note_by(factory, place)
    place["animator"].locale = "en"
    await place["animator"].save()
    await client.login_as(place["animator"])
    hidden = await client.api("POST", f"/api/v1/content/{note.id}/moderation", json={"action": "hide"})
    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["status_reason"] == "Hidden by a moderator."  # the English moderator reads English
    stored = (await Content.get(id=note.id)).status_reason
    assert is_stored_message(stored)
    with use_locale("fr"):
        assert render_stored(stored) == "Masqué par un modérateur ou une modératrice."
    # The French author reads it in French on their own moderation page.
    await client.login_as(author)
    page = await client.get(f"/c/{place['community'].slug}/moderation/mine")
    assert page.status_code == 200
    assert "Masqué par un modérateur ou une modératrice." in page.text and "Hidden by a moderator" not in page.text


async def test_a_moderators_own_words_are_kept_as_written(client, factory, place):
    note = await note_by(factory, place)
    await client.login_as(place["animator"])
    hidden = await client.api("POST", f"/api/v1/content/{note.id}/moderation",
                              json={"action": "hide", "reason": "Publicité pour un site douteux"})
    assert hidden.json()["status_reason"] == "Publicité pour un site douteux"
    stored = (await Content.get(id=note.id)).status_reason
    assert not is_stored_message(stored)
    for language in ("fr", "en"):
        with use_locale(language):
            assert render_stored(stored) == "Publicité pour un site douteux"


async def test_a_hold_reason_follows_the_reader(client, place):
    from .conftest import post_note

    await client.login_as(place["coordinator"])
    added = await client.api("POST", f"/api/v1/communities/{place['community'].slug}/moderation/words",
                             json={"pattern": "cryptomonnaie", "action": "hold"})
    assert added.status_code in (200, 201), added.text
    await client.login_as(place["members"][0])
    held = await post_note(client, place["community"].slug, "Parlons cryptomonnaie ce soir.")
    assert held.json()["status"] == "pending", held.text
    stored = (await Content.get(id=held.json()["id"])).status_reason
    assert is_stored_message(stored)
    with use_locale("fr"):
        assert render_stored(stored).startswith("En attente de relecture\u00a0:")
    with use_locale("en"):
        assert render_stored(stored).startswith("Held for review:")
