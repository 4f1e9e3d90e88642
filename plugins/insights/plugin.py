"""Hook implementations of the insights plugin: engagement the animators can see.

Activity is recorded from the core's hooks only (content saved and moderated, members joining
and leaving, members reading their community's pages), one cheap insert at a time; an hourly job
turns it into one row per community and day, which every chart and API answer reads. The job
also watches for quiet periods and tells coordinators once per lull.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _
from tisserand.permissions import STAFF, Permission

if TYPE_CHECKING:
    import pluggy
    import typer
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.jobs import Job, Task
    from tisserand.models import Community, Content, Member, Membership
    from tisserand.nav import NavItem
    from tisserand.site import Site



@hookimpl
def tisserand_addhooks(pm: pluggy.PluginManager) -> None:
    """``insights_daily_metrics``: other plugins may add their numbers (meet-up attendance…)."""
    from tisserand.plugins.insights import hookspecs

    pm.add_hookspecs(hookspecs)


@hookimpl
def tisserand_models() -> list[str]:
    """The insights' tables."""
    return ["tisserand.plugins.insights.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """The ``[plugins.insights]`` section."""
    from tisserand.plugins.insights.settings import InsightsSettings

    return InsightsSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Insights")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Coordinators and animators see their community's insights and thank its members."""
    return [
        Permission("insights.view", N_("See the community's activity, trends and most active members"), STAFF,
                   write=False),
        Permission("insights.thank", N_("Thank a member for their contributions"), STAFF),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """``/c/{slug}/insights`` and ``/admin/insights``."""
    from tisserand.plugins.insights.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """Weekly metrics and the site-wide overview in JSON."""
    from tisserand.plugins.insights.api import api_routes

    return api_routes()


@hookimpl
def tisserand_cli(app: typer.Typer) -> None:
    """``tisserand insights backfill|aggregate``."""
    from tisserand.plugins.insights.cli import insights_app

    app.add_typer(insights_app, name="insights")


async def _hourly(site: Site) -> None:
    from tisserand.plugins.insights.aggregate import hourly

    await hourly(site)


@hookimpl
def tisserand_tasks() -> list[Task]:
    """``insights.backfill``: rebuild a community's history, run by a worker."""
    from tisserand.jobs import Task
    from tisserand.plugins.insights.backfill import TASK, backfill_task

    return [Task(TASK, backfill_task, retries=3, backoff=30,
                 description="Rebuild the activity history of a community that just switched insights on")]


@hookimpl
def tisserand_jobs() -> list[Job]:
    """The hourly aggregation into daily rows, followed by the quiet-community check."""
    from tisserand.jobs import Job

    return [Job("insights.aggregate", _hourly, every=timedelta(hours=1),
                description="Compute the daily activity rows of every community and tell coordinators "
                            "of communities that fell quiet")]


async def _staff_tab(community: Community, viewer: Member | None) -> list[NavItem]:
    from tisserand.i18n import _
    from tisserand.nav import NavItem
    from tisserand.permissions import can

    if viewer is None or not await can(viewer, "insights.view", community):
        return []
    return [NavItem(_("Insights"), f"/c/{community.slug}/insights", 850, "insights")]


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> Any:
    """The "Insights" tab, for coordinators and animators."""
    return _staff_tab(community, viewer)


@hookimpl
def account_links(viewer: Member) -> list[NavItem]:
    """Site administrators get the link to the view over all communities."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    if not viewer.is_admin:
        return []
    return [NavItem(_("Insights over all communities"), "/admin/insights", 900, "insights")]


@hookimpl
def template_context(request: Request) -> Any:
    """A member rendering a page of their community counts as a reader that day (one insert
    per member, community and day; nothing is added to the page)."""
    from tisserand.plugins.insights.record import visit_from_request

    return visit_from_request(request)


@hookimpl
def content_saved(content: Content, created: bool) -> Any:
    """A new item, a reply or an edit."""
    from tisserand.plugins.insights.record import record_content, safely

    return safely("content", record_content(content, created))


@hookimpl
def content_status_changed(content: Content, old_status: str, new_status: str) -> Any:
    """Approved, hidden, deleted, restored: counted only while published."""
    from tisserand.plugins.insights.record import record_status, safely

    return safely("a status change", record_status(content, old_status, new_status))


@hookimpl
def member_joined(membership: Membership) -> Any:
    """A new member."""
    from tisserand.plugins.insights.record import record_membership, safely

    return safely("a new member", record_membership(membership, "join"))


@hookimpl
def member_left(membership: Membership) -> Any:
    """A member who left."""
    from tisserand.plugins.insights.record import record_membership, safely

    return safely("a departure", record_membership(membership, "leave"))


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Daily rows, events, topics and quiet periods."""
    from tisserand.plugins.insights.bundle import export_insights

    return export_insights(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore the rows with the new member and content ids."""
    from tisserand.plugins.insights.bundle import import_insights

    return import_insights(community, bundle)


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Days on which a member read a community (no pages, no times), counted activity"),
                      _("Activity statistics of the communities for their coordinators"),
                      _("Until the account is closed or the community is deleted"),
                      _("Coordinators see totals only, never who visited"), "legitimate_interest")]


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A year of daily points for the demo's charts, and one quiet community's alert."""
    from tisserand.plugins.insights.demo import demo

    return demo(site, communities, members)
