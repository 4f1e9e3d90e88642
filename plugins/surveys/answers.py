"""Taking a member's answers, and finding them again, named or anonymous."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tisserand.errors import Conflict, ValidationFailed
from tisserand.i18n import _
from tisserand.models import Community, Member
from tisserand.plugins.surveys.models import Answer, Ballot, Participation, Survey
from tisserand.plugins.surveys.questions import AnswerRow, check_answers
from tisserand.plugins.surveys.service import questions_of, refuse_if_archived, state_of, utcnow


def ballot_hash(member_id: int, key: str) -> str:
    """What an anonymous ballot stores of its secret: useless without the secret itself, and
    bound to the member so that a secret left in a shared browser opens nobody else's."""
    return hashlib.sha256(f"{member_id}:{key}".encode()).hexdigest()


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit` did: ``changed`` for a second submission; ``ballot_key`` is the
    secret of a new anonymous ballot (give it back to the member, it is stored nowhere)."""

    changed: bool
    ballot_key: str | None = None


async def _ballot_for(survey: Survey, member: Member, key: str | None) -> Ballot | None:
    if not survey.anonymous:
        return await Ballot.get_or_none(survey_id=survey.id, member_id=member.id)
    if not key:
        return None
    return await Ballot.get_or_none(survey_id=survey.id, key_hash=ballot_hash(member.id, key))


async def _store(ballot: Ballot, survey: Survey, rows: list[AnswerRow]) -> None:
    await Answer.filter(ballot_id=ballot.id).delete()
    await Answer.bulk_create([Answer(ballot_id=ballot.id, survey_id=survey.id, question_id=row.question_id,
                                     value=row.value, text=row.text) for row in rows])


async def submit(survey: Survey, community: Community, member: Member, raw: dict[str, Any],
                 ballot_key: str | None = None) -> Submitted:
    """Take a member's answers, or replace them while the survey is open.

    Anonymous surveys: the first answer creates a ballot with a new secret (returned); a change
    needs that secret, since nothing else links the member to their ballot.
    """
    refuse_if_archived(community)
    state = state_of(survey)
    if state == "closed":
        raise Conflict(_("This survey is closed: answers are no longer taken."))
    if state != "open":
        raise Conflict(_("This survey is not open yet."))
    rows, errors = check_answers(await questions_of(survey), raw)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted answers."), fields=errors)
    if not rows:
        raise ValidationFailed(_("Answer at least one question."))
    moment = utcnow()
    participation = await Participation.get_or_none(survey_id=survey.id, member_id=member.id)
    if participation is not None:
        ballot = await _ballot_for(survey, member, ballot_key)
        if ballot is None:
            raise Conflict(_("You already answered this anonymous survey. Since nothing links your "
                             "answers to your account, they can only be changed from the browser you "
                             "answered with."))
        async with in_transaction():
            await _store(ballot, survey, rows)
            await Participation.filter(id=participation.id).update(changed_at=moment)
            if not survey.anonymous:
                await Ballot.filter(id=ballot.id).update(submitted_at=moment)
        return Submitted(changed=True)
    key = secrets.token_urlsafe(24) if survey.anonymous else None
    try:
        async with in_transaction():
            await Participation.create(survey=survey, member=member)
            if survey.anonymous:
                ballot = await Ballot.create(survey=survey, key_hash=ballot_hash(member.id, key or ""))
            else:
                ballot = await Ballot.create(survey=survey, member=member, submitted_at=moment)
            await _store(ballot, survey, rows)
    except IntegrityError:  # the same member's other tab won the race
        raise Conflict(_("Your answers were already saved a moment ago.")) from None
    return Submitted(changed=False, ballot_key=key)


async def answers_of(survey: Survey, member: Member | None, ballot_key: str | None = None) -> dict[int, Any]:
    """The member's own answers by question id (lists of values, or a text), for the form."""
    if member is None:
        return {}
    ballot = await _ballot_for(survey, member, ballot_key)
    if ballot is None:
        return {}
    found: dict[int, Any] = {}
    for row in await Answer.filter(ballot_id=ballot.id).values("question_id", "value", "text"):
        if row["value"] is not None:
            found.setdefault(row["question_id"], []).append(row["value"])
        else:
            found[row["question_id"]] = row["text"]
    return found


async def participated(survey: Survey, member: Member | None) -> Participation | None:
    """The member's participation (that they answered, and when), if any."""
    if member is None:
        return None
    return await Participation.get_or_none(survey_id=survey.id, member_id=member.id)
