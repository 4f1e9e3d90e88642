"""A light HTTP load generator for the benchmarks: keep-alive connections over raw asyncio
streams (uvloop when installed), no response parsing beyond the status line and
``Content-Length``.

httpx spends several times the server's CPU per response on parsing and bookkeeping; on a
2-core machine the client then competes with the server it measures and adds its own queueing
to the latencies (heavier pages suffer more). This client does the least a browser would: send
the request, read the bytes, note the time.

    rate, errors, latencies = asyncio.run(load("http://127.0.0.1:8000/", 8, cookies={...}))
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request on an open connection and read its whole answer; the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            raise RuntimeError("chunked answers are not supported by this load generator")
    if length:
        await reader.readexactly(length)
    return status


async def load(url: str, seconds: float, cookies: dict[str, str] | None = None,
               connections: int = 16) -> tuple[float, int, list[float]]:
    """Requests per second, failed requests and each request's latency (seconds) over
    ``seconds`` of ``connections`` clients asking for ``url`` in a loop."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    cookie = "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())
    request = (f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/html\r\n"
               + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode()
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < end:
                sent = time.perf_counter()
                status = await _fetch(reader, writer, request)
                latencies.append(time.perf_counter() - sent)
                errors += status != 200
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    return (len(latencies) - errors) / elapsed, errors, latencies


def run(coroutine: object) -> object:
    """``asyncio.run`` on uvloop when it is installed (as the servers are)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    return uvloop.run(coroutine)  # type: ignore[arg-type]
