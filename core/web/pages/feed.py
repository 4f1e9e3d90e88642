"""Lists of content for the home feed, community pages and profiles: one SQL query per page
whatever the number of items, keyset pagination, links from the plugins' ``content_url``.

Only top-level items (topics, pages, meet-ups) are listed; replies move their parent's
``activity_at`` and are counted. What a viewer sees: published items of communities they may
read, then narrowed by the plugins' ``content_visible``.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from tisserand.db import as_json, dialect, fetch_all, partial_model
from tisserand.errors import ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Content
from tisserand.visibility import active_content_sql
from tisserand.web.api import decode_cursor, encode_cursor
from tisserand.web.labels import initials

if TYPE_CHECKING:
    from tisserand.models import Member
    from tisserand.site import Site

Order = Literal["activity", "recent"]
Scope = Literal["mine", "all"]
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|tr|blockquote|pre|div)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
EXCERPT_CHARS = 280

MEMBER_OF = ("cm.id IN (SELECT ms.community_id FROM membership ms "
             "WHERE ms.member_id = ? AND ms.state = 'active')")


@dataclass
class FeedItem:
    """One line of a list of content, ready for a template or the API."""

    id: int
    kind: str
    title: str
    excerpt: str
    url: str
    community_slug: str
    community_name: str
    community_visibility: str
    author_username: str
    author_name: str
    author_initials: str
    created_at: datetime | None
    activity_at: datetime | None
    reply_count: int
    status: str
    author_avatar: str | None = None
    #: A plugin's line about the item (``feed_item_notes``), e.g. a meet-up series' next date.
    note: str = ""
    #: When the item happens, for content that is an event (a meet-up): ``meta["event_at"]``.
    event_at: datetime | None = None
    #: The language it is written in (``fr``, ``en``) or ``""``: see :mod:`tisserand.language`.
    lang: str = ""

    @property
    def fragment_key(self) -> tuple[Any, ...]:
        """Everything the item shows, for :class:`~tisserand.web.templates.FragmentCache`."""
        return (self.id, self.kind, self.title, self.excerpt, self.url, self.community_slug, self.community_name,
                self.community_visibility, self.author_username, self.author_name, self.author_initials,
                self.created_at, self.activity_at, self.reply_count, self.status, self.author_avatar, self.note,
                self.event_at, self.lang)

    def as_api(self) -> dict[str, Any]:
        """The item in the API's shape (``event_at`` only for items that happen at a time)."""
        data = {
            "id": self.id, "kind": self.kind, "title": self.title, "excerpt": self.excerpt,
            "url": self.url, "community": self.community_slug,
            "author": self.author_username or None, "created_at": self.created_at,
            "activity_at": self.activity_at, "reply_count": self.reply_count,
            **({"note": self.note} if self.note else {}),
        }
        if self.event_at is not None:
            data["event_at"] = self.event_at
        return data


