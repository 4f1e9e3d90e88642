"""Telling the members that their community was archived, in each member's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.i18n import lazy_gettext
from tisserand.models import Membership, MembershipState
from tisserand.notify import notify
from tisserand.plugins.archive.jobs import speaking
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.models import Community


async def announce_archive(community: Community) -> None:
    """One notification per active member, pointing to the celebration page."""
    site = current_site()
    memberships = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).select_related("member")
    for membership in memberships:
        member = membership.member
        with speaking(member.locale or site.settings.site.default_locale):
            title = lazy_gettext("{community} is archived: see what it achieved", community=community.name)
            text = lazy_gettext("Everything stays readable. Thank you for taking part!")
        await notify(member, "archive.archived", title, text=text, url=f"/c/{community.slug}/legacy",
                     community=community, site=site)


async def announce_reopening(community: Community) -> None:
    """Tell the active members that their community is writable again."""
    site = current_site()
    memberships = await Membership.filter(community_id=community.id, state=MembershipState.ACTIVE).select_related("member")
    for membership in memberships:
        member = membership.member
        with speaking(member.locale or site.settings.site.default_locale):
            title = lazy_gettext("{community} is open again", community=community.name)
        await notify(member, "archive.reopened", title, url=f"/c/{community.slug}", community=community, site=site)
