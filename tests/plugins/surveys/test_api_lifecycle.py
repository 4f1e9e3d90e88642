"""API twins of the survey editor's buttons (open, schedule, back to draft, close, copy, delete)
and of the comparison page, with the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta

from tisserand.plugins.surveys.models import Survey
from tisserand.plugins.surveys.service import utcnow


async def test_open_close_copy_and_delete(client, team):
    draft = await team.survey(open_now=False)
    url = f"/api/v1/surveys/{draft.id}"
    await client.login_as(team.alice)
    hidden = await client.api("POST", f"{url}/open", json={"when": "now"})
    assert hidden.status_code == 404  # a draft does not exist for members
    await client.login_as(team.coordinator)
    early = await client.api("POST", f"{url}/open", json={"when": "scheduled"})
    assert early.status_code == 422 and early.json()["error"]["fields"]["opens_on"]
    assert (await client.api("POST", f"{url}/open", json={"when": "tomorrow"})).status_code == 422
    opened = await client.api("POST", f"{url}/open", json={"when": "now"})
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    await client.login_as(team.alice)
    assert (await client.api("POST", f"{url}/close", json={})).status_code == 403  # visible, not hers to close
    await team.answer(await Survey.get(id=draft.id), team.alice)
    await client.login_as(team.animator)
    closed = await client.api("POST", f"{url}/close", json={})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert (await client.api("POST", f"{url}/close", json={})).status_code == 409
    copy = await client.api("POST", f"{url}/copy", json={})
    assert copy.status_code == 201 and copy.json()["state"] == "draft" and copy.json()["id"] != draft.id
    assert (await client.api("DELETE", f"/api/v1/surveys/{copy.json()['id']}")).status_code == 204
    assert not await Survey.filter(id=copy.json()["id"]).exists()


async def test_a_scheduled_survey_goes_back_to_draft(client, team):
    survey = await team.survey(open_now=False)
    survey.opens_at = utcnow() + timedelta(days=3)
    await survey.save()
    await client.login_as(team.coordinator)
    url = f"/api/v1/surveys/{survey.id}"
    scheduled = await client.api("POST", f"{url}/open", json={"when": "scheduled"})
    assert scheduled.status_code == 200 and scheduled.json()["state"] == "scheduled"
    back = await client.api("POST", f"{url}/draft", json={})
    assert back.status_code == 200 and back.json()["state"] == "draft"


async def test_two_rounds_compared(client, team):
    from tisserand.plugins.surveys.lifecycle import close_now

    first = await team.survey(recurrence=4)
    for member, single, scale in ((team.alice, 0, 2), (team.bob, 0, 3), (team.carol, 1, 2)):
        await team.answer(first, member, single=single, scale=scale)
    await close_now(first, await team.fresh())
    second = await Survey.get(series_id=first.id, round=2)
    second.opens_at, second.closes_at = utcnow() - timedelta(minutes=5), utcnow() + timedelta(days=5)
    await second.save()
    for member, single, scale in ((team.alice, 1, 5), (team.bob, 1, 4)):
        await team.answer(second, member, single=single, scale=scale)
    await client.login_as(team.coordinator)
    compared = await client.api("GET", f"/api/v1/surveys/{second.id}/compare?with={first.id}")
    assert compared.status_code == 200
    data = compared.json()
    assert (data["first"]["id"], data["second"]["id"]) == (first.id, second.id)  # the older round first
    assert (data["first"]["respondents"], data["second"]["respondents"]) == (3, 2)
    single, _multiple, scale, _text = data["questions"]
    assert [c["count"] for c in single["first"]["counts"]] == [2, 1]
    assert [c["count"] for c in single["second"]["counts"]] == [0, 2]
    assert round(scale["first"]["mean"], 2) == 2.33 and scale["second"]["mean"] == 4.5
    # Members see it once both rounds are closed; an unknown survey is not found.
    await client.login_as(team.alice)
    assert (await client.api("GET", f"/api/v1/surveys/{second.id}/compare?with={first.id}")).status_code == 403
    assert (await client.api("GET", f"/api/v1/surveys/{first.id}/compare?with=999999")).status_code == 404
    assert (await client.api("GET", f"/api/v1/surveys/{first.id}/compare")).status_code == 404
    await client.login_as(team.outsider)
    assert (await client.api("GET", f"/api/v1/surveys/{first.id}/compare?with={second.id}")).status_code == 403


async def test_settings_and_questions_are_edited_like_in_the_editor(client, team):
    draft = await team.survey(open_now=False)
    url = f"/api/v1/surveys/{draft.id}"
    await client.login_as(team.coordinator)
    changed = await client.api("PATCH", url, json={"title": "Bilan d'automne", "closes_on": "2030-01-31"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Bilan d'automne" and changed.json()["last_day"] == "2030-01-31"
    assert changed.json()["description"] == draft.description  # absent fields stay
    blank = await client.api("PATCH", url, json={"title": ""})
    assert blank.status_code == 422 and blank.json()["error"]["fields"]["title"]
    assert (await client.api("PATCH", url, json={"title": None})).status_code == 422
    added = await client.api("POST", f"{url}/questions", json={"kind": "single", "label": "Quel jour ?",
                                                              "options": ["Lundi", "Jeudi"]})
    assert added.status_code == 201 and added.json()["options"] == ["Lundi", "Jeudi"]
    one_option = await client.api("POST", f"{url}/questions", json={"kind": "single", "label": "?", "options": ["A"]})
    assert one_option.status_code == 422 and one_option.json()["error"]["fields"]["options"]
    question = f"{url}/questions/{added.json()['id']}"
    replaced = await client.api("PUT", question, json={"kind": "text", "label": "Quel jour vous va ?"})
    assert replaced.status_code == 200 and replaced.json()["kind"] == "text"
    moved = await client.api("POST", f"{question}/move", json={"step": -1})
    assert [q["label"] for q in moved.json()["items"]][-2:] == ["Quel jour vous va ?", "Une idée ?"]
    assert (await client.api("POST", f"{question}/move", json={"step": 2})).status_code == 422
    assert (await client.api("DELETE", question)).status_code == 204
    assert (await client.api("DELETE", question)).status_code == 404
    await client.login_as(team.alice)
    assert (await client.api("PATCH", url, json={"title": "Le mien"})).status_code == 404  # a draft, unseen


async def test_questions_are_frozen_once_answered(client, team):
    survey = await team.survey()
    await team.answer(survey, team.alice)
    await client.login_as(team.coordinator)
    url = f"/api/v1/surveys/{survey.id}"
    frozen = await client.api("POST", f"{url}/questions", json={"kind": "text", "label": "Encore ?"})
    assert frozen.status_code == 409
    named = await client.api("PATCH", url, json={"anonymous": True})
    assert named.status_code == 422 and named.json()["error"]["fields"]["anonymous"]