def parse_time(value: Any) -> datetime | None:
    """A datetime from a row (PostgreSQL gives datetimes, SQLite ISO strings)."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def excerpt(html: str, limit: int = EXCERPT_CHARS) -> str:
    """Plain text from stored HTML, cut at a word boundary (remembered per text: lists show the
    same items again and again)."""
    text = _TAG.sub("", _BLOCK_END.sub(" ", html or ""))
    text = _SPACE.sub(" ", htmllib.unescape(text)).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.-– ") + "…"


def listed_sql(meta: str = "c.meta") -> str:
    """A SQL condition leaving out content whose ``meta`` says ``"listed": false``: a plugin
    marks so the items that another item stands for in lists (the later dates of a meet-up
    series are listed once, by the first). The items stay readable at their own address."""
    if dialect() == "postgres":
        return f"({meta} IS NULL OR NOT ({meta} @> '{{\"listed\": false}}'::jsonb))"
    return f"({meta} IS NULL OR json_valid({meta}) = 0 OR COALESCE(json_extract({meta}, '$.listed'), 1) <> 0)"


def visibility_sql(viewer: Member | None, scope: Scope) -> tuple[str, list[Any]]:
    """Communities whose content goes into a viewer's feed: their own, plus public ones for
    ``scope="all"``. Site admins get the same feed as anyone (they may visit the rest)."""
    if viewer is None:
        return "cm.visibility = 'public'", []
    if scope == "mine":
        return MEMBER_OF, [viewer.id]
    return f"(cm.visibility = 'public' OR {MEMBER_OF})", [viewer.id]


def _time_param(raw: Any) -> Any:
    # The cursor keeps the database's own spelling of the time, so comparisons stay exact.
    if dialect() == "postgres":
        return datetime.fromisoformat(str(raw))
    return str(raw)


def _cursor_time(raw: Any) -> str:
    return raw.isoformat() if isinstance(raw, datetime) else str(raw)


async def query_items(
    viewer: Member | None,
    *,
    where: str,
    params: list[Any],
    order: Order = "activity",
    cursor: str | None = None,
    limit: int = 20,
    site: Site | None = None,
) -> tuple[list[FeedItem], str | None]:
    """Top-level published content matching ``where`` (SQL on aliases ``c`` content, ``cm``
    community), newest first by ``order``; returns the visible items and the next cursor."""
    sort = "COALESCE(c.activity_at, c.created_at)" if order == "activity" else "c.created_at"
    switched_off, off_params = await active_content_sql()
    filters = ["c.parent_id IS NULL", "c.status = 'published'", where, switched_off, listed_sql()]
    values: list[Any] = [*params, *off_params]
    position = decode_cursor(cursor)
    if position is not None:
        try:
            if len(position) != 2 or not isinstance(position[1], int) or not isinstance(position[0], str):
                raise ValueError("not a feed cursor")
            datetime.fromisoformat(position[0])
        except ValueError:
            raise ValidationFailed(_("This page link is broken: start again from the first page."),
                                   code="bad_cursor") from None
        moment = _time_param(position[0])
        # Written so that both databases read the range from the index (migration 0003).
        filters.append(f"{sort} <= ? AND ({sort} < ? OR c.id < ?)")
        values += [moment, moment, position[1]]
    # Two steps: the page's ids in index order (core migration 0003), then the heavy columns
    # and the reply counts for those rows only.
    page = (f"SELECT c.id AS id, {sort} AS sort_at FROM content c JOIN community cm ON cm.id = c.community_id "
            f"WHERE {' AND '.join(filters)} ORDER BY {sort} DESC, c.id DESC LIMIT ?")
    query = (
        "SELECT c.id, c.kind, c.title, SUBSTR(c.html, 1, 3000) AS html, c.created_at, page.sort_at, "
        "c.activity_at, c.author_id, c.community_id, c.meta, c.lang, "
        "cm.slug AS community_slug, cm.name AS community_name, cm.visibility AS community_visibility, "
        "cm.plugins AS community_plugins, cm.status AS community_status, "
        "m.username AS author_username, m.display_name AS author_display_name, m.avatar_upload AS author_avatar, "
        "(SELECT COUNT(*) FROM content r WHERE r.parent_id = c.id AND r.status = 'published') AS reply_count "
        f"FROM ({page}) page JOIN content c ON c.id = page.id JOIN community cm ON cm.id = c.community_id "
        "LEFT JOIN member m ON m.id = c.author_id ORDER BY page.sort_at DESC, page.id DESC"
    )
    rows = await fetch_all(query, [*values, limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(_cursor_time(rows[-1]["sort_at"]), rows[-1]["id"]) if more else None
    return await _items(rows, viewer, site), next_cursor


def loaded_content(row: dict[str, Any], community: Community) -> Content:
    """A :class:`Content` built from a row already read (no query), with its community set,
    for hooks such as ``content_url`` and ``content_visible``."""
    content = partial_model(
        Content, id=row["id"], kind=row["kind"], title=row["title"] or "", community_id=row["community_id"],
        author_id=row.get("author_id"), parent_id=row.get("parent_id"), status="published",
        meta=as_json(row.get("meta")) or {})
    # What ``content.community = community`` stores, without the ORM's three checked
    # assignments (community_id is set above): lists build one object per item.
    content.__dict__["_community"] = community
    return content


def loaded_community(row: dict[str, Any], prefix: str = "community_") -> Community:
    """A :class:`Community` built from a row's ``community_*`` columns (no query)."""
    return partial_model(
        Community, id=row["community_id"], slug=row[f"{prefix}slug"], name=row[f"{prefix}name"],
        visibility=row[f"{prefix}visibility"], plugins=as_json(row[f"{prefix}plugins"]),
        status=row[f"{prefix}status"], grants={})


