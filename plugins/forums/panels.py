"""The "Latest discussions" panel on a community's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from tisserand.plugins.forums import queries
from tisserand.plugins.forums.views import Formatter
from tisserand.web.community import CommunityView, community_view
from tisserand.web.templates import template_environment

if TYPE_CHECKING:
    from starlette.requests import Request

    from tisserand.models import Community, Member


async def latest_topics_panel(community: Community, viewer: Member | None, request: Request) -> Markup | None:
    """Five topics with the latest activity, for readers of the community; None for others."""
    view = getattr(request.state, "community", None)
    if not isinstance(view, CommunityView) or view.community.id != community.id:
        view = await community_view(community, viewer)
    if not view.can_read:
        return None
    rows, _next = await queries.topic_list(view, limit=5, pinned_first=False)
    fmt = Formatter(view)
    template = template_environment().get_template("forums/_panel.html")
    return Markup(template.render(topics=[fmt.topic(r) for r in rows], community=community,
                                  can_create_topic=view.can("forums.topic.create")))
