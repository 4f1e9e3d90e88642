"""The celebration page /c/{slug}/legacy and its API: dates, numbers by kind, a server-drawn
SVG chart, seasons, thanks to the contributors, plugins' sections; constant queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tisserand import hookimpl
from tisserand.content import set_status
from tisserand.digest import DigestItem, DigestSection
from tisserand.models import Community, Content
from tisserand.plugins.archive import lifecycle
from tisserand.plugins.archive.chart import bar_chart
from tisserand.plugins.archive.legacy import fill_months
from tisserand.testing.factory import Factory
from tisserand.testing.queries import count_queries


class MostReadPages:
    """A stand-in for a wiki that counts reads: it answers ``legacy_sections``."""

    @hookimpl
    def legacy_sections(self, community, viewer):
        return [DigestSection("Most-read pages", [DigestItem("Guide d'accueil", "/c/x/wiki/guide", "1 204 lectures")])]


async def _fill(factory, community, authors, topics: int) -> None:
    for index in range(topics):
        author = authors[index % len(authors)]
        topic = await factory.content(community, author, kind="forum.topic", title=f"Sujet {index}", body="Texte")
        await factory.content(community, authors[0], kind="forum.post", title="", body="Réponse", parent=topic)


async def test_the_legacy_page_celebrates_what_was_achieved(site_factory):
    site = await site_factory(extra_plugins={"mostread": MostReadPages()})
    factory = Factory(site)
    from tisserand.testing.client import TestClient
    from tisserand.web.app import create_app

    camille = await factory.member("camille", display_name="Camille Tremblay")
    ines = await factory.member("ines", display_name="Inès Lefebvre")
    community = await factory.community("animer", coordinator=camille, members={ines: "member"}, name="Animer")
    await _fill(factory, community, [ines, camille], 3)
    await factory.content(community, ines, kind="wiki.page", title="Guide", body="Le guide")
    hidden = await factory.content(community, ines, kind="forum.topic", title="Caché", body="pub")
    await set_status(hidden, "hidden", actor=camille)
    await Content.filter(community=community).update(created_at=datetime(2026, 3, 5, tzinfo=UTC))
    season = await lifecycle.create_season(community, camille, name="Printemps", starts_on=date(2026, 3, 1),
                                           ends_on=date(2026, 5, 31), objectives=["Un guide", "Trois cafés"])
    first = (await lifecycle.seasons_of(community))[0].objectives[0]
    await lifecycle.mark_objective(community, first, camille, True)
    await Community.filter(id=community.id).update(created_at=datetime(2026, 1, 10, tzinfo=UTC))
    await lifecycle.archive(site, await Community.get(id=community.id), camille)
    del season

    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        page = await client.get("/c/animer/legacy")
        assert page.status_code == 200
        text = page.text
        assert "What Animer achieved" in text and "January 10, 2026" in text
        assert "<strong>2</strong> members" in text
        assert "<strong>3</strong> topics" in text and "<strong>1</strong> wiki pages" in text
        assert "<strong>3</strong> replies" in text and "Caché" not in text
        assert "<strong>1/2</strong> objectives reached" in text
        assert 'role="img"' in text and "<svg" in text and "<title" in text
        assert "Camille Tremblay" in text and "Inès Lefebvre" in text
        thanks = text[text.index("legacy-contributors"):]
        assert thanks.index("Inès Lefebvre") < thanks.index("Camille Tremblay")  # 6 items against 1
        assert "Most-read pages" in text and "1 204 lectures" in text

        api = (await client.get("/api/v1/communities/animer/legacy")).json()
        assert api["archived"] and api["members"] == 2
        assert api["content"] == {"forum.topic": 3, "wiki.page": 1, "forum.post": 3}
        assert api["objectives"] == 2 and api["objectives_reached"] == 1
        march = next(p for p in api["activity"] if p["period"] == "2026-03")
        assert march["count"] == 7
        assert api["contributors"] == [{"username": "ines", "name": "Inès Lefebvre", "count": 6},
                                       {"username": "camille", "name": "Camille Tremblay", "count": 1}]


async def test_the_legacy_page_runs_a_constant_number_of_queries(site, client, factory):
    camille = await factory.member("camille")
    others = [await factory.member(f"membre{i}") for i in range(5)]
    small = await factory.community("petite", coordinator=camille)
    big = await factory.community("grande", coordinator=camille, members={m: "member" for m in others})
    await _fill(factory, small, [camille], 1)
    await _fill(factory, big, [camille, *others], 12)
    await lifecycle.create_season(big, camille, name="Été", starts_on=date(2026, 6, 1), ends_on=date(2026, 8, 31),
                                  objectives=["a", "b", "c"])
    counts = []
    for slug in ("petite", "grande"):
        with count_queries() as queries:
            response = await client.get(f"/c/{slug}/legacy")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] - 1  # the one extra query: the objectives of the seasons
    with count_queries() as queries:
        assert (await client.get("/c/grande")).status_code == 200
    home_queries = len(queries)
    with count_queries() as queries:
        await client.get("/c/petite")
    assert len(queries) <= home_queries


def test_months_are_filled_and_years_used_for_long_lives():
    months, unit = fill_months([("2026-03", 4)], date(2026, 1, 15), date(2026, 4, 2))
    assert unit == "month" and months == [("2026-01", 0), ("2026-02", 0), ("2026-03", 4), ("2026-04", 0)]
    years, unit = fill_months([("2020-05", 2), ("2024-01", 3)], date(2020, 1, 1), date(2026, 1, 1))
    assert unit == "year" and years[0] == ("2020", 2) and years[-1] == ("2026", 0) and len(years) == 7


def test_the_chart_is_accessible_svg_with_escaped_labels():
    svg = str(bar_chart([("a", 3), ("b", 0)], labels=["<mars>", "avril"], title="Activité & co",
                        description="Contenus publiés"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "aria-labelledby" in svg
    assert "Activité &amp; co" in svg and "&lt;mars&gt;" in svg and "<mars>" not in svg
    assert svg.count("<rect") == 1  # no bar for an empty month


async def test_the_most_revised_wiki_pages_when_no_plugin_counts_reads(site, client, factory):
    from tisserand.content import update_content
    from tisserand.plugins.archive.edits import most_revised
    from tisserand.plugins.archive.legacy import legacy_sections

    camille = await factory.member("camille")
    community = await factory.community("animer", coordinator=camille)
    guide = await factory.content(community, camille, kind="wiki.page", title="Guide d'accueil", body="v1")
    charter = await factory.content(community, camille, kind="wiki.page", title="Charte", body="v1")
    for text in ("v2", "v3"):
        guide = await update_content(await Content.get(id=guide.id), editor=camille, body=text)
    await update_content(await Content.get(id=charter.id), editor=camille, body="v2")
    section = await most_revised(community)
    assert [(i.text, i.detail) for i in section.items] == [("Guide d'accueil", "3 revisions"), ("Charte", "2 revisions")]
    others = [s for s in await legacy_sections(site, community, None) if s.plugin != "archive"]
    page = await client.get("/c/animer/legacy")
    if not others:  # the wiki plugin does not (yet) say which pages are most read
        assert "The most revised wiki pages" in page.text and "3 revisions" in page.text
