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
