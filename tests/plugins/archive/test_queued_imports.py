"""``tisserand import FILE.zip --queue``: the bundle is copied into the instance folder and a
worker imports it (all or nothing); the outcome is on the record, in ``jobs list`` when refused,
and in the audit log; the copy goes in both cases."""

from __future__ import annotations

from tisserand.models import AuditLog, Community, Content
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.imports import import_folder, queue_import, run_import
from tisserand.plugins.archive.models import BundleImport


async def _bundle(site, factory, tmp_path):
    alice = await factory.member("alice")
    community = await factory.community("source", coordinator=alice)
    await factory.content(community, alice, title="Bonjour", body="Salut")
    path = tmp_path / "source.zip"
    await export_community(site, community, path)
    return path


async def test_a_worker_imports_the_queued_copy_then_deletes_it(site, factory, tmp_path):
    path = await _bundle(site, factory, tmp_path)
    site.jobs.eager = False
    try:
        row, job = await queue_import(site, path, slug="copie")
        assert row.status == "queued" and job is not None
        assert (import_folder(site) / row.file_name).is_file()
        assert not await Community.filter(slug="copie").exists()  # nothing done by the command itself
        assert [(j.task, j.status) for j in await site.jobs.list_jobs()] == [("archive.import_bundle", "todo")]
        assert await site.jobs.run_pending() == 1
    finally:
        site.jobs.eager = True
    copy = await Community.get(slug="copie")
    assert (await Content.get(community=copy)).title == "Bonjour"
    row = await BundleImport.get(id=row.id)
    assert row.status == "done" and row.community_slug == "copie" and row.error == ""
    assert not (import_folder(site) / row.file_name).exists() and path.is_file()
    line = await AuditLog.get(action="archive.import")
    assert line.community_id == copy.id and line.data["file"] == "source.zip" and line.data["slug"] == "copie"
    await run_import(site, row.id)  # a second run does nothing
    assert await Community.filter(name=copy.name).count() == 2


async def test_a_refused_bundle_leaves_nothing_and_says_why(site, factory, tmp_path):
    path = await _bundle(site, factory, tmp_path)
    before = await Community.all().count()
    row, _job = await queue_import(site, path)  # "source" is taken: refused
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    damaged, _job = await queue_import(site, junk, slug="autre")
    assert await Community.all().count() == before
    row, damaged = await BundleImport.get(id=row.id), await BundleImport.get(id=damaged.id)
    assert row.status == "refused" and "already uses the address" in row.error
    assert damaged.status == "refused" and damaged.error == "This file is not a zip archive, or it is damaged."
    assert not any(import_folder(site).iterdir())
    failed = await site.jobs.list_jobs()
    assert [j.status for j in failed] == ["failed", "failed"]
    assert (failed[0].error or "").startswith("archive.ImportRefused: This file is not a zip archive")
    assert "already uses the address" in (failed[1].error or "")
    refusals = await AuditLog.filter(action="archive.import_refused").order_by("id")
    assert [r.data["file"] for r in refusals] == ["source.zip", "junk.zip"]
    assert "already uses the address" in refusals[0].data["error"]
