"""Pages: the community's kudos board, and the form that gives a kudos."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.exceptions import IntegrityError

from tisserand.db import fetch_all
from tisserand.errors import Conflict, Forbidden, NotFound, Unauthorized
from tisserand.i18n import _
from tisserand.models import Community, Content, Member
from tisserand.notify import notify
from tisserand.plugin_manager import plugins_switched_on
from tisserand.site import current_site
from tisserand.visibility import readable_community_ids_sql
from tisserand.web.community import load_community, render_community
from tisserand.web.flash import flash_redirect
from tisserand.web.forms import read_form
from tisserand.web.templates import render_page
from tisserand_kudos.models import Kudos


async def board(request: Request) -> Response:
    """The community's kudos board: who was thanked most, and the latest thanks."""
    view = await load_community(request, plugin="kudos")
    top = await fetch_all(
        "SELECT m.username, m.display_name, COUNT(*) AS total FROM kudos k "
        "JOIN member m ON m.id = k.receiver_id WHERE k.community_id = ? "
        "GROUP BY m.id, m.username, m.display_name ORDER BY total DESC, m.username LIMIT 10",
        [view.community.id])
    return await render_community(request, view, "kudos/board.html", {"top": top}, tab="kudos")


async def give(request: Request) -> Response:
    """Thank the author of a content item (a form POST; back to where the member was)."""
    view = await load_community(request, plugin="kudos")
    if view.viewer is None:
        raise Unauthorized(_("Log in to thank someone."))
    view.require("kudos.give")
    form = await read_form(request)
    content_id = request.path_params["content_id"]  # {content_id:id}: 0 … 2³¹−1, else 404
    content = await Content.get_or_none(id=content_id, community_id=view.community.id, status="published")
    if content is None or content.author_id is None:
        raise NotFound(_("No such post."))
    if content.author_id == view.viewer.id:
        raise Forbidden(_("You cannot thank yourself."))
    try:
        await Kudos.create(community=view.community, content=content, giver=view.viewer,
                           receiver_id=content.author_id)
    except IntegrityError:
        raise Conflict(_("You already thanked the author for this.")) from None
    receiver = await content.author
    await notify(receiver, "kudos.received",
                 _("{name} thanked you", name=view.viewer.name), actor=view.viewer,
                 community=view.community, content=content, url=form.get("next", ""))
    next_url = form.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = f"/c/{view.community.slug}/kudos"
    # The next page shows this once ("flash" message), in the member's language.
    return flash_redirect(next_url, _("Thanks sent to {name}.", name=receiver.name))


async def kudos_communities(viewer: Member | None) -> list[int]:
    """Ids of the communities whose kudos ``viewer`` may see: readable, and kudos switched on."""
    readable, params = readable_community_ids_sql(viewer)
    rows = await fetch_all(f"SELECT cm.id FROM community cm WHERE {readable}", params)
    switches = await Community.filter(id__in=[row["id"] for row in rows]).values_list("id", "plugins")
    enabled = current_site().plugins.enabled
    return [cid for cid, plugins in switches if "kudos" in plugins_switched_on(enabled, plugins)]


async def site_board(request: Request) -> Response:
    """A site-wide page: the most thanked members in every community the viewer may read."""
    ids = await kudos_communities(getattr(request.state, "viewer", None))
    top = []
    if ids:
        top = await fetch_all(
            "SELECT m.username, m.display_name, COUNT(*) AS total FROM kudos k "
            f"JOIN member m ON m.id = k.receiver_id WHERE k.community_id IN ({','.join('?' * len(ids))}) "
            "GROUP BY m.id, m.username, m.display_name ORDER BY total DESC, m.username LIMIT 20", ids)
    return await render_page(request, "kudos/site.html", {"top": top})


def routes() -> list[Route]:
    """The plugin's page routes."""
    return [
        Route("/kudos", site_board, name="kudos-site"),
        Route("/c/{slug}/kudos", board, name="kudos-board"),
        Route("/c/{slug}/kudos/{content_id:id}", give, methods=["POST"], name="kudos-give"),
    ]
