"""Surveys go into a community's archive bundle and come back, anonymity included."""

from __future__ import annotations

from zipfile import ZipFile

from tisserand.bundle import Bundle
from tisserand.db import fetch_all
from tisserand.plugins.surveys.bundle import export_surveys, import_surveys
from tisserand.plugins.surveys.lifecycle import close_now
from tisserand.plugins.surveys.models import Ballot, Participation, Survey
from tisserand.plugins.surveys.results import results_of


async def test_surveys_round_trip_through_a_bundle(tmp_path, team, factory):
    named = await team.survey(title="Nommé")
    anonymous = await team.survey(anonymous=True, recurrence=4, title="Anonyme")
    for member, text in ((team.alice, "A"), (team.bob, "B"), (team.carol, "C")):
        await team.answer(named, member, single=1, multiple=[0, 2], scale=3, text=f"named {text}")
        await team.answer(anonymous, member, single=0, scale=5, text=f"anon {text}")
    await close_now(anonymous, await team.fresh())
    path = tmp_path / "bundle.zip"
    bundle = Bundle.create(path)
    await export_surveys(await team.fresh(), bundle)
    bundle.close()
    assert {team.coordinator.id, team.alice.id, team.bob.id, team.carol.id} <= bundle.member_refs
    with ZipFile(path) as archive:
        ballots = archive.read("surveys/ballots.jsonl").decode()
    # Anonymous ballots leave without anyone attached.
    assert ballots.count('"member_id": null') == 3

    copy = await factory.community("copie", coordinator=team.coordinator)
    reading = Bundle(ZipFile(path), writing=False)
    reading._names = set(reading.zip.namelist())  # what Bundle.open() reads from the zip's directory
    reading.member_ids = {m.id: m.id for m in (team.coordinator, team.alice, team.bob, team.carol)}
    await import_surveys(copy, reading)
    assert sorted(await Survey.filter(community_id=copy.id).values_list("title", flat=True)) == [
        "Anonyme", "Anonyme", "Nommé"]
    restored = await Survey.get(community_id=copy.id, title="Nommé")
    assert await Participation.filter(survey_id=restored.id).count() == 3
    before = await results_of(named)
    after = await results_of(restored)
    assert [r.counts for r in after.questions] == [r.counts for r in before.questions]
    assert sorted(t["text"] for t in after.questions[3].texts) == ["named A", "named B", "named C"]
    restored_anonymous = await Survey.filter(community_id=copy.id, title="Anonyme", round=1).first()
    rows = await fetch_all("SELECT member_id, key_hash FROM surveys_ballot WHERE survey_id = ?", [restored_anonymous.id])
    assert len(rows) == 3 and all(r["member_id"] is None and r["key_hash"] is None for r in rows)
    # The next round made when the anonymous survey closed belongs to the same series.
    rounds = await Survey.filter(community_id=copy.id, title="Anonyme").order_by("round")
    assert [s.round for s in rounds] == [1, 2] and {s.series_id for s in rounds} == {rounds[0].id}
    assert await Ballot.filter(survey_id=rounds[1].id).count() == 0
