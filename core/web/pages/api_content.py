"""``GET /api/v1/content/{id}``: any content item, of any kind, that the viewer may see."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.models import Content, Membership
from tisserand.site import current_site
from tisserand.visibility import can_read_community, can_see_community, can_see_content_status, plugins_allow
from tisserand.web.answers import ContentOut
from tisserand.web.api import answer, documented, viewer


def content_json(content: Content, url: str | None) -> dict[str, Any]:
    """The API's representation of a content item."""
    author = content.author
    return {
        "id": content.id,
        "kind": content.kind,
        "community": content.community.slug,
        "author": author.username if author is not None else None,
        "parent": content.parent_id,
        "title": content.title,
        "body": content.body,
        "html": content.html,
        "lang": content.lang or None,
        "status": content.status,
        "url": url,
        "created_at": content.created_at,
        "updated_at": content.updated_at,
        "edited_at": content.edited_at,
    }


@documented(tags=["content"], answer=ContentOut)
async def content_item(request: Request) -> Response:
    """One content item (topic, post, wiki page, meet-up…) with its rendered HTML; 404 when it
    does not exist or the viewer may not see it."""
    member = viewer(request)
    missing = NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))
    content = await Content.get_or_none(id=request.path_params["id"]).select_related("community", "author")
    if content is None:
        raise missing
    community = content.community
    membership = None
    if member is not None:
        membership = await Membership.get_or_none(member_id=member.id, community_id=community.id)
    staff = membership is not None and membership.state == "active" and membership.role in ("coordinator", "animator")
    if not (can_see_community(member, community, membership) and can_read_community(member, community, membership)
            and can_see_content_status(member, content, staff) and await plugins_allow(content, member)):
        raise missing
    url = current_site().hook.content_url(content=content)
    return answer(content_json(content, url))


def routes() -> list[BaseRoute]:
    """API routes, relative to ``/api/v1``."""
    return [Route("/content/{id:id}", content_item, methods=["GET"], name="api_content")]
