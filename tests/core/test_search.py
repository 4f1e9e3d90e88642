"""Search finds French and English text, folds accents and never shows what the viewer can't read."""

from tisserand.content import set_status
from tisserand.search import search


async def test_search_folds_accents_and_ranks_titles(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    await factory.content(community, author, title="Réunion d'équipe", body="Ordre du jour")
    await factory.content(community, author, title="Other", body="We talked about the réunion")
    results = await search(None, "reunion")
    assert [r["title"] for r in results][:2] == ["Réunion d'équipe", "Other"]
    assert (await search(None, "équipe"))[0]["slug"] == community.slug


async def test_search_respects_visibility_and_status(site, factory):
    author, outsider = await factory.member(), await factory.member()
    private = await factory.community(visibility="private", coordinator=author)
    public = await factory.community(coordinator=author)
    await factory.content(private, author, title="Budget confidentiel", body="compost")
    hidden = await factory.content(public, author, title="Masqué", body="compost")
    await set_status(hidden, "hidden", actor=author)
    assert await search(outsider, "compost") == []
    assert await search(None, "compost") == []
    assert [r["title"] for r in await search(author, "compost")] == ["Budget confidentiel"]


async def test_search_treats_operators_as_words(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    await factory.content(community, author, title="NEAR AND OR", body='quote " star * paren (')
    assert await search(None, 'quote " ( * NEAR') != []
    assert await search(None, "   ") == []


async def test_search_can_narrow_to_a_community_and_kinds(site, factory):
    author = await factory.member()
    first, second = await factory.community(coordinator=author), await factory.community(coordinator=author)
    await factory.content(first, author, kind="test.note", title="atelier vélo")
    await factory.content(second, author, kind="test.other", title="atelier vélo")
    assert len(await search(None, "velo", community_id=first.id)) == 1
    assert len(await search(None, "velo", kinds=["test.other"])) == 1
