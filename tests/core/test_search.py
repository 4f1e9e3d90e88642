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


async def test_search_stems_french_and_english_and_matches_prefixes(site, factory):
    author = await factory.member()
    community = await factory.community(coordinator=author)
    await factory.content(community, author, title="La communauté des jardins", body="Un potager partagé")
    await factory.content(community, author, title="Our community meetings", body="Every month")
    await factory.content(community, author, title="Réunions mensuelles", body="Ordre du jour")
    titles = lambda rows: {r["title"] for r in rows}  # noqa: E731
    assert titles(await search(None, "communautés")) == {"La communauté des jardins"}
    assert titles(await search(None, "communities")) == {"Our community meetings"}
    assert titles(await search(None, "meeting")) == {"Our community meetings"}
    assert titles(await search(None, "réunion")) == {"Réunions mensuelles"}
    assert titles(await search(None, "REUNIONS")) == {"Réunions mensuelles"}
    # As one types: the start of a word finds it.
    assert titles(await search(None, "potag")) == {"La communauté des jardins"}
    assert titles(await search(None, "jardin potager")) == {"La communauté des jardins"}
    assert await search(None, "jardin meeting") == []


async def test_search_filters_by_author_time_and_plugin_and_pages(site, factory):
    from datetime import UTC, datetime, timedelta

    from tisserand.models import Content
    from tisserand.search import SearchFilters

    alice, bob = await factory.member("alice"), await factory.member("bob")
    community = await factory.community(coordinator=alice, members={bob: "member"})
    old = await factory.content(community, alice, kind="test.note", title="compost ancien")
    await Content.filter(id=old.id).update(created_at=datetime.now(UTC) - timedelta(days=400))
    for n in range(5):
        await factory.content(community, bob, kind="test.other", title=f"compost {n}")
    by_alice = await search(None, "compost", filters=SearchFilters(author_id=alice.id))
    assert [r["title"] for r in by_alice] == ["compost ancien"]
    recent = await search(None, "compost", filters=SearchFilters(since=datetime.now(UTC) - timedelta(days=30)))
    assert len(recent) == 5
    assert len(await search(None, "compost", filters=SearchFilters(kinds=["test"]))) == 6
    assert len(await search(None, "compost", filters=SearchFilters(kinds=["test.note"]))) == 1
    first = await search(None, "compost", limit=4)
    second = await search(None, "compost", offset=4, limit=4)
    assert len(first) == 4 and len(second) == 2
    assert not {r["id"] for r in first} & {r["id"] for r in second}


async def test_excerpts_mark_the_matched_words_safely(site, factory):
    from tisserand.search import highlight

    author = await factory.member()
    community = await factory.community(coordinator=author)
    await factory.content(community, author, title="Notes", body="Le <b>compost</b> du jardin mûrit lentement")
    (row,) = await search(None, "compost")
    plain, html = highlight(row["snippet"])
    assert "compost" in plain and "\x02" not in plain
    assert "<mark>compost</mark>" in html and "<b>" not in html  # never raw markup from the body


async def test_many_matches_rank_the_most_recent_visible_ones_only(site, factory, monkeypatch):
    """Past the bounded candidate set, a common word still finds the newest posts the viewer
    may read — filtered inside the candidate query, so newer private posts don't crowd them out."""
    import tisserand.search

    monkeypatch.setattr(tisserand.search, "CANDIDATES", 3)
    author = await factory.member()
    public = await factory.community(coordinator=author)
    private = await factory.community(visibility="private", coordinator=author)
    for n in range(5):
        await factory.content(public, author, title=f"Communauté {n}", body="jardins partagés")
    for n in range(6):
        await factory.content(private, author, title=f"Communauté secrète {n}", body="jardins")
    rows = await search(None, "communautés jardin")
    assert sorted(r["title"] for r in rows) == ["Communauté 2", "Communauté 3", "Communauté 4"]
    assert all(r["community_id"] == public.id for r in rows)
    assert len(await search(author, "communautés jardin")) == 3
    assert all(r["community_id"] == private.id for r in await search(author, "communautés jardin"))


