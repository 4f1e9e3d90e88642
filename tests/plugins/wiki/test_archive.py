"""The wiki in an archive bundle: Markdown pages with front matter, the full history, and back."""

from __future__ import annotations

import json
from zipfile import ZipFile

import pytest
from tortoise.transactions import in_transaction

from tests.plugins.wiki.conftest import make_wiki
from tisserand.bundle import FORMAT, Bundle
from tisserand.models import Content
from tisserand.plugins.wiki.bundle import export_wiki, import_wiki
from tisserand.plugins.wiki.models import WikiCommunitySettings, WikiLink, WikiPage, WikiRevision
from tisserand.testing.factory import Factory


async def fill(wiki) -> None:
    await WikiCommunitySettings.create(community_id=wiki.community.id, default_licence="CC-BY-4.0")
    await wiki.save(wiki.alice, "guide", "Voir [[Guide d'accueil]].", title="Guides")
    await wiki.save(wiki.alice, "guide/accueil", "Bienvenue.", title="Guide d'accueil", summary="v1")
    await wiki.save(wiki.bob, "guide/accueil", "Bienvenue à toutes et à tous.", summary="v2")
    await wiki.save(wiki.alice, "coulisses", "Interne.", title="Coulisses", visibility="members")


async def export(wiki, path) -> None:
    bundle = Bundle.create(path)
    bundle.write_json("manifest.json", {"format": FORMAT, "format_version": 1, "plugins": {}, "files": {}})
    await export_wiki(wiki.community, bundle)
    bundle.close()


async def test_export_writes_markdown_pages_and_the_full_history(wiki, tmp_path):
    await fill(wiki)
    await export(wiki, tmp_path / "b.zip")
    with ZipFile(tmp_path / "b.zip") as archive:
        names = set(archive.namelist())
        assert {"wiki/pages/guide.md", "wiki/pages/guide/accueil.md", "wiki/pages/coulisses.md",
                "wiki/pages.jsonl", "wiki/revisions.jsonl", "wiki/settings.json"} <= names
        page = archive.read("wiki/pages/guide/accueil.md").decode()
        history = [json.loads(line) for line in archive.read("wiki/revisions.jsonl").splitlines()]
        settings = json.loads(archive.read("wiki/settings.json"))
    front, body = page.split("---\n", 2)[1:]
    meta = {line.split(": ", 1)[0]: json.loads(line.split(": ", 1)[1]) for line in front.strip().splitlines()}
    assert meta["title"] == "Guide d'accueil" and meta["licence"] == "CC-BY-4.0"
    assert meta["revision"] == 2 and sorted(meta["authors"]) == sorted([wiki.alice.name, wiki.bob.name])
    assert meta["licence_url"].startswith("https://creativecommons.org/")
    assert body.strip() == "Bienvenue à toutes et à tous."
    accueil = [r for r in history if r["path"] == "guide/accueil"]
    assert [(r["number"], r["body"], r["summary"]) for r in accueil] == [
        (1, "Bienvenue.", "v1"), (2, "Bienvenue à toutes et à tous.", "v2")]
    assert settings == {"default_licence": "CC-BY-4.0"}


async def test_import_restores_pages_history_links_and_settings(wiki, factory, tmp_path):
    await fill(wiki)
    await export(wiki, tmp_path / "b.zip")
    copy = await factory.community("copie")
    reader = Bundle.open(tmp_path / "b.zip")
    # What the core's import does first: content rows and members, with id maps.
    for content in await Content.filter(community_id=wiki.community.id, kind="wiki.page"):
        clone = await Content.create(kind=content.kind, community_id=copy.id, author_id=content.author_id,
                                     title=content.title, body=content.body, html=content.html,
                                     meta=content.meta, status=content.status)
        reader.content_ids[content.id] = clone.id
    reader.member_ids = {m.id: m.id for m in (wiki.alice, wiki.bob)}
    async with in_transaction():
        await import_wiki(copy, reader)
    reader.close()
    pages = {p.path: p for p in await WikiPage.filter(community_id=copy.id).select_related("content", "parent")}
    assert set(pages) == {"guide", "guide/accueil", "coulisses"}
    accueil = pages["guide/accueil"]
    assert accueil.parent.path == "guide" and accueil.current_revision == 2
    assert pages["coulisses"].visibility == "members"
    assert accueil.content.meta["slug"] == "copie"
    bodies = await WikiRevision.filter(page_id=accueil.id).order_by("number").values_list("body", "author_id")
    assert bodies == [("Bienvenue.", wiki.alice.id), ("Bienvenue à toutes et à tous.", wiki.bob.id)]
    assert 'href="/c/copie/wiki/guide/accueil"' in pages["guide"].content.html
    assert await WikiLink.filter(source_id=pages["guide"].id, target_path="guide/accueil").exists()
    assert (await WikiCommunitySettings.get(community_id=copy.id)).default_licence == "CC-BY-4.0"


async def test_a_real_round_trip_through_the_archive_plugin(site_factory, tmp_path):
    """Through the archive plugin's export and import (skipped when it is not installed)."""
    export_module = pytest.importorskip("tisserand.plugins.archive.export")
    import_module = pytest.importorskip("tisserand.plugins.archive.importer")
    site = await site_factory(enabled=["wiki", "archive"])
    wiki = await make_wiki(Factory(site), slug="carnets")
    await fill(wiki)
    await export_module.export_community(site, wiki.community, tmp_path / "x.zip")
    result = await import_module.import_bundle(site, tmp_path / "x.zip", slug="copie")
    pages = {p.path: p for p in await WikiPage.filter(community_id=result.community.id).select_related("content")}
    assert set(pages) == {"guide", "guide/accueil", "coulisses"}
    assert 'href="/c/copie/wiki/guide/accueil"' in pages["guide"].content.html
    history = await WikiRevision.filter(page_id=pages["guide/accueil"].id).order_by("number").values_list("body", flat=True)
    assert history == ["Bienvenue.", "Bienvenue à toutes et à tous."]
