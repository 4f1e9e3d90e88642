"""Settings: the ``[plugins.moderation]`` section (site defaults) and each community's overrides,
merged into a :class:`Policy` that is cached per process and reloaded when a version changes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field
from tortoise.exceptions import IntegrityError

from tisserand.plugins.moderation.matcher import Matcher, Rule, default_rules, make_rule, merge
from tisserand.plugins.moderation.models import ModerationConfig, WatchedWord

if TYPE_CHECKING:
    from tisserand.models import Community
    from tisserand.site import Site

LEVELS = ("new", "basic", "member", "regular")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LevelRules(_Strict):
    """What members of one trust level may do (0 means no limit for the counts per period)."""

    posts_per_minute: int = Field(ge=0)
    posts_per_hour: int = Field(ge=0)
    topics_per_day: int = Field(ge=0)
    #: Links allowed in one item (-1: no limit).
    max_links: int = Field(-1, ge=-1)
    #: @mentions allowed in one item (-1: no limit).
    max_mentions: int = Field(-1, ge=-1)
    flag_weight: float = Field(1.0, ge=0)


class TrustRequirements(_Strict):
    """What it takes to reach a trust level."""

    days_visited: int = Field(ge=0)
    posts_written: int = Field(ge=0)
    posts_read: int = Field(ge=0)
    account_days: int = Field(ge=0)
    #: At most this many of the member's items hidden after flags in the last 100 days.
    max_flags_upheld: int = Field(ge=0)


class ModerationSettings(_Strict):
    """``[plugins.moderation]`` in tisserand.toml (every key optional)."""

    #: Default watched-word lists switched on: "fr" (France), "qc" (Québec), "en".
    default_lists: list[str] = Field(default_factory=lambda: ["fr", "qc", "en"])
    flag_threshold: float = Field(3.0, gt=0)
    hold_first_posts: int = Field(0, ge=0)
    hold_score: float = Field(60.0, ge=1, le=100)
    duplicate_window_seconds: int = Field(300, ge=0)
    community_posts_per_minute: int = Field(60, ge=0)
    replacement: str = "■■■"
    default_silence_hours: int = Field(24, ge=1)
    default_suspension_days: int = Field(7, ge=1)
    new: LevelRules = LevelRules(posts_per_minute=4, posts_per_hour=30, topics_per_day=10,
                                 max_links=2, max_mentions=3, flag_weight=1.0)
    basic: LevelRules = LevelRules(posts_per_minute=6, posts_per_hour=60, topics_per_day=20,
                                   max_links=10, max_mentions=10, flag_weight=1.0)
    member: LevelRules = LevelRules(posts_per_minute=10, posts_per_hour=120, topics_per_day=50,
                                    max_mentions=20, flag_weight=1.5)
    regular: LevelRules = LevelRules(posts_per_minute=20, posts_per_hour=300, topics_per_day=100,
                                     flag_weight=2.0)
    trust_basic: TrustRequirements = TrustRequirements(days_visited=2, posts_written=1, posts_read=20,
                                                       account_days=1, max_flags_upheld=2)
    trust_member: TrustRequirements = TrustRequirements(days_visited=10, posts_written=5, posts_read=100,
                                                        account_days=14, max_flags_upheld=1)
    trust_regular: TrustRequirements = TrustRequirements(days_visited=50, posts_written=30,
                                                         posts_read=500, account_days=60,
                                                         max_flags_upheld=0)

    def level(self, level: int) -> LevelRules:
        """The rules of a trust level (0 to 3)."""
        return getattr(self, LEVELS[max(0, min(3, level))])


class CommunitySettings(_Strict):
    """What a coordinator may change for their community (None: the site's value)."""

    flag_threshold: float | None = Field(None, gt=0, le=100)
    hold_first_posts: int | None = Field(None, ge=0, le=100)
    hold_score: float | None = Field(None, ge=1, le=100)
    new_max_links: int | None = Field(None, ge=-1, le=100)
    new_max_mentions: int | None = Field(None, ge=-1, le=100)
    #: A cap on every member's posts per minute here (slow mode); 0 or None: the level's.
    posts_per_minute: int | None = Field(None, ge=0, le=1000)
    community_posts_per_minute: int | None = Field(None, ge=0, le=10_000)


@dataclass
class Policy:
    """The effective settings and word list of one community (or the site)."""

    site: ModerationSettings
    community: CommunitySettings
    matcher: Matcher
    rules: list[Rule]

    def get(self, name: str) -> Any:
        """A community value, else the site's."""
        value = getattr(self.community, name, None)
        return getattr(self.site, name) if value is None else value

    def level(self, level: int) -> LevelRules:
        """A level's rules with this community's overrides for new members and slow mode."""
        rules = self.site.level(level)
        changes: dict[str, Any] = {}
        if level == 0 and self.community.new_max_links is not None:
            changes["max_links"] = self.community.new_max_links
        if level == 0 and self.community.new_max_mentions is not None:
            changes["max_mentions"] = self.community.new_max_mentions
        if self.community.posts_per_minute:
            current = rules.posts_per_minute
            changes["posts_per_minute"] = min(current, self.community.posts_per_minute) if current \
                else self.community.posts_per_minute
        return rules.model_copy(update=changes) if changes else rules


def settings(site: Site) -> ModerationSettings:
    """The site's moderation settings."""
    return site.plugin_settings("moderation")


def scope_of(community: Community | None) -> str:
    """The config scope name of a community (or of the site)."""
    return "site" if community is None else f"community:{community.id}"


def _rules_from_rows(rows: list[dict[str, Any]], scope: str) -> list[Rule]:
    rules = []
    for row in rows:
        try:
            rules.append(make_rule(row["kind"], row["pattern"], row["action"], replacement=row["replacement"],
                                   scope=scope, id=row["id"]))
        except ValueError:
            continue  # an entry saved by an older version that no longer parses
    return rules


async def load_policy(site: Site, community: Community | None, site_version: int | None,
                      community_version: int | None) -> Policy:
    """The policy of ``community``, from the process cache when both versions are unchanged."""
    cache: dict[Any, tuple[Any, Policy]] = site.extra.setdefault("moderation.policies", {})
    key = None if community is None else community.id
    stamp = (site_version, community_version)
    cached = cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = await WatchedWord.filter(community_id=community.id).values() if community is not None else []
    site_rows = await WatchedWord.filter(community_id__isnull=True).values()
    community_settings = CommunitySettings()
    if community is not None and community_version is not None:
        config = await ModerationConfig.get_or_none(scope=scope_of(community))
        if config is not None:
            community_settings = CommunitySettings.model_validate(
                {k: v for k, v in (config.settings or {}).items() if k in CommunitySettings.model_fields})
    base = settings(site)
    rules = merge(default_rules(tuple(base.default_lists)), _rules_from_rows(site_rows, "site"),
                  _rules_from_rows(rows, "community"))
    policy = Policy(base, community_settings, Matcher(rules), rules)
    if len(cache) > 2000:
        cache.clear()
    cache[key] = (stamp, policy)
    return policy


async def bump(community: Community | None, settings_update: dict[str, Any] | None = None) -> None:
    """Record a change of a scope's words or settings (every process reloads at its next check)."""
    scope = scope_of(community)
    version = random.randint(2, 2**31 - 1)
    for _attempt in range(3):
        config = await ModerationConfig.get_or_none(scope=scope)
        if config is None:
            try:
                await ModerationConfig.create(scope=scope, community=community, version=version,
                                              settings=settings_update or {})
                return
            except IntegrityError:
                continue  # created meanwhile by another request: update it instead
        config.version = version
        if settings_update is not None:
            config.settings = {**(config.settings or {}), **settings_update}
        await config.save(update_fields=["version", "settings", "updated_at"])
        return


async def community_settings(community: Community) -> CommunitySettings:
    """A community's saved overrides."""
    config = await ModerationConfig.get_or_none(scope=scope_of(community))
    data = (config.settings or {}) if config is not None else {}
    return CommunitySettings.model_validate({k: v for k, v in data.items() if k in CommunitySettings.model_fields})
