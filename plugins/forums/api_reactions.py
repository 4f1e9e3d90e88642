"""Reactions in the forum's JSON API: react to a message, take it back, see who reacted."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import nothing_here
from tisserand.plugins.forums import queries, service
from tisserand.plugins.forums.api import Body, _view_for
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing, read_json, require_viewer


class ReactionIn(Body):
    kind: str


class ReactionOut(Out):
    """A reaction given (``on``) or taken back."""

    content: int
    kind: str
    on: bool


@documented(tags=["forums"], status=201, answer=ReactionOut)
async def add_reaction(request: Request) -> Response:
    """React to a topic or a reply: ``{kind}`` (like, thanks, insightful, celebrate, laugh) → 201."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    data = await read_json(request, ReactionIn)
    await service.react(view, content_id, data.kind, True)
    return answer({"content": content_id, "kind": data.kind, "on": True}, 201)


class ReactorOut(Out):
    """Someone who reacted."""

    username: str
    name: str


class ReactionKindOut(Out):
    """One kind of reaction to a message: how many, mine or not, and who."""

    kind: str
    label: str
    count: int
    mine: bool
    who: list[ReactorOut]


@documented(tags=["forums"], answer=ReactionKindOut, listing=True)
async def list_reactions(request: Request) -> Response:
    """Who reacted to a topic or a reply, by kind: ``{kind, label, count, mine, who: [{username,
    name}]}`` — for viewers who may see the message (404 to the others)."""
    from tisserand.plugins.forums.text import REACTIONS, reaction_labels

    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    if not view.can_read:
        raise nothing_here()
    await service.get_item(view, content_id)
    found = (await queries.reactors([content_id])).get(content_id, {})
    labels = reaction_labels()
    me = view.viewer.username if view.viewer is not None else None
    items = [{"kind": kind, "label": labels[kind], "count": len(people),
              "mine": any(u == me for u, _n in people),
              "who": [{"username": u, "name": n} for u, n in people]}
             for kind, _emoji in REACTIONS if (people := found.get(kind))]
    return listing(items, None)


@documented(tags=["forums"], answer=ReactionOut)
async def remove_reaction(request: Request) -> Response:
    """Take back one's reaction of a kind."""
    content_id = request.path_params["content_id"]
    view = await _view_for(request, content_id)
    require_viewer(request)
    await service.react(view, content_id, request.path_params["kind"], False)
    return answer({"content": content_id, "kind": request.path_params["kind"], "on": False})
