"""The surveys' pages, as coordinators and members use them (no JavaScript needed)."""

from __future__ import annotations

import re

from tisserand.models import Notification
from tisserand.plugins.surveys.lifecycle import close_now
from tisserand.plugins.surveys.models import Participation, Question, Survey


async def test_a_coordinator_writes_and_opens_a_survey_and_members_are_invited(client, team):
    await client.login_as(team.coordinator)
    page = await client.get(team.url + "/new")
    assert page.status_code == 200 and 'name="title"' in page.text
    created = await client.post_form(team.url + "/new", {
        "title": "Bilan du printemps", "description": "Dites-nous **tout**.", "anonymous": "anonymous",
        "recurrence_months": "4", "closes_on": ""})
    assert created.status_code == 303
    survey = await Survey.get(title="Bilan du printemps")
    assert survey.anonymous and survey.recurrence_months == 4 and not survey.published
    assert "<strong>tout</strong>" in survey.description_html
    edit = created.headers["location"]
    bad = await client.post_form(f"{team.url}/{survey.id}/questions", {"kind": "single", "label": "Rythme ?",
                                                                        "options": "Une seule"})
    assert bad.status_code == 422 and "at least two options" in bad.text
    for data in ({"kind": "single", "label": "Rythme ?", "options": "Semaine\nMois", "required": "1"},
                 {"kind": "scale", "label": "Satisfaction", "low_label": "Pas du tout", "high_label": "Tout à fait"},
                 {"kind": "text", "label": "Une idée ?"}):
        assert (await client.post_form(f"{team.url}/{survey.id}/questions", data)).status_code == 303
    questions = await Question.filter(survey_id=survey.id).order_by("position")
    assert [q.kind for q in questions] == ["single", "scale", "text"] and questions[0].options == ["Semaine", "Mois"]
    moved = await client.post_form(f"{team.url}/{survey.id}/questions/{questions[2].id}", {"action": "up"})
    assert moved.status_code == 303
    assert [q.kind for q in await Question.filter(survey_id=survey.id).order_by("position")] == ["single", "text", "scale"]
    # Members do not see a draft.
    await client.login_as(team.alice)
    assert (await client.get(f"{team.url}/{survey.id}")).status_code == 404
    assert "Bilan du printemps" not in (await client.get(team.url)).text
    await client.login_as(team.coordinator)
    assert "Bilan du printemps" in (await client.get(edit)).text
    opened = await client.post_form(f"{team.url}/{survey.id}/open", {"when": "now"})
    assert opened.status_code == 303
    invited = {n.member_id for n in await Notification.filter(kind="surveys.invitation")}
    # Every member who may answer, not the observer, not the author (the coordinator).
    assert invited == {team.animator.id, team.alice.id, team.bob.id, team.carol.id}
    note = await Notification.get(kind="surveys.invitation", member_id=team.alice.id)
    assert note.url == f"{team.url}/{survey.id}" and "Bilan du printemps" in note.title


async def test_a_member_answers_through_the_form_and_changes_the_answer(client, team):
    survey = await team.survey()
    q = await team.questions(survey)
    await client.login_as(team.alice)
    page = await client.get(f"{team.url}/{survey.id}")
    assert page.status_code == 200
    assert "This survey is named." in page.text and "Send my answers" in page.text
    assert '<legend>1. Quel rythme ? <span class="required">' in page.text
    missing = await client.post_form(f"{team.url}/{survey.id}", {f"q{q[1].id}": "1"})
    assert missing.status_code == 422 and "This question needs an answer." in missing.text
    # What was typed comes back checked after the error.
    assert re.search(rf'name="q{q[1].id}" value="1" checked', missing.text)
    sent = await client.post(f"{team.url}/{survey.id}", data={
        "csrf_token": client.csrf, f"q{q[0].id}": "1", f"q{q[1].id}": ["0", "2"], f"q{q[2].id}": "4",
        f"q{q[3].id}": "Des ateliers"})
    assert sent.status_code == 303
    after = await client.get(sent.headers["location"])
    assert "Thank you, your answers are saved." in after.text and "Change my answers" in after.text
    assert re.search(rf'name="q{q[0].id}" value="1" checked', after.text)
    assert "Des ateliers</textarea>" in after.text
    changed = await client.post_form(f"{team.url}/{survey.id}", {f"q{q[0].id}": "0"})
    assert changed.status_code == 303
    assert "Your answers are changed." in (await client.get(changed.headers["location"])).text
    assert await Participation.filter(survey_id=survey.id).count() == 1


