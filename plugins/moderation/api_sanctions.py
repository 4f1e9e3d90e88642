"""Sanctions in the moderation JSON API: warn, silence, suspend or ban a member, list the
sanctions, lift one early."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from tisserand.auth import member_by_username
from tisserand.errors import Forbidden, NotFound, hidden_unless_allowed, nothing_here
from tisserand.i18n import _
from tisserand.models import Member
from tisserand.plugins.moderation import sanctions
from tisserand.plugins.moderation.access import Place, content_place
from tisserand.plugins.moderation.models import Sanction
from tisserand.plugins.moderation.serialize import sanction_json
from tisserand.site import current_site
from tisserand.web.answers import Out
from tisserand.web.api import (
    answer,
    decode_cursor,
    documented,
    encode_cursor,
    listing,
    read_json,
    require_viewer,
)
from tisserand.web.community import load_community
from tisserand.web.params import Id

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
from tisserand.plugins.moderation.api import _Body, _id, _staff_place


class SanctionOut(Out):
    """A sanction (``community`` null for a site-wide ban)."""

    id: int
    kind: str
    member: str
    community: str | None
    reason: str
    starts_at: datetime
    until: datetime | None
    active: bool
    closed_at: datetime | None
    close_reason: str | None


class SanctionIn(_Body):
    """A sanction: its kind, the reason the member reads, its end (ISO 8601 with offset)."""

    kind: Literal["warning", "silence", "suspend", "ban"]
    reason: str = Field(max_length=2000)
    until: datetime | None = None
    content: Id | None = None


class LiftIn(_Body):
    """Why a sanction ends early."""

    reason: str = Field("", max_length=500)


async def _target(username: str) -> Member:
    member = await member_by_username(username.lower())
    if member is None:
        raise NotFound(_("No member has this username."))
    return member


@documented(tags=["moderation"], status=201, answer=SanctionOut)
async def sanction(request: Request) -> Response:
    """Warn, silence, suspend (animators, coordinators) or ban from the site (admins) a member."""
    data = await read_json(request, SanctionIn)
    view = await load_community(request, plugin="moderation")
    require_viewer(request)
    where = Place(view.community, view.viewer, view.membership)
    target = await _target(request.path_params["username"])
    content = None
    if data.content is not None:
        content, _place = await content_place(data.content, view.viewer)
    given = await sanctions.give(current_site(), where, target, data.kind, data.reason, data.until, content=content)
    return answer(sanction_json(given, target, where.community), status_code=201)


@documented(tags=["moderation"], listing=True, answer=SanctionOut)
async def member_sanctions(request: Request) -> Response:
    """A member's sanctions in this community, newest first (animators, coordinators)."""
    where = await _staff_place(request, "moderation.sanction")
    target = await _target(request.path_params["username"])
    rows = await Sanction.filter(member_id=target.id).filter(community_id=where.community.id).order_by("-id")
    return listing([sanction_json(row, target, where.community) for row in rows], None)


@documented(tags=["moderation"], listing=True, answer=SanctionOut)
async def community_sanctions(request: Request) -> Response:
    """Sanctions given in this community, newest first (animators, coordinators)."""
    where = await _staff_place(request, "moderation.sanction")
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    query = Sanction.filter(community_id=where.community.id).select_related("member").order_by("-id")
    if cursor:
        query = query.filter(id__lt=int(cursor[0]))
    if request.query_params.get("active") in ("1", "true"):
        query = query.filter(closed_at__isnull=True).exclude(kind="warning")
    rows = await query.limit(51)
    page = rows[:50]
    return listing([sanction_json(row, row.member, where.community) for row in page],
                   encode_cursor(page[-1].id) if len(rows) > 50 else None)


@documented(tags=["moderation"], answer=SanctionOut)
async def lift(request: Request) -> Response:
    """End a sanction now."""
    viewer = require_viewer(request)
    data = await read_json(request, LiftIn)
    row = await Sanction.get_or_none(id=_id(request, "id")).select_related("member", "community")
    if row is None:
        raise nothing_here()
    if row.kind == "ban" or row.community is None:
        if not viewer.is_admin:
            raise Forbidden(_("Only site administrators can lift a ban."))
    else:
        with hidden_unless_allowed():  # in a community the viewer may not read: as if missing
            view = await load_community(request, slug=row.community.slug, plugin="moderation")
        Place(view.community, viewer, view.membership).require("moderation.sanction")
    lifted = await sanctions.lift(current_site(), row, viewer, data.reason)
    return answer(sanction_json(lifted, row.member, row.community))
