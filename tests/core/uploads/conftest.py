"""A site with only the core web tests' probe plugin (content kind ``probe.note``), plus the
``[uploads]`` settings a test asks for with ``@pytest.mark.uploads(max_bytes=...)``."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from tests.core.web.conftest import Probe


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "uploads(**settings): [uploads] settings for the site")


@pytest_asyncio.fixture
async def site(site_factory: Any, request: pytest.FixtureRequest) -> Any:
    marker = request.node.get_closest_marker("uploads")
    config: dict[str, Any] = {"uploads": dict(marker.kwargs)} if marker else {}
    if marker and "max_request_bytes" in marker.kwargs:
        config["uploads"].pop("max_request_bytes")
        config["site"] = {"max_request_bytes": marker.kwargs["max_request_bytes"]}
    started = await site_factory(enabled=[], config=config)
    started.plugins.pm.register(Probe(), name="probe")
    return started


async def upload(client: Any, data: bytes, name: str = "file.png", mime: str = "application/octet-stream",
                 **fields: str) -> Any:
    """POST a file to the API with the client's credentials (and CSRF header for a session)."""
    headers = {"X-CSRF-Token": client.csrf} if client.csrf else {}
    return await client.post("/api/v1/uploads", files={"file": (name, data, mime)}, data=fields,
                             headers=headers)
