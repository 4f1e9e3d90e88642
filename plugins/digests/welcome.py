"""The digests plugin's own digest section: new members of the community, to welcome."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tisserand.db import fetch_all
from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import ngettext
from tisserand.profile_visibility import shows

if TYPE_CHECKING:
    from tisserand.models import Community, Member

SHOWN = 12
_TTL = 600.0
# The same list serves every member of a community for one window: a run asks once.
_cache: dict[tuple[int, str, str], tuple[float, list[dict[str, Any]]]] = {}
_pending: dict[tuple[int, str, str], asyncio.Task[list[dict[str, Any]]]] = {}


async def _newcomers(community_id: int, since: datetime, until: datetime) -> list[dict[str, Any]]:
    key = (community_id, since.isoformat(), until.isoformat())
    hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < _TTL:
        return hit[1]
    # Digests are built side by side: the first member of a community asks, the others
    # wait for the same answer (not one query each before the first answer is cached).
    loop = asyncio.get_running_loop()
    pending = _pending.get(key)
    if pending is None or pending.get_loop() is not loop:
        pending = _pending[key] = loop.create_task(_fetch(key, community_id, since, until))
    try:
        return await asyncio.shield(pending)
    finally:
        if pending.done() and _pending.get(key) is pending:
            del _pending[key]


async def _fetch(key: tuple[int, str, str], community_id: int, since: datetime,
                 until: datetime) -> list[dict[str, Any]]:
    rows = await fetch_all(
        "SELECT m.id, m.username, m.display_name, m.city, m.profile_visibility FROM membership ms "
        "JOIN member m ON m.id = ms.member_id WHERE ms.community_id = ? AND ms.state = 'active' "
        "AND ms.created_at >= ? AND ms.created_at < ? AND m.is_active = TRUE AND m.is_placeholder = FALSE "
        "ORDER BY ms.created_at DESC, m.id DESC LIMIT ?",
        [community_id, since.astimezone(UTC), until.astimezone(UTC), SHOWN + 1])
    if len(_cache) > 2000:
        _cache.clear()
    _cache[key] = (time.monotonic(), rows)
    return rows


async def welcome_sections(member: Member, community: Community, since: datetime,
                           until: datetime) -> list[DigestSection]:
    """"New members to welcome": who joined ``community`` in the window (not ``member``)."""
    rows = [r for r in await _newcomers(community.id, since, until) if r["id"] != member.id][:SHOWN]
    if not rows:
        return []
    items = [DigestItem(text=r["display_name"] or r["username"], url=f"/u/{r['username']}",
                        # readers are fellow members: the city unless kept to themselves
                        detail=(r["city"] or "") if shows(r["profile_visibility"], "location", fellow_member=True)
                        else "") for r in rows]
    title = ngettext("A new member to welcome", "{count} new members to welcome", len(items))
    return [DigestSection(title, items, order=900, plugin="digests")]


def clear_cache() -> None:
    """Forget cached lists (tests)."""
    _cache.clear()
    _pending.clear()
