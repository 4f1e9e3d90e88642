"""The site-wide kudos page (``render_page``), the flash message after thanking
(``flash_redirect``) and ``tisserand kudos top`` (``run_with_site`` and ``fail``)."""

import asyncio
import os
import subprocess
import sys

import pytest

from tisserand_kudos.models import Kudos

pytestmark = pytest.mark.plugins("kudos")

CONFIG = """[site]
secret_key = "test-secret-key-not-for-production-0123456789"
base_url = "http://testserver"
default_locale = "en"
[database]
url = "{url}"
[plugins]
enabled = ["kudos"]
"""


async def thanked_in(factory, slug, visibility, author, giver):
    community = await factory.community(slug, visibility=visibility, members={giver: "member"})
    post = await factory.content(community, author, title=f"Un billet dans {slug}")
    await Kudos.create(community=community, content=post, giver=giver, receiver=author)
    return community


async def test_the_site_page_shows_thanks_only_from_communities_the_reader_may_read(site, client, factory):
    public_author, secret_author = await factory.member("clementine"), await factory.member("bartholome")
    giver = await factory.member("lecteur")
    await thanked_in(factory, "jardins", "public", public_author, giver)
    await thanked_in(factory, "coulisses", "secret", secret_author, giver)
    page = await client.get("/kudos")
    assert page.status_code == 200 and "<h1" in page.text
    assert "clementine" in page.text and "bartholome" not in page.text
    await client.login_as(giver)  # a member of the secret community reads it
    page = await client.get("/kudos")
    assert "clementine" in page.text and "bartholome" in page.text


async def test_switching_kudos_off_in_a_community_takes_its_thanks_off_the_site_page(site, client, factory):
    author, giver = await factory.member("clementine"), await factory.member("lecteur")
    community = await thanked_in(factory, "jardins", "public", author, giver)
    community.plugins = {"kudos": False}
    await community.save()
    page = await client.get("/kudos")
    assert page.status_code == 200 and "clementine" not in page.text


async def test_thanking_shows_a_message_once_on_the_next_page(site, client, factory):
    author, reader = await factory.member("autrice"), await factory.member("lecteur")
    community = await factory.community("jardins", members={reader: "member"})
    post = await factory.content(community, author, title="Composter en ville")
    await client.login_as(reader)
    response = await client.post_form(f"/c/jardins/kudos/{post.id}", {"next": "/c/jardins/kudos"})
    assert response.status_code == 303
    shown = await client.get(response.headers["location"])
    assert "Thanks sent to autrice." in shown.text
    assert "Thanks sent to" not in (await client.get("/c/jardins/kudos")).text


async def test_the_command_line_lists_the_most_thanked_and_says_what_is_wrong(site, factory, tmp_path):
    author, giver = await factory.member("autrice"), await factory.member("lecteur")
    await thanked_in(factory, "jardins", "public", author, giver)
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "tisserand.toml").write_text(CONFIG.format(url=site.settings.database_url), encoding="utf-8")

    def top(slug):
        return subprocess.run([sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder),
                               "kudos", "top", slug], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "TISSERAND_INSTANCE": ""})

    found, missing = await asyncio.gather(asyncio.to_thread(top, "jardins"), asyncio.to_thread(top, "nulle-part"))
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == ["1\tautrice"]
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Error: No community nulle-part."
