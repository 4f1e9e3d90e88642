"""Digest throughput with 1, 2 and 4 ``tisserand worker`` processes on PostgreSQL.

    .venv/bin/python benchmarks/digests/workers.py [--members 2000] [--workers 1,2,4]

For each worker count: a fresh generated instance (``generate.py``) on PostgreSQL, one weekly
run split into ``digests.send_share`` jobs, N workers (concurrency 2 each) and the SMTP sink;
prints members per second from the first job taken to the last digest recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent


def _cpu_and_peak(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) and peak resident memory (MiB) of a live process (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return cpu, peak


async def _defer_run(folder: Path) -> int:
    from tisserand.jobs import defer
    from tisserand.plugins.digests.jobs import SHARE
    from tisserand.site import Site

    site = Site.load(folder)
    await site.start()
    try:
        from tisserand.db import fetch_one

        bounds = await fetch_one("SELECT MIN(id) AS lo, MAX(id) AS hi FROM member")
        now = datetime.now(UTC).isoformat()
        jobs = 0
        for start in range(int(bounds["lo"]) - 1, int(bounds["hi"]), SHARE // 2):
            await defer(site, "digests.send_share", period="weekly", now=now, first_id=start, last_id=start + SHARE // 2)
            jobs += 1
        return jobs
    finally:
        await site.stop()


async def _done(folder: Path) -> tuple[int, int]:
    from tisserand.db import fetch_one
    from tisserand.site import Site

    site = Site.load(folder)
    await site.start()
    try:
        final = await fetch_one("SELECT COUNT(*) AS n FROM digests_delivery WHERE state IN ('sent', 'empty')")
        open_jobs = await fetch_one("SELECT COUNT(*) AS n FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                                    " AND task_name = 'digests.send_share'")
        return int(final["n"]), int(open_jobs["n"])
    finally:
        await site.stop()


async def _drop(url: str) -> None:
    import asyncpg

    base, _, name = url.rpartition("/")
    connection = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def one(members: int, workers: int, port: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        url = f"postgres://postgres@127.0.0.1:5432/bench_digest_workers_{os.getpid()}_{workers}"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(folder), "--members", str(members),
                        "--database", url, "--smtp-port", str(port)], check=True, capture_output=True)
        with (folder / "tisserand.toml").open("a", encoding="utf-8") as config:
            config.write('[jobs]\nbackend = "procrastinate"\n')
        env = {**os.environ, "TISSERAND_INSTANCE": str(folder)}
        subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env, check=True, capture_output=True)
        sink = subprocess.Popen([sys.executable, str(HERE / "sink.py"), str(port), str(Path(tmp) / "sink.json")],
                                stdout=subprocess.PIPE, text=True)
        assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
        os.environ["TISSERAND_INSTANCE"] = str(folder)
        asyncio.run(_defer_run(folder))
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "tisserand.cli.main", "worker", "--concurrency", "2"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
        try:
            while True:
                done, open_jobs = asyncio.run(_done(folder))
                if open_jobs == 0 and done:
                    break
                time.sleep(0.5)
            seconds = time.perf_counter() - started
            usage = [_cpu_and_peak(p.pid) for p in procs]
            sink_cpu = _cpu_and_peak(sink.pid)[0]
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(30)
            sink.terminate()
            sink.wait(30)
            asyncio.run(_drop(url))
        counts = json.loads((Path(tmp) / "sink.json").read_text() or "{}")
        cpu = sum(u[0] for u in usage)
        print(f"{workers} worker(s): {done} digests in {seconds:.1f}s = {done / seconds:.0f} members/s, "
              f"workers' CPU {cpu:.1f}s ({1000 * cpu / max(done, 1):.2f} ms per member, start-up included), "
              f"peak RSS per worker {max(u[1] for u in usage):.0f} MiB, SMTP sink's CPU {sink_cpu:.1f}s, load {os.getloadavg()[0]:.1f} "
              f"(sink: {counts.get('messages')} messages, {counts.get('connections')} connections, "
              f"max per address {counts.get('max_per_recipient')})")
        return done / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--smtp-port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not args.smtp_port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.smtp_port = probe.getsockname()[1]
    for count in [int(n) for n in args.workers.split(",")]:
        one(args.members, count, args.smtp_port)


if __name__ == "__main__":
    main()
