"""Finding a meet-up or an achievement for a request, with the visibility rules, and
deciding what the viewer may do with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tisserand.errors import NotFound
from tisserand.i18n import _
from tisserand.models import Community, Content
from tisserand.visibility import can_see_community, can_see_content_status
from tisserand.web.community import CommunityView, community_view

from .models import Meetup, Place

if TYPE_CHECKING:
    from starlette.requests import Request

PLUGIN = "meetups"


def _missing() -> NotFound:
    return NotFound(_("There is nothing at this address. It may have moved, or you may not have access to it."))


@dataclass
class Found:
    """A content item of this plugin as the viewer sees it."""

    view: CommunityView
    content: Content
    row: Meetup | Place

    @property
    def meetup(self) -> Meetup:
        """The Meetup row (for meet-ups)."""
        assert isinstance(self.row, Meetup)
        return self.row

    @property
    def is_organiser(self) -> bool:
        """The author, while they may still organise here."""
        viewer = self.view.viewer
        return (viewer is not None and self.content.author_id == viewer.id
                and self.view.can("meetups.meetup.create"))

    @property
    def can_manage(self) -> bool:
        """May the viewer edit or cancel it?"""
        return self.is_organiser or self.view.can("meetups.meetup.manage")


async def load_item(request: Request, item_id: int, kind: str, *, slug: str | None = None) -> Found:
    """The meet-up (``kind="meetups.meetup"``) or achievement ``item_id``, or 404 when it does
    not exist, lives in another community than ``slug``, or the viewer may not see it."""
    content = await Content.get_or_none(id=item_id, kind=kind)
    if content is None:
        raise _missing()
    community = await Community.get(id=content.community_id)
    if slug is not None and community.slug != slug:
        raise _missing()
    content.community = community
    view = await community_view(community, getattr(request.state, "viewer", None))
    if not can_see_community(view.viewer, community, view.membership) or not view.can_read:
        raise _missing()
    if PLUGIN not in view.plugins:
        raise _missing()  # switched off here: as if it never existed
    if not can_see_content_status(view.viewer, content, view.is_staff):
        raise _missing()
    model = Meetup if kind == "meetups.meetup" else Place
    row = await model.get_or_none(id=content.id)
    if row is None:
        raise _missing()
    request.state.community = view
    return Found(view, content, row)
