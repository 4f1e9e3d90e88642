"""Bundles built in the background: the web and the API only queue the work, a worker builds
it, who asked is told, the file is private to who may export, and it goes after its days."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zipfile import ZipFile

from tisserand.auth import create_token
from tisserand.models import Notification
from tisserand.plugins.archive.exports import build_export, forget_old_exports
from tisserand.plugins.archive.models import BundleExport


async def _setup(factory):
    coordinator = await factory.member("camille")
    member = await factory.member("ines")
    admin = await factory.member("root", admin=True)
    community = await factory.community("animer", coordinator=coordinator, members={member: "member"})
    await factory.content(community, coordinator, title="Le guide d'accueil")
    return community, coordinator, member, admin


async def test_the_life_plan_page_queues_an_export_and_links_it_when_ready(site, client, factory):
    community, coordinator, _member, _admin = await _setup(factory)
    await client.login_as(coordinator)
    response = await client.post_form("/c/animer/lifecycle/exports", {})
    assert response.status_code == 303 and response.headers["location"].endswith("/c/animer/lifecycle#exports")
    export = await BundleExport.get(community_id=community.id)
    assert export.status == "ready" and export.size > 0  # the test site runs jobs at once
    page = await client.get("/c/animer/lifecycle")
    link = f"/c/animer/lifecycle/exports/{export.id}.zip"
    assert link in page.text and "Ready until" in page.text
    download = await client.get(link)
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert "private" in download.headers["cache-control"]
    assert "animer-" in download.headers["content-disposition"]
    with ZipFile(io.BytesIO(download.content)) as bundle:
        assert "manifest.json" in bundle.namelist()
    told = await Notification.filter(member_id=coordinator.id, kind="archive.export_ready").count()
    assert told == 1


async def test_the_api_answers_202_then_the_status_then_the_file(site, client, factory):
    _community, coordinator, member, _admin = await _setup(factory)
    client.use_token(await create_token(member))
    refused = await client.api("POST", "/api/v1/communities/animer/exports", json={})
    assert refused.status_code == 403
    client.use_token(await create_token(coordinator))
    private = await client.api("POST", "/api/v1/communities/animer/exports", json={"include_private": True})
    assert private.status_code == 403 and "administrators" in private.json()["error"]["message"]
    bad = await client.api("POST", "/api/v1/communities/animer/exports", json={"private": True})
    assert bad.status_code == 422
    queued = await client.api("POST", "/api/v1/communities/animer/exports", json={})
    assert queued.status_code == 202
    export_id = queued.json()["id"]
    status = await client.api("GET", f"/api/v1/communities/animer/exports/{export_id}")
    assert status.status_code == 200 and status.json()["status"] == "ready"
    url = status.json()["download_url"]
    assert url == f"/api/v1/communities/animer/exports/{export_id}/download"
    download = await client.api("GET", url)
    assert download.status_code == 200 and download.content[:2] == b"PK"
    listing = await client.api("GET", "/api/v1/communities/animer/exports")
    assert [item["id"] for item in listing.json()["items"]] == [export_id]


async def test_outsiders_and_other_communities_see_nothing(site, client, factory):
    community, coordinator, member, _admin = await _setup(factory)
    other = await factory.member("zoe")
    await factory.community("autre", coordinator=other)
    client.use_token(await create_token(coordinator))
    export_id = (await client.api("POST", "/api/v1/communities/animer/exports", json={})).json()["id"]
    never = await client.api("GET", "/api/v1/communities/animer/exports/999999")
    for who, url in [(member, f"/api/v1/communities/animer/exports/{export_id}/download"),
                     (other, f"/api/v1/communities/autre/exports/{export_id}"),
                     (other, f"/api/v1/communities/animer/exports/{export_id}")]:
        client.use_token(await create_token(who))
        response = await client.api("GET", url)
        assert response.status_code == never.status_code == 404, url
        assert response.json()["error"]["message"] == never.json()["error"]["message"]


async def test_a_private_export_is_for_administrators_only(site, client, factory):
    community, coordinator, _member, admin = await _setup(factory)
    client.use_token(await create_token(admin))
    queued = await client.api("POST", "/api/v1/communities/animer/exports", json={"include_private": True})
    assert queued.status_code == 202 and queued.json()["include_private"] is True
    client.use_token(await create_token(coordinator))
    hidden = await client.api("GET", f"/api/v1/communities/animer/exports/{queued.json()['id']}")
    assert hidden.status_code == 404
    assert (await client.api("GET", "/api/v1/communities/animer/exports")).json()["items"] == []


async def test_the_task_is_idempotent_and_old_bundles_go(site, factory):
    community, coordinator, _member, _admin = await _setup(factory)
    export = await BundleExport.create(community_id=community.id, requested_by_id=coordinator.id,
                                       status="building")  # a worker died in the middle
    await build_export(site, export.id)
    await export.refresh_from_db()
    assert export.status == "ready"
    path = site.settings.path("data/archive-exports") / export.file_name
    assert path.is_file()
    await build_export(site, export.id)  # run again: nothing more
    assert await Notification.filter(member_id=coordinator.id, kind="archive.export_ready").count() == 1
    await BundleExport.filter(id=export.id).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert await forget_old_exports(site) == 1
    await export.refresh_from_db()
    assert export.status == "expired" and not path.exists()
