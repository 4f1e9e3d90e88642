"""Finding a survey for a request, with the community's visibility and the viewer's rights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.errors import Forbidden, NotFound, Unauthorized
from tisserand.i18n import _
from tisserand.plugins.surveys.models import Survey
from tisserand.plugins.surveys.service import state_of
from tisserand.web.community import CommunityView, load_community

if TYPE_CHECKING:
    from starlette.requests import Request

PLUGIN = "surveys"


def base_url(slug: str) -> str:
    """Where a community's surveys are listed."""
    return f"/c/{slug}/surveys"


def survey_url(slug: str, survey_id: int) -> str:
    """A survey's page."""
    return f"/c/{slug}/surveys/{survey_id}"


def require_member(view: CommunityView) -> None:
    """Surveys are for the community's members (and site admins): 401/403 otherwise."""
    if view.can("surveys.view"):
        return
    if view.viewer is None:
        raise Unauthorized(_("Log in to take part in this community's surveys."))
    raise Forbidden(_("Surveys are for the members of this community. Join it to take part."))


async def load_view(request: Request) -> CommunityView:
    """The community of the request, with the surveys switched on, for one of its members."""
    view = await load_community(request, plugin=PLUGIN)
    require_member(view)
    return view


async def load_survey(request: Request, *, manage: bool = False) -> tuple[CommunityView, Survey]:
    """The survey ``{survey_id}`` of the request's community. Drafts and scheduled surveys exist
    only for those who manage surveys (404 for others); ``manage=True`` requires that right."""
    view = await load_view(request)
    survey = await Survey.get_or_none(id=request.path_params["survey_id"], community_id=view.community.id)
    if survey is None:
        raise NotFound(_("There is no such survey in this community."))
    managing = view.can("surveys.manage") or (view.community.is_archived and view.can("surveys.results"))
    if state_of(survey) in ("draft", "scheduled") and not managing:
        raise NotFound(_("There is no such survey in this community."))
    if manage:
        view.require("surveys.manage")
    return view, survey
