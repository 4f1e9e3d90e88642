"""A file is served only to those who may read what it belongs to, checked on every download."""

import pytest

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload
from tisserand.communities import archive_community
from tisserand.content import set_status, update_content
from tisserand.models import Upload

KIND = "probe.note"


async def uploaded(client, member, data=None, name="plan.pdf"):
    await client.login_as(member)
    response = await upload(client, data or samples.pdf(), name)
    assert response.status_code == 201, response.text
    return response.json()


async def status_for(client, who, url):
    if who is None:
        client.cookies.clear()
        client.csrf = None
    else:
        await client.login_as(who)
    meta = await client.get("/api/v1/uploads/" + url.split("/")[2])
    download = await client.get(url)
    assert meta.status_code == download.status_code
    return download.status_code


async def test_an_unclaimed_file_is_its_uploaders_only(site, client, factory):
    author, other = await factory.member(), await factory.member()
    data = await uploaded(client, author)
    assert await status_for(client, author, data["url"]) == 200
    assert await status_for(client, other, data["url"]) == 404
    assert await status_for(client, None, data["url"]) == 404
    missing = await client.get("/uploads/AAAAAAAAAAAAAAAAAAAAAA/x.pdf")
    assert missing.status_code == 404


async def test_a_private_communitys_file_stays_inside(site, client, factory):
    author, member, outsider = await factory.member(), await factory.member(), await factory.member()
    admin = await factory.member(admin=True)
    private = await factory.community("cercle", visibility="private", coordinator=author,
                                      members={member: "member"})
    data = await uploaded(client, author)
    note = await factory.content(private, author, kind=KIND, body=f"Voir {data['markdown']}")
    assert await Upload.get(id=data["id"]).values_list("content_id", flat=True) == note.id
    assert await status_for(client, member, data["url"]) == 200
    assert await status_for(client, admin, data["url"]) == 200
    assert await status_for(client, outsider, data["url"]) == 404
    assert await status_for(client, None, data["url"]) == 404
    await client.login_as(member)
    response = await client.get(data["url"])
    assert response.headers["cache-control"].startswith("private")
    # The same 404, whether the file exists or not: nothing tells an outsider it is there.
    await client.login_as(outsider)
    hidden = await client.get("/api/v1/uploads/" + data["id"])
    missing = await client.get("/api/v1/uploads/AAAAAAAAAAAAAAAAAAAAAA")
    assert hidden.json() == missing.json()


async def test_moderation_and_deletion_take_the_files_with_them(site, client, factory):
    author, reader = await factory.member(), await factory.member()
    animator = await factory.member()
    community = await factory.community(coordinator=author, members={animator: "animator"})
    data = await uploaded(client, author, samples.png(), "photo.png")
    note = await factory.content(community, author, kind=KIND, body=data["markdown"])
    assert await status_for(client, None, data["url"]) == 200
    response = await client.get(data["url"])
    assert response.headers["cache-control"].startswith("public")
    await set_status(note, "hidden", actor=animator)
    assert await status_for(client, None, data["url"]) == 404
    assert await status_for(client, reader, data["url"]) == 404
    assert await status_for(client, animator, data["url"]) == 200
    await set_status(note, "published", actor=animator)
    assert await status_for(client, reader, data["url"]) == 200
    await set_status(note, "deleted", actor=author)
    assert await status_for(client, reader, data["url"]) == 404


async def test_replies_under_a_hidden_topic_lose_their_files(site, client, factory):
    author, reader, animator = await factory.member(), await factory.member(), await factory.member()
    community = await factory.community(coordinator=author, members={animator: "animator"})
    topic = await factory.content(community, author, kind=KIND, title="Sujet")
    data = await uploaded(client, author, samples.png(), "photo.png")
    await factory.content(community, author, kind=KIND, body=data["markdown"], parent=topic)
    assert await status_for(client, reader, data["url"]) == 200
    await set_status(topic, "hidden", actor=animator)
    assert await status_for(client, reader, data["url"]) == 404


async def test_a_community_turning_private_takes_its_files(site, client, factory):
    author, reader = await factory.member(), await factory.member()
    community = await factory.community(coordinator=author)
    data = await uploaded(client, author)
    await factory.content(community, author, kind=KIND, body=data["markdown"])
    assert await status_for(client, reader, data["url"]) == 200
    community.visibility = "secret"
    await community.save()
    assert await status_for(client, reader, data["url"]) == 404


async def test_narrowed_by_a_plugin(site, client, factory):
    author, reader = await factory.member(), await factory.member()
    community = await factory.community(coordinator=author)
    data = await uploaded(client, author)
    await factory.content(community, author, kind=KIND, title="hidden by probe", body=data["markdown"])
    assert await status_for(client, reader, data["url"]) == 404


async def test_references_survive_edits_and_cannot_steal_files(site, client, factory):
    author, thief = await factory.member(), await factory.member()
    private = await factory.community(visibility="private", coordinator=author)
    public = await factory.community(coordinator=thief)
    data = await uploaded(client, author)
    # Someone else pointing at my unclaimed file does not make it theirs (nor public).
    await factory.content(public, thief, kind=KIND, body=f"![x]({data['url']})")
    assert await status_for(client, None, data["url"]) == 404
    note = await factory.content(private, author, kind=KIND, body=data["markdown"])
    await update_content(note, editor=author, body="Texte revu.\n\n" + data["markdown"])
    assert await Upload.get(id=data["id"]).values_list("content_id", flat=True) == note.id
    assert await status_for(client, author, data["url"]) == 200
    assert await status_for(client, thief, data["url"]) == 404
    assert f'href="{data["url"]}"' in note.html or data["url"] in note.html


async def test_uploading_to_an_archived_community_is_refused(site, client, factory):
    member = await factory.member()
    community = await factory.community("fini", members={member: "member"})
    await archive_community(community, None)
    await client.login_as(member)
    response = await upload(client, samples.png(), "a.png", community="fini")
    assert response.status_code == 409


@pytest.mark.parametrize("path", ["/uploads/../tisserand.toml", "/uploads/..%2F..%2Ftisserand.toml/x",
                                  "/uploads/%2e%2e/x"])
async def test_traversal_in_the_url_finds_nothing(site, client, path):
    response = await client.get(path)
    assert response.status_code == 404


async def test_unused_drafts_are_forgotten_after_a_week(site, client, factory):
    from datetime import UTC, datetime, timedelta

    from tisserand.jobs import all_jobs
    from tisserand.uploads.cleanup import forget_drafts

    author = await factory.member()
    community = await factory.community(coordinator=author)
    used = await uploaded(client, author)
    await factory.content(community, author, kind=KIND, body=used["markdown"])
    draft = await uploaded(client, author, samples.png(), "oubli.png")
    fresh = await uploaded(client, author, samples.png(), "recent.png")
    old = datetime.now(UTC) - timedelta(days=8)
    await Upload.filter(id__in=[used["id"], draft["id"]]).update(created_at=old)
    assert "uploads.forget_drafts" in all_jobs(site)
    assert await forget_drafts(site) == 1
    assert set(await Upload.all().values_list("id", flat=True)) == {used["id"], fresh["id"]}
