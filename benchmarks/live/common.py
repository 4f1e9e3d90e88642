"""Shared by the live-event benchmarks: a served instance and raw SSE clients."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

CONFIG = """[site]
name = "Bench live"
base_url = "http://127.0.0.1:{port}"
default_locale = "en"
secret_key = "bench-live-secret-key-0123456789abcdef"
members_create_communities = true
[database]
url = "{url}"
[auth]
argon2_time_cost = 1
argon2_memory_kib = 8
[events]
max_connections = {max_connections}
heartbeat = 15
[plugins]
enabled = ["forums"]
"""


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_instance(folder: Path, port: int, url: str, max_connections: int) -> dict[str, str]:
    """Write and migrate an instance; returns the environment to serve it."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "tisserand.toml").write_text(
        CONFIG.format(port=port, url=url, max_connections=max_connections), encoding="utf-8")
    env = {**os.environ, "TISSERAND_INSTANCE": str(folder)}
    subprocess.run([sys.executable, "-m", "tisserand.cli.main", "migrate"], env=env, check=True,
                   capture_output=True)
    return env


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """One uvicorn process (the unit measured)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tisserand.web.asgi:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--backlog", "4096"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("the server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server (open streams keep a graceful shutdown waiting: kill after 5 s)."""
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RawSSE:
    """A minimal SSE client on a raw socket (thousands of them stay cheap)."""

    def __init__(self, port: int, topics: str) -> None:
        self.port, self.topics = port, topics
        self.received: list[float] = []
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        """Open the stream and read the response head."""
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET /api/v1/events?topics={self.topics} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode(errors="replace"))

    async def listen(self) -> None:
        """Note the arrival time of each event."""
        assert self.reader is not None
        while True:
            line = await self.reader.readline()
            if not line:
                return
            if b"event: forum.reply" in line:
                self.received.append(time.perf_counter())

    def close(self) -> None:
        """Drop the connection."""
        if self.writer is not None:
            self.writer.close()
