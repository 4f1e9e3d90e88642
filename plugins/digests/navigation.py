"""Small hook helpers: the bell, the account fields, a call's address, approvals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand.i18n import _
from tisserand.jobs import defer
from tisserand.nav import NavItem

if TYPE_CHECKING:
    from tisserand.models import Content, Member
    from tisserand.site import Site


async def bell(viewer: Member) -> list[NavItem]:
    """The header link to the notifications, with the unread count in its label."""
    from tisserand.plugins.digests.inbox import bell_count

    count = await bell_count(viewer)
    label = _("Notifications ({count})", count=count) if count else _("Notifications")
    return [NavItem(label, "/me/notifications", 50, "notifications")]


async def account_fields(member: Member) -> dict[str, Any]:
    """``digest_frequency`` and ``unread_notifications`` for ``GET /api/v1/me``."""
    from tisserand.plugins.digests.inbox import unread_count
    from tisserand.plugins.digests.preferences import global_frequency
    from tisserand.site import current_site

    return {"digest_frequency": await global_frequency(current_site(), member),
            "unread_notifications": await unread_count(member)}


def call_url(content: Content) -> str:
    """A call's page (through a redirect when the community is not loaded)."""
    community = getattr(content, "_community", None)
    slug = getattr(community, "slug", None)
    if slug:
        return f"/c/{slug}/calls/{content.id}"
    return f"/digests/calls/{content.id}"


async def on_published(site: Site, content: Content) -> None:
    """Held content was approved: a call to all goes out now (the core tells @mentions)."""
    from tisserand.plugins.digests.calls import KIND
    from tisserand.plugins.digests.models import Call

    if content.kind == KIND:
        call = await Call.get_or_none(content_id=content.id)
        if call is not None and call.dispatched_at is None:
            await defer(site, "digests.dispatch_call", call_id=call.id, queueing_lock=f"call:{call.id}")
