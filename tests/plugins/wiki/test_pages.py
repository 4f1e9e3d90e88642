"""The wiki's HTML pages, as a member or a visitor sees them."""

from __future__ import annotations

import re
from html import unescape

from tests.plugins.wiki.conftest import make_wiki
from tisserand.models import Content
from tisserand.plugins.wiki.models import WikiPage, WikiRevision
from tisserand.testing.queries import count_queries


def textarea(html: str, name: str = "body") -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1))


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no field {name}"
    return match.group(1)


async def test_the_wiki_tab_and_index_show_the_page_tree_and_recent_changes(wiki, client):
    await wiki.save(wiki.alice, "guide", "Les guides.", title="Guides")
    await wiki.save(wiki.bob, "guide/accueil", "Bienvenue.", title="Guide d'accueil", summary="Premier jet")
    response = await client.get(wiki.url)
    assert response.status_code == 200
    assert 'href="/c/carnets/wiki" aria-current="page"' in response.text
    tree = response.text.split('class="wiki-tree"')[1].split("</section>")[0]
    assert tree.index("Guides") < tree.index("Guide d&#39;accueil")
    assert "<ul>" in tree.split("Guides")[1]  # nested below its parent
    assert "Premier jet" in response.text and "wiki.atom" in response.text


async def test_an_empty_wiki_invites_to_write(wiki, client):
    await client.login_as(wiki.alice)
    response = await client.get(wiki.url)
    assert "No page yet" in response.text and 'href="/c/carnets/wiki/-/new"' in response.text


async def test_a_page_shows_its_text_licence_crumbs_children_and_backlinks(wiki, client):
    await wiki.save(wiki.alice, "guide", "Voir [[Guide d'accueil]].", title="Guides")
    await wiki.save(wiki.bob, "guide/accueil", "# Bienvenue\n\nLire la [[Charte]].", title="Guide d'accueil",
                    licence="CC-BY-4.0")
    response = await client.get(wiki.url + "/guide/accueil")
    html = response.text
    assert response.status_code == 200
    assert "<h1>Bienvenue</h1>" in html
    assert "Creative Commons Attribution 4.0" in html and 'rel="license"' in html
    assert '<a href="/c/carnets/wiki/guide">Guides</a>' in html  # breadcrumb
    assert 'class="wikilink wikilink-missing"' in html and "path=charte" in html
    assert "What links here" in html and 'href="/c/carnets/wiki/guide">Guides</a></li>' in html
    parent = await client.get(wiki.url + "/guide")
    assert 'class="wikilink" href="/c/carnets/wiki/guide/accueil"' in parent.text
    assert "Pages below" in parent.text


async def test_a_missing_page_answers_404_and_offers_to_create_it(wiki, client):
    response = await client.get(wiki.url + "/charte?title=Charte")
    assert response.status_code == 404 and "Log in" in response.text
    await client.login_as(wiki.alice)
    response = await client.get(wiki.url + "/charte?title=Charte")
    assert response.status_code == 404
    assert 'href="/c/carnets/wiki/-/new?path=charte&amp;title=Charte"' in response.text
    assert (await client.get(wiki.url + "/no/ÉTRANGE")).status_code == 404


async def test_creating_a_page_through_the_form(wiki, client):
    await client.login_as(wiki.alice)
    form = await client.get(wiki.url + "/-/new?path=charte&title=Charte+de+la+communaut%C3%A9")
    assert form.status_code == 200 and 'value="Charte de la communauté"' in form.text
    assert 'value="CC-BY-SA-4.0" selected' in form.text
    response = await client.post_form(wiki.url + "/-/new", {
        "title": "Charte de la communauté", "path": "", "body": "Soyons **aimables**.", "summary": "Début",
        "licence": "CC0-1.0", "visibility": "public", "action": "save"})
    assert response.status_code == 303 and response.headers["location"] == "/c/carnets/wiki/charte-de-la-communaute"
    page = await WikiPage.get(path="charte-de-la-communaute").select_related("content")
    assert page.licence == "CC0-1.0" and page.content.author_id == wiki.alice.id
    shown = await client.get(response.headers["location"])
    assert "<strong>aimables</strong>" in shown.text and "The page is saved." in shown.text


async def test_a_new_page_below_a_parent(wiki, client):
    await wiki.save(wiki.alice, "guide", "Guides.")
    await client.login_as(wiki.alice)
    response = await client.post_form(wiki.url + "/-/new", {
        "title": "Café virtuel", "parent": "guide", "body": "Chaque mardi.", "action": "save"})
    assert response.headers["location"] == "/c/carnets/wiki/guide/cafe-virtuel"