async def test_an_anonymous_answer_is_changed_from_the_same_browser_only(app, team):
    from tisserand.testing.client import TestClient

    survey = await team.survey(anonymous=True)
    q = await team.questions(survey)
    async with TestClient.for_app(app) as first, TestClient.for_app(app) as second:
        await first.login_as(team.alice)
        page = await first.get(f"{team.url}/{survey.id}")
        assert "This survey is anonymous." in page.text
        sent = await first.post_form(f"{team.url}/{survey.id}", {f"q{q[0].id}": "1", f"q{q[3].id}": "secret idea"})
        assert sent.status_code == 303 and "tisserand_ballot_" in sent.headers["set-cookie"]
        again = await first.get(f"{team.url}/{survey.id}")
        assert re.search(rf'name="q{q[0].id}" value="1" checked', again.text)
        assert "secret idea</textarea>" in again.text
        assert (await first.post_form(f"{team.url}/{survey.id}", {f"q{q[0].id}": "0"})).status_code == 303
        # Another browser of the same member: the answers cannot be found, nor changed.
        await second.login_as(team.alice)
        other = await second.get(f"{team.url}/{survey.id}")
        assert "from another browser" in other.text and "secret idea" not in other.text
        refused = await second.post_form(f"{team.url}/{survey.id}", {f"q{q[0].id}": "1"})
        assert refused.status_code == 409


