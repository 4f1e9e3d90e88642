"""Helpers shared by the core web tests."""

from __future__ import annotations

import re
from typing import Any

from tests.core.web.conftest import KIND

VIEWERS = ["anonymous", "outsider", "observer", "member", "animator", "coordinator", "admin"]


async def note(factory: Any, community: Any, author: Any, title: str = "A note", body: str = "Some text.") -> Any:
    """Content of the probe plugin's kind, through the pipeline."""
    return await factory.content(community, author, kind=KIND, title=title, body=body)


async def people(factory: Any, community: Any | None = None) -> dict[str, Any]:
    """One member per kind of viewer; with ``community`` they get their roles in it."""
    who: dict[str, Any] = {"anonymous": None}
    who["outsider"] = await factory.member("outsider")
    who["admin"] = await factory.member("root", admin=True)
    for role in ("observer", "member", "animator", "coordinator"):
        who[role] = await factory.member(f"the-{role}")
        if community is not None:
            await factory.add_member(community, who[role], role)
    return who


def flash_of(response: Any) -> bool:
    """Did the answer set a one-shot message?"""
    return "tisserand_flash=" in response.headers.get("set-cookie", "")


def text(html: str) -> str:
    """The visible text of a page, roughly (tags removed, spaces collapsed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
