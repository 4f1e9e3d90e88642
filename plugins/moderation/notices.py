"""Telling people: the author of a moderated item, the sanctioned member, the community's staff.

Moderators act in the community's name: notifications to authors and sanctioned members carry
no actor (the audit log keeps who did what).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tisserand.i18n import get_locale, set_locale
from tisserand.models import Member, Membership, MembershipState, Notification
from tisserand.notify import notify

if TYPE_CHECKING:
    from tisserand.models import Community, Content
    from tisserand.site import Site

STAFF = ("coordinator", "animator")
#: Builds a notification's (title, text): messages (lazy_gettext), rendered in the reader's language.
Message = Callable[[], tuple[Any, Any]]


@contextmanager
def speaking(member: Member) -> Iterator[None]:
    """Translate into ``member``'s language inside the block."""
    previous = get_locale()
    if member.locale:
        set_locale(member.locale)
    try:
        yield
    finally:
        set_locale(previous)


def queue_url(community: Community) -> str:
    """The review queue of a community."""
    return f"/c/{community.slug}/moderation"


def mine_url(community: Community) -> str:
    """A member's own moderation page in a community (their held items, sanctions, appeals)."""
    return f"/c/{community.slug}/moderation/mine"


async def staff_of(community: Community, roles: tuple[str, ...] = STAFF) -> list[Member]:
    """Active members of ``community`` with one of ``roles``."""
    rows = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE,
                                   role__in=list(roles)).select_related("member")
    return [row.member for row in rows if row.member.is_active]


async def tell_staff(site: Site, community: Community, kind: str, message: Message, *, url: str = "",
                     content: Content | None = None, roles: tuple[str, ...] = STAFF,
                     actor: Member | None = None) -> int:
    """Notify the community's staff, once: a staffer who has not read the previous notice of
    the same kind for this community gets no second one. Returns how many were told."""
    staff = await staff_of(community, roles)
    if not staff:
        return 0
    waiting = set(await Notification.filter(
        member_id__in=[m.id for m in staff], kind=kind, community_id=community.id,
        read_at__isnull=True).values_list("member_id", flat=True))
    told = 0
    for member in staff:
        if member.id in waiting:
            continue
        with speaking(member):
            title, text = message()
        if await notify(member, kind, title, text=text, url=url or queue_url(community), actor=actor,
                        community=community, content=content, site=site):
            told += 1
    return told


async def tell(site: Site, member: Member | None, kind: str, message: Message, *,
               community: Community | None, url: str = "", content: Content | None = None) -> None:
    """Notify one member in their language (nothing happens for a removed author)."""
    if member is None:
        return
    with speaking(member):
        title, text = message()
    await notify(member, kind, title, text=text, url=url, community=community, content=content, site=site)
