"""POST /api/v1/uploads, GET /api/v1/uploads/{id} and downloads: types, limits, attacks."""

import io

import pytest
from PIL import Image

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload
from tisserand import hookimpl
from tisserand.content import Verdict
from tisserand.models import Upload


def stored_files(site):
    folder = site.settings.path(site.settings.uploads.local_dir)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


async def test_an_image_upload_is_cleaned_and_described(site, client, factory):
    member = await factory.member("photographe")
    await client.login_as(member)
    response = await upload(client, samples.jpeg_with_gps((2400, 1200)), "vacances.jpeg", "image/jpeg",
                            alt="Une plage au soleil")
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["type"] == "image/jpeg" and data["name"] == "vacances.jpg"
    assert (data["width"], data["height"]) == (2400, 1200) and data["alt"] == "Une plage au soleil"
    assert data["url"] == f"/uploads/{data['id']}/vacances.jpg"
    assert data["thumbnail_url"].endswith("?v=thumb") and data["markdown"] == f"![Une plage au soleil]({data['url']})"
    body = (await client.get(data["url"])).content
    with Image.open(io.BytesIO(body)) as image:
        assert samples.GPS_TAG not in image.getexif() and b"SpyCam" not in body
    thumb = await client.get(data["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert max(image.size) == 320
    assert (await client.get(f"/api/v1/uploads/{data['id']}")).json()["size"] == data["size"]


async def test_safe_headers_on_every_download(site, client, factory):
    await client.login_as(await factory.member())
    data = (await upload(client, samples.pdf(), "rapport.pdf")).json()
    response = await client.get(data["url"])
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"].startswith("private")
    text = (await upload(client, b"une ligne\n", "notes.txt")).json()
    response = await client.get(text["url"])
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(("data", "name", "mime"), [
    (samples.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml"),
    (samples.HTML_PAGE, "cat.png", "image/png"),
    (samples.HTML_PAGE, "page.html", "text/html"),
    (samples.plain_zip(), "documents.zip", "application/zip"),
    (b"MZ\x90\x00" + b"\0" * 200, "setup.pdf", "application/pdf"),
])
async def test_refused_types_answer_415_and_store_nothing(site, client, factory, data, name, mime):
    await client.login_as(await factory.member())
    response = await upload(client, data, name, mime)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_type"
    assert "not accepted" in response.json()["error"]["message"]
    assert await Upload.all().count() == 0 and stored_files(site) == []


async def test_polyglot_gif_is_refused(site, client, factory):
    await client.login_as(await factory.member())
    response = await upload(client, samples.GIF_HTML_POLYGLOT, "x.gif", "image/gif")
    assert response.status_code in (413, 422) and await Upload.all().count() == 0


async def test_dot_dot_names_never_reach_the_disk(site, client, factory):
    await client.login_as(await factory.member())
    data = (await upload(client, samples.png(), "../../../tisserand.toml", "image/png")).json()
    assert data["name"] == "tisserand.png" and ".." not in data["url"]
    files = stored_files(site)
    root = site.settings.path(site.settings.uploads.local_dir)
    assert files and all(root in p.parents and "tisserand" not in p.name for p in files)
    assert (site.settings.instance_dir / "tisserand.png").exists() is False


@pytest.mark.uploads(max_bytes=50_000)
async def test_too_large_answers_413_with_a_message(site, client, factory):
    await client.login_as(await factory.member())
    response = await upload(client, b"a,b\n" * 20_000, "big.csv", "text/csv")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert await Upload.all().count() == 0


@pytest.mark.uploads(max_image_pixels=1_000_000)
async def test_too_many_pixels_answers_413(site, client, factory):
    await client.login_as(await factory.member())
    response = await upload(client, samples.png((2000, 1000)), "wide.png")
    assert response.status_code == 413 and "million pixels" in response.json()["error"]["message"]


@pytest.mark.uploads(member_quota_bytes=2_000)
async def test_member_quota(site, client, factory):
    await client.login_as(await factory.member())
    assert (await upload(client, b"x" * 1500 + b"\n", "a.txt")).status_code == 201
    response = await upload(client, b"y" * 1500 + b"\n", "b.txt")
    assert response.status_code == 413 and response.json()["error"]["code"] == "over_quota"
    assert await Upload.all().count() == 1


@pytest.mark.uploads(community_quota_bytes=2_000)
async def test_community_quota_and_membership(site, client, factory):
    member, outsider = await factory.member(), await factory.member()
    await factory.community("atelier", members={member: "member"})
    await client.login_as(member)
    assert (await upload(client, b"x" * 1500 + b"\n", "a.txt", community="atelier")).status_code == 201
    response = await upload(client, b"y" * 1500 + b"\n", "b.txt", community="atelier")
    assert response.status_code == 413 and response.json()["error"]["code"] == "over_quota"
    await client.login_as(outsider)
    response = await upload(client, b"z\n", "c.txt", community="atelier")
    assert response.status_code == 404


@pytest.mark.uploads(max_request_bytes=10_000)
async def test_a_browser_session_uploads_more_than_a_form_may_carry(site, client, factory):
    await client.login_as(await factory.member())
    big = samples.png((600, 600), (1, 2, 3)) + b""
    photo = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(photo, "PNG")
    assert len(photo.getvalue()) > 10_000
    assert (await upload(client, photo.getvalue(), "bruit.png")).status_code == 201
    # Without the CSRF token, a cookie-authenticated upload is refused.
    response = await client.post("/api/v1/uploads", files={"file": ("a.png", big, "image/png")})
    assert response.status_code == 403


async def test_no_file_and_no_login(site, client, factory):
    response = await client.post("/api/v1/uploads", files={"file": ("a.png", samples.png(), "image/png")})
    assert response.status_code == 401
    await client.login_as(await factory.member())
    response = await client.post("/api/v1/uploads", data={"alt": "x"},
                                 headers={"X-CSRF-Token": client.csrf, "Content-Type": "multipart/form-data; boundary=zz"},
                                 content=b"--zz\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nx\r\n--zz--\r\n")
    assert response.status_code == 422
    response = await upload(client, b"", "empty.txt")
    assert response.status_code == 422


class Antivirus:
    @hookimpl
    def file_check(self, upload, uploader, community):
        if b"EICAR" in upload.path.read_bytes():
            return Verdict.reject("This file looks infected.")
        return None


async def test_file_check_can_veto(site, client, factory):
    site.plugins.pm.register(Antivirus(), name="antivirus")
    await client.login_as(await factory.member())
    response = await upload(client, b"X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE\n", "eicar.txt")
    assert response.status_code == 422 and response.json()["error"]["message"] == "This file looks infected."
    assert response.json()["error"]["code"] == "file_refused"
    assert await Upload.all().count() == 0 and stored_files(site) == []
    assert (await upload(client, b"clean\n", "ok.txt")).status_code == 201


async def test_ranges(site, client, factory):
    await client.login_as(await factory.member())
    payload = "".join(f"{i:04d}\n" for i in range(1000)).encode()
    url = (await upload(client, payload, "numbers.txt")).json()["url"]
    response = await client.get(url, headers={"Range": "bytes=10-19"})
    assert response.status_code == 206 and response.content == payload[10:20]
    assert response.headers["content-range"] == f"bytes 10-19/{len(payload)}"
    assert (await client.get(url, headers={"Range": "bytes=-5"})).content == payload[-5:]
    assert (await client.get(url, headers={"Range": "bytes=4990-"})).content == payload[4990:]
    response = await client.get(url, headers={"Range": f"bytes={len(payload)}-"})
    assert response.status_code == 416 and response.headers["content-range"] == f"bytes */{len(payload)}"
    full = await client.get(url, headers={"Range": "bytes=0-1,5-6"})
    assert full.status_code == 200 and full.content == payload
    etag = full.headers["etag"]
    assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
    head = await client.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(payload)) and head.content == b""


async def test_an_api_token_downloads_its_files(site, client, factory):
    from tisserand.auth import create_token

    member = await factory.member()
    token = await create_token(member, "script")
    client.headers["Authorization"] = f"Bearer {token}"
    data = (await upload(client, samples.pdf(), "rapport.pdf")).json()
    assert (await client.get(data["url"])).status_code == 200
    client.headers["Authorization"] = "Bearer not-a-token"
    assert (await client.get(data["url"])).status_code == 401
    del client.headers["Authorization"]
    assert (await client.get(data["url"])).status_code == 404
