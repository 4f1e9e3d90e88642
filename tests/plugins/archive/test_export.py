"""What an export contains: the manifest, the core files, private fields only on request, every
plugin's part, a static HTML snapshot that works without a server; and the API download."""

from __future__ import annotations

import hashlib
import json
import re
from zipfile import ZipFile

from tisserand import __version__, hookimpl
from tisserand.content import set_status
from tisserand.models import Member
from tisserand.plugins.archive.export import export_community
from tisserand.testing.factory import Factory


async def _community(factory):
    alice = await factory.member("alice", display_name="Alice Martin", email="alice@example.org")
    bob = await factory.member("bob", email="bob@example.org")
    await Member.filter(id=bob.id).update(city="Montréal", latitude=45.5, longitude=-73.6)
    community = await factory.community("jardins", coordinator=alice, members={bob: "member"}, name="Jardins")
    topic = await factory.content(community, bob, kind="forum.topic", title="Semis", body="On sème quoi ?")
    await factory.content(community, alice, kind="forum.post", body="Des fèves, voir [le jardin](/c/jardins) et [le sujet](/c/jardins/forum/t/1-semis)", parent=topic)
    hidden = await factory.content(community, bob, kind="forum.topic", title="Spam caché", body="achetez")
    await set_status(hidden, "hidden", actor=alice)
    return community, alice, bob, topic


async def test_the_manifest_lists_versions_counts_and_checksums(site, factory, tmp_path):
    community, *_ = await _community(factory)
    path = tmp_path / "b.zip"
    result = await export_community(site, community, path)
    with ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "tisserand-community" and manifest["format_version"] == 1
        assert manifest["tisserand_version"] == __version__
        assert manifest["community"]["slug"] == "jardins"
        assert set(manifest["plugins"]) == set(site.plugins.community_plugins(community))
        assert manifest["plugins"]["archive"]["version"]
        assert manifest["counts"]["content"] == 3 and manifest["counts"]["members"] == 2
        assert manifest["counts"]["content_by_kind"] == {"forum.post": 1, "forum.topic": 2}
        for name, meta in manifest["files"].items():
            data = archive.read(name)
            assert meta["size"] == len(data) and meta["sha256"] == hashlib.sha256(data).hexdigest()
        assert {"community.json", "members.jsonl", "memberships.jsonl", "content.jsonl", "audit.jsonl"} <= set(
            manifest["files"])
        statuses = [json.loads(line)["status"] for line in archive.read("content.jsonl").splitlines()]
        assert statuses == ["published", "published", "hidden"]  # the full record, for the coordinators
    assert result.size == path.stat().st_size and not (tmp_path / "b.zip.part").exists()


async def test_emails_and_locations_only_when_asked(site, factory, tmp_path):
    community, *_ = await _community(factory)
    plain, private = tmp_path / "plain.zip", tmp_path / "private.zip"
    await export_community(site, community, plain)
    await export_community(site, community, private, include_private=True)
    with ZipFile(plain) as archive:
        text = archive.read("members.jsonl").decode()
        assert "alice@example.org" not in text and "Montréal" not in text and "45.5" not in text
        assert all("alice@example.org" not in archive.read(n).decode("utf-8", "ignore") for n in archive.namelist())
        assert json.loads(archive.read("manifest.json"))["include_private"] is False
    with ZipFile(private) as archive:
        rows = {r["username"]: r for r in map(json.loads, archive.read("members.jsonl").splitlines())}
        assert rows["alice"]["email"] == "alice@example.org"
        assert rows["bob"]["city"] == "Montréal" and rows["bob"]["latitude"] == 45.5


class Rsvps:
    """A plugin whose rows name a member who is no longer in the community."""

    def __init__(self, member_id: int) -> None:
        self.member_id = member_id

    @hookimpl
    def export_community(self, community, bundle):
        bundle.include_member(self.member_id)
        bundle.write_jsonl("rsvps/rows.jsonl", [{"member_id": self.member_id, "answer": "yes"}])


