"""Reads for lists, "near me" and the maps: raw SQL through the core helper, a constant number
of queries whatever the number of meet-ups, and only what the viewer may see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tisserand.db import as_datetime, as_json, fetch_all
from tisserand.models import Community, Member
from tisserand.visibility import readable_community_ids_sql

from .geo import Box, bounding_box, haversine_km
from .times import MAX_DURATION, utcnow

PLUGIN = "meetups"
MEETUP_COLUMNS = (
    "m.id, m.community_id, m.starts_at, m.ends_at, m.timezone, m.venue, m.address, m.city, "
    "m.latitude, m.longitude, m.online_url, m.capacity, m.going_count, m.waitlist_count, "
    "m.maybe_count, m.cancelled, m.series_id, m.repeat_every, c.title, c.status, c.author_id"
)


def series_once_sql(now: datetime) -> tuple[str, list[Any], str, list[Any]]:
    """SQL to list a series once: a condition keeping, of each series, only its next date
    (the next one not cancelled when there is one), and a column ``series_left`` counting its
    coming dates not cancelled. On aliases ``m`` (meet-up); a constant number of queries."""
    condition = (
        "(m.series_id IS NULL OR NOT EXISTS (SELECT 1 FROM meetups_meetup s JOIN content sc ON sc.id = s.id "
        "WHERE s.series_id = m.series_id AND s.id <> m.id AND s.ends_at > ? AND sc.status = 'published' "
        "AND (s.cancelled < m.cancelled OR (s.cancelled = m.cancelled AND (s.starts_at < m.starts_at "
        "OR (s.starts_at = m.starts_at AND s.id < m.id))))))")
    column = ("CASE WHEN m.series_id IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM meetups_meetup s2 "
              "JOIN content sc2 ON sc2.id = s2.id WHERE s2.series_id = m.series_id AND s2.ends_at > ? "
              "AND s2.cancelled = ? AND sc2.status = 'published') END AS series_left")
    return condition, [now], column, [now, False]


def _plugin_on(raw: Any) -> bool:
    """Is the plugin switched on, given a community's ``plugins`` column (JSON or None)?"""
    from tisserand.plugin_manager import plugins_switched_on
    from tisserand.site import current_site

    chosen = as_json(raw)
    return PLUGIN in plugins_switched_on(current_site().plugins.enabled, chosen)


