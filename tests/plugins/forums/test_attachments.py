"""Files in forum posts: the plain file field (no JavaScript) and the editor's upload box."""

from __future__ import annotations

import io

from PIL import Image

from tisserand.models import Upload
from tisserand.plugins.forums.models import Post


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 100, 0)).save(out, "JPEG")
    return out.getvalue()


async def test_a_reply_takes_a_file_without_javascript(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    page = await client.get(f"{forum.url}/t/{topic.id}/reply")
    assert 'enctype="multipart/form-data"' in page.text and 'name="attachment"' in page.text
    response = await client.post(
        f"{forum.url}/t/{topic.id}/reply",
        data={"csrf_token": await client.csrf_token(), "body": "Voici la photo", "action": "post",
              "attachment_alt": "Le four à pain"},
        files={"attachment": ("four.jpg", photo(), "image/jpeg")})
    assert response.status_code == 303, response.text
    post = await Post.get(content__body__startswith="Voici la photo").prefetch_related("content")
    upload = await Upload.get(content_id=post.content.id)
    assert upload.alt == "Le four à pain" and upload.community_id == forum.community.id
    assert f"![Le four à pain](/uploads/{upload.id}/four.jpg)" in post.content.body
    assert f'src="/uploads/{upload.id}/four.jpg' in post.content.html
    client.cookies.clear()
    assert (await client.get(f"/uploads/{upload.id}/four.jpg")).status_code == 200


async def test_a_refused_file_leaves_a_message_and_no_post(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    response = await client.post(
        f"{forum.url}/t/{topic.id}/reply",
        data={"csrf_token": await client.csrf_token(), "body": "Une image", "action": "post"},
        files={"attachment": ("x.svg", b"<svg><script>alert(1)</script></svg>", "image/svg+xml")})
    assert response.status_code == 415 and "not accepted" in response.text
    assert not await Post.filter(content__body="Une image").exists()


async def test_the_upload_box_is_on_the_reply_form_with_its_script(client, forum):
    topic = await forum.topic(forum.alice)
    await client.login_as(forum.bob)
    page = (await client.get(f"{forum.url}/t/{topic.id}/reply")).text
    assert 'data-upload-into="' in page and '<script src="/static/theme/uploads.js" defer>' in page
    script = await client.get("/static/theme/uploads.js")
    assert script.status_code == 200 and "/api/v1/uploads" in script.text
