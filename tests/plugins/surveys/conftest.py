"""Shared set-up for the surveys' tests: a community with one member per role, and helpers to
write a survey and answer it through the service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest_asyncio


@dataclass
class Team:
    """A public community with a coordinator, an animator, three members, an observer, and an
    outsider who is not a member."""

    community: Any
    coordinator: Any
    animator: Any
    alice: Any
    bob: Any
    carol: Any
    observer: Any
    outsider: Any

    @property
    def slug(self) -> str:
        return self.community.slug

    @property
    def url(self) -> str:
        return f"/c/{self.community.slug}/surveys"

    async def fresh(self) -> Any:
        from tisserand.models import Community

        return await Community.get(id=self.community.id)

    async def survey(self, *, anonymous: bool = False, open_now: bool = True, recurrence: int = 0,
                     title: str = "Bilan de saison") -> Any:
        """A survey with the four kinds of questions: single, multiple, scale, text."""
        from tisserand.plugins.surveys.lifecycle import publish
        from tisserand.plugins.surveys.questions import QuestionInput
        from tisserand.plugins.surveys.service import SurveyInput, create_survey

        community = await self.fresh()
        survey = await create_survey(community, self.coordinator, SurveyInput(
            title, "Vos **attentes** pour la suite.", anonymous=anonymous, recurrence_months=recurrence), [
            QuestionInput("single", "Quel rythme ?", options=["Hebdomadaire", "Mensuel"], required=True),
            QuestionInput("multiple", "Quels formats ?", options=["Café virtuel", "Webinaire", "Atelier"]),
            QuestionInput("scale", "Satisfaction", low_label="Pas du tout", high_label="Tout à fait"),
            QuestionInput("text", "Une idée ?"),
        ])
        if open_now:
            await publish(survey, community, now=True)
        return survey

    async def questions(self, survey: Any) -> list[Any]:
        from tisserand.plugins.surveys.service import questions_of

        return await questions_of(survey)

    async def answer(self, survey: Any, member: Any, single: int = 0, multiple: list[int] | None = None,
                     scale: int | None = 4, text: str = "", key: str | None = None) -> Any:
        from tisserand.plugins.surveys.answers import submit

        q = await self.questions(survey)
        raw: dict[str, Any] = {str(q[0].id): [str(single)], str(q[1].id): [str(v) for v in (multiple or [])]}
        if scale is not None:
            raw[str(q[2].id)] = [str(scale)]
        if text:
            raw[str(q[3].id)] = [text]
        return await submit(survey, await self.fresh(), member, raw, key)


async def make_team(factory: Any, visibility: str = "public", slug: str = "saison") -> Team:
    """Create the community and its people."""
    coordinator = await factory.member("coco", display_name="Coco Coordinatrice")
    animator = await factory.member("anim", display_name="Ana Animatrice")
    alice = await factory.member("alice", display_name="Alice Martin")
    bob = await factory.member("bob", display_name="Bob Roy")
    carol = await factory.member("carol", display_name="Carol Diaz")
    observer = await factory.member("obs", display_name="Olga Observatrice")
    outsider = await factory.member("outsider", display_name="Oscar Dehors")
    community = await factory.community(slug, visibility=visibility, coordinator=coordinator,
                                        members={animator: "animator", alice: "member", bob: "member",
                                                 carol: "member", observer: "observer"})
    return Team(community, coordinator, animator, alice, bob, carol, observer, outsider)


@pytest_asyncio.fixture
async def site(site_factory: Any) -> Any:
    """A site with the surveys plugin only: these tests do not depend on other plugins."""
    return await site_factory(enabled=["surveys"])


@pytest_asyncio.fixture
async def team(factory: Any) -> Team:
    """The public community ``saison`` and its people."""
    return await make_team(factory)
