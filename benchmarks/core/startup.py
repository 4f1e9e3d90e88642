"""Start-up time of `tisserand serve` to the first answered request (wall clock).

    .venv/bin/python benchmarks/core/startup.py [--runs 5]

Creates a fresh instance with every built-in plugin, then starts `tisserand serve` several times
and measures the time until GET /healthz and GET / answer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tisserand.testing.live import free_port


def wait(url: str, deadline: float) -> float:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.monotonic()
        except OSError:
            time.sleep(0.01)
    raise TimeoutError(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp()) / "site"
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "init", str(folder)], check=True,
                   capture_output=True)
    first, home = [], []
    for _ in range(args.runs):
        port = free_port()
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "tisserand.cli.main", "--instance", str(folder), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
        try:
            first.append(wait(f"http://127.0.0.1:{port}/healthz", started + 60) - started)
            t = time.monotonic()
            wait(f"http://127.0.0.1:{port}/", t + 10)
            home.append(time.monotonic() - t)
        finally:
            process.terminate()
            process.wait()
    print(f"runs: {args.runs}")
    print(f"start → first answer (/healthz): median {statistics.median(first) * 1000:.0f} ms, "
          f"max {max(first) * 1000:.0f} ms")
    print(f"first GET / after start:         median {statistics.median(home) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
