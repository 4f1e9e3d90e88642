"""Writing meet-ups and achievements: validation with clear messages, then the content
pipeline with the plugin's row saved in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from tisserand.content import create_content, update_content
from tisserand.errors import Conflict, ReadOnly, ValidationFailed
from tisserand.i18n import _, lazy_gettext
from tisserand.localtime import fold_choice
from tisserand.models import Community, Content, Member
from tisserand.notify import notify
from tisserand.web.params import check_day

from . import times
from .models import Meetup, Place, Rsvp, RsvpState
from .places import AmbiguousPlace, resolve_place
from .rsvp import locale_of, meetup_url, rebalance

MEETUP = "meetups.meetup"
ACHIEVEMENT = "meetups.achievement"
MAX_REPEAT = {"week": 52, "month": 24}


@dataclass
class MeetupData:
    """A meet-up's validated fields (times in UTC)."""

    title: str
    body: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str = ""
    address: str = ""
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    capacity: int | None = None
    repeat_every: str = ""
    repeat_count: int = 1

    def row_fields(self) -> dict[str, Any]:
        """The columns of the Meetup row. Times are stored in UTC: SQLite compares them as text."""
        return {"starts_at": self.starts_at.astimezone(UTC), "ends_at": self.ends_at.astimezone(UTC),
                "timezone": self.timezone,
                "venue": self.venue, "address": self.address, "city": self.city,
                "latitude": self.latitude, "longitude": self.longitude,
                "online_url": self.online_url, "capacity": self.capacity}


def _text(raw: Mapping[str, Any], name: str, limit: int) -> str:
    value = raw.get(name)
    return "" if value is None else str(value).strip()[:limit]


def _capacity(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) or isinstance(raw, bool) else raw
    except ValueError:
        raise ValidationFailed(_("The number of seats must be a whole number."),
                               fields={"capacity": _("A whole number, or empty for no limit.")}) from None
    if not 1 <= value <= 100_000:
        raise ValidationFailed(_("The number of seats must be between 1 and 100,000 (or empty for no limit)."),
                               fields={"capacity": _("Between 1 and 100,000.")})
    return value


def _url(raw: str) -> str:
    if raw and not raw.lower().startswith(("https://", "http://")):
        raise ValidationFailed(_("The online link must start with https:// or http://."),
                               fields={"online_url": _("A web address (https://...).")})
    if any(c.isspace() for c in raw):
        raise ValidationFailed(_("The online link cannot contain spaces."),
                               fields={"online_url": _("A web address (https://...).")})
    return raw


def _repeat(raw: Mapping[str, Any]) -> tuple[str, int]:
    every = _text(raw, "repeat_every", 10).lower()
    if every in ("", "none", "never"):
        return "", 1
    if every not in MAX_REPEAT:
        raise ValidationFailed(_("Repeat every week or every month."), fields={"repeat_every": _("week or month")})
    try:
        count = int(str(raw.get("repeat_count") or "1").strip())
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_REPEAT[every]:
        raise ValidationFailed(_("The number of occurrences must be between 1 and {n}.", n=MAX_REPEAT[every]),
                               fields={"repeat_count": _("Between 1 and {n}.", n=MAX_REPEAT[every])})
    return every, count


