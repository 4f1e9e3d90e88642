"""Kudos: the hook implementations. Each hook is one small function; read top to bottom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from tisserand import hookimpl
from tisserand.bundle import Bundle
from tisserand.db import fetch_all, fetch_one
from tisserand.digest import DigestItem, DigestSection
from tisserand.i18n import N_, _, ngettext
from tisserand.models import Community, Content, Member
from tisserand.nav import NavItem
from tisserand.permissions import Permission
from tisserand.web.security import csrf_token

TISSERAND_REQUIRES = ">=0.1,<0.2"


@hookimpl
def tisserand_models() -> list[str]:
    """Kudos keeps one table, migrated by `tisserand migrate`."""
    return ["tisserand_kudos.models"]


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """Who may thank: everyone who may write, not observers."""
    return [Permission("kudos.give", N_("Thank a member for a post"),
                       roles={"coordinator", "animator", "sponsor", "member"})]


@hookimpl
def tisserand_routes() -> list[Any]:
    """The board page and the "thank" form target."""
    from tisserand_kudos.routes import routes

    return routes()


@hookimpl
def tisserand_cli(app: Any) -> None:
    """``tisserand kudos top SLUG`` (always give ``name=`` to ``add_typer``)."""
    from tisserand_kudos.cli import commands

    app.add_typer(commands(), name="kudos")


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """A "Kudos" tab in every community where the plugin is switched on."""
    return [NavItem(_("Kudos"), f"/c/{community.slug}/kudos", 600, "kudos")]


@hookimpl
def content_actions(content: Content, viewer: Member | None, request: Any) -> Markup | None:
    """A "Thank" button under other people's posts (a plain form: works without JavaScript)."""
    if viewer is None or content.author_id in (None, viewer.id):
        return None
    slug = request.path_params.get("slug", "")
    return Markup(
        '<form method="post" action="/c/{slug}/kudos/{id}" class="inline kudos-form">'
        '<input type="hidden" name="csrf_token" value="{csrf}">'
        '<input type="hidden" name="next" value="{next}">'
        '<button type="submit" class="secondary">🙏 {label}</button></form>'
    ).format(slug=escape(slug), id=content.id, csrf=csrf_token(request),
             next=escape(request.url.path), label=_("Thank"))


@hookimpl
def profile_panels(member: Member, viewer: Member | None, request: Any) -> Any:
    """"12 thanks received" on the member's profile."""

    async def panel() -> Markup | None:
        row = await fetch_one("SELECT COUNT(*) AS total FROM kudos WHERE receiver_id = ?", [member.id])
        total = int(row["total"]) if row else 0
        if not total:
            return None
        text = ngettext("{count} thank-you received", "{count} thanks received", total)
        return Markup('<p class="kudos-total">🙏 {}</p>').format(text)

    return panel()


@hookimpl
def digest_sections(member: Member, community: Community, since: datetime, until: datetime) -> Any:
    """Who was thanked in this community during the digest's period."""

    async def section() -> list[DigestSection]:
        rows = await fetch_all(
            "SELECT g.display_name AS giver, g.username AS giver_login, r.display_name AS receiver, "
            "r.username AS receiver_login, c.title FROM kudos k "
            "JOIN member g ON g.id = k.giver_id JOIN member r ON r.id = k.receiver_id "
            "JOIN content c ON c.id = k.content_id "
            "WHERE k.community_id = ? AND k.created_at >= ? AND k.created_at < ? AND c.status = 'published' "
            "ORDER BY k.id DESC LIMIT 10", [community.id, since, until])
        if not rows:
            return []
        items = [DigestItem(_("{giver} thanked {receiver}", giver=r["giver"] or r["giver_login"],
                              receiver=r["receiver"] or r["receiver_login"]), detail=r["title"] or "")
                 for r in rows]
        return [DigestSection(_("Thanks"), items, order=500, plugin="kudos")]

    return section()


@hookimpl
def export_community(community: Community, bundle: Bundle) -> Any:
    """Kudos rows go into the archive bundle as kudos/kudos.jsonl."""

    async def export() -> None:
        rows = await fetch_all("SELECT content_id, giver_id, receiver_id, created_at FROM kudos "
                               "WHERE community_id = ? ORDER BY id", [community.id])
        bundle.write_jsonl("kudos/kudos.jsonl", rows)

    return export()


@hookimpl
def import_community(community: Community, bundle: Bundle) -> Any:
    """Restore kudos rows, mapping old content and member ids to the new ones."""
    from tisserand_kudos.models import Kudos

    async def restore() -> None:
        if not bundle.has("kudos/kudos.jsonl"):
            return
        for row in bundle.read_jsonl("kudos/kudos.jsonl"):
            giver, receiver = bundle.member_id(row["giver_id"]), bundle.member_id(row["receiver_id"])
            if giver is None or receiver is None:
                continue
            await Kudos.create(community=community, content_id=bundle.content_id(row["content_id"]),
                               giver_id=giver, receiver_id=receiver)

    return restore()


@hookimpl
def data_register() -> list[Any]:
    """What kudos keeps about people, for the site's register of processing."""
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Thank-yous given and received (who thanked whom, for what, when)"),
                      _("Showing appreciation between members"),
                      _("Until the account is closed or the community deleted"),
                      _("Members who may read the thanked content"), "contract")]
