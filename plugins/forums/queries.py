"""Reads for the hot pages: raw SQL through ``tisserand.db.fetch_all``, a fixed number of queries
per page whatever the number of topics or posts, keyset pagination (never OFFSET)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from tisserand.db import dialect, fetch_all, fetch_one
from tisserand.plugins.forums.text import as_datetime
from tisserand.web.params import is_id

if TYPE_CHECKING:
    from tisserand.web.community import CommunityView


def _viewer_id(view: CommunityView) -> int:
    return int(view.viewer.id) if view.viewer is not None else 0


def visible_sql(view: CommunityView, alias: str = "c", *, stubs: bool = False) -> tuple[str, list[Any]]:
    """SQL condition for the items the viewer may see in lists: published ones, their own
    pending or hidden ones; staff see everything but deleted items (and those too with
    ``stubs``, where other readers get deleted items as a stub without text)."""
    if view.is_staff:
        return ("1=1" if stubs else f"{alias}.status <> 'deleted'"), []
    shown = "'published', 'deleted'" if stubs else "'published'"
    return (f"({alias}.status IN ({shown}) OR ({alias}.author_id = ? AND {alias}.status IN "
            "('pending', 'hidden')))"), [_viewer_id(view)]


def time_param(value: Any) -> Any:
    """A cursor's time back into what the database compares (a string on SQLite)."""
    if dialect() == "postgres":
        return as_datetime(value)
    return value


TOPIC_COLUMNS = (
    "t.content_id AS id, c.title, c.status, c.status_reason, c.created_at, c.author_id, "
    "a.username AS author_username, a.display_name AS author_name, a.avatar_upload AS author_avatar, "
    "t.slug, t.pinned, t.locked, "
    "t.announcement, t.solved_post_id, t.reply_count, t.participant_count, t.highest_number, "
    "t.post_seq, t.bumped_at, t.category_id, cat.slug AS category_slug, cat.name AS category_name, "
    "lp.username AS last_username, lp.display_name AS last_name, s.last_read_number, s.watching, t.version, c.lang"
)
TOPIC_JOINS = (
    "FROM forum_topic t JOIN content c ON c.id = t.content_id "
    "LEFT JOIN member a ON a.id = c.author_id "
    "LEFT JOIN member lp ON lp.id = t.last_poster_id "
    "LEFT JOIN forum_category cat ON cat.id = t.category_id "
    "LEFT JOIN forum_topic_state s ON s.topic_id = t.content_id AND s.member_id = ? "
)


