"""The scheduler: invitations when a survey opens, results when it closes, the next round of a
recurring survey; rounds compared side by side; digests and the home page reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.models import Notification
from tisserand.plugins.surveys.lifecycle import publish, shift_months
from tisserand.plugins.surveys.models import Survey
from tisserand.plugins.surveys.schedule import digest_sections, home_panel, tick
from tisserand.plugins.surveys.service import utcnow


async def test_a_recurring_survey_opens_closes_and_comes_back_four_months_later(site, team):
    survey = await team.survey(open_now=False, recurrence=4)
    start = utcnow() + timedelta(days=1)
    survey.opens_at, survey.closes_at = start, start + timedelta(days=14)
    await survey.save()
    await publish(survey, await team.fresh(), now=False)
    assert await tick(site) == {"invited": 0, "finished": 0}
    assert not await Notification.filter(kind="surveys.invitation").exists()
    # The day it opens, the scheduler invites the members (once, however often it runs).
    assert (await tick(site, now=start + timedelta(minutes=1)))["invited"] == 1
    assert await tick(site, now=start + timedelta(minutes=6)) == {"invited": 0, "finished": 0}
    assert await Notification.filter(kind="surveys.invitation").count() == 4
    survey = await Survey.get(id=survey.id)
    survey.opens_at = utcnow() - timedelta(minutes=1)
    await survey.save()
    await team.answer(survey, team.alice, single=0, scale=5)
    await team.answer(survey, team.bob, single=0, scale=4)
    # Pretend the two weeks went by.
    survey.opens_at, survey.closes_at = utcnow() - timedelta(days=14), utcnow() - timedelta(minutes=1)
    await survey.save()
    assert (await tick(site))["finished"] == 1
    assert set(await Notification.filter(kind="surveys.results").values_list("member_id", flat=True)) == {
        team.alice.id, team.bob.id}
    following = await Survey.get(series_id=survey.id, round=2)
    assert following.published and following.anonymous == survey.anonymous
    assert following.opens_at == shift_months(survey.opens_at, 4)
    assert following.closes_at == shift_months(survey.closes_at, 4)
    assert [q.ref for q in await team.questions(following)] == [q.ref for q in await team.questions(survey)]
    # Running again makes no third round.
    await tick(site)
    assert await Survey.filter(series_id=survey.id).count() == 2


def test_months_are_shifted_on_the_calendar():
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    end_of_october = datetime(2026, 10, 31, 9, 0, tzinfo=paris)
    assert shift_months(end_of_october.astimezone(UTC), 4).astimezone(paris).date().isoformat() == "2027-02-28"


async def test_two_rounds_side_by_side(client, site, team):
    first = await team.survey(recurrence=4)
    for member, single, scale in ((team.alice, 0, 2), (team.bob, 0, 3), (team.carol, 1, 2)):
        await team.answer(first, member, single=single, scale=scale)
    from tisserand.plugins.surveys.lifecycle import close_now

    await close_now(first, await team.fresh())
    second = await Survey.get(series_id=first.id, round=2)
    second.opens_at, second.closes_at = utcnow() - timedelta(minutes=5), utcnow() + timedelta(days=5)
    await second.save()
    for member, single, scale in ((team.alice, 1, 5), (team.bob, 1, 4)):
        await team.answer(second, member, single=single, scale=scale)
    await client.login_as(team.coordinator)
    results = await client.get(f"{team.url}/{second.id}/results")
    assert f"compare?with={first.id}" in results.text and "Compare with round 1" in results.text
    page = await client.get(f"{team.url}/{second.id}/compare?with={first.id}")
    assert page.status_code == 200
    text = page.text
    assert text.index("Round 1") < text.index("Round 2")
    # Averages 2.33 then 4.5; counts of both rounds in one table.
    assert "2.33" in text and "4.5" in text
    assert "Hebdomadaire: 2 (67%) / 0 (0%)" in text
    # Members see the comparison only once both rounds are closed.
    await client.login_as(team.alice)
    assert (await client.get(f"{team.url}/{second.id}/compare?with={first.id}")).status_code == 403
    assert (await client.get(f"{team.url}/{first.id}/compare?with=999999")).status_code == 404


async def test_digests_list_open_surveys_until_answered_and_then_results(site, team):
    survey = await team.survey()
    community = await team.fresh()
    since, until = utcnow() - timedelta(days=7), utcnow() + timedelta(seconds=1)
    sections = await digest_sections(team.alice, community, since, until)
    assert len(sections) == 1 and sections[0].title == "Surveys"
    assert sections[0].items[0].text == "Bilan de saison"
    assert sections[0].items[0].url == f"{team.url}/{survey.id}"
    assert await digest_sections(team.observer, community, since, until) == []
    assert await digest_sections(team.outsider, community, since, until) == []
    await team.answer(survey, team.alice)
    assert await digest_sections(team.alice, community, since, until) == []
    from tisserand.plugins.surveys.lifecycle import close_now

    await close_now(survey, community)
    later = utcnow() + timedelta(seconds=2)
    items = (await digest_sections(team.observer, community, since, later))[0].items
    assert items[0].url == f"{team.url}/{survey.id}/results"


async def test_the_home_page_reminds_members_with_a_survey_to_answer(site, team):
    survey = await team.survey()
    community = await team.fresh()
    panel = await home_panel(community, team.bob)
    assert panel is not None and f'href="{team.url}/{survey.id}"' in panel and "Bilan de saison" in panel
    assert await home_panel(community, None) is None
    assert await home_panel(community, team.observer) is None
    await team.answer(survey, team.bob)
    assert await home_panel(community, team.bob) is None


async def test_closing_a_round_early_keeps_the_series_rhythm_for_the_next_round(site, team):
    """Closed a few minutes after it opened, a two-week survey still comes back for two weeks,
    at the planned date: the early close is not the series' rhythm."""
    from tisserand.plugins.surveys.lifecycle import close_now

    survey = await team.survey(open_now=False, recurrence=4)
    start = utcnow() - timedelta(minutes=4)
    planned_end = start + timedelta(days=14)
    survey.opens_at, survey.closes_at, survey.published = start, planned_end, True
    await survey.save()
    await close_now(survey, await team.fresh())
    following = await Survey.get(series_id=survey.id, round=2)
    assert following.opens_at == shift_months(start, 4)
    assert following.closes_at == shift_months(planned_end, 4)
    assert following.closes_at - following.opens_at > timedelta(days=13)


async def test_a_survey_scheduled_by_a_demoted_animator_does_not_open(client, site, team):
    from tisserand.communities import set_role

    survey = await team.survey(open_now=False)
    start = utcnow() + timedelta(days=1)
    survey.opens_at, survey.closes_at = start, start + timedelta(days=14)
    await survey.save()
    await client.login_as(team.animator)
    scheduled = await client.post_form(f"/c/saison/surveys/{survey.id}/open", {"when": "later"})
    assert scheduled.status_code == 303
    assert (await Survey.get(id=survey.id)).author_id == team.animator.id
    await set_role(team.coordinator, await team.fresh(), team.animator, "member")  # no longer animates
    assert (await tick(site, now=start + timedelta(minutes=1)))["invited"] == 0
    assert not await Notification.filter(kind="surveys.invitation").exists()
    assert not (await Survey.get(id=survey.id)).published  # back to draft, for a manager to decide
