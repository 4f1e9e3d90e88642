"""Hook implementations of the surveys plugin: member surveys every season.

Coordinators and animators write a survey (single and multiple choice, 1–5 scales, free text),
open it for a period, and the members are invited; each member answers once and may change the
answers while the survey is open. Anonymous surveys store no member with the answers. Results
are counted and drawn as SVG charts, exported as CSV, and compared round by round when the
survey recurs ("every 4 months").
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _
from tisserand.permissions import ALL_ROLES, STAFF, WRITERS, Permission

if TYPE_CHECKING:
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.jobs import Job
    from tisserand.models import Community, Member
    from tisserand.nav import NavItem
    from tisserand.site import Site



@hookimpl
def tisserand_models() -> list[str]:
    """The surveys' tables."""
    return ["tisserand.plugins.surveys.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """The ``[plugins.surveys]`` section."""
    from tisserand.plugins.surveys.settings import SurveysSettings

    return SurveysSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Surveys")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Members answer; coordinators and animators manage surveys and see live results."""
    return [
        Permission("surveys.view", N_("See the community's surveys and, once closed, their results"),
                   ALL_ROLES, write=False),
        Permission("surveys.answer", N_("Answer surveys"), WRITERS),
        Permission("surveys.manage", N_("Create, edit, open, close and delete surveys"), STAFF),
        Permission("surveys.results", N_("See results while a survey is open and export them as CSV"),
                   STAFF, write=False),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """The pages under ``/c/{slug}/surveys``."""
    from tisserand.plugins.surveys.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """Surveys, answers and results in JSON."""
    from tisserand.plugins.surveys.api import api_routes

    return api_routes()


@hookimpl
def tisserand_jobs() -> list[Job]:
    """Invitations when a survey opens, results and next rounds when one closes."""
    from tisserand.jobs import Job
    from tisserand.plugins.surveys.schedule import tick

    return [Job("surveys.schedule", tick, every=timedelta(minutes=5),
                description="Invite members to surveys that opened, announce the results of closed "
                            "ones and schedule the next round of recurring surveys")]


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The "Surveys" tab, for logged-in visitors (surveys are for members)."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    if viewer is None:
        return []
    return [NavItem(_("Surveys"), f"/c/{community.slug}/surveys", 60, "surveys")]


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Request) -> Any:
    """A reminder of the open surveys the viewer has not answered."""
    from tisserand.plugins.surveys.schedule import home_panel

    return home_panel(community, viewer)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """Open surveys to answer, and results published in the period."""
    from tisserand.plugins.surveys.schedule import digest_sections as sections

    return sections(member, community, since, until)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Surveys, questions, participations and answers."""
    from tisserand.plugins.surveys.bundle import export_surveys

    return export_surveys(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore surveys with new ids."""
    from tisserand.plugins.surveys.bundle import import_surveys

    return import_surveys(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A seasonal survey with results and an open one."""
    from tisserand.plugins.surveys.demo import demo

    return demo(site, communities, members)


@hookimpl
def member_export(member: Member, bundle: Any) -> Any:
    """The member's own named survey answers, for their data export."""
    from .models import Answer, Ballot

    async def export() -> None:
        ballots = await Ballot.filter(member_id=member.id).select_related("survey")
        rows = []
        for ballot in ballots:
            answers = await Answer.filter(ballot_id=ballot.id).values("question_id", "value", "text")
            rows.append({"survey": ballot.survey.title, "survey_id": ballot.survey_id,
                         "submitted_at": ballot.submitted_at, "answers": answers})
        bundle.write_json("surveys/answers.json", rows)
    return export()


@hookimpl
def member_erased(member: Member, mode: str) -> Any:
    """A closed account: erase its named ballots (deleted, or kept as anonymous answers)."""
    from .models import Ballot

    async def erase() -> None:
        if mode == "delete":
            await Ballot.filter(member_id=member.id).delete()
        else:
            await Ballot.filter(member_id=member.id).update(member_id=None, submitted_at=None)
    return erase()


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Answers to surveys: anonymous unless the survey says it is named; that a member took "
                        "part (never what they answered, for anonymous surveys)"),
                      _("Asking the community's opinion; stopping double answers"),
                      _("As long as the survey exists"),
                      _("Results: as the survey allows; named answers: its organizers"), "consent")]
