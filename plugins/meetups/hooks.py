"""Reactions to core events."""

from __future__ import annotations

from typing import cast

from tisserand.models import Member, Membership

from .models import Meetup, Rsvp
from .rsvp import withdraw
from .times import utcnow


async def free_seats(membership: Membership) -> None:
    """A member left a community: drop their answers to its coming meet-ups, so that their
    seats go to the waiting list."""
    member: Member = membership.member
    community_id = membership.community_id
    upcoming = await Meetup.filter(community_id=community_id, ends_at__gt=utcnow()).values_list("id", flat=True)
    if not upcoming:
        return
    answered = await Rsvp.filter(member_id=member.id, meetup_id__in=list(upcoming)).values_list(
        "meetup_id", flat=True)
    await withdraw([int(i) for i in cast("list[int]", answered)], member)