async def test_plugins_write_their_part_and_name_extra_members(site_factory, tmp_path):
    plugin = Rsvps(0)
    site = await site_factory(extra_plugins={"rsvps": plugin})
    factory = Factory(site)
    plugin.member_id = (await factory.member("parti")).id  # not a member of the community
    community = await factory.community("jardins", coordinator=await factory.member("alice"))
    path = tmp_path / "b.zip"
    await export_community(site, community, path)
    with ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["files"]["rsvps/rows.jsonl"]["plugin"] == "rsvps"
        assert manifest["plugins"]["rsvps"]["files"] == 1
        usernames = [json.loads(line)["username"] for line in archive.read("members.jsonl").splitlines()]
        assert "parti" in usernames


async def test_the_html_snapshot_opens_without_a_server(site, factory, tmp_path):
    community, _alice, _bob, topic = await _community(factory)
    path = tmp_path / "b.zip"
    await export_community(site, community, path)
    with ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"html/index.html", "html/style.css", f"html/items/{topic.id}.html"} <= names
        pages = {n: archive.read(n).decode() for n in names if n.endswith(".html") and n.startswith("html/")}
        markdown = [n for n in names if n.startswith("markdown/")]
    index = pages["html/index.html"]
    assert "Jardins" in index and "<svg" in index and 'href="style.css"' in index
    assert f'href="items/{topic.id}.html"' in index
    assert "Spam caché" not in "".join(pages.values())  # only what is published
    topic_page = pages[f"html/items/{topic.id}.html"]
    assert "Semis" in topic_page and "Des fèves" in topic_page and 'href="../style.css"' in topic_page
    for name, page in pages.items():
        for link in re.findall(r'(?:href|src)="([^"]+)"', page):
            assert not link.startswith("/"), f"{name} links to {link}, which needs the server"
            if not link.startswith(("http://", "https://", "#", "mailto:")):
                target = link.split("#")[0]
                folder = name.rsplit("/", 1)[0]
                resolved = f"{folder}/{target}".replace("html/items/../", "html/").replace("html/kinds/../", "html/")
                assert resolved in names, f"{name} links to {link}, missing from the bundle"
    assert "http://testserver/c/jardins" in topic_page  # site links keep working, absolute
    assert markdown and any(n.startswith("markdown/forum.topic/") for n in markdown)


async def test_the_api_download_is_for_coordinators_and_admins(site, client, factory):
    community, alice, bob, _topic = await _community(factory)
    response = await client.get("/api/v1/communities/jardins/export")
    assert response.status_code == 401
    await client.login_as(bob)
    response = await client.get("/api/v1/communities/jardins/export")
    assert response.status_code == 403
    await client.login_as(alice)
    response = await client.get("/api/v1/communities/jardins/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="jardins-' in response.headers["content-disposition"]
    assert response.content[:2] == b"PK"
    response = await client.get("/api/v1/communities/jardins/export?include_private=true")
    assert response.status_code == 403
    admin = await factory.member("admin", admin=True)
    await client.login_as(admin)
    response = await client.get("/api/v1/communities/jardins/export?include_private=true")
    assert response.status_code == 200 and b"members.jsonl" in response.content
    page = await client.get("/c/jardins/lifecycle/export.zip")
    assert page.status_code == 200 and page.content[:2] == b"PK"


def test_links_between_items_become_links_between_snapshot_files():
    from tisserand.plugins.archive.export import ContentIndex
    from tisserand.plugins.archive.snapshot import LinkRewriter

    index = ContentIndex(parents={1: None, 2: 1, 3: 2}, urls={"/c/j/forum/t/1-semis": 1, "/c/j/forum/t/1-semis#p2": 2,
                                                              "/c/j/wiki/guide": 3})
    rewrite = LinkRewriter(index, "https://example.org")
    html = str(rewrite('<a href="/c/j/forum/t/1-semis">t</a> <a href="/c/j/forum/t/1-semis#p2">p</a> '
                       '<a href="/c/j/wiki/guide#etape">w</a> <a href="/u/alice">a</a> '
                       '<img src="/static/x.png"> <a href="https://ailleurs.org/">x</a> <a href="#local">l</a>'))
    assert 'href="../items/1.html"' in html
    assert 'href="../items/1.html#c2"' in html
    assert 'href="../items/1.html#c3"' in html  # an item shown inside its top-level item's page
    assert 'href="https://example.org/u/alice"' in html and 'src="https://example.org/static/x.png"' in html
    assert 'href="https://ailleurs.org/"' in html and 'href="#local"' in html