async def test_bad_input_shows_the_form_again_with_the_text(wiki, client):
    await client.login_as(wiki.alice)
    response = await client.post_form(wiki.url + "/-/new", {
        "title": "", "path": "x/edit", "body": "Un long texte à ne pas perdre.", "action": "save"})
    assert response.status_code == 422
    assert textarea(response.text) == "Un long texte à ne pas perdre."
    assert "reserved" in response.text and 'role="alert"' in response.text


async def test_preview_renders_without_saving(wiki, client):
    await client.login_as(wiki.alice)
    response = await client.post_form(wiki.url + "/-/new", {
        "title": "Brouillon", "body": "*essai* [[Nulle part]]", "action": "preview"})
    assert response.status_code == 200
    assert "<em>essai</em>" in response.text and "wikilink-missing" in response.text
    assert textarea(response.text) == "*essai* [[Nulle part]]"
    assert await WikiPage.all().count() == 0


async def test_editing_through_the_form_adds_a_revision(wiki, client):
    await wiki.save(wiki.alice, "notes", "Première ligne.", title="Notes")
    await client.login_as(wiki.bob)
    form = await client.get(wiki.url + "/notes/edit")
    assert textarea(form.text) == "Première ligne." and hidden(form.text, "base_revision") == "1"
    assert 'name="licence"' not in form.text  # members do not change the licence of a page
    response = await client.post_form(wiki.url + "/notes/edit", {
        "title": "Notes", "body": "Première ligne.\r\nDeuxième ligne.", "summary": "Ajout",
        "base_revision": "1", "action": "save"})
    assert response.status_code == 303
    assert await WikiRevision.filter(number=2, summary="Ajout", author_id=wiki.bob.id).exists()


async def test_a_conflict_with_separate_changes_proposes_a_merge(wiki, client):
    base = "Titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"
    await wiki.save(wiki.alice, "plan", base, title="Plan")
    await client.login_as(wiki.alice)
    form = await client.get(wiki.url + "/plan/edit")
    assert hidden(form.text, "base_revision") == "1"
    await wiki.save(wiki.bob, "plan", base.replace("Premier", "Tout premier"), base=1)
    mine = base.replace("Troisième paragraphe.", "Troisième paragraphe, complété.")
    response = await client.post_form(wiki.url + "/plan/edit", {
        "title": "Plan", "body": mine, "base_revision": "1", "action": "save"})
    assert response.status_code == 409
    merged = textarea(response.text)
    assert "Tout premier paragraphe." in merged and "Troisième paragraphe, complété." in merged
    assert hidden(response.text, "base_revision") == "2"
    assert "check the merged text" in response.text
    again = await client.post_form(wiki.url + "/plan/edit", {
        "title": "Plan", "body": merged, "base_revision": "2", "action": "save"})
    assert again.status_code == 303
    assert (await Content.get(kind="wiki.page")).body == merged.replace("\r\n", "\n")


async def test_a_conflict_on_the_same_lines_keeps_both_texts(wiki, client):
    await wiki.save(wiki.alice, "plan", "Une seule ligne.\n", title="Plan")
    await wiki.save(wiki.bob, "plan", "La ligne de Bob.\n", base=1)
    await client.login_as(wiki.alice)
    response = await client.post_form(wiki.url + "/plan/edit", {
        "title": "Plan", "body": "La ligne d'Alice.\n", "base_revision": "1", "action": "save"})
    assert response.status_code == 409
    assert textarea(response.text) == "La ligne d'Alice.\n"
    assert 'id="theirs-text" readonly' in response.text and "La ligne de Bob." in response.text
    assert "<del>" in response.text and "<ins>" in response.text
    assert (await Content.get(kind="wiki.page")).body == "La ligne de Bob.\n"


async def test_history_lists_revisions_without_loading_texts(wiki, client):
    await wiki.save(wiki.alice, "notes", "a")
    for n in range(2, 6):
        await wiki.save(wiki.bob if n % 2 else wiki.alice, "notes", "a" * n * 10, summary=f"passe {n}")
    with count_queries() as few:
        response = await client.get(wiki.url + "/notes/history")
    assert response.status_code == 200
    assert "passe 5" in response.text and "passe 2" in response.text
    assert "+10" in response.text  # revision 5 grew by 10 characters
    for n in range(6, 16):
        await wiki.save(wiki.alice, "notes", "b" * n, summary=f"passe {n}")
    with count_queries() as many:
        await client.get(wiki.url + "/notes/history")
    assert len(many) == len(few), many.statements
    assert not [s for s in many.statements if "wiki_revision" in s and "r.body" in s]


