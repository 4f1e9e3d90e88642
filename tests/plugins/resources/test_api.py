"""The resources API: share, list, filter, search inside files, versions, visibility, delete."""

from __future__ import annotations

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload


async def share(client, library, **fields):
    body = {"title": "Guide", "licence": "CC-BY-4.0", **fields}
    return await client.api("POST", library.api, json=body)


async def test_share_a_pdf_and_find_it_by_its_text(client, library):
    await client.login_as(library.alice)
    file = (await upload(client, samples.pdf("Compostage collectif"), "guide.pdf")).json()
    response = await share(client, library, title="Le guide du compost", upload=file["id"],
                           tags="Compost, Jardin", description="Pour **bien** commencer.")
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["file"]["name"] == "guide.pdf" and data["tags"] == ["compost", "jardin"] and data["version"] == 1
    assert data["licence"] == "CC-BY-4.0" and data["author"] == "alice" and "<strong>bien</strong>" in data["html"]
    found = (await client.get(library.api, params={"q": "collectif"})).json()["items"]
    assert [item["id"] for item in found] == [data["id"]]
    assert (await client.get(library.api, params={"q": "nothing-like-this"})).json()["items"] == []
    assert [i["id"] for i in (await client.get(library.api, params={"tag": "jardin"})).json()["items"]] == [data["id"]]
    client.cookies.clear()
    assert (await client.get(data["file"]["url"])).status_code == 200


async def test_a_link_or_a_file_is_required_and_fields_are_checked(client, library):
    await client.login_as(library.alice)
    response = await share(client, library)
    assert response.status_code == 422 and "link or a file" in response.json()["error"]["message"]
    assert (await share(client, library, url="javascript:alert(1)")).status_code == 422
    assert (await share(client, library, url="https://example.org", licence="WTFPL")).status_code == 422
    assert (await share(client, library, url="https://example.org", visibility="secret")).status_code == 422
    assert (await share(client, library, url="https://example.org", tags="<script>")).status_code == 422


async def test_someone_elses_file_cannot_be_taken_over(client, library):
    await client.login_as(library.bob)
    file = (await upload(client, samples.pdf(), "bob.pdf")).json()
    await client.login_as(library.alice)
    response = await share(client, library, upload=file["id"])
    assert response.status_code == 422 and response.json()["error"]["fields"] == {"upload": "unknown"}


async def test_versions_keep_the_history(client, library):
    await client.login_as(library.alice)
    first = (await upload(client, samples.pdf("v1"), "plan.pdf")).json()
    created = (await share(client, library, upload=first["id"])).json()
    second = (await upload(client, samples.pdf("v2"), "plan-v2.pdf")).json()
    body = {"title": "Guide (2e édition)", "upload": second["id"], "licence": "CC-BY-4.0", "note": "Mise à jour"}
    response = await client.api("POST", f"{library.api}/{created['id']}/versions", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["version"] == 2 and data["file"]["name"] == "plan-v2.pdf"
    assert [(v["number"], v["note"], v["author"]) for v in data["versions"]] == [(2, "Mise à jour", "alice"), (1, "", "alice")]
    # The first version's file stays downloadable for the resource's readers.
    client.cookies.clear()
    assert (await client.get(first["url"])).status_code == 200
    # PATCH changes a few fields, as a new version.
    await client.login_as(library.animator)
    patched = await client.api("PATCH", f"{library.api}/{created['id']}", json={"tags": ["faq"], "note": "tags"})
    assert patched.status_code == 200 and patched.json()["version"] == 3 and patched.json()["tags"] == ["faq"]
    # Bob may not change Alice's resource.
    await client.login_as(library.bob)
    assert (await client.api("PATCH", f"{library.api}/{created['id']}", json={"title": "Pirate"})).status_code == 403


async def test_members_only_resources_and_their_files(client, library, factory):
    await client.login_as(library.alice)
    file = (await upload(client, samples.pdf(), "interne.pdf")).json()
    created = (await share(client, library, upload=file["id"], visibility="members")).json()
    assert (await client.get(f"{library.api}/{created['id']}")).status_code == 200
    outsider = await factory.member("dehors")
    await client.login_as(outsider)
    assert (await client.get(f"{library.api}/{created['id']}")).status_code == 404
    assert (await client.get(file["url"])).status_code == 404
    assert (await client.get(library.api)).json()["items"] == []
    client.cookies.clear()
    assert (await client.get(file["url"])).status_code == 404


async def test_delete_takes_the_files(client, library):
    await client.login_as(library.alice)
    file = (await upload(client, samples.pdf(), "a.pdf")).json()
    created = (await share(client, library, upload=file["id"])).json()
    assert (await client.api("DELETE", f"{library.api}/{created['id']}")).status_code == 204
    assert (await client.get(f"{library.api}/{created['id']}")).status_code == 404
    await client.login_as(library.bob)
    assert (await client.get(file["url"])).status_code == 404


async def test_archived_communities_are_read_only(client, library):
    from tisserand.communities import archive_community

    await client.login_as(library.alice)
    created = (await share(client, library, url="https://example.org/guide")).json()
    await archive_community(library.community, None)
    assert (await share(client, library, url="https://example.org/other")).status_code == 409
    response = await client.api("PATCH", f"{library.api}/{created['id']}", json={"title": "Changé"})
    assert response.status_code == 409
    assert (await client.get(f"{library.api}/{created['id']}")).status_code == 200
