"""What pages, feeds and the API show of a meet-up: times in its zone and the viewer's,
the place in one line, seats left, and the JSON shapes of the API."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from tisserand.i18n import _, format_number, get_locale, ngettext

from . import times
from .models import Meetup


def place_line(item: dict[str, Any]) -> str:
    """"Café Olimpico, 124 rue Saint-Viateur, Montréal, Québec, Canada"."""
    return ", ".join(p for p in (item.get("venue"), item.get("address"), item.get("city")) if p)


def row_dict(meetup: Meetup, title: str = "") -> dict[str, Any]:
    """A Meetup row as the dict the presenters take (as raw queries return)."""
    return {"id": meetup.id, "community_id": meetup.community_id,
            "starts_at": meetup.starts_at, "ends_at": meetup.ends_at, "timezone": meetup.timezone,
            "venue": meetup.venue, "address": meetup.address, "city": meetup.city,
            "latitude": meetup.latitude, "longitude": meetup.longitude,
            "online": bool(meetup.online_url), "capacity": meetup.capacity,
            "going_count": meetup.going_count, "waitlist_count": meetup.waitlist_count,
            "maybe_count": meetup.maybe_count, "cancelled": meetup.cancelled,
            "series_id": meetup.series_id, "repeat_every": meetup.repeat_every, "title": title}


def series_label(item: dict[str, Any]) -> str:
    """"Every week (5 dates)" for the next date of a series listed once, else ""."""
    if not item.get("series_id") or "series_left" not in item:
        return ""
    left = int(item.get("series_left") or 0)
    every = item.get("repeat_every") or ""
    if every == "week":
        return ngettext("Every week ({count} date)", "Every week ({count} dates)", left)
    if every == "month":
        return ngettext("Every month ({count} date)", "Every month ({count} dates)", left)
    return ngettext("A series ({count} date)", "A series ({count} dates)", left)


def series_note(note: dict[str, Any]) -> str:
    """The line under a series in the home feed: "Every week (4 dates) · next: …", or
    "No coming date" when every date is over or cancelled."""
    label = series_label({"series_id": 1, "series_left": note["left"], "repeat_every": note["repeat_every"]})
    if note["next"] is None:
        return _("A series with no coming date")
    return _("{series} · next: {when}", series=label, when=times.format_start(note["next"], note["timezone"]))


def seats_line(item: dict[str, Any]) -> str:
    """"3 going · 2 seats left" / "full, 4 waiting"."""
    return _seats(item["going_count"], item.get("capacity"), item.get("waitlist_count") or 0, get_locale())


@lru_cache(maxsize=2048)
def _seats(going_count: int, capacity: int | None, waiting: int, _language: str) -> str:
    going = ngettext("{count} going", "{count} going", going_count)
    if capacity is None:
        return going
    left = max(0, capacity - going_count)
    if left:
        return going + " · " + ngettext("{count} seat left", "{count} seats left", left)
    if waiting:
        return going + " · " + ngettext("full, {count} waiting", "full, {count} waiting", waiting)
    return going + " · " + _("full")


def present(item: dict[str, Any], slug: str, viewer_zone: str | None) -> dict[str, Any]:
    """A meet-up for a template: link, times (its zone, and the viewer's when different),
    place and seats."""
    zone = item["timezone"]
    shown = dict(item)
    shown["url"] = f"/c/{slug}/meetups/{item['id']}"
    shown["when"] = times.format_range(item["starts_at"], item["ends_at"], zone)
    shown["zone_label"] = times.zone_label(zone, item["starts_at"])
    shown["when_viewer"] = ""
    if viewer_zone and viewer_zone != zone:
        shown["when_viewer"] = times.format_range(item["starts_at"], item["ends_at"], viewer_zone)
        shown["viewer_zone_label"] = times.zone_label(viewer_zone, item["starts_at"])
    shown["place"] = place_line(item)
    shown["seats"] = seats_line(item)
    shown["in_person"] = bool(shown["place"] or item.get("latitude") is not None)
    shown["series_label"] = series_label(item)
    return shown


def distance_label(km: float) -> str:
    """A distance for people: one decimal under 10 km ("4,3"), whole kilometres above."""
    return format_number(round(km, 1) if km < 10 else round(km))


def iso_in_zone(value: datetime, zone: str) -> str:
    """ISO 8601 with the offset of the meet-up's zone (``2031-03-28T18:00:00+01:00``)."""
    return times.to_zone(value, zone).isoformat()


def meetup_json(item: dict[str, Any], *, slug: str, base_url: str, viewer_state: str | None = None,
                online_url: str | None = None, content: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API's meet-up: the content fields plus times, place, seats and the viewer's state.
    ``online_url`` is given only to those who may see it (attendees, organisers)."""
    zone = item["timezone"]
    data: dict[str, Any] = {
        "id": item["id"],
        "kind": "meetups.meetup",
        "community": slug,
        "title": item.get("title", ""),
        "url": f"{base_url}/c/{slug}/meetups/{item['id']}",
        "starts_at": iso_in_zone(item["starts_at"], zone),
        "ends_at": iso_in_zone(item["ends_at"], zone),
        "timezone": zone,
        "venue": item.get("venue") or "",
        "address": item.get("address") or "",
        "city": item.get("city") or "",
        "latitude": item.get("latitude"),
        "longitude": item.get("longitude"),
        "online": bool(item.get("online")),
        "capacity": item.get("capacity"),
        "going_count": item.get("going_count", 0),
        "waitlist_count": item.get("waitlist_count", 0),
        "maybe_count": item.get("maybe_count", 0),
        "cancelled": bool(item.get("cancelled")),
        "series_id": item.get("series_id"),
        "repeat_every": item.get("repeat_every") or None,
        "viewer_state": viewer_state,
    }
    if item.get("series_id") and "series_left" in item:
        data["series_dates_left"] = int(item.get("series_left") or 0)
    if online_url is not None:
        data["online_url"] = online_url
    if "distance_km" in item:
        data["distance_km"] = item["distance_km"]
    if content:
        data.update(content)
    return data
