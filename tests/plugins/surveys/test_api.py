"""The surveys' JSON API: create, list, answer (named and anonymous), results."""

from __future__ import annotations


async def _create(client, team, anonymous=False):
    await client.login_as(team.coordinator)
    made = await client.api("POST", f"/api/v1/communities/{team.slug}/surveys", json={
        "title": "Attentes 2027", "anonymous": anonymous, "recurrence_months": 4, "open": "now",
        "questions": [
            {"kind": "single", "label": "Rythme ?", "options": ["Semaine", "Mois"], "required": True},
            {"kind": "multiple", "label": "Formats ?", "options": ["Café", "Webinaire", "Atelier"]},
            {"kind": "scale", "label": "Satisfaction", "low_label": "Bof", "high_label": "Top"},
            {"kind": "text", "label": "Une idée ?"},
        ]})
    assert made.status_code == 201, made.text
    return made.json()


async def test_create_answer_and_read_results(client, team):
    survey = await _create(client, team)
    assert survey["state"] == "open" and survey["recurrence_months"] == 4 and survey["round"] == 1
    detail = (await client.api("GET", f"/api/v1/surveys/{survey['id']}")).json()
    q = [question["id"] for question in detail["questions"]]
    assert [question["kind"] for question in detail["questions"]] == ["single", "multiple", "scale", "text"]
    await client.login_as(team.alice)
    url = f"/api/v1/surveys/{survey['id']}/response"
    sent = await client.api("PUT", url, json={"answers": {str(q[0]): 1, str(q[1]): [0, 2], str(q[2]): 4,
                                                          str(q[3]): "Plus d'ateliers"}})
    assert sent.status_code == 201 and sent.json()["changed"] is False and "ballot_key" not in sent.json()
    again = await client.api("PUT", url, json={"answers": {f"q{q[0]}": 0}})
    assert again.status_code == 200 and again.json()["changed"] is True
    mine = (await client.api("GET", f"/api/v1/surveys/{survey['id']}")).json()
    assert mine["answered"] is True and mine["my_answers"] == {str(q[0]): [0]}
    bad = await client.api("PUT", url, json={"answers": {str(q[0]): 9}})
    assert bad.status_code == 422 and f"q{q[0]}" in bad.json()["error"]["fields"]
    early = await client.api("GET", f"/api/v1/surveys/{survey['id']}/results")
    assert early.status_code == 403
    await client.login_as(team.bob)
    await client.api("PUT", url, json={"answers": {str(q[0]): 1, str(q[2]): 2}})
    await client.login_as(team.animator)
    results = (await client.api("GET", f"/api/v1/surveys/{survey['id']}/results")).json()
    assert results["respondents"] == 2 and results["hidden"] is None
    single, multiple, scale, text = results["questions"]
    assert [c["count"] for c in single["counts"]] == [1, 1]
    assert multiple["answered"] == 0 and [c["count"] for c in multiple["counts"]] == [0, 0, 0]
    assert scale["mean"] == 2.0 and [c["value"] for c in scale["counts"]] == [1, 2, 3, 4, 5]
    assert text["texts"] == []
    listing = (await client.api("GET", f"/api/v1/communities/{team.slug}/surveys")).json()
    assert listing["next"] is None and listing["items"][0]["id"] == survey["id"]


async def test_anonymous_answers_through_the_api_need_the_ballot_key_to_change(client, team):
    survey = await _create(client, team, anonymous=True)
    q = [x["id"] for x in (await client.api("GET", f"/api/v1/surveys/{survey['id']}")).json()["questions"]]
    await client.login_as(team.alice)
    url = f"/api/v1/surveys/{survey['id']}/response"
    first = await client.api("PUT", url, json={"answers": {str(q[0]): 0}})
    assert first.status_code == 201
    key = first.json()["ballot_key"]
    assert (await client.api("PUT", url, json={"answers": {str(q[0]): 1}})).status_code == 409
    assert (await client.api("PUT", url, json={"answers": {str(q[0]): 1}, "ballot_key": key})).status_code == 200
    detail = (await client.api("GET", f"/api/v1/surveys/{survey['id']}")).json()
    assert detail["answered"] is True and "my_answers" not in detail


async def test_bad_requests_get_clear_errors(client, team):
    url = f"/api/v1/communities/{team.slug}/surveys"
    assert (await client.api("GET", url)).status_code == 401
    await client.login_as(team.alice)
    assert (await client.api("POST", url, json={"title": "x"})).status_code == 403
    await client.login_as(team.coordinator)
    empty = await client.api("POST", url, json={"title": "", "questions": [{"kind": "single", "label": "Q",
                                                                             "options": ["one"]}]})
    assert empty.status_code == 422
    assert set(empty.json()["error"]["fields"]) >= {"title", "questions.0.options"}
    assert (await client.api("POST", url, json={"title": "T", "colour": "red"})).status_code == 422
    no_question = await client.api("POST", url, json={"title": "T", "open": "now"})
    assert no_question.status_code == 422
    assert (await client.api("GET", "/api/v1/surveys/999999")).status_code == 404
    await client.login_as(team.outsider)
    assert (await client.api("GET", url)).status_code == 403