async def clean_meetup(raw: Mapping[str, Any], *, pick_largest: bool, default_timezone: str,
                       now: datetime | None = None, allow_past: bool = False) -> MeetupData:
    """Validate a meet-up from a form or JSON: every wrong field is reported at once
    (:class:`ValidationFailed` with ``fields``), or :class:`AmbiguousPlace` to pick a city."""
    errors: dict[str, str] = {}
    first: list[str] = []

    def collect(exc: ValidationFailed) -> None:
        errors.update(exc.fields)
        first.append(exc.message)

    title = _text(raw, "title", 1000)
    if not title:
        collect(ValidationFailed(_("Give the meet-up a title."), fields={"title": _("Required.")}))
    elif len(title) > 300:
        collect(ValidationFailed(_("The title is too long (300 characters at most)."),
                                 fields={"title": _("300 characters at most.")}))
    tz_name = _text(raw, "timezone", 64) or default_timezone
    starts_at = ends_at = None
    try:
        tz = times.zone(tz_name)
    except ValidationFailed as exc:
        collect(exc)
        tz = None
    if tz is not None:
        for name in ("starts_at", "ends_at"):
            try:
                value = times.parse_datetime(raw.get(name), tz, name, fold_choice(raw.get(f"{name}_fold")))
            except ValidationFailed as exc:
                collect(exc)
                continue
            if name == "starts_at":
                starts_at = value
            else:
                ends_at = value
    if starts_at is not None and ends_at is not None:
        try:
            times.check_times(starts_at, ends_at)
        except ValidationFailed as exc:
            collect(exc)
        if not allow_past and starts_at < (now or times.utcnow()):
            collect(ValidationFailed(_("The start is in the past."), fields={"starts_at": _("In the past.")}))
    values: dict[str, Any] = {}
    for name, check in (("capacity", lambda: _capacity(raw.get("capacity"))),
                        ("online_url", lambda: _url(_text(raw, "online_url", 500))),
                        ("repeat", lambda: _repeat(raw))):
        try:
            values[name] = check()
        except ValidationFailed as exc:
            collect(exc)
    venue, address = _text(raw, "venue", 200), _text(raw, "address", 300)
    place = None
    try:
        place = await resolve_place(raw, pick_largest=pick_largest)
    except AmbiguousPlace:
        if errors:  # report the other mistakes first, the choice of place comes with the next try
            errors.setdefault("city", _("Pick one of the places listed."))
        else:
            raise
    except ValidationFailed as exc:
        collect(exc)
    if place is not None and not (values.get("online_url") or venue or address or place.city
                                  or place.latitude is not None):
        collect(ValidationFailed(_("Say where it happens: a place, an online link, or both."),
                                 fields={"city": _("A place or an online link is needed."),
                                         "online_url": _("A place or an online link is needed.")}))
    if errors:
        message = first[0] if len(first) == 1 else _("Please correct the highlighted fields.")
        raise ValidationFailed(message, fields=errors)
    assert starts_at is not None and ends_at is not None and place is not None
    every, count = values["repeat"]
    return MeetupData(title=title, body=str(raw.get("body") or "")[:100_000], starts_at=starts_at,
                      ends_at=ends_at, timezone=tz_name, venue=venue, address=address,
                      city=place.city, latitude=place.latitude, longitude=place.longitude,
                      online_url=values["online_url"], capacity=values["capacity"],
                      repeat_every=every, repeat_count=count)


async def create_meetups(community: Community, author: Member, data: MeetupData) -> list[Content]:
    """Create a meet-up, or every occurrence of a repeated one (all or nothing)."""
    occurrences = [(data.starts_at, data.ends_at)]
    if data.repeat_every:
        occurrences = times.repeat(data.starts_at, data.ends_at, times.zone(data.timezone),
                                   data.repeat_every, data.repeat_count)
    created: list[Content] = []
    async with in_transaction():
        series_id: int | None = None
        for index, (start, end) in enumerate(occurrences):
            occurrence = replace(data, starts_at=start, ends_at=end)

            async def save_row(content: Content, occurrence: MeetupData = occurrence, index: int = index) -> None:
                nonlocal series_id
                if len(occurrences) > 1 and series_id is None:
                    series_id = content.id
                await Meetup.create(id=content.id, content=content, community=community,
                                    series_id=series_id, series_index=index,
                                    repeat_every=data.repeat_every if len(occurrences) > 1 else "",
                                    **occurrence.row_fields())

            # A series is listed once (by its first date) in the feeds: the core leaves out
            # content whose ``meta`` says ``listed: false``.
            meta = {"listed": False} if index > 0 else None
            created.append(await create_content(kind=MEETUP, community=community, author=author,
                                                title=data.title, body=data.body, save_related=save_row,
                                                meta={**(meta or {}), "event_at": start.astimezone(UTC).isoformat()}))
    return created


SCOPES = ("this", "following", "all")


def check_scope(raw: Any) -> str:
    """``this`` (the default), ``following`` or ``all``; anything else is a 422."""
    scope = str(raw or "this").strip().lower()
    if scope not in SCOPES:
        raise ValidationFailed(_("Choose this date only, this and the following ones, or all dates."),
                               fields={"scope": "this|following|all"})
    return scope


