"""The ``content_check`` of the moderation plugin: what happens to every post before it is saved.

In order: sanctions in force (a silenced, suspended or banned author is refused with 403 and
told until when), rate limits (429 with ``Retry-After``), links and mentions of new members,
watched words and domains (refuse, hold or replace), the score (hold at the community's
``hold_score``) and the review of new members' first posts.

Rate limits, link and mention limits and first-post reviews apply to writes made by visitors
(a web page or the API: ``WriteContext.interactive``); work done by the server itself (the demo,
imports, the command line, jobs) is trusted. Staff of the community (coordinators, animators) and site admins skip every
limit and hold, but not refused words or sanctions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tisserand.content import Verdict
from tisserand.db import fetch_all
from tisserand.i18n import Message, _, lazy_gettext, ngettext
from tisserand.markdown import MENTION_RE, extract_mentions
from tisserand.models import Content
from tisserand.plugins.moderation import clock, scoring, text
from tisserand.plugins.moderation.config import LevelRules, Policy, load_policy
from tisserand.plugins.moderation.matcher import Hit, count_links
from tisserand.plugins.moderation.trust import label

if TYPE_CHECKING:
    from datetime import datetime

    from tisserand.models import Community, Member
    from tisserand.site import Site

STAFF_ROLES = ("coordinator", "animator")
SOURCE = "moderation"
_CONTEXT_SQL = """
SELECT
  (SELECT ms.role FROM membership ms WHERE ms.member_id = ? AND ms.community_id = ?
     AND ms.state = 'active') AS role,
  (SELECT COALESCE(t.locked_level, t.level) FROM moderation_trust t WHERE t.member_id = ?) AS level,
  (SELECT cf.version FROM moderation_config cf WHERE cf.scope = 'site') AS site_version,
  (SELECT cf.version FROM moderation_config cf WHERE cf.scope = ?) AS community_version,
  s.kind AS kind, s.ends_at AS ends_at, s.reason AS reason
FROM (SELECT 1 AS one) base
LEFT JOIN moderation_sanction s ON s.member_id = ? AND s.closed_at IS NULL AND s.kind <> 'warning'
  AND (s.community_id = ? OR s.kind = 'ban')
