"""iCalendar (RFC 5545) for calendar apps: one meet-up or a community's feed, with the
VTIMEZONE of every zone used, so that 18:00 in Montréal stays 18:00 in Montréal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from tisserand import __version__


def _text(html_or_text: str) -> str:
    return html_or_text.replace("\r\n", "\n").strip()


def build_calendar(meetups: list[dict[str, Any]], *, name: str, base_url: str,
                   online_for: set[int] | None = None) -> bytes:
    """A VCALENDAR of ``meetups`` (dicts with the Meetup columns, ``title``, ``body``, ``url``
    and ``online_url``). The online link is included only for the ids in ``online_for``."""
    from icalendar import Calendar, Event  # ~7 MiB: loaded by the first calendar asked

    calendar = Calendar()
    calendar.add("prodid", f"-//Tisserand {__version__}//meetups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    host = urlsplit(base_url).hostname or "localhost"
    stamp = datetime.now(UTC).replace(microsecond=0)
    online_for = online_for or set()
    first: date | None = None
    last: date | None = None
    for item in meetups:
        tz = ZoneInfo(item["timezone"])
        event = Event()
        event.add("uid", f"meetup-{item['id']}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["starts_at"].astimezone(tz).replace(microsecond=0))
        event.add("dtend", item["ends_at"].astimezone(tz).replace(microsecond=0))
        event.add("summary", item["title"])
        event.add("sequence", int(item.get("sequence") or 0))
        event.add("status", "CANCELLED" if item["cancelled"] else "CONFIRMED")
        url = base_url + item["url"]
        event.add("url", url)
        description = _text(item.get("body") or "")
        online = item.get("online_url") or ""
        if online and item["id"] in online_for:
            description = f"{description}\n\n{online}".strip()
            event.add("x-online-url", online)
        event.add("description", f"{description}\n\n{url}".strip())
        where = ", ".join(p for p in (item.get("venue"), item.get("address"), item.get("city")) if p)
        if where:
            event.add("location", where)
        elif online:
            event.add("location", "Online")
        if item.get("latitude") is not None and item.get("longitude") is not None:
            event.add("geo", (float(item["latitude"]), float(item["longitude"])))
        calendar.add_component(event)
        day = item["starts_at"].date()
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is not None and last is not None:
        calendar.add_missing_timezones(first_date=first - timedelta(days=366),
                                       last_date=last + timedelta(days=366))
    return calendar.to_ical()