async def _items(rows: list[dict[str, Any]], viewer: Member | None, site: Site | None) -> list[FeedItem]:
    from tisserand.plugin_manager import resolve_all
    from tisserand.site import current_site
    from tisserand.visibility import kind_active

    site = site or current_site()
    communities: dict[int, tuple[Community, Any]] = {}
    active: dict[tuple[str, int], bool] = {}
    items: list[FeedItem] = []
    shown: list[Content] = []
    hook = site.hook
    for row in rows:
        known = communities.get(row["community_id"])
        if known is None:  # once per community of the page: the object and its hook relay
            community = loaded_community(row)
            known = communities[row["community_id"]] = (community, site.plugins.for_community(community))
        community, relay = known
        content = loaded_content(row, community)
        # What plugins_allow() asks, with the plugin switches read once per kind and community.
        switch = (row["kind"], row["community_id"])
        if switch not in active:
            active[switch] = await kind_active(content, community)
        if not active[switch]:  # e.g. its plugin is switched off
            continue
        answers = await resolve_all(hook.content_visible(content=content, viewer=viewer))
        if any(answer is False for answer in answers):
            continue
        url = relay.content_url(content=content)
        name = row["author_display_name"] or row["author_username"] or ""
        event_at = (content.meta or {}).get("event_at")
        items.append(FeedItem(
            id=row["id"], kind=row["kind"], title=row["title"] or "", excerpt=excerpt(row["html"]),
            url=url or f"/c/{row['community_slug']}", community_slug=row["community_slug"],
            community_name=row["community_name"], community_visibility=row["community_visibility"],
            author_username=row["author_username"] or "", author_name=name,
            author_initials=initials(name, row["author_username"] or "") if name else "?",
            created_at=parse_time(row["created_at"]), activity_at=parse_time(row["activity_at"]),
            reply_count=int(row["reply_count"] or 0), status="published", author_avatar=row["author_avatar"],
            event_at=parse_time(event_at) if isinstance(event_at, str) else None,
            lang=row.get("lang") or "",
        ))
        shown.append(content)
    if shown:
        notes: dict[int, str] = {}
        for answer in await resolve_all(hook.feed_item_notes(contents=shown, viewer=viewer)):
            notes.update(answer or {})
        for item in items:
            item.note = str(notes.get(item.id, ""))
    return items


def feed_filters(viewer: Member | None, scope: str | None, order: str | None) -> tuple[Scope, Order]:
    """Validated ``?scope=`` and ``?order=`` (422 for unknown values)."""
    scope = scope or "all"
    order = order or "activity"
    if scope not in ("mine", "all"):
        raise ValidationFailed(_("scope must be 'mine' or 'all'."), fields={"scope": "mine|all"})
    if order not in ("activity", "recent"):
        raise ValidationFailed(_("order must be 'activity' or 'recent'."), fields={"order": "activity|recent"})
    if viewer is None:
        scope = "all"
    return scope, order  # type: ignore[return-value]


async def home_feed(viewer: Member | None, scope: Scope, order: Order, cursor: str | None,
                    limit: int = 20) -> tuple[list[FeedItem], str | None]:
    """The home feed: content of the viewer's communities (and public content with ``all``);
    archived communities leave it (their pages stay readable)."""
    where, params = visibility_sql(viewer, scope)
    where = f"{where} AND cm.status <> 'archived'"
    return await query_items(viewer, where=where, params=params, order=order, cursor=cursor, limit=limit)
