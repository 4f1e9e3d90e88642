"""Saving pages: revisions, the compare-and-set against lost updates, rollback, rights."""

from __future__ import annotations

import asyncio

import pytest

from tests.plugins.wiki.conftest import make_wiki
from tisserand.errors import Forbidden, NotFound, ReadOnly, Unauthorized, ValidationFailed
from tisserand.models import Content
from tisserand.plugins.wiki.models import WikiLink, WikiPage, WikiRevision
from tisserand.plugins.wiki.service import EditConflict, PageEdit, rollback, save_page


async def texts(page_id: int) -> list[tuple[int, str]]:
    rows = await WikiRevision.filter(page_id=page_id).order_by("number").values_list("number", "body")
    return [(n, b) for n, b in rows]


async def test_every_save_is_a_revision_with_author_time_summary_and_text(wiki):
    first = await wiki.save(wiki.alice, "guide/accueil", "Bienvenue.", title="Guide d'accueil",
                            summary="Première version")
    assert first.created and first.page.current_revision == 1
    second = await wiki.save(wiki.bob, "guide/accueil", "Bienvenue à toutes et à tous.", summary="Inclusif")
    assert not second.created and second.page.current_revision == 2
    revisions = await WikiRevision.filter(page_id=first.page.id).order_by("number").values(
        "number", "author_id", "summary", "body", "size", "created_at", "title")
    assert [(r["number"], r["author_id"], r["summary"]) for r in revisions] == [
        (1, wiki.alice.id, "Première version"), (2, wiki.bob.id, "Inclusif")]
    assert revisions[1]["body"] == "Bienvenue à toutes et à tous." and revisions[1]["size"] == 29
    assert revisions[0]["created_at"] <= revisions[1]["created_at"]
    content = await Content.get(id=first.content.id)
    assert content.kind == "wiki.page" and content.body == "Bienvenue à toutes et à tous."
    assert content.title == "Guide d'accueil" and content.meta["path"] == "guide/accueil"


async def test_a_save_without_change_adds_no_revision(wiki):
    await wiki.save(wiki.alice, "faq", "Questions.")
    again = await wiki.save(wiki.alice, "faq", "Questions.", title="Faq")
    assert not again.changed and again.page.current_revision == 1
    assert await WikiRevision.filter(page_id=again.page.id).count() == 1


async def test_windows_line_endings_are_stored_as_newlines(wiki):
    result = await wiki.save(wiki.alice, "notes", "one\r\ntwo\r\n")
    assert (await Content.get(id=result.content.id)).body == "one\ntwo\n"


async def test_a_stale_base_revision_is_refused_and_nothing_changes(wiki):
    page = (await wiki.save(wiki.alice, "notes", "v1")).page
    await wiki.save(wiki.bob, "notes", "v2 by bob", base=1)
    with pytest.raises(EditConflict) as caught:
        await wiki.save(wiki.alice, "notes", "v2 by alice", base=1)
    assert caught.value.status_code == 409 and caught.value.current_revision == 2
    assert await texts(page.id) == [(1, "v1"), (2, "v2 by bob")]
    assert (await Content.get(id=page.content_id)).body == "v2 by bob"


async def test_creating_an_existing_page_without_base_is_a_conflict(wiki):
    await wiki.save(wiki.alice, "notes", "mine")
    with pytest.raises(EditConflict):
        await wiki.save(wiki.bob, "notes", "overwrite", base=0)


async def test_two_truly_concurrent_saves_cannot_both_win(wiki):
    page = (await wiki.save(wiki.alice, "plan", "base text")).page
    alice_view, bob_view = await wiki.view(wiki.alice), await wiki.view(wiki.bob)
    results = await asyncio.gather(
        save_page(alice_view, "plan", PageEdit(title="Plan", body="alice's text"), 1),
        save_page(bob_view, "plan", PageEdit(title="Plan", body="bob's text"), 1),
        return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], EditConflict)
    winner_text = winners[0].content.body
    stored = await WikiPage.get(id=page.id).select_related("content")
    assert stored.current_revision == 2 and stored.content.body == winner_text
    assert await texts(page.id) == [(1, "base text"), (2, winner_text)]


async def test_the_compare_and_set_inside_the_transaction_rolls_the_loser_back(wiki):
    """A save that passed the early check with a stale snapshot still loses, inside the
    transaction: the content row keeps the winner's text and no revision is added."""
    from tisserand.plugins.wiki import service

    await wiki.save(wiki.alice, "plan", "base text")
    stale = await service.get_page(wiki.community, "plan")
    await wiki.save(wiki.bob, "plan", "bob's text", base=1)
    with pytest.raises(EditConflict) as caught:
        await service._update(await wiki.view(wiki.alice), stale, PageEdit(title="Plan", body="alice"),
                              1, None)
    assert caught.value.current_revision == 2
    assert (await Content.get(id=stale.content_id)).body == "bob's text"
    assert await texts(stale.id) == [(1, "base text"), (2, "bob's text")]


