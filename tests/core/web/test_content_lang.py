"""Content written in the other language carries its own ``lang`` (WCAG 3.1.2): guessed at
save, or chosen by the author; shown on its container when it differs from the page's."""

from __future__ import annotations

import pytest

from tests.core.web.helpers import note
from tisserand.errors import ValidationFailed
from tisserand.language import content_lang, detect_language
from tisserand.models import Content

FRENCH = "Bonjour à toutes et à tous : nous avons préparé le programme de la rencontre, merci pour vos idées."
ENGLISH = "Hello everyone: we have prepared the programme of the meeting, thanks for all your ideas."


@pytest.mark.parametrize(("text", "expected"), [
    (FRENCH, "fr"), (ENGLISH, "en"),
    ("Café", ""),  # too short to tell
    ("```python\nfor the in and: pass\n``` https://example.org/the/and/of", ""),  # code and links ignored
    ("Le café and the tea, la bière and the wine", ""),  # mixed: no guess
    ("Qu’il est bon d’être là, c’est très bien", "fr"),  # typographic apostrophes
])
def test_the_guess(text, expected):
    assert detect_language(text) == expected


def test_lang_only_when_it_differs_from_the_page():
    assert content_lang("fr", "en") == "fr"
    assert content_lang("fr", "fr") == "" and content_lang("fr", "fr_CA") == ""
    assert content_lang("", "en") == ""


async def test_the_language_is_stored_at_save_and_shown_on_pages(client, factory):
    author = await factory.member("auteur")
    community = await factory.community("bilingue", members={author: "member"})
    french = await note(factory, community, author, title="Le programme de la rencontre", body=FRENCH)
    english = await note(factory, community, author, title="The programme of the meeting", body=ENGLISH)
    assert (await Content.get(id=french.id)).lang == "fr"
    assert (await Content.get(id=english.id)).lang == "en"
    in_english = (await client.get("/c/bilingue", headers={"Accept-Language": "en"})).text
    assert f'<h3 id="item-{french.id}" lang="fr">' in in_english
    assert f'<h3 id="item-{english.id}">' in in_english
    in_french = (await client.get("/c/bilingue", headers={"Accept-Language": "fr"})).text
    assert f'<h3 id="item-{english.id}" lang="en">' in in_french
    assert f'<h3 id="item-{french.id}">' in in_french
    api = (await client.api("GET", f"/api/v1/content/{french.id}")).json()
    assert api["lang"] == "fr"


async def test_the_author_may_say_it_and_an_edit_guesses_again(factory):
    from tisserand.content import update_content

    author = await factory.member("writer")
    community = await factory.community("langs", members={author: "member"})
    chosen = await factory.content(community, author, title="Ok", body="Ok", lang="en")
    assert chosen.lang == "en"
    with pytest.raises(ValidationFailed):
        await factory.content(community, author, title="Ok", body="Ok", lang="klingon")
    edited = await update_content(chosen, editor=author, body=FRENCH)
    assert (await Content.get(id=edited.id)).lang == "fr"
