"""Watched words in the moderation JSON API: a community's and the site's words and link
domains, listed, added, changed and removed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from tisserand.errors import Forbidden
from tisserand.i18n import _
from tisserand.plugins.moderation import words
from tisserand.plugins.moderation.serialize import word_json
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing, read_json, require_viewer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
from tisserand.plugins.moderation.api import _Body, _id, _staff_place


class WordOut(Out):
    """A watched word or domain (``id`` is null for the built-in lists)."""

    id: int | None
    kind: str
    pattern: str
    action: str
    replacement: str | None
    scope: str
    source: str
    overridden: bool


class DeletedOut(Out):
    """What was deleted."""

    deleted: bool


class WordIn(_Body):
    """A watched word, phrase or link domain and its action."""

    pattern: str = Field(max_length=200)
    kind: Literal["word", "domain"] = "word"
    action: Literal["block", "hold", "replace", "allow"] = "hold"
    replacement: str = Field("", max_length=100)


@documented(tags=["moderation"], listing=True, status={"GET": 200, "POST": 201}, answer=WordOut)
async def community_words(request: Request) -> Response:
    """GET: the community's watched words. POST: add or change one (coordinators)."""
    if request.method == "GET":
        where = await _staff_place(request)
        return listing([word_json(w) for w in await words.listing(where.community)], None)
    data = await read_json(request, WordIn)
    where = await _staff_place(request, "moderation.words.edit")
    row = await words.save(where.community, where.viewer, data.kind, data.pattern, data.action, data.replacement)
    return answer(word_json(row), status_code=201)


@documented(tags=["moderation"], answer=DeletedOut)
async def community_word(request: Request) -> Response:
    """Remove one of the community's watched words (coordinators)."""
    where = await _staff_place(request, "moderation.words.edit")
    await words.remove(where.community, where.viewer, _id(request, "id"))
    return answer({"deleted": True})


@documented(tags=["moderation"], listing=True, status={"GET": 200, "POST": 201}, answer=WordOut)
async def site_words(request: Request) -> Response:
    """GET: the site-wide watched words, defaults included. POST: add or change one (admins)."""
    viewer = require_viewer(request)
    if not viewer.is_admin:
        raise Forbidden(_("Only site administrators manage the site-wide watched words."))
    if request.method == "GET":
        return listing([word_json(w) for w in await words.listing(None)], None)
    data = await read_json(request, WordIn)
    row = await words.save(None, viewer, data.kind, data.pattern, data.action, data.replacement)
    return answer(word_json(row), status_code=201)


@documented(tags=["moderation"], answer=DeletedOut)
async def site_word(request: Request) -> Response:
    """Remove a site-wide watched word (admins)."""
    viewer = require_viewer(request)
    if not viewer.is_admin:
        raise Forbidden(_("Only site administrators manage the site-wide watched words."))
    await words.remove(None, viewer, _id(request, "id"))
    return answer({"deleted": True})