async def test_every_postgres_plan_finds_the_most_recent_visible_matches(site, factory, monkeypatch):
    """However the candidates are found (walking the newest posts, the index's matches, or
    its matches among the newest posts then older ones), they are the newest visible ones."""
    import pytest

    import tisserand.search
    from tisserand.db import dialect

    if dialect() != "postgres":
        pytest.skip("the plans are PostgreSQL's")
    monkeypatch.setattr(tisserand.search, "CANDIDATES", 3)
    author = await factory.member()
    public = await factory.community(coordinator=author)
    private = await factory.community(visibility="private", coordinator=author)
    shown = [await factory.content(public, author, title=f"Communauté {n}", body="jardins partagés")
             for n in range(5)]
    for n in range(6):
        await factory.content(private, author, title=f"Communauté secrète {n}", body="jardins")
    expected = ["Communauté 2", "Communauté 3", "Communauté 4"]
    # None: the walk; 0: every match; an id: the matches above it first, older ones if too few.
    for plan in (None, 0, shown[1].id, shown[3].id):
        async def chosen(literal: str, plan: int | None = plan) -> int | None:
            return plan

        monkeypatch.setattr(tisserand.search, "_plan", chosen)
        rows = await search(None, "communautés jardin")
        assert sorted(r["title"] for r in rows) == expected, plan
        assert all(r["community_id"] == public.id for r in rows)


async def test_postgres_plan_follows_how_common_the_words_are(site, factory, monkeypatch):
    """A word in every post walks the newest posts; a rare one reads its few matches; one of
    middling frequency reads its matches among the newest posts — and all three find the most
    recent visible matches first."""
    import pytest

    import tisserand.search
    from tisserand.db import dialect, execute
    from tisserand.search import _plan, _postgres_tsquery

    if dialect() != "postgres":
        pytest.skip("the plans are PostgreSQL's")
    monkeypatch.setattr(tisserand.search, "CANDIDATES", 3)
    author = await factory.member()
    public = await factory.community(coordinator=author)
    private = await factory.community(visibility="private", coordinator=author)
    for n in range(60):
        words = ["commun"] + (["jardin"] if n % 3 == 0 else []) + (["permaculture"] if n in (10, 50) else [])
        await factory.content(private if n % 2 else public, author, title=f"Post {n}", body=" ".join(words))
    await execute("ANALYZE content")

    async def plan(word: str) -> int | None:
        tsquery = await _postgres_tsquery([word])
        assert tsquery
        return await _plan("'" + tsquery.replace("'", "''") + "'::tsquery")

    assert await plan("commun") is None
    assert await plan("permaculture") == 0
    assert (await plan("jardin") or 0) > 0
    titles = lambda rows: sorted(r["title"] for r in rows)  # noqa: E731
    assert titles(await search(None, "commun")) == ["Post 54", "Post 56", "Post 58"]
    assert titles(await search(None, "jardin")) == ["Post 42", "Post 48", "Post 54"]
    assert titles(await search(None, "permaculture")) == ["Post 10", "Post 50"]


async def test_the_daily_job_forgets_the_words_of_deleted_content_and_keeps_the_others(site, factory):
    from tisserand.db import dialect, execute, fetch_all
    from tisserand.jobs import all_jobs

    author = await factory.member()
    community = await factory.community(coordinator=author)
    kept = await factory.content(community, author, title="Potager partagé", body="jardinage")
    gone = await factory.content(community, author, title="Zwischenraum", body="jardinage")
    await execute("DELETE FROM content WHERE id = ?", [gone.id])
    await all_jobs(site)["core.search_words"].func(site)  # the daily job
    if dialect() == "postgres":
        words = {row["lexeme"] for row in await fetch_all("SELECT lexeme FROM content_lexemes")}
        assert "potag" in words and not any(word.startswith("zwischenraum") for word in words)
    assert [r["id"] for r in await search(None, "potag")] == [kept.id]
    assert [r["id"] for r in await search(None, "jardin")] == [kept.id]
    assert await search(None, "zwischenraum") == []