async def series_rows(meetup: Meetup, scope: str) -> list[Meetup]:
    """The occurrences ``scope`` reaches from ``meetup``: itself, itself and the later dates of
    its series, or the whole series (in date order). Dates already over are history: only the
    chosen one among them is reached. A lone meet-up is its own series."""
    if scope == "this" or meetup.series_id is None:
        return [meetup]
    query = Meetup.filter(series_id=meetup.series_id)
    if scope == "following":
        query = query.filter(starts_at__gte=meetup.starts_at)
    now = times.utcnow()
    rows = [r for r in await query.order_by("starts_at", "id") if r.ends_at > now or r.id == meetup.id]
    return rows or [meetup]


def _shifted(data: MeetupData, old: Meetup, target: Meetup) -> MeetupData:
    """The edit of ``old`` applied to another date ``target`` of its series: the same change of
    local wall-clock time (so 18:00 stays 18:00 across a change of clocks), the same duration,
    the same place and details."""
    old_zone, new_zone = times.zone(old.timezone), times.zone(data.timezone)
    old_wall = old.starts_at.astimezone(old_zone).replace(tzinfo=None)
    new_wall = data.starts_at.astimezone(new_zone).replace(tzinfo=None)
    target_wall = target.starts_at.astimezone(old_zone).replace(tzinfo=None) + (new_wall - old_wall)
    start = target_wall.replace(tzinfo=new_zone, fold=0).astimezone(UTC)
    if start.astimezone(new_zone).replace(tzinfo=None) != target_wall:  # a skipped hour: an hour later
        start = (target_wall + timedelta(hours=1)).replace(tzinfo=new_zone).astimezone(UTC)
    return replace(data, starts_at=start, ends_at=start + (data.ends_at - data.starts_at))


async def update_series(content: Content, meetup: Meetup, editor: Member, data: MeetupData,
                        scope: str = "this") -> list[Content]:
    """Edit one date (``this``), this date and the later ones (``following``) or every date
    (``all``) of a series. Other dates move by the same change of local time; cancelled dates
    are left as they are. All or nothing."""
    if scope == "this" or meetup.series_id is None:
        return [await update_meetup(content, meetup, editor, data)]
    if meetup.cancelled:
        raise Conflict(_("This meet-up is cancelled: it cannot be changed."))
    rows = [r for r in await series_rows(meetup, scope) if not r.cancelled]
    contents = {c.id: c for c in await Content.filter(id__in=[r.id for r in rows])}
    try:
        edits = [(row, data if row.id == meetup.id else _shifted(data, meetup, row)) for row in rows]
    except (OverflowError, ValueError):
        raise ValidationFailed(_("Moved this way, some dates of the series would fall outside "
                                 "the calendar."), fields={"starts_at": _("Too far.")}) from None
    saved: list[Content] = []
    async with in_transaction():
        for row, edit in edits:
            item = contents.get(row.id)
            if item is not None:
                saved.append(await update_meetup(item, row, editor, edit))
    return saved


async def cancel_series(content: Content, meetup: Meetup, actor: Member, reason: str = "",
                        scope: str = "this") -> list[Meetup]:
    """Cancel one date, this date and the later ones, or every date of a series; the other
    dates stay as they are."""
    if scope == "this" or meetup.series_id is None:
        return [await cancel_meetup(content, meetup, actor, reason)]
    rows = await series_rows(meetup, scope)
    contents = {c.id: c for c in await Content.filter(id__in=[r.id for r in rows])}
    done: list[Meetup] = []
    for row in rows:
        item = contents.get(row.id)
        if item is not None:
            done.append(await cancel_meetup(item, row, actor, reason))
    return done


async def update_meetup(content: Content, meetup: Meetup, editor: Member, data: MeetupData) -> Content:
    """Edit one meet-up; attendees hear of a new time or place, and a larger capacity lets
    people in from the waiting list."""
    if meetup.cancelled:
        raise Conflict(_("This meet-up is cancelled: it cannot be changed."))
    fields = data.row_fields()
    moved = any(getattr(meetup, k) != fields[k] for k in ("starts_at", "ends_at", "timezone", "venue",
                                                          "address", "city", "latitude", "longitude",
                                                          "online_url"))
    grew = data.capacity is None or (meetup.capacity is not None and data.capacity > meetup.capacity)

    async def save_row(saved: Content) -> None:
        changes = dict(fields)
        if moved:
            changes["sequence"] = meetup.sequence + 1
        await Meetup.filter(id=meetup.id).update(**changes)
        if moved and fields["starts_at"] != meetup.starts_at:
            await Rsvp.filter(meetup_id=meetup.id).update(reminded_at=None)

    content = await update_content(content, editor=editor, title=data.title, body=data.body,
                                   save_related=save_row, meta={"event_at": fields["starts_at"].isoformat()})
    if grew:
        await rebalance(meetup.id)
    if moved:
        await _tell_attendees(meetup.id, content, editor, "meetups.changed",
                              lambda t: lazy_gettext("\u201c{title}\u201d has changed: check the time and place.", title=t))
    return content