async def test_history_pages_on_to_older_revisions(wiki, client, site):
    await wiki.save(wiki.alice, "notes", "0")
    for n in range(1, 60):
        await wiki.save(wiki.alice, "notes", str(n), summary=f"passe {n}")
    first = await client.get(wiki.url + "/notes/history")
    assert "passe 59" in first.text and "passe 5<" not in first.text
    assert "?before=11" in first.text
    older = await client.get(wiki.url + "/notes/history?before=11")
    assert "passe 5<" in older.text and "passe 59" not in older.text


async def test_diff_between_two_revisions_inline_and_side_by_side(wiki, client):
    await wiki.save(wiki.alice, "conte", "Le chat dort.\nLa nuit tombe.\n", title="Conte")
    await wiki.save(wiki.bob, "conte", "Le chien dort.\nLa nuit tombe.\nFin.\n")
    inline = await client.get(wiki.url + "/conte/diff?from=1&to=2")
    assert inline.status_code == 200
    assert "Le <del>chat</del><ins>chien</ins> dort." in inline.text
    assert '<div class="line insert"><ins>Fin.</ins></div>' in inline.text
    assert "1 word added" in inline.text or "2 words added" in inline.text
    side = await client.get(wiki.url + "/conte/diff?from=1&to=2&mode=side")
    assert '<td class="text old">Le <del>chat</del> dort.</td>' in side.text
    assert '<td class="text new">Le <ins>chien</ins> dort.</td>' in side.text
    assert (await client.get(wiki.url + "/conte/diff?from=1&to=7")).status_code == 404
    assert (await client.get(wiki.url + "/conte/diff?from=x&to=2")).status_code == 422


async def test_an_old_revision_can_be_read_and_restored(wiki, client):
    await wiki.save(wiki.alice, "charte", "Soyons aimables.", title="Charte")
    await wiki.save(wiki.bob, "charte", "N'importe quoi.")
    old = await client.get(wiki.url + "/charte?revision=1")
    assert "Soyons aimables." in old.text and "It is not the current version." in old.text
    await client.login_as(wiki.animator)
    old = await client.get(wiki.url + "/charte?revision=1")
    assert "Restore this revision" in old.text
    response = await client.post_form(wiki.url + "/charte/rollback", {"revision": "1", "base_revision": "2"})
    assert response.status_code == 303
    page = await WikiPage.get(path="charte").select_related("content")
    assert page.current_revision == 3 and page.content.body == "Soyons aimables."
    stale = await client.post_form(wiki.url + "/charte/rollback", {"revision": "2", "base_revision": "2"})
    assert stale.status_code == 409 and "was not restored" in stale.text


async def test_observers_read_but_cannot_edit_or_restore(wiki, client):
    await wiki.save(wiki.alice, "charte", "v1")
    await wiki.save(wiki.alice, "charte", "v2")
    await client.login_as(wiki.observer)
    page = await client.get(wiki.url + "/charte")
    assert page.status_code == 200 and "/charte/edit" not in page.text
    assert (await client.get(wiki.url + "/charte/edit")).status_code == 403
    response = await client.post_form(wiki.url + "/charte/rollback", {"revision": "1", "base_revision": "2"})
    assert response.status_code == 403
    assert (await client.get(wiki.url + "/-/new")).status_code == 403


async def test_members_only_pages_are_invisible_to_outsiders_everywhere(wiki, client):
    await wiki.save(wiki.alice, "coulisses", "Bilan confidentiel.", title="Coulisses", visibility="members")
    await wiki.save(wiki.alice, "public", "Voir [[Coulisses]].", title="Public")
    for who in (None, wiki.outsider):
        if who is not None:
            await client.login_as(who)
        assert (await client.get(wiki.url + "/coulisses")).status_code == 404
        assert (await client.get(wiki.url + "/coulisses/history")).status_code == 404
        assert (await client.get(wiki.url + "/coulisses/diff?from=1&to=1")).status_code == 404
        index = await client.get(wiki.url)
        assert "Coulisses" not in index.text
        search = await client.get(wiki.url + "/-/search?q=confidentiel")
        assert "Coulisses" not in search.text
    await client.login_as(wiki.observer)
    page = await client.get(wiki.url + "/coulisses")
    assert page.status_code == 200 and "Members only" in page.text
    assert "Coulisses" in (await client.get(wiki.url)).text


