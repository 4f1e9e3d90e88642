"""RSVPs in the meetups JSON API: answer a meet-up, and see who attends."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from tisserand.errors import Unauthorized
from tisserand.i18n import _
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, listing, read_json, require_viewer

from .access import load_item
from .api import Strict
from .models import Rsvp, RsvpState
from .rsvp import respond
from .service import MEETUP

ATTENDEE_ORDER = (RsvpState.GOING, RsvpState.WAITLISTED, RsvpState.MAYBE)


class RsvpIn(Strict):
    answer: Literal["yes", "no", "maybe"]


class RsvpOut(Out):
    """The viewer's state after answering."""

    state: str = Field(description="going, waitlisted, maybe or declined")
    meetup: int


class AttendeeOut(Out):
    """Someone who answered."""

    username: str
    name: str
    state: str = Field(description="going, waitlisted or maybe")


@documented(tags=["meetups"], answer=RsvpOut)
async def rsvp(request: Request) -> Response:
    """Answer ``yes``, ``maybe`` or ``no``: the state says going, waitlisted, maybe or declined."""
    viewer = require_viewer(request)
    found = await load_item(request, request.path_params["id"], MEETUP)
    found.view.require("meetups.rsvp")
    body = await read_json(request, RsvpIn)
    state = await respond(found.content.id, viewer, body.answer)
    return answer({"state": state.value, "meetup": found.content.id})


@documented(tags=["meetups"], listing=True, answer=AttendeeOut)
async def attendees(request: Request) -> Response:
    """Who answered: ``going`` (in order of arrival), ``waitlisted`` (in queue order), ``maybe``."""
    found = await load_item(request, request.path_params["id"], MEETUP)
    if not found.view.can("meetups.attendees.view"):
        if found.view.viewer is None:
            raise Unauthorized(_("Log in to see who attends."))
        found.view.require("meetups.attendees.view")
    rows = await Rsvp.filter(meetup_id=found.content.id, state__in=list(ATTENDEE_ORDER)).select_related(
        "member")
    rows.sort(key=lambda r: (ATTENDEE_ORDER.index(r.state), r.waitlisted_at or r.created_at, r.id))
    return listing([{"username": r.member.username, "name": r.member.name, "state": r.state.value}
                    for r in rows], None)
