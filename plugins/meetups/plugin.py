"""Hook implementations of the meetups plugin: meet-ups with RSVPs and a waiting list,
remarkable achievements on a map, members' opt-in locations, "near me" and iCalendar feeds."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _
from tisserand.jobs import Job
from tisserand.nav import NavItem
from tisserand.permissions import ALL_ROLES, STAFF, WRITERS, Permission
from tisserand.site import current_site

from .settings import MeetupsSettings

if TYPE_CHECKING:
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.models import Community, Content, Member, Membership
    from tisserand.site import Site

KINDS = ("meetups.meetup", "meetups.achievement")


@hookimpl
def content_kinds() -> list[str]:
    """The content this plugin owns: it leaves with the plugin."""
    return ["meetups.*"]


@hookimpl
def tisserand_models() -> list[str]:
    """The plugin's tables."""
    return ["tisserand.plugins.meetups.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """``[plugins.meetups]``: tiles, reminders, radius, gazetteer."""
    return MeetupsSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Meet-ups")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who may organise, answer, see attendees and pin achievements."""
    return [
        Permission("meetups.meetup.create", N_("Organise meet-ups"), WRITERS),
        Permission("meetups.meetup.manage", N_("Edit and cancel anyone's meet-ups"), STAFF),
        Permission("meetups.rsvp", N_("Answer a meet-up invitation (RSVP)"), WRITERS),
        Permission("meetups.attendees.view", N_("See who attends a meet-up"), ALL_ROLES, write=False),
        Permission("meetups.achievement.create", N_("Pin a remarkable achievement on the map"), WRITERS),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """Pages: meet-ups, maps, near me, my location."""
    from .routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """JSON API (see docs/plugins/meetups.md)."""
    from .api import routes

    return routes()


@hookimpl
def tisserand_jobs() -> list[Job]:
    """Reminders before meet-ups."""
    from .reminders import send_reminders

    return [Job("meetups.reminders", send_reminders, every=timedelta(minutes=10),
                description="Remind attendees before a meet-up starts (once each)")]


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The Meet-ups and Map tabs."""
    return [NavItem(_("Meet-ups"), f"/c/{community.slug}/meetups", 40, "meetups"),
            NavItem(_("Map"), f"/c/{community.slug}/map", 45, "meetups-map")]


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Request) -> Any:
    """The next meet-ups on the community's home page."""
    from .panels import home_panel

    return home_panel(community, viewer, request)


@hookimpl
def site_nav(request: Request, viewer: Member | None) -> list[NavItem]:
    """The site map and "near me" in the header."""
    return [NavItem(_("Map"), "/map", 40, "meetups-map"),
            NavItem(_("Near me"), "/meetups/near", 41, "meetups-near")]


@hookimpl
def template_context(request: Request) -> dict[str, Any]:
    """``meetups_map``: the tile server (empty: the shipped basemap) and its credit, for the map
    script."""
    from tisserand.plugins.meetups.settings import BASEMAP_ATTRIBUTION, OSM_ATTRIBUTION, OSM_TILES

    settings = current_site().plugin_settings("meetups")
    url = settings.tile_url.strip()
    credit = settings.tile_attribution or (BASEMAP_ATTRIBUTION if not url else
                                           OSM_ATTRIBUTION if url == OSM_TILES else "")
    return {"meetups_map": {"tile_url": url, "tile_attribution": credit}}


@hookimpl
def account_links(viewer: Member) -> list[NavItem]:
    """"My location" on the account page."""
    return [NavItem(_("My location"), "/me/location", 50, "meetups-location")]


@hookimpl
def feed_item_notes(contents: list[Content], viewer: Member | None) -> Any:
    """Under a meet-up series in the home feed: its rhythm, coming dates and next date."""
    ids = [c.id for c in contents if c.kind == KINDS[0]]
    if not ids:
        return None

    async def notes() -> dict[int, str]:
        from .present import series_note
        from .queries import series_notes

        return {ident: series_note(note) for ident, note in (await series_notes(ids)).items()}
    return notes()


@hookimpl
def personal_feeds(member: Member, secret: str) -> dict[str, str]:
    """The member's "my meet-ups" calendar (see :mod:`.personal`)."""
    return {"calendar_url": f"/feeds/{secret}/meetups.ics"}


@hookimpl
def content_url(content: Content) -> str | None:
    """Pages of meet-ups and achievements."""
    if content.kind not in KINDS:
        return None
    segment = "meetups" if content.kind == KINDS[0] else "achievements"
    slug = getattr(getattr(content, "_community", None), "slug", None)  # only when already loaded
    if slug:
        return f"/c/{slug}/{segment}/{content.id}"
    return f"/{segment}/{content.id}"  # redirects to the community's page


@hookimpl
def member_left(membership: Membership) -> Any:
    """Free the seats of someone who left: the waiting list moves up."""
    from .hooks import free_seats

    return free_seats(membership)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """Upcoming meet-ups (near the member when they shared a location) and new achievements."""
    from .digest import sections

    return sections(member, community, since, until)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Meet-ups, RSVPs and achievement places of the community."""
    from .bundle import export_rows

    return export_rows(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore meet-ups, RSVPs and places from a bundle."""
    from .bundle import import_rows

    return import_rows(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A virtual café, meet-ups in Montréal and Lyon, an achievement and a few locations."""
    from .demo import add_demo

    return add_demo(site, communities, members)


@hookimpl(optionalhook=True)
def insights_daily_metrics(community: Community, day: Any, start: Any, end: Any) -> Any:
    """For the insights plugin (when enabled): people going to meet-ups held that day."""
    from tisserand.db import fetch_one

    async def attendance() -> dict[str, int]:
        row = await fetch_one(
            "SELECT COUNT(*) AS n FROM meetups_rsvp r JOIN meetups_meetup m ON m.id = r.meetup_id "
            "JOIN content c ON c.id = m.id WHERE m.community_id = ? AND m.starts_at >= ? AND m.starts_at < ? "
            "AND m.cancelled = ? AND c.status = 'published' AND r.state = 'going'",
            [community.id, start, end, False])
        return {"meetups.attendance": int(row["n"]) if row else 0}

    return attendance()


@hookimpl
def member_export(member: Member, bundle: Any) -> Any:
    """The member's own RSVPs, for their data export."""
    from .models import Rsvp

    async def export() -> None:
        bundle.write_json("meetups/rsvps.json", await Rsvp.filter(member_id=member.id).order_by("id").values(
            "meetup_id", "state", "waitlisted_at", "created_at", "updated_at"))
    return export()


@hookimpl
def member_erased(member: Member, mode: str) -> Any:
    """A closed account: erase its RSVPs (attendance is personal)."""
    from .models import Rsvp

    async def erase() -> None:
        await Rsvp.filter(member_id=member.id).delete()
    return erase()


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Answers to meet-ups (going, waiting list, maybe), places pinned on the map"),
                      _("Organizing meet-ups: capacity, waiting lists, reminders"),
                      _("Until the account is closed"),
                      _("Members who can read the meet-up; its organizers"), "contract")]