async def test_results_are_live_for_managers_and_shown_to_members_once_closed(client, team):
    survey = await team.survey()
    await team.answer(survey, team.alice, single=0, multiple=[0, 1], scale=5, text="Plus de cafés")
    await team.answer(survey, team.bob, single=1, multiple=[0], scale=3, text="=HYPERLINK(\"x\")")
    url = f"{team.url}/{survey.id}/results"
    await client.login_as(team.alice)
    early = await client.get(url)
    assert early.status_code == 403 and "when the survey closes" in early.text
    await client.login_as(team.animator)
    live = await client.get(url)
    assert live.status_code == 200 and "Live results" in live.text
    assert "2 members answered." in live.text
    # An accessible SVG chart with its data table.
    assert '<svg class="survey-chart" role="img"' in live.text and "<title id=" in live.text
    assert "Hebdomadaire: 1 (50%)" in live.text
    assert "Show the numbers as a table" in live.text
    assert "Average: 4 out of 5" in live.text
    # Named survey: free texts with their authors.
    assert "Plus de cafés" in live.text and "Alice Martin" in live.text
    csv = await client.get(url.replace("/results", "/results.csv"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Respondent,Answered at,Quel rythme ?,Quels formats ?")
    assert any(line.startswith("Alice Martin,") and "Café virtuel; Webinaire" in line for line in lines)
    # A text that looks like a spreadsheet formula is neutralised.
    assert "'=HYPERLINK" in csv.text
    await client.login_as(team.alice)
    assert (await client.get(url.replace("/results", "/results.csv"))).status_code == 403
    await close_now(survey, await team.fresh())
    shown = await client.get(url)
    assert shown.status_code == 200 and "Live results" not in shown.text
    notified = await Notification.filter(kind="surveys.results").values_list("member_id", flat=True)
    assert set(notified) == {team.alice.id, team.bob.id}


async def test_anonymous_results_need_enough_answers_and_hide_authors(client, team):
    survey = await team.survey(anonymous=True)
    await team.answer(survey, team.alice, text="Idée Alice")
    await team.answer(survey, team.bob, text="Idée Bob")
    await client.login_as(team.coordinator)
    url = f"{team.url}/{survey.id}/results"
    few = await client.get(url)
    assert "from 3 answers on" in few.text and "Idée Alice" not in few.text
    assert (await client.get(url + ".csv")).status_code == 409
    await team.answer(survey, team.carol)
    enough = await client.get(url)
    assert "Idée Alice" in enough.text and "Alice Martin" not in enough.text
    csv = (await client.get(url + ".csv")).text.lstrip("\ufeff")
    assert csv.splitlines()[0].startswith("Quel rythme ?") and "Alice" not in csv.split("\n", 1)[1].replace("Idée Alice", "")
    assert len(csv.strip().splitlines()) == 4


async def test_who_may_do_what(client, team, factory):
    survey = await team.survey()
    url = f"{team.url}/{survey.id}"
    q = await team.questions(survey)
    # An observer reads the survey but cannot answer.
    await client.login_as(team.observer)
    page = await client.get(url)
    assert page.status_code == 200 and "lets you read this survey, not answer it" in page.text
    assert (await client.post_form(url, {f"q{q[0].id}": "0"})).status_code == 403
    # A logged-in outsider is told to join; a visitor to log in.
    await client.login_as(team.outsider)
    refused = await client.get(team.url)
    assert refused.status_code == 403 and "Join it to take part" in refused.text
    client.logout_locally()
    visitor = await client.get(team.url)
    assert visitor.status_code == 303 and visitor.headers["location"].startswith("/login")
    # Members cannot manage.
    await client.login_as(team.alice)
    assert (await client.get(team.url + "/new")).status_code == 403
    assert (await client.post_form(url + "/close")).status_code == 403
    # In a private community outsiders learn nothing.
    hidden = await factory.community("cercle", visibility="private", coordinator=team.coordinator)
    await client.login_as(team.outsider)
    assert (await client.get("/c/cercle/surveys")).status_code == 404
    assert hidden


async def test_an_archived_community_keeps_its_results_read_only(client, team):
    from tisserand.communities import archive_community

    survey = await team.survey()
    await team.answer(survey, team.alice)
    q = await team.questions(survey)
    await close_now(survey, await team.fresh())
    await archive_community(await team.fresh(), team.coordinator)
    await client.login_as(team.alice)
    assert (await client.get(f"{team.url}/{survey.id}/results")).status_code == 200
    assert (await client.post_form(f"{team.url}/{survey.id}", {f"q{q[0].id}": "0"})).status_code == 409
    await client.login_as(team.coordinator)
    assert (await client.post_form(team.url + "/new", {"title": "Nouveau"})).status_code == 409


async def test_questions_freeze_once_someone_answered(client, team):
    survey = await team.survey()
    await team.answer(survey, team.alice)
    q = await team.questions(survey)
    await client.login_as(team.coordinator)
    edit = await client.get(f"{team.url}/{survey.id}/edit")
    assert "can no longer change" in edit.text
    refused = await client.post_form(f"{team.url}/{survey.id}/questions/{q[0].id}", {"action": "delete"})
    assert refused.status_code == 409
    to_anonymous = await client.post_form(f"{team.url}/{survey.id}/edit", {"title": "Bilan", "anonymous": "anonymous",
                                                                           "recurrence_months": "0"})
    assert to_anonymous.status_code == 422 and "stays named" in to_anonymous.text
    copy = await client.post_form(f"{team.url}/{survey.id}/copy")
    assert copy.status_code == 303
    duplicate = await Survey.filter(community_id=team.community.id).order_by("-id").first()
    assert duplicate.id != survey.id and not duplicate.published
    assert [x.ref for x in await team.questions(duplicate)] == [x.ref for x in q]


async def test_results_page_queries_do_not_grow_with_answers(client, team, factory):
    from tisserand.testing.queries import count_queries

    survey = await team.survey()
    await team.answer(survey, team.alice, text="un")
    await client.login_as(team.coordinator)
    url = f"{team.url}/{survey.id}/results"
    await client.get(url)
    with count_queries() as few:
        assert (await client.get(url)).status_code == 200
    for index in range(12):
        member = await factory.member(f"extra{index}")
        await factory.add_member(await team.fresh(), member)
        await team.answer(survey, member, multiple=[0, 1, 2], text=f"idée {index}")
    with count_queries() as many:
        assert (await client.get(url)).status_code == 200
    assert len(many) == len(few), many.statements


async def test_pages_speak_french_with_french_typography(client, team, factory):
    survey = await team.survey(anonymous=True)
    french = await factory.member("francoise", locale="fr")
    await factory.add_member(await team.fresh(), french)
    await client.login_as(french)
    page = await client.get(f"{team.url}/{survey.id}")
    assert "Ce sondage est anonyme." in page.text and "Envoyer mes réponses" in page.text
    assert "Sondages" in page.text and ">Ouvert<" in page.text
    # A no-break space before the colon, a narrow one before the question mark.
    assert "Vos réponses sont enregistrées sans votre nom ni aucun lien avec votre compte\u00a0:" in page.text
    early = await client.get(f"{team.url}/{survey.id}/results")
    assert "Les résultats seront publiés à la clôture du sondage" in early.text
