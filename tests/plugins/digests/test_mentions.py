"""@mentions: told once, only when allowed to see the content, after approval when held."""

from __future__ import annotations

from typing import Any

import pytest_asyncio

from tests.plugins.digests.conftest import FAST, NotesPlugin
from tisserand import hookimpl
from tisserand.content import Verdict, set_status, update_content
from tisserand.models import Notification
from tisserand.testing.factory import Factory


class HoldPlugin:
    """Holds for review every text that contains the word HOLD."""

    @hookimpl
    def content_check(self, content: Any, author: Any, community: Any) -> Any:
        return Verdict.hold("held for the test") if "HOLD" in content.body else None


@pytest_asyncio.fixture
async def msite(site_factory: Any) -> Any:
    return await site_factory(enabled=["digests"],
                              extra_plugins={"notes": NotesPlugin(), "hold": HoldPlugin()},
                              config={"plugins": {"digests": dict(FAST)}})


async def _people(factory: Factory, visibility: str = "public") -> tuple[Any, Any, Any, Any]:
    author = await factory.member("author", display_name="Aude Autrice")
    bob = await factory.member("bob", display_name="Bob Roy", locale="fr")
    outsider = await factory.member("outsider")
    community = await factory.community("atelier", visibility=visibility, coordinator=author,
                                        members={bob: "member"})
    return author, bob, outsider, community


async def test_mentioned_member_is_told_in_their_language(msite):
    factory = Factory(msite)
    author, bob, _outsider, community = await _people(factory)

    content = await factory.content(community, author, title="Compost", body="Ask @bob about it.")

    [note] = await Notification.filter(member_id=bob.id)
    assert note.kind == "mention" and note.content_id == content.id and note.actor_id == author.id
    assert note.title == "Aude Autrice vous a mentionné dans «\u00a0Compost\u00a0»"


async def test_an_edit_does_not_tell_again_but_tells_the_newly_mentioned(msite):
    factory = Factory(msite)
    author, bob, _outsider, community = await _people(factory)
    carla = await factory.member("carla")
    content = await factory.content(community, author, body="Hello @bob")

    await update_content(content, editor=author, body="Hello @bob and @carla", site=msite)

    assert await Notification.filter(member_id=bob.id).count() == 1
    assert await Notification.filter(member_id=carla.id, kind="mention").count() == 1


async def test_nobody_learns_of_private_content_through_a_mention(msite):
    factory = Factory(msite)
    author, bob, outsider, community = await _people(factory, visibility="private")

    await factory.content(community, author, title="Budget", body="@outsider @bob have a look")

    assert await Notification.filter(member_id=outsider.id).count() == 0
    assert await Notification.filter(member_id=bob.id).count() == 1


async def test_self_mentions_and_unknown_names_are_ignored(msite):
    factory = Factory(msite)
    author, _bob, _outsider, community = await _people(factory)

    await factory.content(community, author, body="Note to @author and @nobody-here; mail me at x@bob.org")

    assert await Notification.all().count() == 0


async def test_held_content_tells_when_approved(msite):
    factory = Factory(msite)
    author, bob, _outsider, community = await _people(factory)

    content = await factory.content(community, author, body="HOLD this for @bob")
    assert await Notification.filter(member_id=bob.id).count() == 0

    await set_status(content, "published", actor=author, site=msite)
    assert await Notification.filter(member_id=bob.id, kind="mention").count() == 1


async def test_quoting_a_post_does_not_mention_again_whom_the_quote_mentions(msite):
    """Mentions inside a quote are not new mentions; a fresh mention next to the quote is."""
    factory = Factory(msite)
    author, bob, outsider, community = await _people(factory)
    carol = await factory.member("carol")
    first = await factory.content(community, author, title="Compost", body="Ask @bob about it.")
    assert await Notification.filter(member_id=bob.id, kind="mention").count() == 1

    quote = "> @author [→](/x)\n>\n> Ask @bob about it.\n\nAgreed, and @outsider too."
    reply = await factory.content(community, carol, kind="test.note", title="", body=quote, parent=first)
    assert await Notification.filter(member_id=bob.id, kind="mention").count() == 1
    assert not await Notification.filter(member_id=author.id, kind="mention", content_id=reply.id).exists()
    assert await Notification.filter(member_id=outsider.id, kind="mention", content_id=reply.id).exists()
    # The quoted names still link to their profiles.
    assert 'href="/u/bob"' in reply.html
