"""Round trip: export → import into an empty site → export again gives the same data, with
every installed built-in plugin's data (filled through their demo_content hooks and public API)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tisserand.content import set_status
from tisserand.demo import populate
from tisserand.models import Community, Content, Member, Membership
from tisserand.plugins.archive import lifecycle
from tisserand.plugins.archive.export import export_community
from tisserand.plugins.archive.importer import import_bundle
from tisserand.plugins.archive.models import Objective, Reminder, Season
from tisserand.testing.factory import Factory


def assert_same(first: dict, second: dict) -> None:
    """Compare file by file, so that a failure names every file that differs (and shows the
    first difference of each)."""
    assert sorted(first) == sorted(second)
    problems = []
    for name in first:
        if first[name] != second[name]:
            a, b = first[name], second[name]
            if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
                index = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
                a, b = a[index], b[index]
            if isinstance(a, dict) and isinstance(b, dict):
                a, b = ({k: v for k, v in a.items() if b.get(k) != v}, {k: v for k, v in b.items() if a.get(k) != v})
            problems.append(f"{name}: {a!r} became {b!r}")
    assert not problems, "differs after the round trip:\n" + "\n".join(problems)


async def test_round_trip_of_a_small_community_is_lossless(site, factory, empty_site, normalized, tmp_path):
    alice = await factory.member("alice", display_name="Alice Martin")
    bob = await factory.member("bob")
    carol = await factory.member("carol")
    community = await factory.community("jardins", coordinator=alice, members={bob: "animator", carol: "member"},
                                        visibility="private", name="Jardins partagés")
    topic = await factory.content(community, bob, title="Semis d'automne", body="On sème **quoi** ?")
    reply = await factory.content(community, carol, title="", body="Des fèves !", parent=topic)
    await factory.content(community, carol, title="", body="Et de l'ail.", parent=reply)
    hidden = await factory.content(community, bob, title="Publicité", body="spam")
    await set_status(hidden, "hidden", actor=alice, reason="spam")
    season = await lifecycle.create_season(community, alice, name="Automne", starts_on=date(2026, 9, 1),
                                           ends_on=date(2026, 11, 30), objectives=["Semer", "Pailler"])
    first = await Objective.filter(season=season).order_by("position").first()
    await lifecycle.mark_objective(community, first, bob, True)
    await lifecycle.set_end(site, community, alice, lifecycle.today(site) + timedelta(days=20))
    community = await Community.get(id=community.id)
    await Reminder.create(community=community, ends_on=community.ends_on, days_before=30)
    await lifecycle.archive(site, community, alice, "Fin de saison")
    await Member.filter(id=carol.id).update(latitude=45.5, longitude=-73.6, city="Montréal")

    first_path, second_path = tmp_path / "first.zip", tmp_path / "second.zip"
    community = await Community.get(slug="jardins")
    await export_community(site, community, first_path)

    other = await empty_site(site)
    result = await import_bundle(other, first_path)
    assert result.community.slug == "jardins"
    assert sorted(result.placeholders) == ["alice", "bob", "carol"]
    imported = await Community.get(slug="jardins")
    assert imported.is_archived and imported.visibility == "private"
    assert await Content.filter(community=imported).count() == 4
    assert await Season.filter(community=imported).count() == 1
    carol_again = await Member.get(username="carol")
    assert carol_again.is_placeholder and carol_again.city == "" and carol_again.latitude is None
    await export_community(other, imported, second_path)

    assert_same(normalized(first_path), normalized(second_path))


async def test_import_matches_existing_members_by_username(site, factory, tmp_path):
    alice = await factory.member("alice")
    bob = await factory.member("bob")
    community = await factory.community("source", coordinator=alice, members={bob: "member"})
    await factory.content(community, bob, title="Bonjour", body="Salut")
    path = tmp_path / "b.zip"
    await export_community(site, community, path)

    result = await import_bundle(site, path, slug="copie")
    assert sorted(result.matched) == ["alice", "bob"] and result.placeholders == []
    copy = await Community.get(slug="copie")
    roles = {m.member_id: m.role for m in await Membership.filter(community=copy)}
    assert roles == {alice.id: "coordinator", bob.id: "member"}
    item = await Content.get(community=copy)
    assert item.author_id == bob.id and item.title == "Bonjour"


@pytest.mark.parametrize("slug", ["animateurs", "open-data", "climat-local", "comite-direction"])
async def test_round_trip_with_every_plugins_demo_data(site, empty_site, normalized, tmp_path, slug):
    """Every installed plugin fills the demo communities through its ``demo_content`` hook."""
    await populate(site)
    factory = Factory(site)
    community = await Community.get(slug=slug)
    await factory.content(community, await Member.get(username="camille"), title="Extra", body="[[Guide]] @amelia")
    first_path, second_path = tmp_path / "first.zip", tmp_path / "second.zip"
    await export_community(site, community, first_path, include_private=True)

    other = await empty_site(site)
    await import_bundle(other, first_path)
    await export_community(other, await Community.get(slug=slug), second_path, include_private=True)

    first, second = normalized(first_path), normalized(second_path)
    assert first["manifest.json"]["counts"]["content"] > 0
    assert_same(first, second)
