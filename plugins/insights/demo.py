"""Demo insights: a year of daily points for every active demo community, so the charts have a
story — growth, quieter summers and holidays, weekends — and one community that faded a month
ago, whose quiet alert is raised (its coordinator is told)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from tisserand.plugins.insights.models import Daily
from tisserand.plugins.insights.quiet import check_quiet
from tisserand.plugins.insights.record import day_of, utcnow

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

DAYS = 365
#: The demo community whose activity faded (see ``tisserand.demo.QUIET``).
QUIET = "bibliotheques"
FADED_DAYS = 30


async def demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Write the daily rows of the past year (not today: the aggregation job computes it), then
    run the quiet check once."""
    chance = random.Random(2026)
    today = day_of(utcnow())
    now = utcnow()
    rows: list[Daily] = []
    chosen = [c for c in communities.values()
              if not c.is_archived and "insights" in site.plugins.community_plugins(c)]
    for community in chosen:
        size = max(int(community.member_count or 0), 3)
        actives: list[int] = []
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            members_then = max(2, round(size * (0.4 + 0.6 * (DAYS - back) / DAYS)))
            season = 0.45 if day.month in (7, 8) else 0.6 if (day.month, day.day) >= (12, 20) else 1.0
            weekday = 0.3 if day.weekday() >= 5 else 1.0
            fading = 0.03 if community.slug == QUIET and back <= FADED_DAYS else 1.0
            level = members_then * season * weekday * fading
            active = min(members_then, int(level * chance.uniform(0.3, 0.8) + 0.5))
            actives.append(active)
            posts = int(level * chance.uniform(0, 0.5))
            replies = int(level * chance.uniform(0, 1.0))
            wiki = int(level * chance.uniform(0, 0.2))
            topics = min(posts, 1 + posts // 2) if posts else 0
            joined = 1 if chance.random() < 0.6 * size / DAYS * fading else 0
            departed = 1 if chance.random() < 0.15 * size / DAYS else 0
            rows.append(Daily(
                community_id=community.id, day=day, members=members_then, joined=joined, departed=departed,
                readers=active, contributors=min(active, posts + replies), active=active,
                active_week=min(members_then, sum(actives[-(day.weekday() + 1):])),
                active_7d=min(members_then, round(sum(actives[-7:]) * 0.5)),
                active_28d=min(members_then, round(sum(actives[-28:]) * 0.25)),
                posts=posts, replies=replies, wiki_edits=wiki, edits=wiki, topics=topics,
                answered=topics if replies else 0,
                answer_minutes=[chance.randint(15, 2880) for _ in range(topics if replies else 0)],
                by_kind={k: {"new": n} for k, n in (("forum.topic", topics), ("wiki.page", wiki)) if n}
                | ({"forum.post": {"reply": replies}} if replies else {}),
                computed_at=now))
    await Daily.filter(community_id__in=[c.id for c in chosen], day__lt=today).delete()
    await Daily.bulk_create(rows, batch_size=1000)
    await check_quiet(site, today)