async def test_private_communities_and_switched_off_wikis_answer_404(factory, client):
    private = await make_wiki(factory, visibility="private", slug="prive")
    await private.save(private.alice, "notes", "Entre nous.")
    assert (await client.get("/c/prive/wiki")).status_code == 404
    assert (await client.get("/c/prive/wiki/notes")).status_code == 404
    assert (await client.get("/c/prive/wiki.atom")).status_code == 404
    await client.login_as(private.alice)
    assert (await client.get("/c/prive/wiki/notes")).status_code == 200
    off = await factory.community("sans-wiki", plugins=[])
    assert (await client.get(f"/c/{off.slug}/wiki")).status_code == 404


async def test_what_links_here_and_recent_changes(wiki, client):
    await wiki.save(wiki.alice, "a", "[[Cible]]", title="Page A")
    await wiki.save(wiki.bob, "b", "[[cible|la cible]]", title="Page B", summary="lien vers cible")
    links = await client.get(wiki.url + "/cible/links")
    assert "Page A" in links.text and "Page B" in links.text
    changes = await client.get(wiki.url + "/-/changes")
    assert changes.text.index("Page B") < changes.text.index("Page A")
    assert "lien vers cible" in changes.text


async def test_search_finds_pages_through_the_core_search(wiki, client):
    await wiki.save(wiki.alice, "cafe", "Le café virtuel a lieu chaque mardi.", title="Café virtuel")
    await wiki.save(wiki.alice, "autre", "Rien à voir.", title="Autre")
    response = await client.get(wiki.url + "/-/search?q=mardi")
    assert response.status_code == 200
    assert 'href="/c/carnets/wiki/cafe"' in response.text and "/c/carnets/wiki/autre" not in response.text


async def test_coordinators_choose_the_default_licence(wiki, client):
    await client.login_as(wiki.alice)
    assert (await client.get(wiki.url + "/-/settings")).status_code == 403
    await client.login_as(wiki.coordinator)
    response = await client.post_form(wiki.url + "/-/settings", {"default_licence": "CC-BY-4.0"})
    assert response.status_code == 303
    assert (await wiki.save(wiki.alice, "nouvelle", "x")).page.licence == "CC-BY-4.0"
    bad = await client.post_form(wiki.url + "/-/settings", {"default_licence": "nope"})
    assert bad.status_code == 422


async def test_a_page_view_costs_the_same_queries_whatever_its_size(wiki, client):
    await wiki.save(wiki.alice, "guide", "[[guide/a]]")
    await client.login_as(wiki.alice)
    with count_queries() as small:
        assert (await client.get(wiki.url + "/guide")).status_code == 200
    for n in range(12):
        await wiki.save(wiki.alice, f"guide/p{n}", f"Voir [[guide]] {n}")
        await wiki.save(wiki.bob, "guide", f"[[guide/a]] v{n}")
    with count_queries() as large:
        response = await client.get(wiki.url + "/guide")
    assert "guide/p11" in response.text and "Revision 13" in response.text
    assert len(large) == len(small), large.statements
    assert len(large) <= 10, large.statements


async def test_the_missing_page_tooltip_is_in_the_readers_language(wiki, client):
    from tisserand.models import Member

    await Member.filter(id=wiki.bob.id).update(locale="fr")
    await wiki.save(wiki.bob, "guide/lien", "Lire la [[Charte]].", title="Lien")
    stored = await wiki_html(wiki, "guide/lien")
    assert "n'existe pas" not in stored and "does not exist" not in stored  # nothing frozen at save
    english = await client.get(wiki.url + "/guide/lien", headers={"Accept-Language": "en"})
    assert 'title="This page does not exist yet: create it"' in english.text
    french = await client.get(wiki.url + "/guide/lien", headers={"Accept-Language": "fr"})
    assert "create it" not in french.text and "wikilink-missing" in french.text
    assert 'title="Cette page' in french.text


async def wiki_html(wiki, path):
    from tisserand.db import fetch_one

    row = await fetch_one("SELECT html FROM content WHERE kind = 'wiki.page' AND title = ?", ["Lien"])
    return str(row["html"])
