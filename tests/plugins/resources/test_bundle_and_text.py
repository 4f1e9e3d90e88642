"""Resources travel in export bundles with their files; text comes out of PDF and ODF files."""

from __future__ import annotations

import io
import zipfile

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload
from tisserand.models import Community, Upload
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.importer import import_bundle
from tisserand.plugins.resources.extract import MAX_CHARS, extract_text
from tisserand.plugins.resources.models import Resource, ResourceVersion


def odt_with(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content xmlns:office="urn:o" '
                         f'xmlns:text="urn:t"><office:body><text:p>{text}</text:p></office:body></office:document-content>')
    return out.getvalue()


def test_text_of_pdf_and_odt_bounded():
    assert "Compost" in extract_text(samples.pdf("Compost"), "application/pdf")
    assert extract_text(odt_with("Café des parents"), "application/vnd.oasis.opendocument.text") == "Café des parents"
    assert len(extract_text(odt_with("mot " * 100_000), "application/vnd.oasis.opendocument.text")) == MAX_CHARS
    assert extract_text(b"%PDF-1.4 broken", "application/pdf") == ""
    assert extract_text(b"a,b", "text/csv") == ""


async def test_resources_round_trip_with_files(client, library, site):
    await client.login_as(library.alice)
    first = (await upload(client, samples.pdf("v1"), "plan.pdf")).json()
    created = (await client.api("POST", library.api, json={"title": "Plan", "upload": first["id"],
                                                           "tags": ["plan"], "visibility": "members"})).json()
    second = (await upload(client, odt_with("Deuxième version"), "plan.odt")).json()
    await client.api("POST", f"{library.api}/{created['id']}/versions",
                     json={"title": "Plan", "upload": second["id"], "tags": ["plan"], "note": "ODF",
                           "visibility": "members"})
    path = site.settings.instance_dir / "export.zip"
    await export_community(site, library.community, path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert "resources/resources.jsonl" in names and f"uploads/{first['id']}.pdf" in names
    await import_bundle(site, path, slug="copie")
    copy = await Community.get(slug="copie")
    resource = await Resource.get(community_id=copy.id)
    assert resource.version == 2 and resource.visibility == "members" and resource.tags == ["plan"]
    assert "Deuxième version" in resource.text
    new_file = await Upload.get(id=resource.upload_id)
    assert new_file.community_id == copy.id and new_file.id != second["id"] and new_file.name == "plan.odt"
    versions = await ResourceVersion.filter(resource=resource).order_by("number")
    assert [v.note for v in versions] == ["", "ODF"] and versions[0].upload_id != first["id"]
    page = await client.get(f"/c/copie/resources/{resource.content_id}")
    assert page.status_code == 200 and "plan.odt" in page.text
