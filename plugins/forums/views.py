"""Turn raw rows into what templates and the API show, for one viewer, without more queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tisserand.i18n import get_locale, render_stored
from tisserand.plugins.forums.text import REACTIONS, as_datetime, reaction_labels, short_time
from tisserand.plugins.forums.urls import topic_path
from tisserand.site import current_site

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView


@lru_cache(maxsize=8)
def _zone(name: str) -> Any:
    try:
        return ZoneInfo(name)
    except Exception:  # an unknown zone in the config must not break pages
        return UTC


def site_zone() -> Any:
    """The site's time zone."""
    return _zone(current_site().settings.site.timezone)


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """Up to two letters for an avatar."""
    words = [w for w in name.replace("_", " ").replace(".", " ").split() if w]
    return ("".join(w[0] for w in words[:2]) or "?").upper()


def can_see_row(view: CommunityView, row: dict[str, Any]) -> bool:
    """The visibility rule of ``tisserand.visibility`` applied to a raw row."""
    status = row["status"]
    if status == "published" or view.is_staff:
        return True
    if status == "deleted":
        return False
    return view.viewer is not None and row["author_id"] == view.viewer.id


#: How many names a reaction's tooltip lists before "and n more".
WHO_SHOWN = 12


def who_text(label: str, names: list[str]) -> str:
    """"Like: Alice, Bob and 3 more" (translated), or "" when nobody is known."""
    from tisserand.i18n import _, ngettext

    if not names:
        return ""
    shown = ", ".join(names[:WHO_SHOWN])
    if len(names) > WHO_SHOWN:
        more = len(names) - WHO_SHOWN
        shown = ngettext("{names} and {count} more", "{names} and {count} more", more, names=shown)
    return _("{reaction}: {names}", reaction=label, names=shown)


