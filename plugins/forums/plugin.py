"""Hook implementations of the forums plugin: where a community talks every day.

Topics (``forum.topic``) and replies (``forum.post``) are core Content written through the
content pipeline; this plugin adds categories, numbering, reactions, solutions, flags, unread
markers, pages, API, Atom feeds, notifications, digest sections, archive parts and demo content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import _
from tisserand.nav import NavItem
from tisserand.plugins.forums.text import KINDS
from tisserand.plugins.forums.urls import content_path, forum_path

if TYPE_CHECKING:
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.content import WriteContext
    from tisserand.models import Community, Content, Member
    from tisserand.permissions import Permission
    from tisserand.site import Site



@hookimpl
def content_kinds() -> list[str]:
    """The content this plugin owns: it leaves with the plugin."""
    return ["forum.*"]


@hookimpl
def tisserand_models() -> list[str]:
    """The forum's tables."""
    return ["tisserand.plugins.forums.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """``[plugins.forums]``: edit window, page sizes, feed length."""
    from tisserand.plugins.forums.settings import ForumSettings

    return ForumSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Forums")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """The forum's permissions with their default grants."""
    from tisserand.plugins.forums.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """Pages, forms and Atom feeds."""
    from tisserand.plugins.forums.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """The JSON API."""
    from tisserand.plugins.forums.api import api_routes

    return api_routes()


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """The "Forum" tab."""
    return [NavItem(_("Forum"), forum_path(community.slug), 10, "forums")]


@hookimpl
def content_url(content: Content) -> str | None:
    """Where a topic or a reply is shown."""
    if content.kind not in KINDS:
        return None
    return content_path(content)


@hookimpl
def content_saved(content: Content, created: bool, write: WriteContext) -> Any:
    """Tell repliers' audience and followers once the item is published (the core tells the
    members it @mentions: ``write.mentioned``, left out here); an edit moves the topic up."""
    if content.kind not in KINDS:
        return None
    from tisserand.plugins.forums import notifications

    if not created:
        return _bump(content)
    if content.status != "published":
        return None
    return notifications.item_published(content, mentioned=write.mentioned)


async def _bump(content: Content) -> None:
    from tisserand.plugins.forums import service

    await service.bump(await service.topic_of(content))


@hookimpl
def content_status_changed(content: Content, old_status: str, new_status: str, actor: Member | None,
                           reason: str) -> Any:
    """Keep counters right after moderation or deletion; notify when a held item is approved."""
    if content.kind not in KINDS:
        return None
    return _status_changed(content, old_status, new_status)


async def _status_changed(content: Content, old_status: str, new_status: str) -> None:
    from tisserand.plugins.forums import notifications, service

    topic_id = await service.topic_of(content)
    if topic_id is not None:
        await service.refresh_topic(topic_id)
    if old_status == "pending" and new_status == "published":
        await notifications.item_published(content)


@hookimpl
def community_home_panels(community: Community, viewer: Member | None, request: Request) -> Any:
    """The latest discussions on the community's home page."""
    from tisserand.plugins.forums.panels import latest_topics_panel

    return latest_topics_panel(community, viewer, request)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """New topics and most active topics of the period."""
    from tisserand.plugins.forums.digest import digest_sections as sections

    return sections(member, community, since, until)


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Categories, topic flags, reply links, reactions and read positions."""
    from tisserand.plugins.forums.bundle import export_forum

    return export_forum(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore the forum's rows with the imported ids."""
    from tisserand.plugins.forums.bundle import import_forum

    return import_forum(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """French and English discussions in the demo communities."""
    from tisserand.plugins.forums.demo import add_demo_content

    return add_demo_content(site, communities, members)


@hookimpl
def member_export(member: Member, bundle: Any) -> Any:
    """The member's own reactions given, for their data export."""
    from .models import Reaction, Watch

    async def export() -> None:
        bundle.write_json("forums/reactions.json", await Reaction.filter(member_id=member.id).order_by("id").values(
            "content_id", "kind", "created_at"))
        bundle.write_json("forums/watches.json", await Watch.filter(member_id=member.id).values(
            "community_id", "category_id", "created_at"))
    return export()


@hookimpl
def member_erased(member: Member, mode: str) -> Any:
    """A closed account: erase its read states and watches (reactions stay, on the former-member shell)."""
    from .models import TopicState, Watch

    async def erase() -> None:
        await TopicState.filter(member_id=member.id).delete()
        await Watch.filter(member_id=member.id).delete()
    return erase()


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Reactions given, read positions in topics, forums and topics watched"),
                      _("Showing what is new to each member; thanking and marking solutions"),
                      _("Read positions and watches: until the account is closed; reactions stay, signed by "
                        "a former member"),
                      _("Reactions: members who can read the text; the rest: the member only"), "contract")]
