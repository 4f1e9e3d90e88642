"""The community's calls to all and digest choices go into its archive bundle and come back."""

from __future__ import annotations

from zipfile import ZipFile

from tisserand.bundle import Bundle
from tisserand.plugins.digests.bundle import export_community, import_community
from tisserand.plugins.digests.calls import create_call
from tisserand.plugins.digests.models import Call, CommunityPreference
from tisserand.plugins.digests.preferences import save_choices


async def test_calls_and_choices_round_trip(dsite, dfactory, tmp_path):
    coordinator = await dfactory.member("coord")
    reader = await dfactory.member("reader")
    community = await dfactory.community("source", coordinator=coordinator, members={reader: "member"})
    call = await create_call(dsite, community, coordinator, "Hello all", "Welcome!")
    await save_choices(dsite, reader, communities={"source": "daily"})

    path = tmp_path / "bundle.zip"
    bundle = Bundle.create(str(path))
    await export_community(community, bundle)
    bundle.close()

    target = await dfactory.community("target", coordinator=coordinator, members={reader: "member"})
    copy = await dfactory.content(target, coordinator, kind="digests.call", title="Hello all")
    restored = Bundle(ZipFile(path), writing=False)
    restored.content_ids = {call.content.id: copy.id}
    restored.member_ids = {coordinator.id: coordinator.id, reader.id: reader.id}
    await import_community(target, restored)
    restored.close()

    imported = await Call.get(community_id=target.id)
    assert imported.content_id == copy.id and imported.author_id == coordinator.id
    assert imported.dispatched_at is not None  # nobody is told again
    choice = await CommunityPreference.get(community_id=target.id)
    assert choice.member_id == reader.id and choice.frequency == "daily"
