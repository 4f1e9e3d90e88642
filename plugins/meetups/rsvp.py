"""RSVPs: yes / maybe / no, seats, the waiting list and its promotions.

Every change runs in one transaction that starts by updating the meet-up's row
(``rsvp_seq = rsvp_seq + 1``). On PostgreSQL that row lock queues concurrent RSVPs for the same
meet-up, and each one then reads the seats left after the previous one committed; on SQLite
the first write takes the database's write lock at once. So two people taking the last seat at
the same moment cannot both get it: one is going, the other is on the waiting list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from tortoise.transactions import in_transaction

from tisserand import i18n
from tisserand.db import execute, fetch_all
from tisserand.errors import Conflict, NotFound, ValidationFailed
from tisserand.i18n import _, lazy_gettext
from tisserand.models import Community, Content, Member
from tisserand.notify import notify
from tisserand.site import current_site

from .models import Meetup, Rsvp, RsvpState
from .times import utcnow

if TYPE_CHECKING:
    from tisserand.models import Notification

ANSWERS = {"yes": RsvpState.GOING, "maybe": RsvpState.MAYBE, "no": RsvpState.DECLINED}


@contextmanager
def locale_of(member: Member) -> Iterator[None]:
    """Write a notification in its recipient's language, not the actor's."""
    previous = i18n.get_locale()
    i18n.set_locale(member.locale or current_site().settings.site.default_locale)
    try:
        yield
    finally:
        i18n.set_locale(previous)


def meetup_url(content: Content, community: Community) -> str:
    """The meet-up's page."""
    return f"/c/{community.slug}/meetups/{content.id}"


async def _lock(meetup_id: int) -> Meetup:
    # The UPDATE is the lock (see the module docstring): it must be the transaction's first statement.
    await execute("UPDATE meetups_meetup SET rsvp_seq = rsvp_seq + 1 WHERE id = ?", [meetup_id])
    meetup = await Meetup.get_or_none(id=meetup_id)
    if meetup is None:
        raise NotFound(_("No such meet-up."))
    return meetup


async def recount(meetup: Meetup) -> None:
    """Store the going / waiting / maybe counts of ``meetup`` (inside the RSVP transaction)."""
    rows = await fetch_all("SELECT state, COUNT(*) AS n FROM meetups_rsvp WHERE meetup_id = ? GROUP BY state",
                           [meetup.id])
    counts = {str(r["state"]): int(r["n"]) for r in rows}
    meetup.going_count = counts.get(RsvpState.GOING.value, 0)
    meetup.waitlist_count = counts.get(RsvpState.WAITLISTED.value, 0)
    meetup.maybe_count = counts.get(RsvpState.MAYBE.value, 0)
    await Meetup.filter(id=meetup.id).update(going_count=meetup.going_count,
                                             waitlist_count=meetup.waitlist_count,
                                             maybe_count=meetup.maybe_count)


async def _promote(meetup: Meetup) -> list[Rsvp]:
    """Give free seats to the waiting list, first come first served."""
    promoted: list[Rsvp] = []
    going = await Rsvp.filter(meetup_id=meetup.id, state=RsvpState.GOING).count()
    while meetup.capacity is None or going < meetup.capacity:
        waiting = await Rsvp.filter(meetup_id=meetup.id, state=RsvpState.WAITLISTED).order_by(
            "waitlisted_at", "id").first()
        if waiting is None:
            break
        waiting.state = RsvpState.GOING
        waiting.waitlisted_at = None
        await waiting.save(update_fields=["state", "waitlisted_at", "updated_at"])
        promoted.append(waiting)
        going += 1
    return promoted


