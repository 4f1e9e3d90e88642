"""Hook implementations of the archive plugin: a community's planned life (end date, seasons,
objectives, reminders), archiving and reopening, the celebration page, and export/import
bundles."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _

if TYPE_CHECKING:
    import typer
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.jobs import Job, Task
    from tisserand.models import Community, Content, Member
    from tisserand.nav import NavItem
    from tisserand.permissions import Permission
    from tisserand.site import Site



@hookimpl
def tisserand_models() -> list[str]:
    """Seasons, objectives and reminders."""
    return ["tisserand.plugins.archive.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """``[plugins.archive]``: reminder days, automatic archiving, import limits."""
    from tisserand.plugins.archive.settings import ArchiveSettings

    return ArchiveSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Archive and life cycle")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who plans the community's life and who may download its bundle."""
    from tisserand.permissions import Permission

    return [
        Permission("archive.lifecycle.edit", N_("Plan the end date, seasons and objectives"), {"coordinator"}),
        Permission("archive.objectives.mark", N_("Mark objectives reached"), {"coordinator", "animator"}),
        Permission("archive.export", N_("Download the community's archive bundle"), {"coordinator"}, write=False),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """The life plan and the celebration page."""
    from tisserand.plugins.archive.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """Archive, reopen, export, lifecycle, seasons, objectives, legacy."""
    from tisserand.plugins.archive.api import api_routes

    return api_routes()


@hookimpl
def tisserand_cli(app: typer.Typer) -> None:
    """``tisserand export`` and ``tisserand import``."""
    from tisserand.plugins.archive.cli import register

    register(app)


@hookimpl
def tisserand_jobs() -> list[Job]:
    """Reminders before a planned end, and archiving at the end."""
    from tisserand.jobs import Job
    from tisserand.plugins.archive.exports import forget_old_exports
    from tisserand.plugins.archive.jobs import run_lifecycle

    return [Job("archive.lifecycle", run_lifecycle, every=timedelta(hours=1),
                description="Remind coordinators 30 and 7 days before a planned end; archive at the end"),
            Job("archive.exports", forget_old_exports, every=timedelta(hours=1),
                description="Delete the bundles kept past [plugins.archive] export_keep_days")]


@hookimpl
def tisserand_tasks() -> list[Task]:
    """Community bundles, built and imported by workers."""
    from tisserand.jobs import Task
    from tisserand.plugins.archive.exports import build_export
    from tisserand.plugins.archive.imports import TASK, run_import

    return [Task("archive.build_export", build_export, retries=3, backoff=30,
                 description="Build a community's archive bundle asked for on the web or the API"),
            Task(TASK, run_import, retries=0,
                 description="Import a bundle queued by 'tisserand import FILE.zip --queue' (all or nothing)")]


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """"Life plan" tab, "Legacy" once archived."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    if community.is_archived:
        return [NavItem(_("Legacy"), f"/c/{community.slug}/legacy", 800, "archive")]
    return [NavItem(_("Life plan"), f"/c/{community.slug}/lifecycle", 800, "archive")]


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Request) -> Any:
    """The current season, its objectives and the days left; a link to the legacy."""
    from tisserand.plugins.archive.panels import home_panel

    return home_panel(community, viewer, request)


@hookimpl
def content_saved(content: Content, created: bool) -> Any:
    """Count edits, for the most revised pages of the celebration page."""
    if created:
        return None
    from tisserand.plugins.archive.edits import count_edit

    return count_edit(content)


@hookimpl
def community_archived(community: Community) -> Any:
    """Tell the members, with a link to what the community achieved."""
    from tisserand.plugins.archive.notices import announce_archive

    return announce_archive(community)


@hookimpl
def community_reopened(community: Community) -> Any:
    """Tell the members the community is open again."""
    from tisserand.plugins.archive.notices import announce_reopening

    return announce_reopening(community)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Seasons, objectives and the reminders sent."""
    from tisserand.plugins.archive.bundle import export_part

    return export_part(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Seasons, objectives and reminders back."""
    from tisserand.plugins.archive.bundle import import_part

    return import_part(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """Seasons with objectives and a planned end for the demo communities."""
    from tisserand.plugins.archive.demo import add_demo

    return add_demo(site, communities, members)


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("How many times each text was edited; end-of-life reminders sent to coordinators"),
                      _("Celebrating a community's life and warning before it closes"),
                      _("As long as the community exists"),
                      _("The community's coordinators; its members see the celebration page"), "legitimate_interest")]
