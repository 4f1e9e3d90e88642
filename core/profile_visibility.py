"""Who sees each profile field: the member's choice, private by default.

Each field of :data:`FIELDS` has a level of :data:`LEVELS`: ``everyone``, ``members`` (the
members of a community the member belongs to — "my communities"), or ``me``. The choices live in
``Member.profile_visibility`` (missing fields take :data:`FIELDS`' defaults); the member sets them
on ``/me`` or with ``PUT /api/v1/me/visibility``. The profile page, the API's accounts and the
plugins that show a field (the meet-ups map, the digests' newcomers) ask :func:`visible_fields`
or :func:`shows` before showing it. The name, the username and the picture are always shown:
they say who wrote what.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tisserand.i18n import _

if TYPE_CHECKING:
    from tisserand.models import Member

__all__ = ["FIELDS", "LEVELS", "choices", "field_label", "level_label", "shares_community", "shows",
           "visible_fields"]

#: The levels, from the most open to the most private.
LEVELS: tuple[str, ...] = ("everyone", "members", "me")
#: The fields with a visibility choice, and their default level.
FIELDS: dict[str, str] = {
    "location": "members",     # the city and the place on maps (set on the location page)
    "communities": "members",  # the communities listed on the profile
    "email": "me",             # the e-mail address
}


def field_label(name: str) -> str:
    """A field's name for people, in the active language."""
    return {"location": _("My city and my place on maps"), "communities": _("The communities I belong to"),
            "email": _("My e-mail address")}.get(name, name)


def level_label(level: str) -> str:
    """A level's name for people, in the active language."""
    return {"everyone": _("Everyone"), "members": _("Members of my communities"),
            "me": _("Only me")}.get(level, level)


def choices(raw: Any) -> dict[str, str]:
    """The member's levels for every field (``raw``: the stored value, a dict, JSON text or None)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = None
    chosen = raw if isinstance(raw, dict) else {}
    return {name: chosen[name] if chosen.get(name) in LEVELS else default for name, default in FIELDS.items()}


def shows(raw: Any, field: str, *, is_self: bool = False, fellow_member: bool = False) -> bool:
    """Does a viewer see ``field`` of a member whose stored choices are ``raw``? ``is_self``: it is
    the member; ``fellow_member``: the viewer is an active member of a community the member is in."""
    level = choices(raw)[field]
    return is_self or level == "everyone" or (level == "members" and fellow_member)


async def shares_community(member_id: int, viewer_id: int) -> bool:
    """Are both active members of at least one common community?"""
    from tisserand.db import fetch_all

    rows = await fetch_all(
        "SELECT 1 FROM membership a JOIN membership b ON a.community_id = b.community_id "
        "WHERE a.member_id = ? AND b.member_id = ? AND a.state = 'active' AND b.state = 'active' LIMIT 1",
        [member_id, viewer_id])
    return bool(rows)


async def visible_fields(member: Member, viewer: Member | None) -> set[str]:
    """The fields of ``member``'s profile that ``viewer`` (None: a visitor) may see."""
    is_self = viewer is not None and viewer.id == member.id
    levels = choices(member.profile_visibility)
    fellow = False
    if not is_self and viewer is not None and "members" in levels.values():
        fellow = await shares_community(member.id, viewer.id)
    return {name for name in FIELDS
            if shows(levels, name, is_self=is_self, fellow_member=fellow)}