async def respond(meetup_id: int, member: Member, answer: str, *, now: datetime | None = None) -> RsvpState:
    """Record ``member``'s answer (``yes``, ``maybe`` or ``no``) and return their state:
    ``going``, ``waitlisted`` (no seat left), ``maybe`` or ``declined``. Leaving a seat hands it
    to the first person waiting, who is notified. Permission checks are the caller's."""
    wanted = ANSWERS.get(str(answer).strip().lower())
    if wanted is None:
        raise ValidationFailed(_("Answer yes, maybe or no."), fields={"answer": _("yes, maybe or no")})
    now = now or utcnow()
    async with in_transaction():
        meetup = await _lock(meetup_id)
        if meetup.cancelled:
            raise Conflict(_("This meet-up is cancelled."))
        if meetup.ends_at <= now:
            raise Conflict(_("This meet-up is over."))
        current = await Rsvp.get_or_none(meetup_id=meetup.id, member_id=member.id)
        old = current.state if current is not None else None
        new = wanted
        if wanted == RsvpState.GOING:
            if old in (RsvpState.GOING, RsvpState.WAITLISTED):
                new = old
            else:
                going = await Rsvp.filter(meetup_id=meetup.id, state=RsvpState.GOING).count()
                queue = await Rsvp.filter(meetup_id=meetup.id, state=RsvpState.WAITLISTED).exists()
                full = meetup.capacity is not None and (going >= meetup.capacity or queue)
                new = RsvpState.WAITLISTED if full else RsvpState.GOING
        if current is None:
            current = await Rsvp.create(meetup_id=meetup.id, member_id=member.id, state=new,
                                        waitlisted_at=now if new == RsvpState.WAITLISTED else None)
        elif new != old:
            current.state = new
            current.waitlisted_at = now if new == RsvpState.WAITLISTED else None
            await current.save(update_fields=["state", "waitlisted_at", "updated_at"])
        promoted = await _promote(meetup) if old == RsvpState.GOING and new != RsvpState.GOING else []
        await recount(meetup)
    await announce_promotions(meetup, promoted)
    await live_seats(meetup)
    return new


async def live_seats(meetup: Meetup) -> None:
    """Open pages of the meet-up hear the new counts (``meetup:<id>`` live events)."""
    from tisserand.events import publish
    from tisserand.site import current_site

    seats = None if meetup.capacity is None else max(0, meetup.capacity - meetup.going_count)
    await publish(current_site(), f"meetup:{meetup.id}", "meetups.seats",
                  {"going": meetup.going_count, "waiting": meetup.waitlist_count, "seats_left": seats,
                   "capacity": meetup.capacity},
                  community=await meetup.community, content=await meetup.content)


async def rebalance(meetup_id: int) -> list[Rsvp]:
    """Promote people waiting after the capacity grew (or was removed); notifies them."""
    async with in_transaction():
        meetup = await _lock(meetup_id)
        promoted = [] if meetup.cancelled else await _promote(meetup)
        await recount(meetup)
    await announce_promotions(meetup, promoted)
    await live_seats(meetup)
    return promoted


async def withdraw(meetup_ids: list[int], member: Member) -> None:
    """Remove ``member``'s answers to these meet-ups (they left the community), freeing seats."""
    for meetup_id in meetup_ids:
        async with in_transaction():
            meetup = await _lock(meetup_id)
            current = await Rsvp.get_or_none(meetup_id=meetup_id, member_id=member.id)
            if current is None:
                continue
            was_going = current.state == RsvpState.GOING
            await current.delete()
            promoted = await _promote(meetup) if was_going and not meetup.cancelled else []
            await recount(meetup)
        await announce_promotions(meetup, promoted)


async def announce_promotions(meetup: Meetup, promoted: list[Rsvp]) -> list[Notification]:
    """Tell each promoted member they have a seat now."""
    if not promoted:
        return []
    content = await Content.get(id=meetup.id)
    community = await Community.get(id=meetup.community_id)
    sent = []
    for rsvp in promoted:
        member = await Member.get(id=rsvp.member_id)
        with locale_of(member):
            title = lazy_gettext("A seat opened up: you are going to \u201c{title}\u201d.", title=content.title)
        note = await notify(member, "meetups.promoted", title, url=meetup_url(content, community),
                            community=community, content=content)
        if note is not None:
            sent.append(note)
    return sent


async def states_for(member: Member | None, meetup_ids: list[int]) -> dict[int, str]:
    """The viewer's state for each of these meet-ups (one query)."""
    if member is None or not meetup_ids:
        return {}
    rows = await Rsvp.filter(member_id=member.id, meetup_id__in=meetup_ids).values("meetup_id", "state")
    return {int(r["meetup_id"]): str(r["state"]) for r in rows}