"""
_RANK = {"ban": 3, "suspend": 2, "silence": 1}


@dataclass
class Context:
    """What the checks need to know about an author in a community (one query)."""

    role: str | None
    level: int
    site_version: int | None
    community_version: int | None
    sanctions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_staff(self) -> bool:
        """Coordinator or animator of the community."""
        return self.role in STAFF_ROLES


async def load_context(author: Member, community: Community) -> Context:
    """Role, trust level, config versions and open sanctions of ``author`` in ``community``."""
    rows = await fetch_all(_CONTEXT_SQL, [author.id, community.id, author.id, f"community:{community.id}",
                                          author.id, community.id])
    first = rows[0]
    sanctions = [{"kind": r["kind"], "ends_at": clock.as_datetime(r["ends_at"]), "reason": r["reason"]}
                 for r in rows if r["kind"]]
    return Context(first["role"], int(first["level"] or 0), first["site_version"], first["community_version"],
                   sanctions)


def active_sanction(sanctions: list[dict[str, Any]], now: datetime) -> dict[str, Any] | None:
    """The strictest sanction still in force at ``now`` (its end is checked here, at use time)."""
    live = [s for s in sanctions if s["ends_at"] is None or s["ends_at"] > now]
    return max(live, key=lambda s: _RANK.get(s["kind"], 0)) if live else None


def sanction_message(sanction: dict[str, Any], community: Community, member: Member) -> str:
    """What a sanctioned member reads when they try to post."""
    kind, ends, reason = sanction["kind"], sanction["ends_at"], sanction["reason"]
    until = text.when(ends, member) if ends else ""
    if kind == "ban":
        message = (_("Your account is banned from this site until {when}.", when=until) if ends
                   else _("Your account is banned from this site."))
    elif kind == "suspend":
        message = (_("You are suspended from {community} until {when}: you cannot take part in it "
                     "until then.", community=community.name, when=until) if ends
                   else _("You are suspended from {community}.", community=community.name))
    else:
        message = (_("You are silenced in {community} until {when}: you can read, but you cannot post "
                     "or reply until then.", community=community.name, when=until) if ends
                   else _("You are silenced in {community}: you can read, but you cannot post or reply.",
                          community=community.name))
    return f"{message} {_('Reason: {reason}', reason=reason)}" if reason else message


async def refusal_reason(member: Member, community: Community) -> str | None:
    """The message of the sanction in force on ``member`` in ``community`` (silence,
    suspension or ban), with its end and reason; None when there is none."""
    context = await load_context(member, community)
    sanction = active_sanction(context.sanctions, clock.now())
    return sanction_message(sanction, community, member) if sanction is not None else None


async def check(site: Site, content: Content, author: Member, community: Community, *,
                interactive: bool) -> Verdict | None:
    """The plugin's verdict on ``content`` (see the module docstring); ``interactive`` tells a
    visitor's write from the server's own work. A member's verdict carries the score and, when
    held, the cause in its ``data``, for ``content_saved`` to queue the item with."""
    context = await load_context(author, community)
    sanction = active_sanction(context.sanctions, clock.now())
    if sanction is not None:
        return Verdict.reject(sanction_message(sanction, community, author), status_code=403, source=SOURCE)
    policy = await load_policy(site, community, context.site_version, context.community_version)
    staff = author.is_admin or context.is_staff
    creating = content.pk is None
    if not staff and interactive:
        rules = policy.level(context.level)
        verdict = await _rate_limits(site, policy, rules, content, author, community, context.level) \
            if creating else None
        verdict = verdict or _link_limits(rules, content, context.level)
        if verdict is not None:
            return verdict
    hits = policy.matcher.scan(f"{content.title}\n{content.body}")
    blocked = next((hit for hit in hits if hit.rule.action == "block"), None)
    if blocked is not None:
        return Verdict.reject(_refusal(blocked), status_code=422, source=SOURCE)
    if any(hit.rule.action == "replace" for hit in hits):
        content.body = policy.matcher.replace(content.body, policy.site.replacement)
        content.title = policy.matcher.replace(content.title, policy.site.replacement)[:300]
    if staff:
        return None
    score = await scoring.total(site, content, hits)
    scored = {"score": score.points, "reasons": score.reasons}
    held = next((hit for hit in hits if hit.rule.action == "hold"), None)
    if held is not None:
        return _hold(scored, lazy_gettext("Held for review: it contains a word or link this community watches."),
                     "watched", _watched_detail(held))
    if score.points >= policy.get("hold_score"):
        return _hold(scored, lazy_gettext("Held for review: it looks like advertising or an outburst to our filters."),
                     "score", "score")
    first = int(policy.get("hold_first_posts") or 0)
    if first and interactive and creating and context.level == 0:
        written = await Content.filter(author_id=author.id, community_id=community.id).exclude(
            status="deleted").count()
        if written < first:
            return _hold(scored, lazy_gettext("Held for review: the first posts of new members are read by a "
                                   "moderator before they appear."), "first_posts", "first_posts")
    return Verdict.allow(source=SOURCE, data=scored)


def _hold(scored: dict[str, Any], reason: Message, cause: str, detail: str) -> Verdict:
    return Verdict.hold(reason, source=SOURCE, data={**scored, "cause": cause, "detail": detail})


def _watched_detail(hit: Hit) -> str:
    # Stored as a code and put into words for each moderator (see scoring.describe_hold).
    return f"watched|{hit.rule.kind}|{hit.rule.scope}|{hit.rule.pattern}"


def _refusal(hit: Hit) -> str:
    if hit.rule.kind == "domain":
        return _("Links to {domain} are not accepted here. Remove the link and try again.", domain=hit.found)
    return _("Your text contains an expression that is not accepted here (“{word}”). Rephrase it and "
             "try again.", word=hit.rule.pattern.strip("*"))


def _link_limits(rules: LevelRules, content: Content, level: int) -> Verdict | None:
    if rules.max_links >= 0:
        links = count_links(content.body)
        if links > rules.max_links:
            return Verdict.reject(ngettext(
                "At your trust level ({level}) a post may hold {count} link at most, and this one has "
                "{links}. The limit grows as you take part in the community.",
                "At your trust level ({level}) a post may hold {count} links at most, and this one has "
                "{links}. The limit grows as you take part in the community.",
                rules.max_links, level=label(level), links=links), status_code=422, source=SOURCE)
    if rules.max_mentions >= 0 and content.body.count("@") > rules.max_mentions:
        quick = {m.lower() for m in MENTION_RE.findall(content.body)}
        mentions = len(extract_mentions(content.body)) if len(quick) > rules.max_mentions else 0
        if mentions > rules.max_mentions:
            return Verdict.reject(ngettext(
                "At your trust level ({level}) a post may mention {count} person at most, and this one "
                "mentions {mentions}.",
                "At your trust level ({level}) a post may mention {count} people at most, and this one "
                "mentions {mentions}.",
                rules.max_mentions, level=label(level), mentions=mentions), status_code=422, source=SOURCE)
    return None


async def _rate_limits(site: Site, policy: Policy, rules: LevelRules, content: Content, author: Member,
                       community: Community, level: int) -> Verdict | None:
    limiter = site.ratelimiter
    where = community.id
    checks: list[tuple[str, int, int, str]] = []
    if rules.posts_per_minute:
        checks.append((f"mod:min:{where}:{author.id}", rules.posts_per_minute, 60, "minute"))
    if rules.posts_per_hour:
        checks.append((f"mod:hour:{where}:{author.id}", rules.posts_per_hour, 3600, "hour"))
    if rules.topics_per_day and getattr(content, "parent_id", None) is None:
        checks.append((f"mod:day:{where}:{author.id}", rules.topics_per_day, 86400, "day"))
    flood = int(policy.get("community_posts_per_minute") or 0)
    if flood:
        checks.append((f"mod:flood:{where}", flood, 60, "community"))
    window = policy.site.duplicate_window_seconds
    if window:
        normalized = " ".join(f"{content.title} {content.body}".lower().split())
        if len(normalized) >= 20:
            digest = hashlib.blake2b(normalized.encode(), digest_size=12).hexdigest()
            checks.append((f"mod:dup:{author.id}:{digest}", 1, window, "duplicate"))
    waits = await limiter.hit_many([(key, limit, seconds) for key, limit, seconds, _what in checks])
    for (_key, limit, _seconds, what), wait in zip(checks, waits, strict=True):
        if wait is not None:
            return Verdict.reject(_slow_down(what, limit, wait, level, author), status_code=429,
                                  retry_after=wait, source=SOURCE)
    return None


def _slow_down(what: str, limit: int, wait: int, level: int, author: Member) -> str:
    at = text.clock_time(clock.now() + _seconds(wait), author)
    later = _("Try again in {duration} (at {time}).", duration=text.duration(wait), time=at)
    if what == "minute":
        first = ngettext("You are posting too fast: at your trust level ({level}) you may publish {count} "
                         "item a minute in a community.",
                         "You are posting too fast: at your trust level ({level}) you may publish {count} "
                         "items a minute in a community.", limit, level=label(level))
    elif what == "hour":
        first = ngettext("You have reached the limit of your trust level ({level}): {count} item an hour "
                         "in a community.",
                         "You have reached the limit of your trust level ({level}): {count} items an hour "
                         "in a community.", limit, level=label(level))
    elif what == "day":
        first = ngettext("You have started as many new topics today as your trust level ({level}) allows: "
                         "{count} a day.",
                         "You have started as many new topics today as your trust level ({level}) allows: "
                         "{count} a day.", limit, level=label(level))
    elif what == "duplicate":
        first = _("You have just posted this same text. If you meant to post it again, wait a little.")
    else:
        first = _("This community receives a great many posts right now: new posts are paused for a moment.")
    return f"{first} {later}"


def _seconds(value: int) -> Any:
    from datetime import timedelta

    return timedelta(seconds=value)


async def ban_message(member: Member) -> str | None:
    """Why ``member`` may not log in (a ban in force), or None."""
    from tisserand.plugins.moderation.models import Sanction

    now = clock.now()
    rows = await Sanction.filter(member_id=member.id, kind="ban", closed_at__isnull=True).values(
        "kind", "ends_at", "reason")
    live = active_sanction(rows, now)
    if live is None:
        return None
    until = text.when(live["ends_at"], member) if live["ends_at"] else ""
    message = (_("Your account is banned from this site until {when}.", when=until) if until
               else _("Your account is banned from this site."))
    return f"{message} {_('Reason: {reason}', reason=live['reason'])}"
