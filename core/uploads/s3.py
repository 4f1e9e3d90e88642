"""The ``s3`` storage: files in a bucket of an S3-compatible object store (AWS S3, MinIO,
Garage, Ceph, Scaleway, OVH…), through boto3, the AWS SDK for Python (``pip install
'tisserand[s3]'``). boto3 is synchronous: every call runs in a worker thread, and downloads
are read in 64 kB chunks (``Range`` requests go to the store), so no file is ever held whole
in memory and the event loop never waits on the network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from tisserand.uploads.storage import CHUNK, check_key

if TYPE_CHECKING:
    from tisserand.settings import UploadsSettings


class S3Storage:
    """Objects named ``<prefix><key>`` in one bucket."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_settings(cls, settings: UploadsSettings) -> S3Storage:
        """Build the client from ``[uploads] s3_*``."""
        try:
            import boto3
            from botocore.config import Config
        except ImportError:  # pragma: no cover - depends on the installation
            from tisserand.settings import SettingsError

            raise SettingsError("[uploads] storage = \"s3\" needs boto3: pip install 'tisserand[s3]'") from None
        if not settings.s3_bucket:
            from tisserand.settings import SettingsError

            raise SettingsError("[uploads] storage = \"s3\" needs s3_bucket")
        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint_url or None, region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key or None,
            aws_secret_access_key=settings.s3_secret_key or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60,
                          max_pool_connections=32))
        return cls(client, settings.s3_bucket, settings.s3_prefix)

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def put(self, key: str, source: Path) -> None:
        name = self._name(key)
        await anyio.to_thread.run_sync(lambda: self.client.upload_file(str(source), self.bucket, name))

    async def stream(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        name = self._name(key)
        wanted = f"bytes={start}-{'' if end is None else end}"
        answer = await anyio.to_thread.run_sync(
            lambda: self.client.get_object(Bucket=self.bucket, Key=name, Range=wanted))
        body = answer["Body"]
        try:
            while True:
                chunk = await anyio.to_thread.run_sync(body.read, CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        name = self._name(key)
        await anyio.to_thread.run_sync(lambda: self.client.delete_object(Bucket=self.bucket, Key=name))

    async def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        name = self._name(key)
        try:
            head = await anyio.to_thread.run_sync(lambda: self.client.head_object(Bucket=self.bucket, Key=name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])
