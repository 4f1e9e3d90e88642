"""What goes into one member's digest: each enabled plugin's ``digest_sections`` for every
community the member reads at that frequency, plus their unread notifications.

Nothing here writes to the database, so a digest can be built for a preview, a dry run or a
real send alike.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tisserand.db import fetch_all
from tisserand.digest import DigestSection
from tisserand.models import Community, Member
from tisserand.notify import notification_texts
from tisserand.plugin_manager import plugins_switched_on, resolve_all
from tisserand.plugins.digests.settings import digests_settings
from tisserand.plugins.digests.util import marks
from tisserand.visibility import active_content_sql

if TYPE_CHECKING:
    from tisserand.plugins.digests.periods import Window
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")
NOTIFICATIONS_PER_DIGEST = 10


# A notification may be e-mailed only while its recipient may still see what it is about: the
# community is public or they are an active member (or a site admin), the content is published
# or theirs. Aliases: n (notification), c (community), ct (content), rm (recipient member).
VISIBLE_NOTIFICATION = (
    "(c.id IS NULL OR c.visibility = 'public' OR rm.is_admin = TRUE OR EXISTS ("
    "SELECT 1 FROM membership vms WHERE vms.member_id = n.member_id AND vms.community_id = c.id "
    "AND vms.state = 'active')) "
    "AND (ct.id IS NULL OR ct.status = 'published' OR ct.author_id = n.member_id OR rm.is_admin = TRUE "
    # moderators see what awaits review (pending, hidden, deleted) in their communities
    "OR EXISTS (SELECT 1 FROM membership sms WHERE sms.member_id = n.member_id "
    "AND sms.community_id = ct.community_id AND sms.state = 'active' "
    "AND sms.role IN ('coordinator', 'animator')))"
)


@dataclass
class CommunityDigest:
    """One community's part of a digest."""

    community: Community
    sections: list[DigestSection]

    @property
    def item_count(self) -> int:
        """How many lines this part has."""
        return sum(len(s.items) for s in self.sections)


@dataclass
class Digest:
    """A member's digest for one window."""

    member: Member
    window: Window
    communities: list[CommunityDigest] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    frequency: str = ""

    @property
    def empty(self) -> bool:
        """Nothing new to say: such a digest is not sent. Reminders (items with ``news=False``,
        such as a meet-up announced earlier that is still to come) ride along with news but
        never make a digest on their own."""
        return not self.notifications and not any(
            item.news for c in self.communities for s in c.sections for item in s.items)

    @property
    def item_count(self) -> int:
        """Lines in the whole digest."""
        return len(self.notifications) + sum(c.item_count for c in self.communities)


def _plugins_of(community: Community) -> Any:
    value: Any = community.plugins
    if isinstance(value, str):
        value = json.loads(value)
    return value


class Builder:
    """Builds digests for one window, caching per-community work for a whole run."""

    def __init__(self, site: Site, window: Window) -> None:
        self.site = site
        self.window = window
        self._relays: dict[int, Any] = {}
        self._communities: dict[int, Community] = {}

    def _relay(self, community: Community) -> Any:
        relay = self._relays.get(community.id)
        if relay is None:
            relay = self._relays[community.id] = self.site.plugins.for_community(community)
        return relay

    def wants_digests(self, community: Community) -> bool:
        """Is the digests plugin switched on in ``community``?"""
        return "digests" in plugins_switched_on(self.site.plugins.enabled, _plugins_of(community))

    async def communities(self, ids: set[int]) -> dict[int, Community]:
        """Community rows by id, fetched once per run."""
        missing = [i for i in ids if i not in self._communities]
        if missing:
            for community in await Community.filter(id__in=missing):
                self._communities[community.id] = community
        return {i: self._communities[i] for i in ids if i in self._communities}

    async def sections(self, member: Member, community: Community) -> list[DigestSection]:
        """Every plugin's sections for ``member`` in ``community``, without empty ones, in order."""
        results = await resolve_all(self._relay(community).digest_sections(
            member=member, community=community, since=self.window.since, until=self.window.until))
        found: list[DigestSection] = []
        for result in results:
            for section in result if isinstance(result, list | tuple) else [result]:
                if isinstance(section, DigestSection) and section.items:
                    found.append(section)
        return sorted(found, key=lambda s: (s.order, s.title))

    async def build(self, member: Member, community_ids: list[int],
                    notifications: list[dict[str, Any]], frequency: str = "") -> Digest:
        """The digest of ``member`` for the communities given (their active ones at this
        frequency, as selected by :func:`batch_memberships`)."""
        digest = Digest(member, self.window, notifications=notifications, frequency=frequency)
        communities = await self.communities(set(community_ids))
        for community_id in community_ids:
            community = communities.get(community_id)
            if community is None or not self.wants_digests(community):
                continue
            sections = await self.sections(member, community)
            if sections:
                digest.communities.append(CommunityDigest(community, sections))
        return digest


