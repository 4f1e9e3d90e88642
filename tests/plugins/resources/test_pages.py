"""The library's pages: share with a plain form (no JavaScript), see, download, feature, filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.core.uploads import samples
from tisserand.digest import DigestSection
from tisserand.plugins.resources.models import Resource
from tisserand.plugins.resources.panels import digest_section, legacy_section


async def share_form(client, library, **fields):
    data = {"csrf_token": client.csrf, "title": "Fiche pratique", "licence": "CC-BY-SA-4.0",
            "visibility": "public", "tags": "outils, faq", **fields}
    files = {"file": ("fiche.pdf", samples.pdf("animer une reunion"), "application/pdf")}
    return await client.post(f"{library.url}/new", data=data, files=files)


async def test_share_see_and_download_without_javascript(client, library):
    await client.login_as(library.alice)
    form = await client.get(f"{library.url}/new")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text and 'type="file"' in form.text
    response = await share_form(client, library)
    assert response.status_code == 303, response.text
    page = await client.get(response.headers["location"])
    assert "Fiche pratique" in page.text and "Download fiche.pdf" in page.text and "Version 1" in page.text
    resource = await Resource.get(community_id=library.community.id)
    download = await client.get(f"/uploads/{resource.upload_id}/fiche.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    listing = await client.get(library.url, params={"tag": "faq"})
    assert "Fiche pratique" in listing.text
    assert "Fiche pratique" in (await client.get(library.url, params={"q": "Reunion"})).text
    assert "Fiche pratique" not in (await client.get(library.url, params={"tag": "autre"})).text


async def test_a_form_error_keeps_the_file(client, library):
    await client.login_as(library.alice)
    response = await share_form(client, library, title="")
    assert response.status_code == 422 and "Current file: fiche.pdf" in response.text
    assert 'name="upload" value="' in response.text


async def test_feature_on_the_home_page(client, library):
    await client.login_as(library.alice)
    location = (await share_form(client, library)).headers["location"]
    resource_id = location.rsplit("/", 1)[-1]
    await client.login_as(library.bob)
    refused = await client.post(f"{library.url}/{resource_id}/feature", data={"csrf_token": client.csrf, "featured": "1"})
    assert refused.status_code == 403
    await client.login_as(library.animator)
    await client.post(f"{library.url}/{resource_id}/feature", data={"csrf_token": client.csrf, "featured": "1"})
    home = await client.get(f"/c/{library.community.slug}")
    assert "Featured resources" in home.text and "Fiche pratique" in home.text


async def test_digest_and_legacy_sections(client, library):
    await client.login_as(library.alice)
    await share_form(client, library)
    now = datetime.now(UTC)
    sections = await digest_section(library.bob, library.community, now - timedelta(days=1), now + timedelta(minutes=1))
    assert isinstance(sections[0], DigestSection) and sections[0].items[0].text == "Fiche pratique"
    assert await digest_section(library.bob, library.community, now + timedelta(minutes=1), now + timedelta(days=1)) is None
    legacy = await legacy_section(library.community, None)
    assert legacy[0].items[0].text == "Fiche pratique"
