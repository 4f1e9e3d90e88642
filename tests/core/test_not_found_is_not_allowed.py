"""Not found looks the same as not allowed: an id in a private or secret community answers with
the same status and message as an id that never existed (and never redirects to the secret
community's address)."""

from __future__ import annotations

from datetime import date, timedelta

from tisserand.plugins.digests.calls import create_call
from tisserand.plugins.surveys.service import SurveyInput, create_survey

MISSING = 999_999


async def _answers(client, urls: dict[str, str]) -> dict[str, tuple[int, str, str]]:
    found = {}
    for name, url in urls.items():
        response = await client.get(url)
        message = response.json()["error"]["message"] if url.startswith("/api/") and \
            response.headers.get("content-type", "").startswith("application/json") else ""
        found[name] = (response.status_code, message, response.headers.get("location", ""))
    return found


async def test_ids_in_closed_communities_answer_like_missing_ones(client, factory, site):
    owner = await factory.member("owner")
    outsider = await factory.member("outsider")
    ids: dict[str, dict[str, int]] = {"missing": {"topic": MISSING, "flag": MISSING, "survey": MISSING, "call": MISSING}}
    for visibility in ("private", "secret"):
        community = await factory.community(f"club-{visibility}", visibility=visibility, coordinator=owner)
        topic = await factory.content(community, owner, kind="forum.topic", title="Réunion", body="ordre du jour")
        survey = await create_survey(community, owner, SurveyInput(
            title="Avis", opens_on=date.today() - timedelta(days=1), closes_on=date.today() + timedelta(days=9)))
        call = await create_call(site, community, owner, "Appel", "Venez tous")
        ids[visibility] = {"topic": topic.id, "flag": topic.id, "survey": survey.id, "call": call.content_id}

    def urls(which: dict[str, int]) -> dict[str, str]:
        return {"topic": f"/api/v1/forum/topics/{which['topic']}", "flag": f"/moderation/flag/{which['flag']}",
                "survey": f"/api/v1/surveys/{which['survey']}", "call": f"/digests/calls/{which['call']}"}

    for who in (None, outsider):
        if who is not None:
            await client.login_as(who)
        answers = {place: await _answers(client, urls(which)) for place, which in ids.items()}
        for visibility in ("private", "secret"):
            for name, answer in answers[visibility].items():
                if name == "survey" and who is None:
                    continue  # the surveys API asks every visitor to log in first, whatever the id
                if name == "flag" and who is None:
                    continue  # reporting asks every visitor to log in first, whatever the id
                assert answer == answers["missing"][name], (who, visibility, name, answer, answers["missing"][name])
                assert answer[0] == 404 and "club-" not in answer[2]
        client.logout_locally()
