"""Export the benchmark community and measure: wall time, peak memory (RSS of this process,
site included), bundle size. Optionally import it back under another address.

    .venv/bin/python benchmarks/archive/run.py /tmp/bench-archive
    .venv/bin/python benchmarks/archive/run.py /tmp/bench-archive --import-too

One process, one core: the numbers of README.md were measured like this.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from pathlib import Path


class Steps:
    """A progress receiver that times each step (started → finished)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.times: dict[str, float] = {}

    def start(self, step: str, label: str, total: int | None = None) -> None:
        self.started[step] = time.perf_counter()

    def advance(self, step: str, amount: int = 1) -> None:
        pass

    def finish(self, step: str) -> None:
        self.times[step] = time.perf_counter() - self.started.get(step, time.perf_counter())

    def __str__(self) -> str:
        return ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.times.items())


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (the machine may be busy with others)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def bench(folder: Path, slug: str, import_too: bool) -> None:
    from tisserand.models import Community
    from tisserand.plugins.archive.export import export_community
    from tisserand.plugins.archive.importer import import_bundle
    from tisserand.site import Site

    site = Site.load(folder)
    await site.start()
    try:
        community = await Community.get(slug=slug)
        before = peak_mb()
        target = Path(tempfile.mkdtemp(prefix="bench-archive-")) / f"{slug}.zip"
        began, cpu = time.perf_counter(), cpu_seconds()
        steps = Steps()
        result = await export_community(site, community, target, progress=steps)  # type: ignore[arg-type]
        elapsed, cpu = time.perf_counter() - began, cpu_seconds() - cpu
        counts = result.manifest["counts"]
        print(f"export: {elapsed:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak_mb():.0f} MB (site started: {before:.0f} MB), "
              f"bundle {result.size / 1e6:.1f} MB, {counts['content']} content rows, "
              f"{counts['snapshot_pages']} HTML pages, {len(result.manifest['files'])} data files")
        print(f"  steps: {steps}")
        if import_too:
            began, cpu = time.perf_counter(), cpu_seconds()
            steps = Steps()
            copy = f"{slug}-copie-{int(time.time())}"
            imported = await import_bundle(site, target, slug=copy, progress=steps)  # type: ignore[arg-type]
            print(f"import: {time.perf_counter() - began:.1f} s wall, {cpu_seconds() - cpu:.1f} s CPU, peak RSS {peak_mb():.0f} MB, "
                  f"{imported.counts['content']} content rows")
            print(f"  steps: {steps}")
            print(f"  (the copy stays as /c/{copy}: deleting 100,000 rows is a benchmark of its own)")
        target.unlink()
        target.parent.rmdir()
    finally:
        await site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--import-too", action="store_true")
    args = parser.parse_args()
    asyncio.run(bench(args.folder, args.slug, args.import_too))


if __name__ == "__main__":
    main()
