"""Appeals in the moderation JSON API: file one against a decision or a sanction, list them,
answer them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import Field

from tisserand.errors import hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.moderation import appeals
from tisserand.plugins.moderation.access import Place, content_place
from tisserand.plugins.moderation.models import Appeal, Sanction
from tisserand.plugins.moderation.serialize import appeal_json
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing, read_json, require_viewer
from tisserand.web.community import load_community
from tisserand.web.params import Id

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
from tisserand.plugins.moderation.api import _Body, _id, _staff_place


class AppealOut(Out):
    """An appeal against a decision or a sanction."""

    id: int
    member: str
    content: int | None
    sanction: int | None
    message: str
    state: str
    answer: str | None
    created_at: datetime
    answered_at: datetime | None


class AppealIn(_Body):
    """An appeal about one content item or one sanction."""

    message: str = Field(max_length=2000)
    content: Id | None = None
    sanction: Id | None = None


class AnswerIn(_Body):
    """A coordinator's answer to an appeal."""

    accept: bool
    answer: str = Field("", max_length=2000)


@documented(tags=["moderation"], status=201, answer=AppealOut)
async def file_appeal(request: Request) -> Response:
    """Appeal once, as the author, against a decision on your content or a sanction."""
    viewer = require_viewer(request)
    data = await read_json(request, AppealIn)
    site = current_site()
    if data.content is not None:
        content, where = await content_place(data.content, viewer)
        appeal = await appeals.file(site, where, data.message, content=content)
    elif data.sanction is not None:
        row = await Sanction.get_or_none(id=data.sanction, member_id=viewer.id).select_related("community")
        if row is None or row.community is None:
            raise nothing_here()
        from tisserand.plugins.moderation.access import place

        appeal = await appeals.file(site, await place(row.community, viewer), data.message, sanction=row)
    else:
        from tisserand.errors import ValidationFailed

        raise ValidationFailed(_("Say which post or sanction you appeal about."),
                               fields={"content": _("Give content or sanction.")})
    return answer(appeal_json(appeal, viewer), status_code=201)


@documented(tags=["moderation"], listing=True, answer=AppealOut)
async def community_appeals(request: Request) -> Response:
    """Appeals in this community, open ones first (coordinators)."""
    where = await _staff_place(request, "moderation.appeals.answer")
    rows = await Appeal.filter(community_id=where.community.id).select_related("member").order_by("state", "-id").limit(100)
    return listing([appeal_json(row, row.member) for row in rows], None)


@documented(tags=["moderation"], answer=AppealOut)
async def answer_appeal(request: Request) -> Response:
    """Accept or refuse an appeal, with an answer the author reads (coordinators)."""
    viewer = require_viewer(request)
    data = await read_json(request, AnswerIn)
    row = await Appeal.get_or_none(id=_id(request, "id")).select_related("community")
    if row is None:
        raise nothing_here()
    with hidden_unless_allowed():  # in a community the viewer may not read: as if missing
        view = await load_community(request, slug=row.community.slug, plugin="moderation")
    where = Place(view.community, viewer, view.membership)
    answered = await appeals.answer(current_site(), where, row, data.accept, data.answer)
    return answer(appeal_json(answered, await Member.get(id=row.member_id)))