async def cancel_meetup(content: Content, meetup: Meetup, actor: Member, reason: str = "") -> Meetup:
    """Cancel: the meet-up stays visible as cancelled, RSVPs close, attendees are told."""
    community = await Community.get(id=meetup.community_id)
    if community.is_archived:
        raise ReadOnly(_("This community is archived: it is read-only."))
    if meetup.cancelled:
        return meetup
    reason = reason.strip()[:500]
    await Meetup.filter(id=meetup.id).update(cancelled=True, cancelled_reason=reason,
                                             sequence=meetup.sequence + 1)
    meetup.cancelled, meetup.cancelled_reason = True, reason
    meetup.sequence += 1
    await _tell_attendees(meetup.id, content, actor, "meetups.cancelled",
                          lambda t: lazy_gettext("\u201c{title}\u201d is cancelled.", title=t))
    return meetup


async def _tell_attendees(meetup_id: int, content: Content, actor: Member, kind: str, title: Any) -> None:
    community = await Community.get(id=content.community_id)
    rows = await Rsvp.filter(meetup_id=meetup_id, state__in=[RsvpState.GOING, RsvpState.WAITLISTED,
                                                             RsvpState.MAYBE]).select_related("member")
    for rsvp in rows:
        with locale_of(rsvp.member):
            text = title(content.title)
        await notify(rsvp.member, kind, text, url=meetup_url(content, community), actor=actor,
                     community=community, content=content)


# --- Remarkable achievements -------------------------------------------------------------


@dataclass
class AchievementData:
    """An achievement's validated fields."""

    title: str
    body: str
    latitude: float
    longitude: float
    city: str
    achieved_on: date | None
    link: str


async def clean_achievement(raw: Mapping[str, Any], *, pick_largest: bool) -> AchievementData:
    """Validate an achievement: a title, a place (required) and optionally a date and a link."""
    errors: dict[str, str] = {}
    messages: list[str] = []
    title = _text(raw, "title", 1000)
    if not title or len(title) > 300:
        errors["title"] = _("A title of 1 to 300 characters.")
        messages.append(_("Give the achievement a title (300 characters at most)."))
    achieved_on = None
    raw_date = _text(raw, "achieved_on", 20)
    if raw_date:
        try:
            achieved_on = check_day(date.fromisoformat(raw_date))
        except ValueError:
            errors["achieved_on"] = _("A date like 2031-06-21.")
            messages.append(_("The date must look like 2031-06-21."))
    link = ""
    try:
        link = _url(_text(raw, "link", 500))
    except ValidationFailed:
        errors["link"] = _("A web address (https://...).")
        messages.append(_("The link must start with https:// or http://."))
    place = None
    try:
        place = await resolve_place(raw, pick_largest=pick_largest, required=True)
    except AmbiguousPlace:
        if not errors:
            raise
        errors["city"] = _("Pick one of the places listed.")
    except ValidationFailed as exc:
        errors.update(exc.fields)
        messages.append(exc.message)
    if errors:
        raise ValidationFailed(messages[0] if len(messages) == 1 else _("Please correct the highlighted fields."),
                               fields=errors)
    assert place is not None and place.latitude is not None and place.longitude is not None
    return AchievementData(title, str(raw.get("body") or "")[:100_000], place.latitude, place.longitude,
                           place.city, achieved_on, link)


async def create_achievement(community: Community, author: Member, data: AchievementData) -> Content:
    """Pin a remarkable achievement to the map, through the content pipeline."""

    async def save_row(content: Content) -> None:
        await Place.create(id=content.id, content=content, community=community, latitude=data.latitude,
                           longitude=data.longitude, city=data.city, achieved_on=data.achieved_on,
                           link=data.link)

    return await create_content(kind=ACHIEVEMENT, community=community, author=author, title=data.title,
                                body=data.body, save_related=save_row)