async def test_two_concurrent_creations_of_one_path_make_one_page(wiki):
    alice_view, bob_view = await wiki.view(wiki.alice), await wiki.view(wiki.bob)
    results = await asyncio.gather(
        save_page(alice_view, "nouveau", PageEdit(title="Nouveau", body="A"), 0),
        save_page(bob_view, "nouveau", PageEdit(title="Nouveau", body="B"), 0),
        return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["EditConflict", "SaveResult"], results
    assert await WikiPage.filter(community_id=wiki.community.id, path="nouveau").count() == 1
    assert await Content.filter(kind="wiki.page", community_id=wiki.community.id).count() == 1


async def test_rollback_adds_a_new_revision_with_the_old_text(wiki):
    page = (await wiki.save(wiki.alice, "charte", "Soyez bienveillants.", title="Charte")).page
    await wiki.save(wiki.bob, "charte", "Spam spam spam", title="Charte!!")
    page = await WikiPage.get(id=page.id).select_related("content")
    result = await rollback(await wiki.view(wiki.animator), page, 1, base_revision=2)
    assert result.page.current_revision == 3
    assert await texts(page.id) == [(1, "Soyez bienveillants."), (2, "Spam spam spam"),
                                    (3, "Soyez bienveillants.")]
    third = await WikiRevision.get(page_id=page.id, number=3)
    assert third.restored_from == 1 and third.author_id == wiki.animator.id
    assert "1" in third.summary and third.title == "Charte"
    content = await Content.get(id=page.content_id)
    assert content.title == "Charte" and "bienveillants" in content.html


async def test_rollback_with_a_stale_base_is_refused(wiki):
    page = (await wiki.save(wiki.alice, "charte", "v1")).page
    await wiki.save(wiki.bob, "charte", "v2")
    await wiki.save(wiki.bob, "charte", "v3")
    page = await WikiPage.get(id=page.id).select_related("content")
    with pytest.raises(EditConflict):
        await rollback(await wiki.view(wiki.alice), page, 1, base_revision=2)
    with pytest.raises(NotFound):
        await rollback(await wiki.view(wiki.alice), page, 9, base_revision=3)


@pytest.mark.parametrize(("who", "error"), [("observer", Forbidden), ("outsider", Forbidden)])
async def test_observers_and_outsiders_cannot_write(wiki, who, error):
    await wiki.save(wiki.alice, "notes", "v1")
    with pytest.raises(error):
        await wiki.save(getattr(wiki, who), "notes", "vandalism")
    with pytest.raises(error):
        await wiki.save(getattr(wiki, who), "other", "new page")


async def test_anonymous_visitors_cannot_write(wiki):
    view = await wiki.view(None)
    with pytest.raises(Unauthorized):
        await save_page(view, "x", PageEdit(title="X", body="y"), 0)


async def test_protected_pages_are_for_animators_and_coordinators(wiki):
    await wiki.save(wiki.animator, "charte", "Règles.", protected=True)
    with pytest.raises(Forbidden):
        await wiki.save(wiki.alice, "charte", "Pas de règles.")
    assert (await wiki.save(wiki.coordinator, "charte", "Règles, v2.")).page.current_revision == 2
    with pytest.raises(Forbidden):  # members cannot protect, nor change licence or visibility
        await wiki.save(wiki.alice, "libre", "Texte.", protected=True)
    await wiki.save(wiki.alice, "libre", "Texte.")
    with pytest.raises(Forbidden):
        await wiki.save(wiki.alice, "libre", "Texte 2.", licence="CC0-1.0")
    with pytest.raises(Forbidden):
        await wiki.save(wiki.alice, "libre", "Texte 2.", visibility="members")


async def test_licence_defaults_to_the_community_choice_then_the_site(wiki):
    from tisserand.plugins.wiki.models import WikiCommunitySettings

    first = await wiki.save(wiki.alice, "a", "x")
    assert first.page.licence == "CC-BY-SA-4.0"
    await WikiCommunitySettings.create(community_id=wiki.community.id, default_licence="CC0-1.0")
    assert (await wiki.save(wiki.alice, "b", "x")).page.licence == "CC0-1.0"
    assert (await wiki.save(wiki.alice, "c", "x", licence="CC-BY-4.0")).page.licence == "CC-BY-4.0"
    with pytest.raises(ValidationFailed):
        await wiki.save(wiki.alice, "d", "x", licence="WTFPL")


@pytest.mark.parametrize("path", ["", "a/edit", "../etc", "é/x", "-/new", "a b/c d?", "x" * 201])
async def test_bad_addresses_are_refused_with_a_reason(wiki, path):
    with pytest.raises(ValidationFailed) as caught:
        await wiki.save(wiki.alice, path, "x", title="T")
    assert caught.value.fields.get("path")


async def test_addresses_are_tidied_not_refused(wiki):
    result = await wiki.save(wiki.alice, " /Guide//Accueil ", "x", title="T")
    assert result.page.path == "guide/accueil"


async def test_an_empty_title_is_refused(wiki):
    with pytest.raises(ValidationFailed) as caught:
        await wiki.save(wiki.alice, "x", "body", title="   ")
    assert "title" in caught.value.fields


async def test_parents_follow_the_paths_whatever_the_order_of_creation(wiki):
    leaf = (await wiki.save(wiki.alice, "guide/animer/cafe", "Café virtuel.")).page
    assert leaf.parent_id is None
    top = (await wiki.save(wiki.alice, "guide", "Guides.")).page
    assert (await WikiPage.get(id=leaf.id)).parent_id == top.id
    middle = (await wiki.save(wiki.alice, "guide/animer", "Animer.")).page
    assert middle.parent_id == top.id
    assert (await WikiPage.get(id=leaf.id)).parent_id == middle.id


async def test_links_are_recorded_and_drawn_again_when_their_target_appears(wiki):
    source = await wiki.save(wiki.alice, "accueil", "Lire la [[Charte de la communauté]] et [[faq|les questions]].")
    html = (await Content.get(id=source.content.id)).html
    assert html.count("wikilink-missing") == 2
    assert set(await WikiLink.filter(source_id=source.page.id).values_list("target_path", flat=True)) == {
        "charte-de-la-communaute", "faq"}
    await wiki.save(wiki.bob, "regles/charte", "Soyons aimables.", title="Charte de la communauté")
    html = (await Content.get(id=source.content.id)).html
    assert 'href="/c/carnets/wiki/regles/charte"' in html
    assert html.count("wikilink-missing") == 1
    assert "regles/charte" in await WikiLink.filter(source_id=source.page.id).values_list("target_path", flat=True)


async def test_archived_communities_are_read_only(wiki):
    from tisserand.communities import archive_community

    await wiki.save(wiki.alice, "notes", "v1")
    await archive_community(wiki.community, wiki.coordinator)
    with pytest.raises(ReadOnly):
        await wiki.save(wiki.coordinator, "notes", "v2")


async def test_members_only_pages_are_hidden_by_the_content_visible_hook(wiki, site):
    from tisserand.visibility import plugins_allow

    secret = await wiki.save(wiki.alice, "coulisses", "Bilan interne.", visibility="members")
    public = await wiki.save(wiki.alice, "public", "Pour tous.")
    content = await Content.get(id=secret.content.id)
    assert content.meta["visibility"] == "members"
    assert await plugins_allow(content, None) is False
    assert await plugins_allow(content, wiki.outsider) is False
    assert await plugins_allow(content, wiki.observer) is True
    assert await plugins_allow(await Content.get(id=public.content.id), None) is True


async def test_private_community_pages_stay_private(factory):
    private = await make_wiki(factory, visibility="private", slug="prive")
    result = await private.save(private.alice, "notes", "Entre nous.", visibility="public")
    assert result.page.visibility == "public"  # the community's own visibility still wins
    from tisserand.errors import Forbidden as _Forbidden

    with pytest.raises(_Forbidden):
        await private.save(private.outsider, "notes", "x")


async def test_other_content_links_wiki_pages_too(wiki, factory):
    await wiki.save(wiki.alice, "guide", "Guides.", title="Guide d'accueil")
    note = await factory.content(wiki.community, wiki.bob, kind="forum.post",
                                 body="Lisez le [[Guide d'accueil]] et la [[FAQ]].")
    assert 'class="wikilink" href="/c/carnets/wiki/guide"' in note.html
    assert 'class="wikilink wikilink-missing"' in note.html


async def test_links_to_a_deleted_page_become_create_links(wiki):
    from tisserand.content import set_status

    target = await wiki.save(wiki.alice, "charte", "Règles.", title="Charte")
    source = await wiki.save(wiki.alice, "accueil", "Voir la [[Charte]].")
    assert "wikilink-missing" not in (await Content.get(id=source.content.id)).html
    await set_status(target.content, "deleted", actor=wiki.coordinator, reason="doublon")
    assert "wikilink-missing" in (await Content.get(id=source.content.id)).html


async def test_notifications_about_members_only_pages_reach_members_only(wiki):
    from tisserand.notify import notify

    secret = await wiki.save(wiki.alice, "coulisses", "Bilan.", visibility="members")
    content = await Content.get(id=secret.content.id)
    assert await notify(wiki.outsider, "mention", "Alice mentioned you", content=content,
                        community=wiki.community, actor=wiki.alice) is None
    assert await notify(wiki.bob, "mention", "Alice mentioned you", content=content,
                        community=wiki.community, actor=wiki.alice) is not None
