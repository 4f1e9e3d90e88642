"""Reading and changing a community's moderation settings; a member's trust level as they see it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.communities import audit
from tisserand.plugins.moderation import trust
from tisserand.plugins.moderation.config import CommunitySettings, bump, community_settings, settings
from tisserand.plugins.moderation.models import ModerationConfig, Trust

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

FIELDS = tuple(CommunitySettings.model_fields)


def site_value(site: Site, name: str) -> Any:
    """The site-wide value behind a community setting."""
    base = settings(site)
    if name == "new_max_links":
        return base.new.max_links
    if name == "new_max_mentions":
        return base.new.max_mentions
    if name == "posts_per_minute":
        return 0
    return getattr(base, name)


async def effective(site: Site, community: Community) -> dict[str, Any]:
    """Each setting with the community's value (None when it follows the site) and the site's."""
    own = await community_settings(community)
    return {name: {"value": getattr(own, name), "site": site_value(site, name),
                   "effective": getattr(own, name) if getattr(own, name) is not None else site_value(site, name)}
            for name in FIELDS}


async def update(community: Community, actor: Member | None, changes: dict[str, Any]) -> CommunitySettings:
    """Save ``changes`` (a None value goes back to the site's)."""
    current = (await community_settings(community)).model_dump()
    current.update({k: v for k, v in changes.items() if k in FIELDS})
    validated = CommunitySettings.model_validate(current)
    stored = {k: v for k, v in validated.model_dump().items() if v is not None}
    config = await ModerationConfig.get_or_none(scope=f"community:{community.id}")
    if config is not None:
        config.settings = {}
        await config.save(update_fields=["settings"])
    await bump(community, stored)
    await audit(actor, community, "moderation.settings", data={k: changes[k] for k in changes if k in FIELDS})
    return validated


async def trust_of(site: Site, member: Member) -> dict[str, Any]:
    """A member's trust level, activity and what the level allows."""
    row = await Trust.get_or_none(member_id=member.id)
    level = 0 if row is None else (row.locked_level if row.locked_level is not None else row.level)
    rules = settings(site).level(level)
    return {
        "level": trust.code(level), "label": trust.label(level), "locked": bool(row and row.locked_level is not None),
        "days_visited": row.days_visited if row else 0, "posts_written": row.posts_written if row else 0,
        "posts_read": row.posts_read if row else 0, "flags_upheld": row.flags_upheld if row else 0,
        "limits": rules.model_dump(),
    }