def _meetup(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["starts_at"] = as_datetime(row["starts_at"])
    row["ends_at"] = as_datetime(row["ends_at"])
    row["cancelled"] = bool(row["cancelled"])
    row["online"] = bool(row.pop("online_url", ""))
    for key in ("latitude", "longitude"):
        if row.get(key) is not None:
            row[key] = float(row[key])
    return row


async def community_meetups(community: Community, viewer: Member | None, *, past: bool = False,
                            limit: int = 50, after: tuple[datetime, int] | None = None,
                            now: datetime | None = None, series_once: bool = False) -> list[dict[str, Any]]:
    """Upcoming (or past) meet-ups of one community, cancelled ones included and marked;
    pending ones only for their author. Keyset pagination on (start, id). With
    ``series_once`` (upcoming only), a series is one row: its next date, with ``series_left``."""
    now = now or utcnow()
    extra_column, column_params = "", list[Any]()
    if series_once and not past:
        condition, condition_params, column, column_params = series_once_sql(now)
        extra_column = ", " + column
    params: list[Any] = [*column_params, community.id, now, viewer.id if viewer else -1]
    bound = ""
    if not past:  # ends after now, so starts less than the longest duration ago: an index range
        bound = "AND m.starts_at > ? "
        params.append(now - MAX_DURATION)
        if series_once:
            bound += f"AND {condition} "
            params += condition_params
    keyset = ""
    if after is not None:
        keyset = ("AND (m.starts_at < ? OR (m.starts_at = ? AND m.id < ?))" if past
                  else "AND (m.starts_at > ? OR (m.starts_at = ? AND m.id > ?))")
        params += [after[0], after[0], after[1]]
    order = "m.starts_at DESC, m.id DESC" if past else "m.starts_at, m.id"
    rows = await fetch_all(
        f"SELECT {MEETUP_COLUMNS}{extra_column} FROM meetups_meetup m JOIN content c ON c.id = m.id "
        f"WHERE m.community_id = ? AND m.ends_at {'<=' if past else '>'} ? "
        "AND (c.status = 'published' OR (c.status = 'pending' AND c.author_id = ?)) "
        f"{bound}{keyset} ORDER BY {order} LIMIT {int(limit)}", params)
    return [_meetup(r) for r in rows]


async def near(viewer: Member | None, latitude: float, longitude: float, km: float, *,
               limit: int = 50, after: tuple[float, int] | None = None,
               now: datetime | None = None) -> list[dict[str, Any]]:
    """Upcoming meet-ups within ``km`` of a point in every community the viewer may read,
    nearest first, each with ``distance_km``.

    The candidates come from a bounding box on the covering index (latitude, longitude,
    ends_at, cancelled, community_id): ids and coordinates only, so that a dense city costs
    little. They are ranked here by haversine distance; then the full rows of the best ones are
    read with their content's status (hidden or pending ones are skipped, and the next
    candidates read until the page is full): two queries in the usual case.
    """
    now = now or utcnow()
    box = bounding_box(latitude, longitude, km)
    box_sql, params = box.sql("m.latitude", "m.longitude")
    visible, visible_params = readable_community_ids_sql(viewer)
    once, once_params, column, column_params = series_once_sql(now)
    candidates = await fetch_all(
        "SELECT m.id, m.latitude, m.longitude, cm.plugins FROM meetups_meetup m "
        "JOIN community cm ON cm.id = m.community_id "
        f"WHERE {box_sql} AND m.ends_at > ? AND m.cancelled = ? AND cm.status = 'active' AND {visible} "
        f"AND {once}",
        [*params, now, False, *visible_params, *once_params])
    ranked = []
    for row in candidates:
        distance = round(haversine_km(latitude, longitude, row["latitude"], row["longitude"]), 2)
        if distance <= km and (after is None or (distance, row["id"]) > tuple(after)) \
                and _plugin_on(row["plugins"]):
            ranked.append((distance, row["id"]))
    ranked.sort()
    found: list[dict[str, Any]] = []
    start, chunk = 0, limit + 10
    while len(found) < limit and start < len(ranked):
        distances = dict((ident, distance) for distance, ident in ranked[start:start + chunk])
        start += chunk
        rows = await fetch_all(
            f"SELECT {MEETUP_COLUMNS}, {column}, cm.slug, cm.name AS community_name "
            "FROM meetups_meetup m JOIN content c ON c.id = m.id JOIN community cm ON cm.id = m.community_id "
            f"WHERE m.id IN ({', '.join('?' for _ in distances)}) AND c.status = 'published'",
            [*column_params, *distances])
        page = []
        for row in rows:
            item = _meetup(row)
            item["distance_km"] = distances[item["id"]]
            page.append(item)
        page.sort(key=lambda r: (r["distance_km"], r["id"]))
        found += page
        chunk = max(chunk * 2, 100)
    return found[:limit]


async def map_meetups(viewer: Member | None, *, community: Community | None = None,
                      box: Box | None = None, limit: int = 1000,
                      now: datetime | None = None) -> list[dict[str, Any]]:
    """Upcoming, located, not cancelled meet-ups for a map, soonest first."""
    now = now or utcnow()
    where = ["cm.id = m.community_id", "m.latitude IS NOT NULL", "m.starts_at > ?", "m.ends_at > ?",
             "m.cancelled = ?", "c.status = 'published'"]
    once, once_params, column, column_params = series_once_sql(now)
    where.append(once)
    params: list[Any] = [*column_params, now - MAX_DURATION, now, False, *once_params]
    if community is not None:
        where.append("m.community_id = ?")
        params.append(community.id)
    else:
        visible, visible_params = readable_community_ids_sql(viewer)
        where += ["cm.status = 'active'", visible]
        params += visible_params
    if box is not None:
        condition, box_params = box.sql("m.latitude", "m.longitude")
        where.append(condition)
        params += box_params
    # CROSS JOIN keeps SQLite walking the start-time index in order (it stops after ``limit``
    # rows) rather than sorting a whole community's meet-ups; PostgreSQL plans it as a join.
    rows = await fetch_all(
        f"SELECT {MEETUP_COLUMNS}, {column}, cm.slug, cm.name AS community_name, cm.plugins "
        "FROM meetups_meetup m CROSS JOIN community cm JOIN content c ON c.id = m.id "
        f"WHERE {' AND '.join(where)} ORDER BY m.starts_at, m.id LIMIT {int(limit)}", params)
    return [_meetup(r) for r in rows if _plugin_on(r.pop("plugins"))]


async def map_achievements(viewer: Member | None, *, community: Community | None = None,
                           box: Box | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """Published achievements with their place, newest first."""
    where = ["c.status = 'published'"]
    params: list[Any] = []
    if community is not None:
        where.append("p.community_id = ?")
        params.append(community.id)
    else:
        visible, visible_params = readable_community_ids_sql(viewer)
        where.append(visible)
        params += visible_params
    if box is not None:
        condition, box_params = box.sql("p.latitude", "p.longitude")
        where.append(condition)
        params += box_params
    rows = await fetch_all(
        "SELECT p.id, p.latitude, p.longitude, p.city, p.achieved_on, p.link, c.title, c.html, "
        "cm.slug, cm.name AS community_name, cm.plugins "
        "FROM meetups_place p JOIN content c ON c.id = p.id JOIN community cm ON cm.id = p.community_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.id DESC LIMIT {int(limit)}", params)
    out = []
    for row in rows:
        if not _plugin_on(row.pop("plugins")):
            continue
        row["latitude"], row["longitude"] = float(row["latitude"]), float(row["longitude"])
        out.append(row)
    return out


async def upcoming_for_digest(community: Community, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Published, not cancelled meet-ups of ``community`` starting between two moments, with
    ``created_at`` (when each was announced). A series is listed once, its next date, with
    ``series_left`` (its coming dates), as the meet-up lists do."""
    condition, condition_params, column, column_params = series_once_sql(start)
    rows = await fetch_all(
        f"SELECT {MEETUP_COLUMNS}, c.created_at, {column} FROM meetups_meetup m JOIN content c ON c.id = m.id "
        "WHERE m.community_id = ? AND m.starts_at >= ? AND m.starts_at < ? AND m.cancelled = ? "
        f"AND c.status = 'published' AND {condition} ORDER BY m.starts_at, m.id LIMIT 200",
        [*column_params, community.id, start, end, False, *condition_params])
    found = [_meetup(r) for r in rows]
    for row in found:
        row["created_at"] = as_datetime(row["created_at"])
    return found


async def series_notes(ids: list[int], now: datetime | None = None) -> dict[int, dict[str, Any]]:
    """For the meet-ups ``ids`` that belong to a series: the series' next date not cancelled
    (``next``, ``timezone``), ``left`` (coming dates not cancelled) and ``repeat_every``. Two
    queries whatever the number of ids."""
    if not ids:
        return {}
    now = now or utcnow()
    marks = ", ".join("?" for _ in ids)
    heads = await fetch_all(
        f"SELECT m.id, m.series_id, m.repeat_every FROM meetups_meetup m WHERE m.id IN ({marks}) "
        "AND m.series_id IS NOT NULL", list(ids))
    if not heads:
        return {}
    series = sorted({row["series_id"] for row in heads})
    stats = await fetch_all(
        "SELECT s.series_id, s.starts_at, s.timezone FROM meetups_meetup s JOIN content sc ON sc.id = s.id "
        f"WHERE s.series_id IN ({', '.join('?' for _ in series)}) AND s.ends_at > ? AND s.cancelled = ? "
        "AND sc.status = 'published' ORDER BY s.starts_at, s.id", [*series, now, False])
    coming: dict[int, list[dict[str, Any]]] = {}
    for row in stats:
        coming.setdefault(row["series_id"], []).append(row)
    out: dict[int, dict[str, Any]] = {}
    for head in heads:
        dates = coming.get(head["series_id"], [])
        out[head["id"]] = {"left": len(dates), "repeat_every": head["repeat_every"] or "",
                           "next": as_datetime(dates[0]["starts_at"]) if dates else None,
                           "timezone": dates[0]["timezone"] if dates else ""}
    return out