async def batch_memberships(site: Site, member_ids: list[int], period: str | None) -> dict[int, list[int]]:
    """For each member, the communities they are active in whose effective frequency is
    ``period`` (community choice, else global choice, else site default), by name; with
    ``period=None``, all of them whatever the frequency. Archived communities leave digests.

    The one selection of a digest's communities: real runs, dry runs and previews all use it,
    so that a preview never shows what the digest would leave out."""
    if not member_ids:
        return {}
    default = digests_settings(site).default_frequency
    if period is None:
        rows = await fetch_all(
            "SELECT ms.member_id, ms.community_id FROM membership ms "
            "JOIN community cm ON cm.id = ms.community_id "
            f"WHERE ms.state = 'active' AND cm.status = 'active' AND ms.member_id IN ({marks(member_ids)}) "
            "ORDER BY ms.member_id, cm.name, cm.id", member_ids)
        found_all: dict[int, list[int]] = {}
        for row in rows:
            found_all.setdefault(row["member_id"], []).append(row["community_id"])
        return found_all
    rows = await fetch_all(
        "SELECT ms.member_id, ms.community_id FROM membership ms "
        "JOIN community cm ON cm.id = ms.community_id "
        "LEFT JOIN digests_account a ON a.member_id = ms.member_id "
        "LEFT JOIN digests_community_pref cp ON cp.member_id = ms.member_id "
        "AND cp.community_id = ms.community_id "
        f"WHERE ms.state = 'active' AND cm.status = 'active' AND ms.member_id IN ({marks(member_ids)}) "
        "AND COALESCE(cp.frequency, a.frequency, ?) = ? ORDER BY ms.member_id, cm.name, cm.id",
        [*member_ids, default, period])
    found: dict[int, list[int]] = {}
    for row in rows:
        found.setdefault(row["member_id"], []).append(row["community_id"])
    return found


async def batch_notifications(member_ids: list[int], window: Window) -> dict[int, list[dict[str, Any]]]:
    """Each member's unread notifications of the window not e-mailed yet (10 at most, newest
    first), leaving out those about what they may no longer see."""
    if not member_ids:
        return {}
    active, active_params = await active_content_sql("ct.kind", "ct.community_id")
    rows = await fetch_all(
        "SELECT * FROM (SELECT n.id, n.member_id, n.kind, n.title, n.text, n.data, n.url, n.created_at, "
        "am.username AS actor_username, am.display_name AS actor_name, c.name AS community_name, "
        "ROW_NUMBER() OVER (PARTITION BY n.member_id ORDER BY n.id DESC) AS position "
        "FROM notification n JOIN member rm ON rm.id = n.member_id "
        "LEFT JOIN member am ON am.id = n.actor_id "
        "LEFT JOIN community c ON c.id = n.community_id "
        "LEFT JOIN content ct ON ct.id = n.content_id "
        f"WHERE n.member_id IN ({marks(member_ids)}) AND n.read_at IS NULL AND n.emailed_at IS NULL "
        f"AND n.created_at >= ? AND n.created_at < ? AND {VISIBLE_NOTIFICATION} AND {active}) x "
        "WHERE x.position <= ? ORDER BY x.member_id, x.id DESC",
        [*member_ids, window.since_utc, window.until_utc, *active_params, NOTIFICATIONS_PER_DIGEST])
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row = dict(row)  # title and text are rendered in the recipient's language when the e-mail is
        row["title"], row["text"] = notification_texts(row["title"], row["text"], row.pop("data", None))
        found.setdefault(row["member_id"], []).append(row)
    return found


async def build_for(site: Site, member: Member, window: Window) -> Digest:
    """One member's digest for ``window`` (preview and tests)."""
    builder = Builder(site, window)
    communities = (await batch_memberships(site, [member.id], window.period)).get(member.id, [])
    notifications = (await batch_notifications([member.id], window)).get(member.id, [])
    return await builder.build(member, communities, notifications, window.period)
