"""Shared set-up for the insights' tests: a site with insights only, a community with staff and
members, and a generator of past activity with its hand count."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest_asyncio

PARIS = ZoneInfo("Europe/Paris")


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A site with the insights plugin only: these tests do not depend on other plugins."""
    return await site_factory(enabled=["insights"])


@dataclass
class Crew:
    community: Any
    coordinator: Any
    animator: Any
    members: list[Any]
    outsider: Any

    @property
    def slug(self) -> str:
        return self.community.slug


@pytest_asyncio.fixture
async def crew(factory: Any) -> Crew:
    """A public community ``atelier`` with a coordinator, an animator and eight members."""
    coordinator = await factory.member("coco", display_name="Coco Coordinatrice")
    animator = await factory.member("anim", display_name="Ana Animatrice")
    members = [await factory.member(f"membre{i}", display_name=f"Membre {i}") for i in range(8)]
    outsider = await factory.member("outsider")
    community = await factory.community("atelier", coordinator=coordinator,
                                        members={animator: "animator", **{m: "member" for m in members}})
    return Crew(community, coordinator, animator, members, outsider)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A time of a local (Paris) day, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Truth:
    """What happened, counted by hand, per week (keyed by the Monday)."""

    active: dict[date, set[int]] = field(default_factory=dict)
    posts: dict[date, int] = field(default_factory=dict)
    replies: dict[date, int] = field(default_factory=dict)
    wiki: dict[date, int] = field(default_factory=dict)
    joined: dict[date, int] = field(default_factory=dict)
    departed: dict[date, int] = field(default_factory=dict)
    topics: dict[date, int] = field(default_factory=dict)
    answered: dict[date, int] = field(default_factory=dict)
    minutes: dict[date, list[float]] = field(default_factory=dict)
    moves: list[tuple[date, int]] = field(default_factory=list)

    def add(self, table: str, day: date, count: int = 1) -> None:
        target = getattr(self, table)
        target[monday(day)] = target.get(monday(day), 0) + count

    def seen(self, day: date, member_id: int) -> None:
        self.active.setdefault(monday(day), set()).add(member_id)

    def median(self, week: date) -> float | None:
        values = self.minutes.get(week, [])
        return statistics.median(values) if values else None

    def members_at(self, week_end: date, now_count: int, today: date) -> int:
        later = sum(change for day, change in self.moves if week_end < day <= today)
        return now_count - later


async def generate(crew: Crew, weeks: int, today: date, seed: int = 7) -> Truth:
    """Random but reproducible activity over ``weeks`` weeks ending yesterday, recorded through
    the same functions the hooks call, with their times; returns the hand count."""
    from tisserand.models import Content
    from tisserand.plugins.insights.record import record_content, record_membership, record_visit

    rng = random.Random(seed)
    truth = Truth()
    people = [crew.coordinator, crew.animator, *crew.members]
    start = monday(today) - timedelta(weeks=weeks - 1)
    day = start
    while day < today:
        for member in rng.sample(people, rng.randint(0, 6)):
            # Late evening visits test the local day (23:30 in Paris is the same local day).
            when = local(day, rng.choice([9, 13, 23]), 30)
            await record_visit(crew.community.id, member.id, at=when)
            truth.seen(day, member.id)
        for _ in range(rng.randint(0, 2)):
            author = rng.choice(people)
            opened = local(day, 10, rng.randint(0, 59))
            topic = await Content.create(kind="forum.topic", community=crew.community, author=author,
                                         title="Sujet", body="…")
            await record_content(topic, True, at=opened)
            truth.add("posts", day)
            truth.add("topics", day)
            truth.seen(day, author.id)
            first_other = None
            for _r in range(rng.choice([0, 0, 1, 2, 3])):
                replier = rng.choice(people)
                later = opened + timedelta(minutes=rng.randint(5, 3000))
                if later.astimezone(PARIS).date() >= today:
                    continue
                reply = await Content.create(kind="forum.post", community=crew.community, author=replier,
                                             parent=topic, body="Réponse")
                await record_content(reply, True, at=later)
                truth.add("replies", later.astimezone(PARIS).date())
                truth.seen(later.astimezone(PARIS).date(), replier.id)
                if replier.id != author.id and (first_other is None or later < first_other):
                    first_other = later
            if first_other is not None:
                truth.add("answered", day)
                truth.minutes.setdefault(monday(day), []).append(round((first_other - opened).total_seconds() / 60))
        if rng.random() < 0.4:
            editor = rng.choice(people)
            page = await Content.create(kind="wiki.page", community=crew.community, author=editor, title="Page")
            await record_content(page, True, at=local(day, 15))
            await record_content(page, False, at=local(day, 16))
            truth.add("wiki", day, 2)
            truth.seen(day, editor.id)
        if rng.random() < 0.25:
            from tisserand.models import Membership

            newcomer = rng.choice(crew.members)
            membership = Membership(member_id=newcomer.id, community_id=crew.community.id)
            action = rng.choice(["join", "join", "leave"])
            await record_membership(membership, action, at=local(day, 11))
            truth.add("joined" if action == "join" else "departed", day)
            truth.moves.append((day, 1 if action == "join" else -1))
        day += timedelta(days=1)
    return truth