async def topic_list(view: CommunityView, *, category_id: int | None = None,
                     cursor: list[Any] | None = None, limit: int = 30,
                     pinned_first: bool = True) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """A page of topics, pinned first then by latest activity, and the cursor of the next page."""
    visible, params = visible_sql(view)
    where = ["t.community_id = ?", visible]
    args: list[Any] = [_viewer_id(view), view.community.id, *params]
    if category_id is not None:
        where.append("t.category_id = ?")
        args.append(category_id)
    keys = ["t.pinned", "t.bumped_at", "t.content_id"] if pinned_first else ["t.bumped_at", "t.content_id"]
    if cursor:
        values = list(cursor)  # a cursor made elsewhere raises ValueError: callers answer 400
        if len(values) != len(keys) or not is_id(values[-1]) or not isinstance(values[-2], str):
            raise ValueError("not a topic cursor")
        if as_datetime(values[-2]) is None:
            raise ValueError("not a topic cursor")
        if pinned_first:
            values[0] = bool(values[0])
        values[-2] = time_param(values[-2])
        where.append(f"({', '.join(keys)}) < ({', '.join('?' * len(keys))})")
        args.extend(values)
    order = ", ".join(f"{k} DESC" for k in keys)
    rows = await fetch_all(
        f"SELECT {TOPIC_COLUMNS} {TOPIC_JOINS} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?",
        [*args, limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = ([bool(last["pinned"])] if pinned_first else []) + [last["bumped_at"], last["id"]]
    return rows, next_cursor


async def participants(topic_ids: list[int], per_topic: int = 5) -> dict[int, list[dict[str, Any]]]:
    """The most active writers of each topic (one query for the whole list)."""
    if not topic_ids:
        return {}
    marks = ", ".join("?" * len(topic_ids))
    rows = await fetch_all(
        "SELECT topic_id, username, display_name, avatar_upload FROM (SELECT p.topic_id, m.username, "
        "m.display_name, m.avatar_upload, "
        "ROW_NUMBER() OVER (PARTITION BY p.topic_id ORDER BY p.post_count DESC, p.last_posted_at DESC) AS rank "
        f"FROM forum_participant p JOIN member m ON m.id = p.member_id WHERE p.topic_id IN ({marks})) ranked "
        "WHERE rank <= ? ORDER BY topic_id, rank", [*topic_ids, per_topic])
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        found[int(row["topic_id"])].append(row)
    return found


async def categories(view: CommunityView) -> list[dict[str, Any]]:
    """The community's categories in order, with how many topics the viewer can see."""
    visible, params = visible_sql(view)
    return await fetch_all(
        "SELECT cat.id, cat.slug, cat.name, cat.description, cat.position, "
        "(SELECT count(*) FROM forum_topic t JOIN content c ON c.id = t.content_id "
        f"WHERE t.category_id = cat.id AND {visible}) AS topic_count "
        "FROM forum_category cat WHERE cat.community_id = ? ORDER BY cat.position, cat.id",
        [*params, view.community.id])


def _avatars_sql() -> str:
    """The pictures of a topic's writers as one string (part of the anonymous cache's key: a
    new avatar shows at once), in the header's query: no query more per page."""
    if dialect() == "postgres":
        aggregate = "string_agg(m.avatar_upload, ',' ORDER BY m.id)"
    else:
        aggregate = "group_concat(m.avatar_upload, ',')"
    return (f"SELECT {aggregate} FROM forum_participant fp JOIN member m ON m.id = fp.member_id "
            "WHERE fp.topic_id = t.content_id AND m.avatar_upload IS NOT NULL")


async def topic_header(view: CommunityView, topic_id: int) -> dict[str, Any] | None:
    """The topic with its opening post, author, category and solution, or None."""
    return await fetch_one(
        f"SELECT {TOPIC_COLUMNS}, c.html, c.edited_at, sp.number AS solved_number, "
        "sa.username AS solved_username, sa.display_name AS solved_name, "
        f"({_avatars_sql()}) AS participant_avatars "
        f"{TOPIC_JOINS}"
        "LEFT JOIN forum_post sp ON sp.content_id = t.solved_post_id "
        "LEFT JOIN content sc ON sc.id = t.solved_post_id "
        "LEFT JOIN member sa ON sa.id = sc.author_id "
        "WHERE t.content_id = ? AND t.community_id = ?",
        [_viewer_id(view), topic_id, view.community.id])


POST_COLUMNS = (
    "SELECT c.id, c.html, c.status, c.status_reason, c.created_at, c.edited_at, c.author_id, c.lang, "
    "a.username AS author_username, a.display_name AS author_name, a.avatar_upload AS author_avatar, "
    "p.number, p.reply_to_id, "
    "rp.number AS reply_to_number, ra.username AS reply_to_username "
    "FROM forum_post p JOIN content c ON c.id = p.content_id "
    "LEFT JOIN member a ON a.id = c.author_id "
    "LEFT JOIN forum_post rp ON rp.content_id = p.reply_to_id "
    "LEFT JOIN content rc ON rc.id = p.reply_to_id "
    "LEFT JOIN member ra ON ra.id = rc.author_id "
)


async def posts_page(view: CommunityView, topic_id: int, *, after: int | None = None,
                     before: int | None = None, limit: int = 50) -> tuple[list[dict[str, Any]], bool]:
    """Replies numbered after ``after`` (or before ``before``), in time order, and whether more
    exist in the direction read. Keyset on ``(topic_id, number)``: as fast on page 100 as on 1."""
    visible, params = visible_sql(view, stubs=True)
    if before is not None:
        rows = await fetch_all(
            f"{POST_COLUMNS} WHERE p.topic_id = ? AND p.number < ? AND {visible} "
            "ORDER BY p.number DESC LIMIT ?", [topic_id, before, *params, limit + 1])
        more = len(rows) > limit
        return list(reversed(rows[:limit])), more
    rows = await fetch_all(
        f"{POST_COLUMNS} WHERE p.topic_id = ? AND p.number > ? AND {visible} "
        "ORDER BY p.number LIMIT ?", [topic_id, after or 1, *params, limit + 1])
    return rows[:limit], len(rows) > limit


async def posts_rows(topic_id: int, *, after: int | None = None, before: int | None = None,
                     limit: int = 50) -> list[dict[str, Any]]:
    """The ``limit + 1`` replies :func:`posts_page` reads, whatever their status (for rows shared
    by every reader of a version of the page; :func:`page_of` makes the page of them)."""
    if before is not None:
        return await fetch_all(f"{POST_COLUMNS} WHERE p.topic_id = ? AND p.number < ? ORDER BY p.number DESC LIMIT ?",
                               [topic_id, before, limit + 1])
    return await fetch_all(f"{POST_COLUMNS} WHERE p.topic_id = ? AND p.number > ? ORDER BY p.number LIMIT ?",
                           [topic_id, after or 1, limit + 1])


def page_of(rows: list[dict[str, Any]], *, before: int | None, limit: int) -> tuple[list[dict[str, Any]], bool]:
    """The page of :func:`posts_rows` (time order) and whether more exist, as :func:`posts_page`."""
    if before is not None:
        return list(reversed(rows[:limit])), len(rows) > limit
    return rows[:limit], len(rows) > limit


async def reactions(view: CommunityView, content_ids: list[int]) -> dict[int, dict[str, tuple[int, bool]]]:
    """``{content id: {kind: (count, viewer reacted)}}`` for the items of a page (one query)."""
    if not content_ids:
        return {}
    marks = ", ".join("?" * len(content_ids))
    rows = await fetch_all(
        "SELECT content_id, kind, count(*) AS n, max(CASE WHEN member_id = ? THEN 1 ELSE 0 END) AS mine "
        f"FROM forum_reaction WHERE content_id IN ({marks}) GROUP BY content_id, kind",
        [_viewer_id(view), *content_ids])
    found: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for row in rows:
        found[int(row["content_id"])][row["kind"]] = (int(row["n"]), bool(row["mine"]))
    return found


async def reactors(content_ids: list[int]) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """``{content id: {kind: [(username, name), …]}}``: who gave each reaction, first ones first
    (one query). Call only for content the viewer may see."""
    if not content_ids:
        return {}
    marks = ", ".join("?" * len(content_ids))
    rows = await fetch_all(
        "SELECT r.content_id, r.kind, m.username, m.display_name FROM forum_reaction r "
        f"JOIN member m ON m.id = r.member_id WHERE r.content_id IN ({marks}) ORDER BY r.created_at, r.id",
        list(content_ids))
    found: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    for row in rows:
        found[int(row["content_id"])].setdefault(row["kind"], []).append(
            (row["username"], row["display_name"] or row["username"]))
    return found


async def reaction_rows(content_ids: list[int]) -> list[dict[str, Any]]:
    """Every reaction of the items (who, which), first ones first: one query, for :func:`tally`."""
    if not content_ids:
        return []
    marks = ", ".join("?" * len(content_ids))
    return await fetch_all(
        "SELECT r.content_id, r.kind, r.member_id, m.username, m.display_name FROM forum_reaction r "
        f"JOIN member m ON m.id = r.member_id WHERE r.content_id IN ({marks}) ORDER BY r.created_at, r.id",
        list(content_ids))


def tally(rows: list[dict[str, Any]], viewer_id: int | None) -> tuple[
        dict[int, dict[str, tuple[int, bool]]], dict[int, dict[str, list[tuple[str, str]]]]]:
    """What :func:`reactions` and :func:`reactors` answer, from :func:`reaction_rows`."""
    who: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
    mine: set[tuple[int, str]] = set()
    for row in rows:
        content_id, kind = int(row["content_id"]), row["kind"]
        who[content_id].setdefault(kind, []).append((row["username"], row["display_name"] or row["username"]))
        if viewer_id is not None and row["member_id"] == viewer_id:
            mine.add((content_id, kind))
    counts = {content_id: {kind: (len(people), (content_id, kind) in mine) for kind, people in kinds.items()}
              for content_id, kinds in who.items()}
    return counts, who


async def reactions_with_reactors(view: CommunityView, content_ids: list[int]) -> tuple[
        dict[int, dict[str, tuple[int, bool]]], dict[int, dict[str, list[tuple[str, str]]]]]:
    """:func:`reactions` and :func:`reactors` of a page's items in one query (the topic page)."""
    return tally(await reaction_rows(content_ids), _viewer_id(view) or None)


async def watching_forum(view: CommunityView) -> set[int | None]:
    """The categories (None: the whole forum) whose new topics the viewer follows."""
    if view.viewer is None:
        return set()
    rows = await fetch_all("SELECT category_id FROM forum_watch WHERE community_id = ? AND member_id = ?",
                           [view.community.id, view.viewer.id])
    return {row["category_id"] for row in rows}
