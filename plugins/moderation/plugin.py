"""Hook implementations of the moderation plugin: trolls, spam and commercial hijacking, handled
by the community (flags, trust levels, rate limits, watched words, review queue, sanctions,
appeals). Each hook hands over to a small module with one job."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tisserand import hookimpl
from tisserand.i18n import N_, _
from tisserand.nav import NavItem
from tisserand.permissions import Permission

if TYPE_CHECKING:
    import pluggy
    import typer
    from pydantic import BaseModel
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.content import WriteContext
    from tisserand.jobs import Job
    from tisserand.models import Community, Content, Member
    from tisserand.site import Site



@hookimpl
def content_kinds() -> list[str]:
    """The content this plugin owns: it leaves with the plugin."""
    return ["moderation.*"]


@hookimpl
def tisserand_addhooks(pm: pluggy.PluginManager) -> None:
    """Add ``moderation_score`` and ``moderation_posts_read``."""
    from tisserand.plugins.moderation.hookspecs import ModerationHooks

    pm.add_hookspecs(ModerationHooks)


@hookimpl
def tisserand_models() -> list[str]:
    """The plugin's tables."""
    return ["tisserand.plugins.moderation.models"]


@hookimpl
def tisserand_settings() -> type[BaseModel]:
    """``[plugins.moderation]``."""
    from tisserand.plugins.moderation.config import ModerationSettings

    return ModerationSettings


@hookimpl
def tisserand_label() -> str:
    """The plugin's name for people, in the reader's language."""
    return _("Moderation")


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who may flag, review, sanction, edit watched words and answer appeals."""
    staff = {"coordinator", "animator"}
    return [
        Permission("moderation.flag", N_("Flag content for the moderators"),
                   {"coordinator", "animator", "sponsor", "member"}),
        Permission("moderation.queue.view", N_("See the review queue"), staff, write=False),
        Permission("moderation.sanction", N_("Warn, silence or suspend members"), staff),
        Permission("moderation.words.edit", N_("Edit the community's watched words and moderation settings"),
                   {"coordinator"}),
        Permission("moderation.appeals.answer", N_("Answer members' appeals"), {"coordinator"}),
    ]


@hookimpl
def tisserand_routes() -> list[BaseRoute]:
    """The review queue and the other moderation pages."""
    from tisserand.plugins.moderation.routes import routes

    return routes()


@hookimpl
def tisserand_api_routes() -> list[BaseRoute]:
    """Flags, queue, actions, sanctions, appeals and watched words."""
    from tisserand.plugins.moderation.api import routes

    return routes()


@hookimpl
def tisserand_jobs() -> list[Job]:
    """Close ended sanctions every minute; recompute trust levels every hour."""
    from tisserand.jobs import Job
    from tisserand.plugins.moderation.sanctions import expire_due
    from tisserand.plugins.moderation.trust import refresh

    return [
        Job("moderation.sanctions", expire_due, timedelta(minutes=1),
            "Close ended sanctions and give suspended members their place back."),
        Job("moderation.trust", refresh, timedelta(hours=1), "Recompute members' trust levels."),
    ]


@hookimpl
def tisserand_cli(app: typer.Typer) -> None:
    """``tisserand moderation …``."""
    from tisserand.plugins.moderation.cli import moderation_app

    app.add_typer(moderation_app(), name="moderation")


# --- The content pipeline -------------------------------------------------------------------


@hookimpl
def content_check(content: Content, author: Member, community: Community, write: WriteContext) -> Any:
    """Sanctions, rate limits, watched words, score and first posts (see ``checks``)."""
    from tisserand.plugins.moderation.checks import check
    from tisserand.site import current_site

    return check(current_site(), content, author, community, interactive=write.interactive)


@hookimpl
def content_saved(content: Content, created: bool, write: WriteContext) -> Any:
    """A held item joins the review queue (nothing to do, and no query, otherwise), with the
    score and cause that this plugin's check gave in its verdict."""
    if content.status != "pending":
        return None
    from tisserand.plugins.moderation.checks import SOURCE
    from tisserand.plugins.moderation.reviews import held
    from tisserand.site import current_site

    return held(current_site(), content, write.verdict_of(SOURCE))


@hookimpl
def content_status_changed(content: Content, old_status: str, new_status: str, actor: Member | None,
                           source: str) -> Any:
    """Keep the queue in step when an item is approved or removed elsewhere (this plugin's own
    actions settle the queue themselves)."""
    from tisserand.plugins.moderation.checks import SOURCE
    from tisserand.plugins.moderation.reviews import status_changed

    if source == SOURCE:
        return None
    return status_changed(content, old_status, new_status, actor)


@hookimpl
def content_actions(content: Content, viewer: Member | None, request: Any) -> Any:
    """The "Report" link under one item (see :func:`content_actions_batch`), or None."""
    return content_actions_batch([content], viewer, request).get(content.id) if viewer is not None else None


