"""Bundles that are corrupt, from an unknown format version or malicious are refused with a
clear message, before anything is read or written: the database is left exactly as it was."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

import pytest

from tisserand import hookimpl
from tisserand.bundle import Bundle, BundleError, BundleLimits
from tisserand.errors import Conflict
from tisserand.models import AuditLog, Community, Content, Member, Membership
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.importer import import_bundle
from tisserand.testing.factory import Factory


async def snapshot() -> tuple[int, ...]:
    """Row counts of the core tables."""
    return (await Community.all().count(), await Member.all().count(), await Content.all().count(),
            await Membership.all().count(), await AuditLog.all().count())


@pytest.fixture
async def bundle_path(site, factory, tmp_path):
    alice = await factory.member("alice")
    community = await factory.community("source", coordinator=alice)
    topic = await factory.content(community, alice, title="Bonjour", body="Premier message")
    await factory.content(community, alice, title="", body="Une réponse", parent=topic)
    path = tmp_path / "good.zip"
    await export_community(site, community, path)
    return path


def entries(path: Path) -> dict[str, bytes]:
    with ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(target: Path, files: dict[str, bytes], *, manifest_fix: bool = True) -> Path:
    """Write ``files`` as a zip; with ``manifest_fix`` the manifest's checksums are made to match
    (so that only the deeper checks can catch the problem)."""
    if manifest_fix and "manifest.json" in files:
        manifest = json.loads(files["manifest.json"])
        for name in list(manifest.get("files", {})):
            if name in files:
                manifest["files"][name] = {"size": len(files[name]),
                                           "sha256": hashlib.sha256(files[name]).hexdigest(), "plugin": None}
        files = {**files, "manifest.json": json.dumps(manifest).encode()}
    with ZipFile(target, "w", compression=ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return target


async def refused(site, path: Path, fragment: str, **kwargs) -> str:
    before = await snapshot()
    with pytest.raises(BundleError) as caught:
        await import_bundle(site, path, slug="imported", **kwargs)
    assert fragment in caught.value.message, caught.value.message
    assert caught.value.status_code == 422 and caught.value.code == "bad_bundle"
    assert await snapshot() == before
    return caught.value.message


async def test_a_good_bundle_imports(site, bundle_path):
    result = await import_bundle(site, bundle_path, slug="imported")
    assert result.counts["content"] == 2


async def test_not_a_zip_or_truncated(site, bundle_path, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip at all" * 100)
    await refused(site, junk, "not a zip archive")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bundle_path.read_bytes()[: bundle_path.stat().st_size // 2])
    await refused(site, cut, "not a zip archive")
    await refused(site, tmp_path / "missing.zip", "No such file")


async def test_damaged_data_is_caught_by_the_checksums(site, bundle_path, tmp_path):
    files = entries(bundle_path)
    files["content.jsonl"] = files["content.jsonl"].replace(b"Premier message", b"Premier massage")
    await refused(site, rebuild(tmp_path / "tampered.zip", files, manifest_fix=False), "does not match its checksum")
    raw = bytearray(bundle_path.read_bytes())
    with ZipFile(bundle_path) as archive:
        info = archive.getinfo("content.jsonl")
    start = info.header_offset
    name_length = int.from_bytes(raw[start + 26:start + 28], "little")
    extra_length = int.from_bytes(raw[start + 28:start + 30], "little")
    offset = start + 30 + name_length + extra_length + info.compress_size // 2
    raw[offset] ^= 0xFF  # flip bits in the middle of the compressed data
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    await refused(site, flipped, "The archive is damaged")


async def test_unknown_format_version_and_foreign_zips(site, bundle_path, tmp_path):
    files = entries(bundle_path)
    manifest = json.loads(files["manifest.json"])
    manifest["format_version"] = 99
    message = await refused(site, rebuild(tmp_path / "v99.zip", {**files, "manifest.json": json.dumps(manifest).encode()}),
                            "format version 99")
    assert "reads version 1" in message
    manifest["format_version"], manifest["tisserand_version"] = 1, "99.0"
    await refused(site, rebuild(tmp_path / "newer.zip", {**files, "manifest.json": json.dumps(manifest).encode()}),
                  "upgrade this site first")
    del files["manifest.json"]
    await refused(site, rebuild(tmp_path / "nomanifest.zip", files), "manifest.json is missing")
    await refused(site, rebuild(tmp_path / "other.zip", {"manifest.json": b'{"name": "a python wheel"}'}),
                  "not a Tisserand community archive")
    await refused(site, rebuild(tmp_path / "brokenjson.zip", {"manifest.json": b"{nope"}, manifest_fix=False), "manifest.json is damaged")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "html/../../evil.html", "C:/windows/evil",
                                  "a\\..\\..\\evil", "html//evil.html", "./manifest.json"])
async def test_paths_escaping_the_folder_are_refused(site, bundle_path, tmp_path, name):
    path = tmp_path / "escape.zip"
    with ZipFile(bundle_path) as good, ZipFile(path, "w") as bad:
        for info in good.infolist():
            bad.writestr(info, good.read(info))
        bad.writestr(ZipInfo(name), b"gotcha")
    await refused(site, path, "Unsafe file name")


async def test_symlinks_special_files_encryption_and_duplicates(site, bundle_path, tmp_path):
    def with_entry(info: ZipInfo, data: bytes, target: str) -> Path:
        path = tmp_path / target
        with ZipFile(bundle_path) as good, ZipFile(path, "w") as bad:
            for existing in good.infolist():
                bad.writestr(existing, good.read(existing))
            bad.writestr(info, data)
        return path

    link = ZipInfo("html/passwd")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    await refused(site, with_entry(link, b"/etc/passwd", "link.zip"), "symbolic link")
    fifo = ZipInfo("html/fifo")
    fifo.create_system = 3
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    await refused(site, with_entry(fifo, b"", "fifo.zip"), "special file")
    encrypted = with_entry(ZipInfo("html/secret.txt"), b"x", "encrypted.zip")
    raw = bytearray(encrypted.read_bytes())
    position = raw.find(b"PK\x01\x02")
    while position != -1:  # mark the entry encrypted in the central directory
        length = int.from_bytes(raw[position + 28:position + 30], "little")
        if raw[position + 46:position + 46 + length] == b"html/secret.txt":
            raw[position + 8] |= 0x1
        position = raw.find(b"PK\x01\x02", position + 4)
    encrypted.write_bytes(bytes(raw))
    await refused(site, encrypted, "encrypted")
    with pytest.warns(UserWarning):
        twice = with_entry(ZipInfo("content.jsonl"), b"{}\n", "twice.zip")
    await refused(site, twice, "twice")


async def test_zip_bombs_and_huge_files_are_refused_before_reading(site, bundle_path, tmp_path):
    path = tmp_path / "bomb.zip"
    with ZipFile(bundle_path) as good, ZipFile(path, "w", compression=ZIP_DEFLATED) as bad:
        for info in good.infolist():
            bad.writestr(info, good.read(info))
        bad.writestr("html/zeros.html", b"\0" * (40 * 1024 * 1024))  # 40 MB of zeros, ~40 kB packed
    assert path.stat().st_size < 200_000
    await refused(site, path, "zip bomb")
    await refused(site, bundle_path, "too large", limits=BundleLimits(max_entry_bytes=100))
    await refused(site, bundle_path, "expands to more than", limits=BundleLimits(max_total_bytes=300))
    await refused(site, bundle_path, "larger than this site accepts", limits=BundleLimits(max_file_bytes=100))


async def test_too_many_files(site, bundle_path):
    count = len(entries(bundle_path))
    await refused(site, bundle_path, f"holds {count} files, more than the 3 allowed", limits=BundleLimits(max_entries=3))


async def test_added_or_removed_files_are_noticed(site, bundle_path, tmp_path):
    files = entries(bundle_path)
    await refused(site, rebuild(tmp_path / "extra.zip", {**files, "plugin.py": b"import os"}, manifest_fix=False),
                  "does not list: plugin.py")
    del files["audit.jsonl"]
    await refused(site, rebuild(tmp_path / "less.zip", files, manifest_fix=False), "audit.jsonl is missing")


async def test_bad_rows_roll_the_whole_import_back(site, bundle_path, tmp_path):
    files = entries(bundle_path)
    lines = files["content.jsonl"].decode().splitlines()
    row = json.loads(lines[1])
    row["kind"] = "Not a kind!"
    files["content.jsonl"] = (lines[0] + "\n" + json.dumps(row) + "\n").encode()
    message = await refused(site, rebuild(tmp_path / "badrow.zip", files), "content.jsonl, line 2, kind")
    assert "nothing" not in message or "imported" in message
    files = entries(bundle_path)
    lines = files["content.jsonl"].decode().splitlines()
    row = json.loads(lines[1])
    row["parent_id"] = 999_999
    files["content.jsonl"] = (lines[0] + "\n" + json.dumps(row) + "\n").encode()
    await refused(site, rebuild(tmp_path / "orphan.zip", files), "content #999999")
    files = entries(bundle_path)
    files["content.jsonl"] = b"{not json\n"
    await refused(site, rebuild(tmp_path / "notjson.zip", files), "line 1 of content.jsonl is not valid JSON")


class Failing:
    """A plugin whose import breaks half-way."""

    @hookimpl
    def export_community(self, community, bundle):
        bundle.write_json("failing/data.json", {"ok": True})

    @hookimpl
    def import_community(self, community, bundle):
        raise RuntimeError("disk on fire")


async def test_a_plugin_failing_mid_import_changes_nothing(site_factory, tmp_path):
    site = await site_factory(extra_plugins={"failing": Failing()})
    factory = Factory(site)
    alice = await factory.member("alice")
    community = await factory.community("source", coordinator=alice)
    await factory.content(community, alice, title="Bonjour", body="x")
    path = tmp_path / "b.zip"
    await export_community(site, community, path)
    assert "failing/data.json" in entries(path)
    message = await refused(site, path, "The plugin failing could not import its data")
    assert "disk on fire" in message


class Quiet:
    """A plugin with a small part in bundles."""

    @hookimpl
    def export_community(self, community, bundle):
        bundle.write_json("quiet/data.json", {"ok": True})

    @hookimpl
    def import_community(self, community, bundle):
        assert bundle.read_json("quiet/data.json") == {"ok": True}


async def test_plugins_missing_on_this_site(site_factory, tmp_path):
    site = await site_factory(extra_plugins={"quiet": Quiet()})
    factory = Factory(site)
    community = await factory.community("source", coordinator=await factory.member("alice"))
    path = tmp_path / "b.zip"
    await export_community(site, community, path)
    files = entries(path)
    manifest = json.loads(files["manifest.json"])
    manifest["plugins"]["teleport"] = {"version": "1.0", "files": 1}
    manifest["files"]["teleport/x.json"] = {}
    files["teleport/x.json"] = b"{}"
    files["manifest.json"] = json.dumps(manifest).encode()
    other = rebuild(tmp_path / "teleport.zip", files)
    await refused(site, other, "not enabled on this site: teleport")
    result = await import_bundle(site, other, slug="sans-teleport", skip_missing_plugins=True)
    assert result.skipped_plugins == ["teleport"]


async def test_slug_conflicts_ask_for_another_address(site, bundle_path):
    with pytest.raises(Conflict) as caught:
        await import_bundle(site, bundle_path)
    assert "--slug" in caught.value.message
    result = await import_bundle(site, bundle_path, slug="copie")
    assert result.community.slug == "copie"


def test_bundle_names_are_checked_when_writing_too(tmp_path):
    bundle = Bundle.create(tmp_path / "x.zip")
    for name in ("../x", "/abs", "a\\b", ""):
        with pytest.raises(BundleError):
            bundle.write_text(name, "x")
    bundle.close()


def test_stored_entries_are_read(tmp_path):
    path = tmp_path / "stored.zip"
    manifest = {"format": "tisserand-community", "format_version": 1, "files": {}, "plugins": {}}
    with ZipFile(path, "w", compression=ZIP_STORED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    bundle = Bundle.open(path)
    bundle.verify()
    assert bundle.manifest["format_version"] == 1
    bundle.close()
