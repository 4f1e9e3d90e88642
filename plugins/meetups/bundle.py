"""The meetups plugin's part of a community archive: meet-ups, RSVPs and achievement places,
under ``meetups/`` in the bundle, with ids as exported (the import maps them)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from tisserand.bundle import BundleError
from tisserand.i18n import _

from .models import Meetup, Place, Rsvp, RsvpState
from .queries import as_datetime

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.models import Community

MEETUPS = "meetups/meetups.jsonl"
RSVPS = "meetups/rsvps.jsonl"
PLACES = "meetups/places.jsonl"
MEETUP_FIELDS = ("id", "starts_at", "ends_at", "timezone", "venue", "address", "city", "latitude",
                 "longitude", "online_url", "capacity", "cancelled", "cancelled_reason", "series_id",
                 "series_index", "repeat_every", "sequence")
BATCH = 500


async def export_rows(community: Community, bundle: Bundle) -> None:
    """Write the three tables of ``community``."""
    meetups = await Meetup.filter(community_id=community.id).order_by("id").values(*MEETUP_FIELDS)
    bundle.write_jsonl(MEETUPS, meetups)
    ids = [m["id"] for m in meetups]
    rsvps: list[dict[str, Any]] = []
    for start in range(0, len(ids), BATCH):
        rsvps += await Rsvp.filter(meetup_id__in=ids[start:start + BATCH]).order_by("id").values(
            "meetup_id", "member_id", "state", "waitlisted_at", "reminded_at", "created_at")
    for row in rsvps:
        bundle.include_member(row["member_id"])
    bundle.write_jsonl(RSVPS, rsvps)
    places = await Place.filter(community_id=community.id).order_by("id").values(
        "id", "latitude", "longitude", "city", "achieved_on", "link")
    bundle.write_jsonl(PLACES, places)


def _when(value: Any) -> Any:
    return None if value in (None, "") else as_datetime(value)


async def import_rows(community: Community, bundle: Bundle) -> None:
    """Restore meet-ups (keeping series together), RSVPs with their states, and places."""
    try:
        await _import(community, bundle)
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(_("The archive's meet-ups are damaged: {error}.", error=str(exc))) from None


async def _import(community: Community, bundle: Bundle) -> None:
    meetups: list[Meetup] = []
    if bundle.has(MEETUPS):
        for row in bundle.read_jsonl(MEETUPS):
            new_id = bundle.content_id(row["id"])
            series = row.get("series_id")
            meetups.append(Meetup(
                id=new_id, content_id=new_id, community_id=community.id,
                starts_at=as_datetime(row["starts_at"]), ends_at=as_datetime(row["ends_at"]),
                timezone=row["timezone"], venue=row.get("venue") or "", address=row.get("address") or "",
                city=row.get("city") or "", latitude=row.get("latitude"), longitude=row.get("longitude"),
                online_url=row.get("online_url") or "", capacity=row.get("capacity"),
                cancelled=bool(row.get("cancelled")), cancelled_reason=row.get("cancelled_reason") or "",
                series_id=bundle.content_id(series) if series is not None else None,
                series_index=int(row.get("series_index") or 0),
                repeat_every=row["repeat_every"] if row.get("repeat_every") in ("week", "month") else "",
                sequence=int(row.get("sequence") or 0)))
    for start in range(0, len(meetups), BATCH):
        await Meetup.bulk_create(meetups[start:start + BATCH])
    known = {m.id for m in meetups}
    rsvps: list[Rsvp] = []
    if bundle.has(RSVPS):
        for row in bundle.read_jsonl(RSVPS):
            meetup_id = bundle.content_id(row["meetup_id"])
            member_id = bundle.member_id(row["member_id"])
            if meetup_id not in known or member_id is None:
                continue  # someone the archive does not name: their answer goes with them
            rsvps.append(Rsvp(meetup_id=meetup_id, member_id=member_id, state=RsvpState(row["state"]),
                              waitlisted_at=_when(row.get("waitlisted_at")),
                              reminded_at=_when(row.get("reminded_at")), created_at=_when(row.get("created_at"))))
    for start in range(0, len(rsvps), BATCH):
        await Rsvp.bulk_create(rsvps[start:start + BATCH])
    counts: dict[int, Counter[str]] = {}
    for rsvp in rsvps:
        counts.setdefault(rsvp.meetup_id, Counter())[rsvp.state.value] += 1
    for meetup_id, count in counts.items():
        await Meetup.filter(id=meetup_id).update(going_count=count["going"], waitlist_count=count["waitlisted"],
                                                 maybe_count=count["maybe"])
    places: list[Place] = []
    if bundle.has(PLACES):
        for row in bundle.read_jsonl(PLACES):
            new_id = bundle.content_id(row["id"])
            achieved = row.get("achieved_on")
            places.append(Place(id=new_id, content_id=new_id, community_id=community.id,
                                latitude=float(row["latitude"]), longitude=float(row["longitude"]),
                                city=row.get("city") or "", link=row.get("link") or "",
                                achieved_on=date.fromisoformat(achieved) if achieved else None))
    for start in range(0, len(places), BATCH):
        await Place.bulk_create(places[start:start + BATCH])