@hookimpl
def content_actions_batch(contents: list[Content], viewer: Member, request: Any) -> dict[int, Any]:
    """A "Report" link under other people's published posts, for a whole page at once (no
    query: a plain link to the flag form, which checks everything)."""
    from urllib.parse import quote

    from markupsafe import Markup, escape

    back = escape(quote(getattr(getattr(request, "url", None), "path", "") or "", safe="/"))
    label = escape(_("Report"))
    return {content.id: Markup(f'<a class="moderation-report" href="/moderation/flag/{int(content.id)}?next={back}" '
                               f'rel="nofollow">{label}</a>')
            for content in contents
            if content.author_id not in (None, viewer.id) and content.status == "published"}


@hookimpl
def login_check(member: Member) -> Any:
    """Refuse to log in a member banned from the site, saying until when."""
    from tisserand.plugins.moderation.checks import ban_message

    return ban_message(member)


@hookimpl
def explain_refusal(member: Member, community: Community, permission: str) -> Any:
    """A suspended or silenced member reads the end and the reason, not "your role does not
    allow this"."""
    from tisserand.plugins.moderation.checks import refusal_reason

    return refusal_reason(member, community)


# --- Pages, archive, demo, digests -----------------------------------------------------------


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """A "Moderation" tab for logged-in members: the queue for staff, their own items for others."""
    if viewer is None:
        return []
    return [NavItem(_("Moderation"), f"/c/{community.slug}/moderation", 800, "moderation")]


@hookimpl
def site_nav(viewer: Member | None) -> list[NavItem]:
    """Site administrators reach the site-wide watched words and bans."""
    if viewer is None or not viewer.is_admin:
        return []
    return [NavItem(_("Moderation"), "/moderation", 800, "moderation")]


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Flags, reviews, sanctions, appeals, watched words and settings of the community."""
    from tisserand.plugins.moderation.bundle import export_rows

    return export_rows(community, bundle)


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore what ``export_community`` wrote."""
    from tisserand.plugins.moderation.bundle import import_rows

    return import_rows(community, bundle)


@hookimpl
def demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> Any:
    """A community watched word, a held advertisement and a flagged outburst to review."""
    from tisserand.plugins.moderation.demo import populate

    return populate(site, communities, members)


@hookimpl
def digest_sections(member: Member, community: Community, since: Any, until: Any) -> Any:
    """For coordinators and animators: how many items wait for review."""
    from tisserand.plugins.moderation.digest import sections

    return sections(member, community)


@hookimpl(optionalhook=True)
def insights_daily_metrics(community: Community, day: Any, start: Any, end: Any) -> Any:
    """For the insights plugin (when enabled): items waiting for a moderator at the day's end."""
    from tisserand.db import fetch_one

    async def still_open() -> dict[str, int]:
        row = await fetch_one(
            "SELECT COUNT(*) AS n FROM moderation_review WHERE community_id = ? AND created_at < ? "
            "AND (state = 'open' OR (decided_at IS NOT NULL AND decided_at >= ?))",
            [community.id, end, end])
        return {"moderation.open": int(row["n"]) if row else 0}

    return still_open()


@hookimpl
def member_export(member: Member, bundle: Any) -> Any:
    """The member's own flags made and sanctions received, for their data export."""
    from .models import Appeal, Flag, Sanction

    async def export() -> None:
        bundle.write_json("moderation/flags.json", await Flag.filter(member_id=member.id).order_by("id").values(
            "content_id", "reason", "note", "state", "created_at", "resolved_at"))
        bundle.write_json("moderation/sanctions.json", await Sanction.filter(member_id=member.id).values(
            "kind", "reason", "starts_at", "ends_at", "created_at"))
        bundle.write_json("moderation/appeals.json", await Appeal.filter(member_id=member.id).values(
            "content_id", "message", "state", "answer", "answered_at", "created_at"))
    return export()


@hookimpl
def member_erased(member: Member, mode: str) -> Any:
    """A closed account: erase its appeals, trust, flags (in delete mode) and the free text of sanctions."""
    from .models import Appeal, Flag, Sanction, Trust

    async def erase() -> None:
        await Appeal.filter(member_id=member.id).delete()
        await Trust.filter(member_id=member.id).delete()
        await Sanction.filter(member_id=member.id).update(reason="", close_reason="", data={})
        if mode == "delete":
            await Flag.filter(member_id=member.id).delete()
        else:
            await Flag.filter(member_id=member.id).update(note="")
    return erase()


@hookimpl
def data_register() -> list[Any]:
    """What this plugin stores about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Reports (flags) and their notes, moderation decisions, sanctions, appeals, trust levels"),
                      _("Keeping the communities safe: reviewing, sanctioning, appealing"),
                      _("Sanctions until they end; decisions and reports as long as the content exists"),
                      _("Moderators and coordinators of the community; a reporter's name is never shown to "
                        "the author"), "legitimate_interest")]