class Formatter:
    """Formats rows for one request: the locale, time zone and the viewer's rights, read once."""

    def __init__(self, view: CommunityView) -> None:
        self.view = view
        self.language = get_locale()
        self.zone = site_zone()
        self.viewer_id = view.viewer.id if view.viewer is not None else None
        self.labels = reaction_labels()
        forum = current_site().plugin_settings("forums")
        self.window = timedelta(minutes=forum.edit_window_minutes) if forum.edit_window_minutes else None
        self.can_post = view.can("forums.post.create")
        self.can_react = view.can("forums.post.react")
        self.edit_any = view.can("forums.post.edit_any")
        self.delete_any = view.can("forums.post.delete_any")
        self.joined = as_datetime(view.membership.created_at) if view.is_member and view.membership else None
        self.staff = view.is_staff
        from tisserand.i18n import _

        self.badges = {"pending": _("Awaiting review"), "hidden": _("Hidden by moderators"), "deleted": _("Deleted")}

    def time(self, value: Any) -> str:
        """A short local date and time."""
        return short_time(as_datetime(value), self.language, self.zone)

    def topic(self, row: dict[str, Any], people: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A topic row as lists and the topic page show it (adds url, unread, participants)."""
        slug = self.view.community.slug
        unread = 0
        new = False
        if self.viewer_id is not None and self.view.is_member:
            last_read = row.get("last_read_number")
            if last_read is None:
                created = as_datetime(row["created_at"])
                new = (row["author_id"] != self.viewer_id and self.joined is not None
                       and created is not None and created > self.joined)
            else:
                unread = max(0, int(row["highest_number"]) - int(last_read))
        first_unread = None
        if unread:
            first_unread = topic_path(slug, row["id"], row["slug"], int(row["last_read_number"]) + 1)
        return {
            **row,
            "url": topic_path(slug, row["id"], row["slug"]),
            "last_url": topic_path(slug, row["id"], row["slug"], int(row["highest_number"])),
            "first_unread_url": first_unread,
            "author_display": row.get("author_name") or row.get("author_username") or "?",
            "last_display": row.get("last_name") or row.get("last_username") or "",
            "activity": self.time(row["bumped_at"]),
            "activity_iso": str(as_datetime(row["bumped_at"]).isoformat()),  # type: ignore[union-attr]
            "unread": unread,
            "new": new,
            "participants": [
                {"username": p["username"], "name": p["display_name"] or p["username"],
                 "initials": initials(p["display_name"] or p["username"]),
                 "avatar": p.get("avatar_upload")} for p in (people or [])
            ],
        }

    def may_edit(self, row: dict[str, Any]) -> bool:
        """May the viewer edit this item now (same rule as ``service.may_edit``)?"""
        if self.viewer_id is None or row["status"] == "deleted":
            return False
        if self.edit_any:
            return True
        if row["author_id"] != self.viewer_id or row["status"] == "hidden" or not self.can_post:
            return False
        if self.window is None:
            return True
        created = as_datetime(row["created_at"])
        return created is not None and datetime.now(UTC) <= created + self.window

    def post(self, row: dict[str, Any], reactions: dict[str, tuple[int, bool]], *, topic_id: int,
             topic_author: int | None, solved: int | None, may_solve: bool,
             who: dict[str, list[tuple[str, str]]] | None = None) -> SimpleNamespace:
        """A post (or the opening post) as the topic page shows it.

        An object rather than a dict, with its labels already chosen: Jinja2 looks attributes
        up first, and a page of 50 posts renders thousands of them."""
        status = row["status"]
        published = status == "published"
        own = self.viewer_id is not None and row["author_id"] == self.viewer_id
        stub = status == "deleted" and not self.staff
        name = row.get("author_name") or row.get("author_username") or "?"
        reply_to = row.get("reply_to_id")
        reply_number = row.get("reply_to_number") or (1 if reply_to == topic_id else None)
        can_react = self.can_react and published and not own  # nobody applauds themselves
        counted = [SimpleNamespace(kind=kind, emoji=emoji, label=self.labels[kind], count=found[0], mine=found[1],
                                   who=who_text(self.labels[kind], [n for _u, n in (who or {}).get(kind, [])]))
                   for kind, emoji in REACTIONS if (found := reactions.get(kind)) and found[0]]
        return SimpleNamespace(
            id=row["id"],
            number=row.get("number") or 1,
            html="" if stub else row["html"],
            lang=row.get("lang") or "",
            stub=stub,
            status=status,
            badge=self.badges.get(status, ""),
            reason=render_stored(row.get("status_reason")) if (own or self.staff or status == "pending") else "",
            author_username=row.get("author_username"),
            author_name=name,
            initials=initials(name),
            avatar=row.get("author_avatar"),
            created=self.time(row["created_at"]),
            created_iso=str(as_datetime(row["created_at"]).isoformat()),  # type: ignore[union-attr]
            edited=self.time(row["edited_at"]) if row.get("edited_at") else "",
            reply_to_id=reply_to,
            reply_to_number=reply_number,
            reply_label=self.reply_label(row.get("reply_to_username"), reply_number) if reply_number else "",
            own=own,
            is_op=row["author_id"] is not None and row["author_id"] == topic_author,
            is_solution=solved is not None and row["id"] == solved,
            can_edit=not stub and self.may_edit(row),
            can_delete=status != "deleted" and ((own and self.can_post) or self.delete_any),
            can_restore=status == "deleted" and self.delete_any,
            can_solve=may_solve and row["id"] != topic_id and published,
            can_react=can_react,
            counted=counted,
            mine=" ".join(kind for kind, (_count, own_reaction) in reactions.items() if own_reaction),
        )

    def texts(self) -> SimpleNamespace:
        """The labels every post repeats, translated once per page."""
        from tisserand.i18n import _

        return SimpleNamespace(
            author=_("Author"), edited=_("edited"), solution=_("Solution"), deleted=_("This message was deleted."),
            pending=_("Only you and the moderators can see this message until it is approved."),
            reactions=_("Reactions"), react=_("React"), reply=_("Reply"), quote=_("Quote"),
            solve=_("Mark as solution"), unsolve=_("Unmark solution"), edit=_("Edit"), delete=_("Delete"),
            restore=_("Restore"), confirm_topic=_("Delete this topic and hide its replies?"),
            confirm_post=_("Delete this message?"))

    def picker(self, reactions: dict[str, tuple[int, bool]] | None = None) -> list[SimpleNamespace]:
        """Every reaction, with whether the viewer gave it: the page's one "React" menu (which
        the script moves next to the post the member picks) and the page of one post's reactions
        that works without the script."""
        reactions = reactions or {}
        return [SimpleNamespace(kind=kind, emoji=emoji, label=self.labels[kind],
                                mine=reactions.get(kind, (0, False))[1]) for kind, emoji in REACTIONS]

    def reply_label(self, username: str | None, number: int) -> str:
        """"in reply to @name (#n)"."""
        from tisserand.i18n import _

        return _("in reply to {name} (#{number})", name="@" + (username or "?"), number=number)
