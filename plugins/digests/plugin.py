"""Hook implementations of the digests plugin: in-app notifications (the bell, the list, the
API), calls to all, and e-mail digests with their delivery (CLI and scheduled job).

Everything here goes through hooks and the public core API; the modules beside this one do
the work, each with one job.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _

if TYPE_CHECKING:
    import typer
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.jobs import Job, Task
    from tisserand.models import Community, Content, Member, Notification
    from tisserand.nav import NavItem
    from tisserand.permissions import Permission
    from tisserand.site import Site



@hookimpl
def content_kinds() -> list[str]:
    """The content this plugin owns: it leaves with the plugin."""
    return ["digests.*"]


@hookimpl
def tisserand_models() -> list[str]:
    """The plugin's tables."""
    return ["tisserand.plugins.digests.models"]


@hookimpl
def tisserand_settings() -> type:
    """The ``[plugins.digests]`` section."""
    from tisserand.plugins.digests.settings import DigestsSettings

    return DigestsSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Notifications and digests")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who may send a call to all."""
    from tisserand.permissions import Permission

    return [Permission("digests.call", N_("Send a call to all members (in-app and by e-mail)"),
                       {"coordinator", "animator"})]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """Pages: /me/notifications, /me/digest, /c/{slug}/calls, the unsubscribe page."""
    from tisserand.plugins.digests.routes import page_routes

    return page_routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """API: /me/notifications, /me/digest, /communities/{slug}/calls, one-click unsubscribe."""
    from tisserand.plugins.digests.api import api_routes

    return api_routes()


@hookimpl
def tisserand_cli(app: typer.Typer) -> None:
    """``tisserand digests send|status|preview``."""
    from tisserand.plugins.digests.cli import digests_app

    app.add_typer(digests_app, name="digests")


@hookimpl
def tisserand_jobs() -> list[Job]:
    """Send due digests every 15 minutes; finish interrupted calls to all every 5 minutes."""
    from tisserand.jobs import Job
    from tisserand.plugins.digests.jobs import resume_calls_job, send_due_digests

    return [
        Job("digests.send", send_due_digests, every=timedelta(minutes=15),
            description="Send the daily, weekly and monthly e-mail digests that are due"),
        Job("digests.calls", resume_calls_job, every=timedelta(minutes=5),
            description="Finish calls to all cut short and retry their temporary failures"),
    ]


@hookimpl
def tisserand_tasks() -> list[Task]:
    """Shares of a digest run and calls to all, run by workers."""
    from tisserand.jobs import Task
    from tisserand.plugins.digests.jobs import dispatch_call_task, send_share

    return [
        Task("digests.send_share", send_share, retries=5, backoff=10,
             description="Send the due digests of a range of members"),
        Task("digests.dispatch_call", dispatch_call_task, retries=5, backoff=10,
             description="Tell every member of a community about a call to all"),
    ]


@hookimpl
def notification_created(notification: Notification) -> None:
    """The recipient's bell counts again on their next page."""
    from tisserand.plugins.digests.inbox import forget_bell

    forget_bell(notification.member_id)


@hookimpl
def site_nav(request: Request, viewer: Member | None) -> Any:
    """The bell: a link to /me/notifications with the unread count (one indexed query, its
    answer remembered a few seconds: ``inbox.bell_count``)."""
    if viewer is None:
        return None
    from tisserand.plugins.digests.navigation import bell

    return bell(viewer)


@hookimpl
def account_links(viewer: Member) -> list[NavItem]:
    """Links on /me to the notifications and the digest settings."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    return [NavItem(_("Notifications"), "/me/notifications", 40, "notifications"),
            NavItem(_("E-mail digests"), "/me/digest", 41, "digests")]


@hookimpl
def account_fields(member: Member) -> Any:
    """``digest_frequency`` (and the unread count) in ``GET /api/v1/me``."""
    from tisserand.plugins.digests.navigation import account_fields as fields

    return fields(member)


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The community's "Calls to all" tab."""
    from tisserand.i18n import _
    from tisserand.nav import NavItem

    return [NavItem(_("Calls to all"), f"/c/{community.slug}/calls", 800, "digests")]


@hookimpl
def content_url(content: Content) -> str | None:
    """The page of a call to all."""
    if content.kind != "digests.call":
        return None
    from tisserand.plugins.digests.navigation import call_url

    return call_url(content)


@hookimpl(trylast=True)
def content_status_changed(content: Content, old_status: str, new_status: str, actor: Member | None,
                           reason: str) -> Any:
    """When a held call to all is approved, send it (the core tells @mentions)."""
    if new_status != "published":
        return None
    from tisserand.plugins.digests.navigation import on_published
    from tisserand.site import current_site

    return on_published(current_site(), content)


@hookimpl
def digest_sections(member: Member, community: Community, since: datetime, until: datetime) -> Any:
    """The "new members to welcome" section."""
    from tisserand.plugins.digests.settings import digests_settings
    from tisserand.plugins.digests.welcome import welcome_sections
    from tisserand.site import current_site

    if not digests_settings(current_site()).welcome_section:
        return None
    return welcome_sections(member, community, since, until)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Calls to all (their content is exported by the core) and members' digest choices."""
    from tisserand.plugins.digests.bundle import export_community as export

    return export(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore calls to all and members' digest choices."""
    from tisserand.plugins.digests.bundle import import_community as restore

    return restore(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A call to all, a mention and a few digest choices for the demo."""
    from tisserand.plugins.digests.demo import demo

    return demo(site, communities, members)


@hookimpl
def member_export(member: Member, bundle: Any) -> Any:
    """The member's own e-mail settings, for their data export."""
    from .models import CommunityPreference, DigestAccount

    async def export() -> None:
        bundle.write_json("digests/account.json", await DigestAccount.filter(member_id=member.id).values(
            "frequency", "bounce_count", "email_paused_at", "updated_at"))
        bundle.write_json("digests/communities.json", await CommunityPreference.filter(member_id=member.id).values(
            "community_id", "frequency"))
    return export()


@hookimpl
def member_erased(member: Member, mode: str) -> Any:
    """A closed account: erase its e-mail settings, subscriptions and the delivery ledger."""
    from .models import Bounce, CommunityPreference, Delivery, DigestAccount, Mention

    async def erase() -> None:
        for model in (DigestAccount, CommunityPreference, Delivery, Bounce, Mention):
            await model.filter(member_id=member.id).delete()
    return erase()


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("E-mail choices (digest frequency per community), deliveries sent, refused addresses, "
                        "mentions already notified, calls to all"),
                      _("Sending the e-mails the member asked for, once, and stopping at refused addresses"),
                      _("Until the account is closed; delivery records: as long as they prevent duplicates"),
                      _("The member; site administrators see deliveries and refused addresses"), "contract")]
