"""Words inside a resource's PDF or OpenDocument file are found by the site-wide search (the
``/search`` page and ``GET /api/v1/search``), with an excerpt from the file; a new version's
file replaces the old one's words; a members-only resource stays hidden from outsiders."""

from __future__ import annotations

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload
from tests.plugins.resources.test_bundle_and_text import odt_with


async def share(client, library, file_id: str, **fields):
    body = {"title": "Fiche", "licence": "CC-BY-4.0", "upload": file_id, **fields}
    response = await client.api("POST", library.api, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_word_inside_a_pdf_is_found_by_the_site_search(client, library):
    await client.login_as(library.alice)
    file = (await upload(client, samples.pdf("Lombricompostage en appartement"), "guide.pdf")).json()
    created = await share(client, library, file["id"], title="Le guide", description="Pour commencer.")
    found = (await client.get("/api/v1/search", params={"q": "lombricompostage"})).json()["items"]
    assert [item["id"] for item in found] == [created["id"]]
    assert "Lombricompostage" in found[0]["excerpt"]  # the excerpt comes from the file
    page = await client.get("/search", params={"q": "lombricompostage"})
    assert page.status_code == 200 and "Le guide" in page.text and "<mark>Lombricompostage</mark>" in page.text
    # Words of the title and of the file together: both are required, both are found.
    both = (await client.get("/api/v1/search", params={"q": "guide appartement"})).json()["items"]
    assert [item["id"] for item in both] == [created["id"]]


async def test_a_word_inside_an_odt_is_found_and_a_new_version_replaces_it(client, library):
    await client.login_as(library.alice)
    first = (await upload(client, odt_with("Calendrier des semis de tomates"), "semis.odt")).json()
    created = await share(client, library, first["id"], title="Semis")
    assert [i["id"] for i in (await client.get("/api/v1/search", params={"q": "tomates"})).json()["items"]] \
        == [created["id"]]
    second = (await upload(client, odt_with("Calendrier des semis de courgettes"), "semis-v2.odt")).json()
    response = await client.api("POST", f"{library.api}/{created['id']}/versions",
                                json={"title": "Semis", "licence": "CC-BY-4.0", "upload": second["id"]})
    assert response.status_code in (200, 201), response.text
    assert (await client.get("/api/v1/search", params={"q": "tomates"})).json()["items"] == []
    assert [i["id"] for i in (await client.get("/api/v1/search", params={"q": "courgettes"})).json()["items"]] \
        == [created["id"]]
    # A version with a link only: no file, no words from a file.
    response = await client.api("POST", f"{library.api}/{created['id']}/versions",
                                json={"title": "Semis", "licence": "CC-BY-4.0", "url": "https://example.org/semis",
                                      "upload": None})
    assert response.status_code in (200, 201), response.text
    assert (await client.get("/api/v1/search", params={"q": "courgettes"})).json()["items"] == []


async def test_words_of_a_members_only_file_stay_hidden_from_outsiders(client, library, factory):
    await client.login_as(library.alice)
    file = (await upload(client, samples.pdf("Procedure confidentielle interne"), "interne.pdf")).json()
    created = await share(client, library, file["id"], visibility="members")
    assert [i["id"] for i in (await client.get("/api/v1/search", params={"q": "confidentielle"})).json()["items"]] \
        == [created["id"]]
    await client.login_as(await factory.member("dehors"))
    assert (await client.get("/api/v1/search", params={"q": "confidentielle"})).json()["items"] == []
    client.cookies.clear()
    assert (await client.get("/api/v1/search", params={"q": "confidentielle"})).json()["items"] == []
    page = await client.get("/search", params={"q": "confidentielle"})
    assert page.status_code == 200 and f"/resources/{created['id']}" not in page.text
