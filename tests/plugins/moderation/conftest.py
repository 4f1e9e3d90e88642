"""Shared set-up for the moderation tests: a site with a tiny content kind of our own
(``notes.note``, with an API route and an HTML form), so the moderation plugin is tested on a
kind it knows nothing about, without the forums, wiki or meet-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tisserand import hookimpl


class NoteIn(BaseModel):
    title: str = ""
    body: str
    parent: int | None = None


class NotesPlugin:
    """``POST /api/v1/communities/{slug}/notes`` and the form ``POST /c/{slug}/notes``."""

    @hookimpl
    def tisserand_api_routes(self) -> list[Any]:
        async def create(request: Request) -> Response:
            """Write a note."""
            from tisserand.content import create_content
            from tisserand.i18n import render_stored
            from tisserand.models import Content
            from tisserand.web.api import answer, read_json, require_viewer
            from tisserand.web.community import load_community

            viewer = require_viewer(request)
            view = await load_community(request)
            data = await read_json(request, NoteIn)
            parent = await Content.get(id=data.parent) if data.parent else None
            content = await create_content(kind="notes.note", community=view.community, author=viewer,
                                           title=data.title, body=data.body, parent=parent)
            return answer({"id": content.id, "status": content.status, "status_reason": render_stored(content.status_reason),
                           "body": content.body}, status_code=201)

        return [Route("/communities/{slug}/notes", create, methods=["POST"])]

    @hookimpl
    def tisserand_routes(self) -> list[Any]:
        async def create(request: Request) -> Response:
            from tisserand.content import create_content
            from tisserand.web.community import load_community
            from tisserand.web.forms import read_form

            view = await load_community(request)
            form = await read_form(request)
            content = await create_content(kind="notes.note", community=view.community, author=request.state.viewer,
                                           title=form.get("title", ""), body=form.get("body", ""))
            return RedirectResponse(f"/c/{view.community.slug}/notes/{content.id}", status_code=303)

        return [Route("/c/{slug}/notes", create, methods=["POST"])]

    @hookimpl
    def content_url(self, content: Any) -> str | None:
        if content.kind != "notes.note":
            return None
        return f"/c/{content.community.slug}/notes/{content.id}"


@pytest_asyncio.fixture
async def site(site_factory):
    """Every installed plugin plus the notes kind."""
    return await site_factory(extra_plugins={"notes": NotesPlugin()})


@pytest.fixture
def clock(monkeypatch) -> Iterator[Any]:
    """``clock.forward(hours=24)`` moves the moderation plugin's clock."""
    from tisserand.plugins.moderation import clock as module

    real = module.now

    class Clock:
        offset = timedelta()

        def now(self) -> datetime:
            return real() + self.offset

        def forward(self, **delta: float) -> None:
            self.offset += timedelta(**delta)

    fake = Clock()
    monkeypatch.setattr(module, "now", fake.now)
    yield fake


@pytest_asyncio.fixture
async def place(factory):
    """A public community with a coordinator, an animator and three members."""
    coordinator = await factory.member("coralie", display_name="Coralie")
    animator = await factory.member("anatole", display_name="Anatole")
    troll = await factory.member("trolleur", display_name="Le Troll")
    members = [await factory.member(f"membre{i}") for i in range(1, 4)]
    community = await factory.community("atelier", coordinator=coordinator,
                                        members={animator: "animator", troll: "member",
                                                 **{m: "member" for m in members}})
    return {"community": community, "coordinator": coordinator, "animator": animator, "troll": troll,
            "members": members}


async def post_note(client: Any, slug: str, body: str, title: str = "", **extra: Any) -> Any:
    """POST a note through the API as the client's member."""
    return await client.api("POST", f"/api/v1/communities/{slug}/notes", json={"title": title, "body": body, **extra})
