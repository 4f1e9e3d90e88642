"""Moderation settings, trust and the audit log in the moderation JSON API: a community's
settings, a member's trust level, the log of moderation decisions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import Field

from tisserand.plugins.moderation.serialize import audit_json
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

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
from tisserand.plugins.moderation.api import _Body, _staff_place


class AuditOut(Out):
    """An entry of the moderation log."""

    id: int
    action: str
    actor: str | None
    target_kind: str
    target_id: int | None
    target: Any = None
    reason: str
    data: Any
    created_at: datetime


class SettingsOut(Out):
    """Each setting with its site value, the community's override and the effective value."""


class TrustOut(Out):
    """A member's trust level, activity and what the level allows."""

    level: str
    label: str
    locked: bool
    days_visited: int
    posts_written: int
    posts_read: int
    flags_upheld: int
    limits: dict[str, Any]


class SettingsIn(_Body):
    """A community's moderation settings (null: the site's value)."""

    flag_threshold: float | None = Field(None, gt=0, le=100)
    hold_first_posts: int | None = Field(None, ge=0, le=100)
    hold_score: float | None = Field(None, ge=1, le=100)
    new_max_links: int | None = Field(None, ge=-1, le=100)
    new_max_mentions: int | None = Field(None, ge=-1, le=100)
    posts_per_minute: int | None = Field(None, ge=0, le=1000)
    community_posts_per_minute: int | None = Field(None, ge=0, le=10_000)


@documented(tags=["moderation"], listing=True, answer=AuditOut)
async def log(request: Request) -> Response:
    """The community's audit log: moderation decisions, sanctions, flags, appeals (coordinators)."""
    from tisserand.plugins.moderation.log import entries

    where = await _staff_place(request, "community.audit.view")
    cursor = decode_cursor(request.query_params.get("cursor"), int)
    rows, next_id = await entries(where.community, before=int(cursor[0]) if cursor else None,
                                  everything=request.query_params.get("all") in ("1", "true"))
    return listing([audit_json(row) for row in rows], encode_cursor(next_id) if next_id else None)


@documented(tags=["moderation"], answer=SettingsOut)
async def community_settings(request: Request) -> Response:
    """GET: the community's moderation settings with the site's defaults. PUT: change them
    (coordinators; null restores the site's value)."""
    from tisserand.plugins.moderation.settings_service import effective, update

    if request.method == "GET":
        where = await _staff_place(request)
        return answer(await effective(current_site(), where.community))
    data = await read_json(request, SettingsIn)
    where = await _staff_place(request, "moderation.words.edit")
    await update(where.community, where.viewer, data.model_dump(exclude_unset=True))
    return answer(await effective(current_site(), where.community))


@documented(tags=["moderation"], answer=TrustOut)
async def my_trust(request: Request) -> Response:
    """Your trust level and what it allows."""
    from tisserand.plugins.moderation.settings_service import trust_of

    viewer = require_viewer(request)
    return answer(await trust_of(current_site(), viewer))
