"""``tisserand digests send`` in real processes: the summary, a process killed mid-run and
started again, two processes at once — nobody gets a digest twice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tisserand.models import Membership
from tisserand.plugins.digests.periods import previous_window, zone

CONFIG = """[site]
secret_key = "test-secret-key-not-for-production-0123456789"
base_url = "http://testserver"
default_locale = "en"
[database]
url = "{url}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[mail]
backend = "smtp"
host = "{host}"
port = {port}
timeout = 10
[plugins]
enabled = ["digests"]
[plugins.digests]
retry_delay = 0.01
claim_timeout = 1
batch_size = 2
concurrency = 1
"""


def _instance(tmp_path: Path, site: Any, mailbox: Any) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "tisserand.toml").write_text(CONFIG.format(url=site.settings.database_url, host=mailbox.host,
                                                         port=mailbox.port), encoding="utf-8")
    return folder


def _command(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "digests", "send",
            "--period", "weekly", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "COLUMNS": "200", "TISSERAND_INSTANCE": ""}


async def _members_to_welcome(site: Any, factory: Any, count: int) -> None:
    """``count`` members who all joined one community last week: each one's weekly digest
    welcomes the others (the digests plugin's own section, so no other plugin is needed)."""
    members = [await factory.member(f"p{i:02d}") for i in range(count)]
    await factory.community("ruche", coordinator=members[0], members={m: "member" for m in members[1:]})
    window = previous_window("weekly", datetime.now(UTC), zone(site.settings.site.timezone))
    await Membership.all().update(created_at=window.since + timedelta(hours=1))


def _slow_down(mailbox: Any, seconds: float) -> None:
    handler = mailbox._controller.handler
    original = handler.handle_DATA

    async def slow(server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(seconds)
        return await original(server, session, envelope)

    handler.handle_DATA = slow


def _recipients(mailbox: Any) -> Counter[str]:
    return Counter(str(m["To"]) for m in mailbox.messages)


async def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True, env=_env(),
                                   timeout=120)


async def test_send_prints_a_summary_and_dry_run_sends_nothing(dsite, dfactory, mailbox, tmp_path):
    await _members_to_welcome(dsite, dfactory, 3)
    folder = _instance(tmp_path, dsite, mailbox)

    dry = await _run(_command(folder, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert "Dry run" in dry.stdout and mailbox.messages == []

    real = await _run(_command(folder))
    assert real.returncode == 0, real.stderr
    assert "weekly" in real.stdout and "sent" in real.stdout
    assert len(mailbox.messages) == 3

    again = await _run(_command(folder))
    assert again.returncode == 0 and len(mailbox.messages) == 3

    base = [sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "digests"]
    status = await _run([*base, "status"])
    assert status.returncode == 0 and "weekly:" in status.stdout
    preview = await _run([*base, "preview", "p01", "--period", "weekly"])
    assert preview.returncode == 0 and preview.stdout.startswith("Subject: Your weekly digest")
    unknown = await _run([*base, "preview", "nobody"])
    assert unknown.returncode == 1 and "no member named" in unknown.stderr


async def test_a_killed_run_started_again_sends_nothing_twice(dsite, dfactory, mailbox, tmp_path):
    await _members_to_welcome(dsite, dfactory, 8)
    folder = _instance(tmp_path, dsite, mailbox)
    _slow_down(mailbox, 0.3)

    process = await asyncio.to_thread(subprocess.Popen, _command(folder), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, env=_env())
    try:
        for _ in range(600):
            if len(mailbox.messages) >= 3 or process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        process.kill()  # SIGKILL: no finally, no clean-up
        await asyncio.to_thread(process.wait)
    finally:
        if process.poll() is None:
            process.kill()
    killed_after = len(mailbox.messages)
    assert 3 <= killed_after < 8, "the run should have been killed halfway"

    await asyncio.sleep(1.2)  # claim_timeout: the dead run's claims may be taken over now
    rerun = await _run(_command(folder))
    assert rerun.returncode == 0, rerun.stderr

    counts = _recipients(mailbox)
    assert max(counts.values()) == 1, counts
    # At most the one message being handed over at the moment of the kill is missing.
    assert len(counts) >= 7


@pytest.mark.parametrize("processes", [2])
async def test_two_processes_at_once_send_nothing_twice(dsite, dfactory, mailbox, tmp_path, processes):
    await _members_to_welcome(dsite, dfactory, 8)
    folder = _instance(tmp_path, dsite, mailbox)
    _slow_down(mailbox, 0.05)

    results = await asyncio.gather(*(_run(_command(folder)) for _ in range(processes)))

    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    counts = _recipients(mailbox)
    assert len(counts) == 8 and max(counts.values()) == 1, counts
