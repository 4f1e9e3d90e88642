"""One row helper: raw SQL rows read the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

from tisserand.db import as_datetime, as_json, fetch_all, fetch_one, utcnow


def test_timestamps_come_back_aware_in_utc_whatever_the_database_gave():
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert as_datetime("2026-03-01T09:30:00+00:00") == moment
    assert as_datetime("2026-03-01 09:30:00") == moment  # SQLite without an offset: UTC
    assert as_datetime("2026-03-01T09:30:00Z") == moment
    assert as_datetime(datetime(2026, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))).tzinfo == UTC
    assert as_datetime(moment.replace(tzinfo=None)) == moment
    assert [as_datetime(value) for value in (None, "", "not a date", 42)] == [None, None, None, None]


def test_json_columns_come_back_decoded_with_a_default_for_nothing():
    assert as_json('{"a": [1, 2]}') == {"a": [1, 2]}
    assert as_json(b'["x"]') == ["x"]
    assert as_json({"already": True}) == {"already": True}
    assert as_json(None, {}) == {} and as_json("", []) == [] and as_json("{broken", {}) == {}


def test_now_is_aware():
    assert utcnow().tzinfo is not None


async def test_fetch_decodes_the_named_columns_on_both_databases(site_factory):
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=[])
    factory = Factory(site)
    member = await factory.member("lea")
    await factory.community("atelier", coordinator=member)
    rows = await fetch_all("SELECT created_at, plugins FROM community", datetimes=["created_at"],
                           json=["plugins", "absent"])
    assert isinstance(rows[0]["created_at"], datetime) and rows[0]["created_at"].tzinfo == UTC
    assert rows[0]["plugins"] is None or isinstance(rows[0]["plugins"], list)
    row = await fetch_one("SELECT created_at FROM member WHERE id = ?", [member.id], datetimes=["created_at"])
    assert row is not None and abs(row["created_at"] - utcnow()) < timedelta(minutes=5)


def _fields(obj):
    return {name: getattr(obj, name) for name in obj._meta.db_fields}


async def test_model_from_row_reads_a_raw_row_as_the_orm_does(site_factory):
    from tisserand.db import model_from_row
    from tisserand.models import Community, Member, Membership
    from tisserand.testing.factory import Factory

    site = await site_factory(enabled=[])
    factory = Factory(site)
    member = await factory.member("lea")
    community = await factory.community("atelier", coordinator=member)
    await Member.filter(id=member.id).update(last_seen_at=utcnow())

    row = await fetch_one("SELECT * FROM member WHERE id = ?", [member.id])
    built = model_from_row(Member, row)
    expected = await Member.get(id=member.id)
    assert _fields(built) == _fields(expected)
    assert built.created_at.tzinfo is not None and built.last_seen_at is not None

    row = await fetch_one(
        "SELECT cm.*, ms.id AS ms__id, ms.member_id AS ms__member_id, ms.community_id AS ms__community_id, "
        "ms.role AS ms__role, ms.state AS ms__state, ms.invited_by_id AS ms__invited_by_id, "
        "ms.created_at AS ms__created_at, ms.updated_at AS ms__updated_at "
        "FROM community cm JOIN membership ms ON ms.community_id = cm.id WHERE cm.id = ?", [community.id])
    assert _fields(model_from_row(Community, row)) == _fields(await Community.get(id=community.id))
    membership = model_from_row(Membership, row, "ms__")
    assert _fields(membership) == _fields(await Membership.get(community_id=community.id, member_id=member.id))
    assert membership.role == "coordinator"


async def test_partial_model_converts_as_the_orm_and_cannot_be_saved(site_factory):
    import pytest

    from tisserand.db import partial_model
    from tisserand.models import Content, ContentStatus

    content = partial_model(Content, id=7, kind="forum.topic", status="published", meta={"a": 1})
    assert content.status is ContentStatus.PUBLISHED and content.meta == {"a": 1}
    assert content.title is None and content.community_id is None
    other = partial_model(Content, id=8)
    assert other.status is None and other.meta is None  # nothing shared with the first
    await site_factory(enabled=[])
    with pytest.raises(Exception, match="partial"):
        await content.save()
