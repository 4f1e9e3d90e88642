"""Surveys in a real browser: a member answers a survey, changes an answer, and a coordinator
reads the live results with their charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, screenshot, serving


@pytest.fixture(scope="module")
def surveys_live(tmp_path_factory):
    """A server with the surveys plugin only (other plugins' state cannot break this test)."""
    with serving(tmp_path_factory, "surveys-live", ["surveys"]) as site:
        yield site


def prepare(live):
    async def make(site):
        from tisserand.auth import open_session
        from tisserand.plugins.surveys.lifecycle import publish
        from tisserand.plugins.surveys.questions import QuestionInput
        from tisserand.plugins.surveys.service import SurveyInput, create_survey
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        coordinator = await factory.member("coco", display_name="Coco Coordinatrice")
        alice = await factory.member("alice", display_name="Alice Martin")
        community = await factory.community("jardins", coordinator=coordinator, members={alice: "member"})
        survey = await create_survey(community, coordinator, SurveyInput(
            "Bilan de saison", "Quatre questions, deux minutes.", anonymous=True, recurrence_months=4), [
            QuestionInput("single", "Quel rythme ?", options=["Chaque semaine", "Chaque mois"], required=True),
            QuestionInput("multiple", "Quels formats ?", options=["Café virtuel", "Atelier", "Visite"]),
            QuestionInput("scale", "Satisfaction", low_label="Pas du tout", high_label="Tout à fait"),
            QuestionInput("text", "Une idée ?"),
        ])
        await publish(survey, community, now=True)
        secrets = {}
        for member in (coordinator, alice):
            secrets[member.username], _session = await open_session(site.settings, member, "browser")
        return secrets, survey.id

    return live.run(make)


def test_a_member_answers_a_survey_and_the_coordinator_reads_the_results(surveys_live, new_page):
    live = surveys_live
    secrets, survey_id = prepare(live)
    alice = logged_in(new_page, live, secrets["alice"])
    alice.goto(live.url + "/c/jardins")
    alice.get_by_role("link", name="Surveys").click()
    alice.get_by_role("link", name="Bilan de saison").click()
    expect(alice.get_by_role("note")).to_contain_text("This survey is anonymous.")
    # Forgetting the required question: the browser asks for it before sending anything.
    alice.get_by_label("Café virtuel").check()
    alice.get_by_role("button", name="Send my answers").click()
    assert alice.get_by_label("Chaque mois").evaluate("input => input.validity.valueMissing")
    expect(alice.get_by_label("Café virtuel")).to_be_checked()
    alice.get_by_label("Chaque mois").check()
    alice.get_by_label("Atelier").check()
    # The 1–5 scale is keyboard friendly: radio buttons styled as round buttons.
    alice.get_by_label("4", exact=True).check()
    alice.get_by_label("4. Une idée ?").fill("Des visites de jardins voisins")
    alice.get_by_role("button", name="Send my answers").click()
    expect(alice.get_by_role("status")).to_contain_text("Thank you, your answers are saved.")
    expect(alice.get_by_label("Chaque mois")).to_be_checked()
    screenshot(alice, "surveys-answered")
    # A change while the survey is open, from the same browser.
    alice.get_by_label("Chaque semaine").check()
    alice.get_by_role("button", name="Change my answers").click()
    expect(alice.get_by_role("status")).to_contain_text("Your answers are changed.")
    # Members wait for the survey to close to see the results.
    response = alice.goto(f"{live.url}/c/jardins/surveys/{survey_id}/results")
    assert response.status == 403

    coordinator = logged_in(new_page, live, secrets["coco"])
    coordinator.goto(f"{live.url}/c/jardins/surveys/{survey_id}/results")
    expect(coordinator.locator(".notice.live")).to_contain_text("Live results")
    # Anonymous: results appear only from three answers on.
    expect(coordinator.get_by_text("appear from 3 answers on")).to_be_visible()
    screenshot(coordinator, "surveys-results-withheld")


def test_results_have_accessible_charts_once_enough_members_answered(surveys_live, new_page):
    live = surveys_live

    async def more(site):
        from tisserand.auth import open_session
        from tisserand.models import Community, Member
        from tisserand.plugins.surveys.answers import submit
        from tisserand.plugins.surveys.models import Survey
        from tisserand.plugins.surveys.service import questions_of
        from tisserand.testing.factory import Factory

        factory = Factory(site)
        community = await Community.get(slug="jardins")
        survey = await Survey.filter(community_id=community.id).first()
        questions = await questions_of(survey)
        for index, name in enumerate(("bruno", "chloe")):
            member = await factory.member(name)
            await factory.add_member(community, member)
            await submit(survey, community, member, {str(questions[0].id): [str(index % 2)],
                                                     str(questions[2].id): ["5"]})
        coordinator = await Member.get(username="coco")
        secret, _session = await open_session(site.settings, coordinator, "browser")
        return secret, survey.id

    secret, survey_id = live.run(more)
    page = logged_in(new_page, live, secret)
    page.goto(f"{live.url}/c/jardins/surveys/{survey_id}/results")
    expect(page.get_by_text("3 members answered.")).to_be_visible()
    chart = page.get_by_role("img", name="Quel rythme ?")
    expect(chart).to_be_visible()
    page.get_by_text("Show the numbers as a table").first.click()
    expect(page.get_by_role("row", name="Chaque semaine").first).to_be_visible()
    expect(page.get_by_text("Des visites de jardins voisins")).to_be_visible()
    screenshot(page, "surveys-results")
