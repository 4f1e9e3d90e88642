"""The right of access: a member's export holds what they wrote and did, nothing of others'."""

import io
import json
import zipfile

from tisserand.member_export import build_pending_exports
from tisserand.models import AuditLog, DataExport, Notification


async def _zip_of(client, url):
    response = await client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


async def test_export_contains_what_the_member_wrote_and_nothing_of_others(site, factory, client):
    from tisserand.plugins.forums.models import Reaction
    from tisserand.plugins.moderation.models import Flag

    alice = await factory.member("alice", display_name="Alice Martin")
    bob = await factory.member("bob", display_name="Bob Secret", email="bob-private@example.org")
    community = await factory.community(coordinator=alice, members={bob: "member"})
    mine = await factory.content(community, alice, title="Mon potager", body="Les tomates de *juillet*.")
    theirs = await factory.content(community, bob, title="Bob's diary", body="Bob's private musings.")
    await Reaction.create(content_id=theirs.id, member_id=alice.id, kind="thanks")
    await Reaction.create(content_id=mine.id, member_id=bob.id, kind="laugh")
    await Flag.create(content_id=theirs.id, community_id=community.id, member_id=alice.id, reason="spam",
                      note="alice's flag note")
    await Flag.create(content_id=mine.id, community_id=community.id, member_id=bob.id, reason="troll",
                      note="bob's flag note")

    await client.login_as(alice)
    response = await client.api("POST", "/api/v1/me/export")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] in ("pending", "ready")
    await build_pending_exports(site)  # the job (also run right after the answer)
    status = (await client.get(f"/api/v1/me/export/{body['id']}")).json()
    assert status["status"] == "ready" and status["download_url"].startswith("http://testserver/me/exports/")

    archive = await _zip_of(client, status["download_url"].removeprefix("http://testserver"))
    everything = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "Les tomates de *juillet*." in everything
    assert any(name.startswith("markdown/") and name.endswith(".md") for name in archive.namelist())
    content = json.loads(archive.read("content/content.json"))
    assert [row["title"] for row in content] == ["Mon potager"]
    assert json.loads(archive.read("profile.json"))["email"] == "alice@example.org"
    assert json.loads(archive.read("memberships.json"))[0]["role"] == "coordinator"
    assert [r["kind"] for r in json.loads(archive.read("forums/reactions.json"))] == ["thanks"]
    assert [f["note"] for f in json.loads(archive.read("moderation/flags.json"))] == ["alice's flag note"]
    for foreign in ("Bob's private musings", "bob-private@example.org", "Bob Secret", "laugh", "bob's flag note"):
        assert foreign not in everything

    # announced by a notification (kind + parameters)
    note = await Notification.get(member_id=alice.id, kind="privacy.export_ready")
    assert note.data["export"] == body["id"]
    # ... kept as data: the deadline is written for the reader, in their language, no seconds.
    from tisserand.i18n import use_locale
    from tisserand.notify import notification_texts

    title, text = notification_texts(note.title, note.text, note.data)
    with use_locale("fr"):
        assert str(title) == "Votre export de données est prêt"
        assert str(text).startswith("Téléchargez-le avant le ") and "(UTC)\u00a0:" in str(text)
    with use_locale("en"):
        assert str(title) == "Your data export is ready" and str(text).startswith("Download it before ")
        assert "(UTC): " in str(text)


async def test_nobody_else_can_follow_or_download_an_export(site, factory, client):
    alice, mallory = await factory.member(), await factory.member()
    export = await DataExport.create(member=alice, requested_by=alice)
    await build_pending_exports(site)
    await client.login_as(alice)
    url = (await client.get(f"/api/v1/me/export/{export.id}")).json()["download_url"].removeprefix(
        "http://testserver")
    await client.login_as(mallory)
    assert (await client.get(f"/api/v1/me/export/{export.id}")).status_code == 404
    assert (await client.get(url)).status_code == 404
    await client.login_as(alice)
    assert (await client.get(url[:-3] + "abc")).status_code == 404
    assert (await client.get(url)).status_code == 200


async def test_an_expired_link_no_longer_works(site, factory, client):
    from datetime import UTC, datetime, timedelta

    alice = await factory.member()
    export = await DataExport.create(member=alice, requested_by=alice)
    await build_pending_exports(site)
    await client.login_as(alice)
    url = (await client.get(f"/api/v1/me/export/{export.id}")).json()["download_url"].removeprefix(
        "http://testserver")
    await DataExport.filter(id=export.id).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    await build_pending_exports(site)
    assert (await client.get(url)).status_code == 404
    assert (await client.get(f"/api/v1/me/export/{export.id}")).json()["status"] == "expired"


async def test_an_administrator_exports_on_a_members_behalf_and_it_is_logged(site, factory, client):
    admin = await factory.member(admin=True)
    alice = await factory.member(display_name="Alice Martin")
    await client.login_as(admin)
    response = await client.post_form(f"/admin/members/{alice.username}", {"action": "export"})
    assert response.status_code == 303
    export = await DataExport.get(member_id=alice.id)
    assert export.requested_by_id == admin.id
    assert await AuditLog.filter(actor_id=admin.id, action="privacy.export_on_behalf", target_id=alice.id).exists()
    await build_pending_exports(site)
    page = await client.get("/me")
    assert alice.username in page.text and "/me/exports/" in page.text


async def test_the_account_page_offers_the_export(site, factory, client):
    alice = await factory.member()
    await client.login_as(alice)
    page = await client.get("/me")
    assert 'action="/me/export"' in page.text
    response = await client.post_form("/me/export")
    assert response.status_code == 303
    assert await DataExport.filter(member_id=alice.id).exists()
