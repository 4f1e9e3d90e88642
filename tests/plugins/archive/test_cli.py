"""``tisserand export`` and ``tisserand import``, run as a user would (a real process on a demo
instance): progress on stderr, a one-line summary on stdout, one-line errors and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zipfile import ZipFile

import pytest


def tisserand(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "TISSERAND_INSTANCE": str(folder)}
    return subprocess.run([sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "site"
    done = tisserand(folder, "init", str(folder), "--demo")
    assert done.returncode == 0, done.stderr
    return folder


def test_export_then_import_under_a_new_address(instance, tmp_path):
    bundle = tmp_path / "animateurs.zip"
    done = tisserand(instance, "export", "animateurs", "-o", str(bundle))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Exported 'animateurs' to {bundle}:") and done.stdout.count("\n") == 1
    assert "Content" in done.stderr and "HTML snapshot" in done.stderr  # the progress bars
    with ZipFile(bundle) as archive:
        assert "manifest.json" in archive.namelist() and "html/index.html" in archive.namelist()

    again = tisserand(instance, "export", "animateurs", "-o", str(bundle))
    assert again.returncode == 1 and "already exists" in again.stderr

    conflict = tisserand(instance, "import", str(bundle))
    assert conflict.returncode == 1
    assert conflict.stderr.startswith("Error: A community already uses the address") and "--slug" in conflict.stderr
    assert conflict.stderr.strip().count("\n") == 0 or "Traceback" not in conflict.stderr

    done = tisserand(instance, "import", str(bundle), "--slug", "animateurs-copie")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Imported 'animateurs-copie':") and "matched by username" in done.stdout


def test_errors_are_one_line(instance, tmp_path):
    unknown = tisserand(instance, "export", "nowhere", "-o", str(tmp_path / "x.zip"))
    assert unknown.returncode == 1 and "no community with the address 'nowhere'" in unknown.stderr
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    done = tisserand(instance, "import", str(junk))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "Error: This file is not a zip archive, or it is damaged."
    assert "Traceback" not in done.stderr


def test_queued_import_and_backfill_leave_the_work_to_workers(instance, tmp_path):
    import json

    bundle = tmp_path / "open-data.zip"
    bundle.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # checked by the worker, not by the command
    queued = tisserand(instance, "import", str(bundle), "--slug", "open-data-copie", "--queue")
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("Queued the import of open-data.zip") and "jobs list" in queued.stdout
    assert len(list((instance / "data" / "archive-imports").glob("*.zip"))) == 1
    backfill = tisserand(instance, "insights", "backfill", "--queue")
    assert backfill.returncode == 0, backfill.stderr
    again = tisserand(instance, "insights", "backfill", "--queue")
    assert again.stdout.startswith("0 backfill tasks queued (") and "already waiting" in again.stdout
    listed = json.loads(tisserand(instance, "jobs", "list", "--json").stdout)["jobs"]
    tasks = [job["task"] for job in listed if job["status"] == "todo"]
    assert "archive.import_bundle" in tasks and "insights.backfill" in tasks
