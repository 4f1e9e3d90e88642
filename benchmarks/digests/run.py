"""Build and send one weekly digest to every member of a generated instance, to a local SMTP
sink in another process, and report the rate and the memory as the run goes.

    .venv/bin/python benchmarks/digests/run.py /tmp/bench-digests [--dry-run] [--concurrency 8]
    .venv/bin/python benchmarks/digests/run.py /tmp/bench-digests --last-id 500 --profile share.prof

``--last-id N`` sends only to members with ids up to N (one share, as a ``digests.send_share``
job does); ``--profile FILE`` writes a cProfile of the run. The output counts the SQL
statements and the SMTP connections and messages, per member.

The digests come from the digests plugin's own sections (new members, notifications) plus a
stand-in plugin giving two sections per community (cached per community, as real plugins
should), so the numbers measure the digests machinery: streaming, claiming, building,
rendering (HTML + text, in each member's language), signing links and SMTP.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tisserand import hookimpl


class StandInSections:
    """Two sections per community from the generated notes, one query per community per run."""

    def __init__(self) -> None:
        self.cache: dict[int, Any] = {}

    @hookimpl
    def digest_sections(self, member: Any, community: Any, since: Any, until: Any) -> Any:
        from tisserand.db import fetch_all
        from tisserand.digest import DigestItem, DigestSection

        async def sections() -> Any:
            if community.id not in self.cache:
                rows = await fetch_all(
                    "SELECT id, title FROM content WHERE community_id = ? AND kind = 'bench.note' "
                    "AND created_at >= ? AND created_at < ? ORDER BY id DESC LIMIT 8",
                    [community.id, since.astimezone(since.tzinfo), until])
                items = [DigestItem(r["title"], f"/c/{community.slug}/notes/{r['id']}", "3 réponses") for r in rows]
                self.cache[community.id] = [DigestSection("Nouveaux sujets", items[:5], order=10),
                                            DigestSection("Pages modifiées", items[5:], order=20)]
            return self.cache[community.id]

        return sections()


class StatementCounter(logging.Handler):
    """Counts SQL statements by their first words (keeping them all would grow the memory
    this benchmark measures)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.kinds: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        words = record.getMessage().split()
        if words and words[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "BEGIN", "COMMIT"}:
            self.kinds[" ".join(words[:4])[:48]] += 1

    def __len__(self) -> int:
        return sum(self.kinds.values())


def rss_mib() -> float:
    """Resident memory now, in MiB (Linux)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


async def bench(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from tisserand.db import execute
    from tisserand.plugins.digests.runner import DigestRun
    from tisserand.site import Site

    info = json.loads((folder / "bench.json").read_text())
    site = Site.load(folder, extra_plugins={"standin": StandInSections()})
    site.plugin_settings("digests").concurrency = args.concurrency
    site.plugin_settings("digests").batch_size = args.batch_size
    site.settings.mail.port = args.smtp_port
    await site.start()
    samples: list[tuple[int, float]] = []
    seen = 0

    def progress(count: int) -> None:
        nonlocal seen
        before = seen
        seen += count
        if seen // 1000 != before // 1000:
            samples.append((seen, round(rss_mib(), 1)))

    try:
        await execute("DELETE FROM digests_delivery")
        await execute("UPDATE notification SET emailed_at = NULL")
        now = datetime.fromisoformat(info["since"]) + timedelta(days=7, hours=1)
        start_rss = rss_mib()
        profiler = cProfile.Profile() if args.profile else None
        queries = StatementCounter()
        db_log = logging.getLogger("tortoise.db_client")
        db_log.setLevel(logging.DEBUG)
        db_log.addHandler(queries)
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            report = await DigestRun(site, "weekly", now=now, dry_run=args.dry_run, on_progress=progress,
                                     last_id=args.last_id).run()
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        finally:
            db_log.removeHandler(queries)
    finally:
        await site.stop()
    return {
        "database": "postgres" if site.settings.database_url.startswith("postgres") else "sqlite",
        "members": info["members"], "due": report.due, "sent": report.sent, "empty": report.empty,
        "errors": report.errors, "failed": report.failed, "dry_run": args.dry_run,
        "concurrency": args.concurrency, "batch_size": args.batch_size,
        "seconds": round(seconds, 2), "members_per_second": round(report.seen / seconds, 1),
        "cpu_seconds": round(cpu, 2), "members_per_cpu_second": round(report.seen / cpu, 1),
        "cpu_ms_per_member": round(1000 * cpu / max(report.seen, 1), 2),
        "sql_statements": len(queries), "sql_per_member": round(len(queries) / max(report.seen, 1), 3),
        "sql_kinds": dict(queries.kinds.most_common(8)),
        "load_average": os.getloadavg(),
        "rss_start_mib": round(start_rss, 1), "rss_samples_mib": samples,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="build and render only, send nothing")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--smtp-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--last-id", type=int, default=None, help="only members with ids up to this (one share)")
    parser.add_argument("--profile", default="", help="write a cProfile of the run to this file")
    args = parser.parse_args()
    if not args.smtp_port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.smtp_port = probe.getsockname()[1]
    counts_file = Path(tempfile.mkstemp(suffix=".json")[1])
    sink = subprocess.Popen([sys.executable, str(Path(__file__).with_name("sink.py")), str(args.smtp_port),
                             str(counts_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
        result = asyncio.run(bench(args.folder, args))
    finally:
        sink.terminate()
        sink.wait(timeout=30)
    result["sink"] = json.loads(counts_file.read_text() or "{}")
    counts_file.unlink()
    samples = result.pop("rss_samples_mib")
    print(json.dumps(result, indent=1))
    print("RSS (MiB) after N members:", ", ".join(f"{n}: {mib}" for n, mib in samples))


if __name__ == "__main__":
    main()
