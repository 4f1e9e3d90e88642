"""Files travel inside export bundles and are checked again on import, like an upload."""

from __future__ import annotations

import json
from zipfile import ZipFile

import pytest

from tests.core.uploads import samples
from tests.plugins.archive.test_bundle_safety import entries, rebuild, refused
from tisserand.models import Community, Content, Upload
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.importer import import_bundle
from tisserand.uploads import markdown_reference, save_upload
from tisserand.uploads.pictures import set_community_picture


def stored(site):
    folder = site.settings.path(site.settings.uploads.local_dir)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def community_with_files(site, factory, tmp_path):
    alice = await factory.member("alice")
    community = await factory.community("source", coordinator=alice)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(samples.jpeg_with_gps((900, 600)))
    image = await save_upload(photo, name="four.jpg", uploader=alice, alt="Le four")
    document = tmp_path / "plan.pdf"
    document.write_bytes(samples.pdf())
    pdf = await save_upload(document, name="plan.pdf", uploader=alice)
    topic = await factory.content(community, alice, title="Photos",
                                  body=f"{markdown_reference(image)}\n\n{markdown_reference(pdf)}")
    logo = tmp_path / "logo.png"
    logo.write_bytes(samples.png())
    await set_community_picture(community, "logo", logo, "logo.png", alice)
    return community, topic, image, pdf


async def test_files_round_trip_with_their_ids(site, factory, empty_site, tmp_path):
    community, topic, image, pdf = await community_with_files(site, factory, tmp_path)
    path = tmp_path / "export.zip"
    await export_community(site, community, path)
    with ZipFile(path) as archive:
        names = archive.namelist()
        rows = [json.loads(line) for line in archive.read("uploads.jsonl").splitlines()]
    assert f"uploads/{image.id}.jpg" in names and f"uploads/{pdf.id}.pdf" in names
    assert {row["id"] for row in rows} == {image.id, pdf.id, (await Community.get(id=community.id)).logo_upload}
    new_site = await empty_site(site)
    await import_bundle(new_site, path, slug="copie")
    copy = await Community.get(slug="copie")
    restored = await Upload.get(id=image.id)
    assert restored.alt == "Le four" and restored.community_id == copy.id and restored.variants
    new_topic = await Content.get(community_id=copy.id, title="Photos")
    assert restored.content_id == new_topic.id and f"/uploads/{image.id}/four.jpg" in new_topic.body
    assert copy.logo_upload and await Upload.filter(id=copy.logo_upload).exists()


async def test_a_second_import_gets_new_ids_and_rewritten_references(site, factory, tmp_path):
    community, topic, image, pdf = await community_with_files(site, factory, tmp_path)
    path = tmp_path / "export.zip"
    await export_community(site, community, path)
    await import_bundle(site, path, slug="jumelle")
    twin = await Community.get(slug="jumelle")
    twin_topic = await Content.get(community_id=twin.id, title="Photos")
    new_image = await Upload.get(community_id=twin.id, name="four.jpg")
    assert new_image.id != image.id and new_image.content_id == twin_topic.id
    assert f"/uploads/{new_image.id}/four.jpg" in twin_topic.body and image.id not in twin_topic.body
    assert f"/uploads/{new_image.id}/four.jpg" in twin_topic.html
    assert twin.logo_upload and twin.logo_upload != (await Community.get(id=community.id)).logo_upload


@pytest.mark.parametrize(("payload", "fragment"), [
    (samples.SVG_WITH_SCRIPT, "refused"),
    (samples.HTML_PAGE, "refused"),
])
async def test_a_bundle_cannot_bring_in_what_an_upload_could_not(site, factory, tmp_path, payload, fragment):
    community, topic, image, pdf = await community_with_files(site, factory, tmp_path)
    path = tmp_path / "export.zip"
    await export_community(site, community, path)
    files = entries(path)
    files[f"uploads/{pdf.id}.pdf"] = payload
    before = stored(site)
    await refused(site, rebuild(tmp_path / "evil.zip", files), fragment)
    assert stored(site) == before


async def test_a_zip_bomb_in_the_files_is_refused_unread(site, factory, tmp_path):
    community, topic, image, pdf = await community_with_files(site, factory, tmp_path)
    path = tmp_path / "export.zip"
    await export_community(site, community, path)
    files = entries(path)
    files[f"uploads/{pdf.id}.pdf"] = b"%PDF-1.4\n" + b"\0" * (60 * 1024 * 1024)
    bomb = rebuild(tmp_path / "bomb.zip", files)
    assert bomb.stat().st_size < 500_000
    before = stored(site)
    await refused(site, bomb, "zip bomb")
    assert stored(site) == before
