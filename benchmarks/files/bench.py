"""Files: upload throughput of 5 MB photos (thumbnails included) and the server's memory while
it streams a 200 MB download. One uvicorn process (uvloop + httptools), SQLite, local storage.

    .venv/bin/python benchmarks/files/bench.py                 # BENCH_UPLOADS=20 BENCH_DOWNLOAD_MB=200

Prints JSON: uploads per second (sequential and 2 at a time), the photo's size, and the server's
RSS before the download, its peak during it (VmHWM) and after.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image

from tisserand.testing.live import LiveSite


def photo(target_bytes: int = 5_000_000) -> bytes:
    """A noisy 12-megapixel JPEG of about 5 MB (noise compresses badly, like a real photo)."""
    size = (4000, 3000)
    channels = [Image.effect_noise(size, 40 + 10 * i).point(lambda v, i=i: (v + 60 * i) % 256) for i in range(3)]
    image = Image.merge("RGB", channels)
    for quality in (70, 60, 50, 40, 30):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() <= target_bytes * 1.15:
            return out.getvalue()
    return out.getvalue()


def rss(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, value = line.split(":")
            values[name] = int(value.split()[0])
    return values


def main() -> None:
    uploads = int(os.environ.get("BENCH_UPLOADS", "20"))
    download_mb = int(os.environ.get("BENCH_DOWNLOAD_MB", "200"))
    folder = Path(tempfile.mkdtemp(prefix="bench-files-"))
    live = LiveSite(folder, [])
    with open(folder / "tisserand.toml", "a", encoding="utf-8") as config:
        config.write(f"[uploads]\nmax_bytes = {(download_mb + 10) * 1_000_000}\nmember_quota_bytes = 0\n")
    big = folder / "big.csv"
    with open(big, "wb") as out:
        line = b"2026-12-06,Passerelles,atelier compost,42,ok\n"
        for _ in range(download_mb * 1_000_000 // len(line)):
            out.write(line)

    async def prepare(site):
        from tisserand.auth import create_member, create_token
        from tisserand.uploads import save_upload

        member = await create_member(site.settings, username="bench", email="bench@example.org",
                                     password="bench-password-123")
        token = await create_token(member, "bench")
        upload = await save_upload(big, name="big.csv", uploader=member, quotas=False)
        return token, upload.id

    live.start()
    token, big_id = live.run(prepare)
    assert live.process is not None
    pid = live.process.pid
    data = photo()
    headers = {"Authorization": f"Bearer {token}"}
    result: dict[str, object] = {"photo_bytes": len(data), "uploads": uploads}
    try:
        with httpx.Client(base_url=live.url, headers=headers, timeout=120) as client:
            def send(_: int) -> float:
                started = time.perf_counter()
                answer = client.post("/api/v1/uploads", files={"file": ("photo.jpg", data, "image/jpeg")})
                answer.raise_for_status()
                return time.perf_counter() - started

            send(0)  # warm up
            started = time.perf_counter()
            times = [send(i) for i in range(uploads)]
            elapsed = time.perf_counter() - started
            result["sequential_uploads_per_s"] = round(uploads / elapsed, 2)
            result["upload_median_ms"] = round(statistics.median(times) * 1000)
            with ThreadPoolExecutor(2) as pool:
                started = time.perf_counter()
                list(pool.map(send, range(uploads)))
                result["two_at_a_time_uploads_per_s"] = round(uploads / (time.perf_counter() - started), 2)
            before = rss(pid)
            received = 0
            started = time.perf_counter()
            with client.stream("GET", f"/uploads/{big_id}/big.csv") as answer:
                for chunk in answer.iter_bytes(1 << 20):
                    received += len(chunk)
            result["download_mb"] = round(received / 1_000_000, 1)
            result["download_mb_per_s"] = round(received / 1_000_000 / (time.perf_counter() - started), 1)
            after = rss(pid)
            result["rss_before_download_kb"] = before["VmRSS"]
            result["peak_rss_before_download_kb"] = before["VmHWM"]
            result["peak_rss_after_download_kb"] = after["VmHWM"]
            result["rss_after_download_kb"] = after["VmRSS"]
    finally:
        live.stop()
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
