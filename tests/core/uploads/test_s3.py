"""The ``s3`` storage against a real S3-compatible HTTP server started on loopback by the test
(moto's standalone server, a separate process): upload, download with ranges, delete."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.core.uploads import samples
from tests.core.uploads.conftest import upload
from tests.core.web.conftest import Probe

boto3 = pytest.importorskip("boto3")
BUCKET = "tisserand-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """``moto_server`` on 127.0.0.1 (its own process), with an empty bucket."""
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
        client.create_bucket(Bucket=BUCKET)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest_asyncio.fixture
async def site(site_factory, s3_server):
    config = {"uploads": {"storage": "s3", "s3_bucket": BUCKET, "s3_endpoint_url": s3_server,
                          "s3_access_key": "test", "s3_secret_key": "test", "s3_prefix": "site-a/"}}
    started = await site_factory(enabled=[], config=config)
    started.plugins.pm.register(Probe(), name="probe")
    return started


def objects(s3_server: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


async def test_files_live_in_the_bucket(site, client, factory, s3_server):
    await client.login_as(await factory.member())
    before = objects(s3_server)
    photo = (await upload(client, samples.png((2000, 1000)), "grand.png")).json()
    added = sorted(set(objects(s3_server)) - set(before))
    assert len(added) == 3 and all(key.startswith("site-a/") for key in added)  # original, display, thumb
    assert not (site.settings.instance_dir / "data" / "uploads").exists()
    full = await client.get(photo["url"])
    assert full.status_code == 200 and full.content.startswith(b"\x89PNG")
    assert int(full.headers["content-length"]) == photo["size"] == len(full.content)
    part = await client.get(photo["url"], headers={"Range": "bytes=1-3"})
    assert part.status_code == 206 and part.content == b"PNG"
    thumb = await client.get(photo["thumbnail_url"])
    assert thumb.status_code == 200 and len(thumb.content) < photo["size"]


async def test_refused_and_deleted_files_leave_nothing(site, client, factory, s3_server):
    from tisserand.uploads import delete_upload, get_upload

    await client.login_as(await factory.member())
    before = objects(s3_server)
    assert (await upload(client, samples.SVG_WITH_SCRIPT, "x.svg")).status_code == 415
    assert objects(s3_server) == before
    data = (await upload(client, samples.pdf(), "doc.pdf")).json()
    assert len(objects(s3_server)) == len(before) + 1
    await delete_upload(await get_upload(data["id"]))
    assert objects(s3_server) == before
    assert (await client.get(data["url"])).status_code == 404
