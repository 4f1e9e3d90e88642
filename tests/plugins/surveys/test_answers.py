"""One answer per member, changeable while open; anonymity that holds in the database."""

from __future__ import annotations

import pytest

from tisserand.db import fetch_all
from tisserand.errors import Conflict, ValidationFailed
from tisserand.plugins.surveys.lifecycle import close_now
from tisserand.plugins.surveys.models import Answer, Ballot, Participation
from tisserand.plugins.surveys.service import utcnow


async def test_a_member_answers_once_and_may_change_while_open(team):
    survey = await team.survey()
    first = await team.answer(survey, team.alice, single=0, multiple=[0, 2], scale=5, text="Plus de cafés")
    assert first.changed is False and first.ballot_key is None
    again = await team.answer(survey, team.alice, single=1, multiple=[1], scale=2)
    assert again.changed is True
    assert await Participation.filter(survey_id=survey.id).count() == 1
    assert await Ballot.filter(survey_id=survey.id).count() == 1
    values = sorted((a.question_id, a.value) for a in await Answer.filter(survey_id=survey.id) if a.value is not None)
    q = await team.questions(survey)
    # The change replaced every answer: the old text and choices are gone.
    assert values == [(q[0].id, 1), (q[1].id, 1), (q[2].id, 2)]
    assert not await Answer.filter(survey_id=survey.id, question_id=q[3].id).exists()
    await close_now(survey, await team.fresh())
    with pytest.raises(Conflict):
        await team.answer(survey, team.alice, single=0)


async def test_answers_are_checked(team):
    survey = await team.survey()
    q = await team.questions(survey)
    from tisserand.plugins.surveys.answers import submit

    community = await team.fresh()
    with pytest.raises(ValidationFailed) as missing:
        await submit(survey, community, team.bob, {str(q[1].id): ["0"]})
    assert f"q{q[0].id}" in missing.value.fields
    with pytest.raises(ValidationFailed) as unknown:
        await submit(survey, community, team.bob, {str(q[0].id): ["7"]})
    assert f"q{q[0].id}" in unknown.value.fields
    with pytest.raises(ValidationFailed) as two:
        await submit(survey, community, team.bob, {str(q[0].id): ["0", "1"]})
    assert f"q{q[0].id}" in two.value.fields
    with pytest.raises(ValidationFailed) as scale:
        await submit(survey, community, team.bob, {str(q[0].id): ["0"], str(q[2].id): ["6"]})
    assert f"q{q[2].id}" in scale.value.fields
    with pytest.raises(ValidationFailed):
        await submit(survey, community, team.bob, {str(q[0].id): ["x"]})
    assert not await Participation.filter(survey_id=survey.id).exists()


async def test_anonymous_answers_carry_no_member_in_the_database(team):
    survey = await team.survey(anonymous=True)
    keys = {}
    for member, text in ((team.alice, "Alice's idea"), (team.bob, "Bob's idea"), (team.carol, "")):
        done = await team.answer(survey, member, text=text)
        assert done.ballot_key
        keys[member.id] = done.ballot_key
    # Who answered is known (one participation per member)…
    participants = {row["member_id"] for row in await fetch_all(
        "SELECT member_id FROM surveys_participation WHERE survey_id = ?", [survey.id])}
    assert participants == {team.alice.id, team.bob.id, team.carol.id}
    # …but no ballot names anyone or says when it was cast…
    ballots = await fetch_all("SELECT * FROM surveys_ballot WHERE survey_id = ?", [survey.id])
    assert len(ballots) == 3
    assert all(row["member_id"] is None and row["submitted_at"] is None for row in ballots)
    member_ids = {team.alice.id, team.bob.id, team.carol.id}
    # …and the answers table has no column that could hold a member or a time.
    answers = await fetch_all("SELECT * FROM surveys_answer WHERE survey_id = ?", [survey.id])
    assert answers and set(answers[0]) == {"id", "ballot_id", "survey_id", "question_id", "value", "text"}
    # Keys are random UUIDs, not sequence numbers that would follow the order of participation.
    assert all(len(str(row["id"])) == 36 for row in ballots + answers)
    # The stored hash is useless without the member's secret.
    assert all(row["key_hash"] not in keys.values() and row["key_hash"] for row in ballots)
    assert member_ids  # (kept for readability of the assertions above)


async def test_an_anonymous_answer_is_changed_only_with_its_secret(team):
    survey = await team.survey(anonymous=True)
    first = await team.answer(survey, team.alice, single=0, text="first")
    with pytest.raises(Conflict):
        await team.answer(survey, team.alice, single=1)
    # Bob's browser cannot open Alice's ballot even with her secret: the hash binds it to her.
    await team.answer(survey, team.bob, single=0)
    with pytest.raises(Conflict):
        await team.answer(survey, team.bob, single=1, key=first.ballot_key)
    changed = await team.answer(survey, team.alice, single=1, text="second", key=first.ballot_key)
    assert changed.changed is True
    texts = [a.text for a in await Answer.filter(survey_id=survey.id) if a.text]
    assert texts == ["second"]
    assert await Ballot.filter(survey_id=survey.id).count() == 2


async def test_a_scheduled_survey_takes_no_answer_before_it_opens(team):
    from datetime import timedelta

    from tisserand.plugins.surveys.lifecycle import publish

    survey = await team.survey(open_now=False)
    survey.opens_at = utcnow() + timedelta(days=2)
    await survey.save()
    await publish(survey, await team.fresh(), now=False)
    with pytest.raises(Conflict):
        await team.answer(survey, team.alice)
