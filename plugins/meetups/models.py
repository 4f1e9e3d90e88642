"""The meetups plugin's tables: a meet-up, the RSVPs, and the place of a remarkable achievement.

Each row is one-to-one with a core ``Content`` item (kinds ``meetups.meetup`` and
``meetups.achievement``) and takes its id: title, body, author and status live there.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class RsvpState(StrEnum):
    """Where a member stands for one meet-up."""

    GOING = "going"
    WAITLISTED = "waitlisted"
    MAYBE = "maybe"
    DECLINED = "declined"


class Meetup(Model):
    """A meet-up in person, online or both. Times are stored in UTC with the IANA zone they
    were given in, so that the meet-up stays at 18:00 local time whatever the offsets do."""

    #: The content id (not generated: the row shares its content item's id).
    id = fields.IntField(primary_key=True, generated=False)
    content: fields.OneToOneRelation = fields.OneToOneField(
        "core.Content", related_name="meetup", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="meetups",
                                       on_delete=fields.CASCADE)
    community_id: int
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    timezone = fields.CharField(max_length=64)
    venue = fields.CharField(max_length=200, default="")
    address = fields.CharField(max_length=300, default="")
    city = fields.CharField(max_length=200, default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    online_url = fields.CharField(max_length=500, default="")
    #: Seats, or null for no limit.
    capacity = fields.IntField(null=True)
    going_count = fields.IntField(default=0)
    waitlist_count = fields.IntField(default=0)
    maybe_count = fields.IntField(default=0)
    #: Bumped by every RSVP transaction, which locks the row first.
    rsvp_seq = fields.IntField(default=0)
    cancelled = fields.BooleanField(default=False)
    cancelled_reason = fields.CharField(max_length=500, default="")
    #: Content id of the first meet-up of a repeated series, null when alone.
    series_id = fields.IntField(null=True)
    series_index = fields.IntField(default=0)
    #: ``week`` or ``month`` for an occurrence of a repeated series, empty when alone.
    repeat_every = fields.CharField(max_length=10, default="", db_default="")
    #: iCalendar SEQUENCE, bumped when the time, place or status changes.
    sequence = fields.IntField(default=0)

    class Meta:
        app = "meetups"
        table = "meetups_meetup"
        # The first index covers "near me": the bounding box, then the columns it filters on,
        # so that SQLite answers from the index without reading the rows.
        indexes = (("latitude", "longitude", "ends_at", "cancelled", "community_id"),
                   ("community_id", "starts_at"), ("starts_at",), ("series_id",))


class Rsvp(Model):
    """One member's answer for one meet-up. ``waitlisted_at`` orders the waiting list,
    ``reminded_at`` records the reminder so that it is sent once."""

    id = fields.IntField(primary_key=True)
    meetup = fields.ForeignKeyField("meetups.Meetup", related_name="rsvps", on_delete=fields.CASCADE)
    meetup_id: int
    member = fields.ForeignKeyField("core.Member", related_name="meetup_rsvps",
                                    on_delete=fields.CASCADE)
    member_id: int
    state = fields.CharEnumField(RsvpState, max_length=16)
    waitlisted_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        app = "meetups"
        table = "meetups_rsvp"
        unique_together = (("meetup", "member"),)
        indexes = (("member_id", "state"), ("meetup_id", "state", "waitlisted_at"))


class Place(Model):
    """Where a remarkable achievement (a project, a result) is pinned on the map."""

    #: The content id, as for a meet-up.
    id = fields.IntField(primary_key=True, generated=False)
    content: fields.OneToOneRelation = fields.OneToOneField(
        "core.Content", related_name="achievement_place", on_delete=fields.CASCADE)
    content_id: int
    community = fields.ForeignKeyField("core.Community", related_name="achievement_places",
                                       on_delete=fields.CASCADE)
    community_id: int
    latitude = fields.FloatField()
    longitude = fields.FloatField()
    city = fields.CharField(max_length=200, default="")
    achieved_on = fields.DateField(null=True)
    link = fields.CharField(max_length=500, default="")

    class Meta:
        app = "meetups"
        table = "meetups_place"
        indexes = (("latitude", "longitude"), ("community_id",))
