"""The moderation part of the archive bundle (written and read back through the core's Bundle),
trust levels computed from activity, and the digest section for staff."""

from datetime import UTC, datetime, timedelta

from tisserand.bundle import FORMAT, MANIFEST, SUPPORTED_FORMAT_VERSIONS, Bundle
from tisserand.models import Member
from tisserand.plugins.moderation import trust
from tisserand.plugins.moderation.bundle import export_rows, import_rows
from tisserand.plugins.moderation.models import Appeal, Flag, Review, Sanction, Trust, WatchedWord

from .conftest import post_note


async def test_export_and_import_keep_flags_sanctions_appeals_and_words(site, client, factory, place, tmp_path):
    community = place["community"]
    note = await factory.content(community, place["troll"], kind="notes.note", body="Une pique")
    await client.login_as(place["members"][0])
    await client.api("POST", f"/api/v1/content/{note.id}/flags", json={"reason": "troll", "note": "pique"})
    client.logout_locally()
    await client.login_as(place["coordinator"])
    await client.api("POST", "/api/v1/communities/atelier/moderation/words", json={"pattern": "patate", "action": "block"})
    await client.api("PUT", "/api/v1/communities/atelier/moderation/settings", json={"flag_threshold": 4})
    given = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                             json={"kind": "warning", "reason": "Courtoisie"})
    client.logout_locally()
    await client.login_as(place["troll"])
    appealed = await client.api("POST", "/api/v1/moderation/appeals",
                                json={"sanction": given.json()["id"], "message": "Je conteste cet avertissement."})
    assert appealed.status_code == 201

    path = tmp_path / "bundle.zip"
    bundle = Bundle.create(path)
    bundle.include_private = True
    await export_rows(community, bundle)
    referenced = set(bundle.member_refs)
    bundle.write_json(MANIFEST, {"format": FORMAT, "format_version": max(SUPPORTED_FORMAT_VERSIONS),
                                 "plugins": {"moderation": {"version": "test"}}, "files": {}})
    bundle.close()
    assert {place["troll"].id, place["members"][0].id, place["coordinator"].id} <= referenced

    copy = await factory.community("copie", coordinator=place["coordinator"])
    twin = await factory.content(copy, place["troll"], kind="notes.note", body="Une pique")
    reading = Bundle.open(path)
    reading.content_ids = {note.id: twin.id}
    reading.member_ids = {m.id: m.id for m in await Member.all()}
    await import_rows(copy, reading)
    reading.close()

    flag = await Flag.get(community_id=copy.id)
    assert (flag.content_id, flag.member_id, flag.reason, flag.note) == (twin.id, place["members"][0].id, "troll", "pique")
    assert await Review.filter(community_id=copy.id, content_id=twin.id).exists()
    sanction = await Sanction.get(community_id=copy.id)
    assert (sanction.kind, sanction.reason, sanction.created_by_id) == ("warning", "Courtoisie", place["coordinator"].id)
    appeal = await Appeal.get(community_id=copy.id)
    assert appeal.sanction_id == sanction.id and appeal.message == "Je conteste cet avertissement."
    assert await WatchedWord.filter(community_id=copy.id, pattern="patate", action="block").exists()
    from tisserand.plugins.moderation.config import community_settings

    assert (await community_settings(copy)).flag_threshold == 4
    client.logout_locally()
    await client.login_as(place["troll"])
    await factory.add_member(copy, place["troll"])
    refused = await post_note(client, "copie", "Une PATATE")
    assert refused.status_code == 422  # the imported word is in force at once


async def test_a_public_export_leaves_personal_moderation_data_out(site, factory, place, tmp_path):
    note = await factory.content(place["community"], place["troll"], kind="notes.note", body="x")
    await Flag.create(content_id=note.id, community_id=place["community"].id, member_id=place["members"][0].id,
                      reason="spam", weight=1)
    bundle = Bundle.create(tmp_path / "public.zip")
    bundle.include_private = False
    await export_rows(place["community"], bundle)
    names = bundle.zip.namelist()
    bundle.close()
    assert "moderation/words.jsonl" in names and "moderation/flags.jsonl" not in names


async def test_trust_levels_follow_activity_and_upheld_flags(site, factory, place, clock):
    member = place["members"][0]
    assert (await trust.levels_of([member.id]))[member.id] == 0
    await Member.filter(id=member.id).update(created_at=datetime.now(UTC) - timedelta(days=30))
    for n in range(6):
        await factory.content(place["community"], member, kind="notes.note", body=f"Contribution {n}")
    for _day in range(10):  # the hourly job sees a visit on ten different days
        await Member.filter(id=member.id).update(last_seen_at=clock.now())
        await trust.refresh(site)
        clock.forward(days=1)
    row = await Trust.get(member_id=member.id)
    assert (row.days_visited, row.posts_written) == (10, 6)
    assert row.level == 2  # member: 10 days, 5 posts, 14 days old (reading is not counted here)
    weights = site.plugin_settings("moderation")
    assert weights.level(row.level).flag_weight == 1.5
    notes = await Member.get(id=member.id)
    for n in range(2):
        item = await factory.content(place["community"], notes, kind="notes.note", body=f"Pique {n}")
        await Flag.create(content_id=item.id, community_id=place["community"].id, member_id=place["coordinator"].id,
                          reason="troll", weight=1, state="upheld", resolved_at=clock.now())
    await trust.refresh(site, [member.id])
    row = await Trust.get(member_id=member.id)
    assert row.flags_upheld == 2 and row.level == 1  # two upheld flags: back to basic
    await trust.lock(notes, 3)
    assert (await trust.levels_of([member.id]))[member.id] == 3


async def test_reading_counts_come_from_plugins(site_factory, factory_plugins=None):
    from tisserand import hookimpl

    class Reader:
        @hookimpl
        def moderation_posts_read(self, member_ids):
            return {member_id: 1000 for member_id in member_ids}

    site = await site_factory(extra_plugins={"reader": Reader()})
    from tisserand.testing.factory import Factory

    factory = Factory(site)
    member = await factory.member("lectrice")
    await Member.filter(id=member.id).update(created_at=datetime.now(UTC) - timedelta(days=3),
                                             last_seen_at=datetime.now(UTC))
    community = await factory.community("lecture", members={member: "member"})
    await factory.content(community, member, body="Bonjour")
    await trust.refresh(site)
    row = await Trust.get(member_id=member.id)
    assert row.posts_read == 1000 and row.days_visited == 1 and row.level == 0  # one day visited: not yet basic


async def test_staff_digest_mentions_the_waiting_items(site, factory, place):
    from tisserand.plugins.moderation.digest import sections

    await factory.content(place["community"], place["troll"], kind="notes.note", body="Espèce de connard")
    [section] = await sections(place["animator"], place["community"])
    assert "1" in section.items[0].text and section.items[0].url == "/c/atelier/moderation"
    assert await sections(place["members"][0], place["community"]) == []
