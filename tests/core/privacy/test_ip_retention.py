"""IP addresses are kept only as long as the site says, then purged by a periodic job."""

from datetime import UTC, datetime, timedelta

from tisserand.ip_retention import purge_ip_addresses
from tisserand.jobs import all_jobs
from tisserand.models import AuditLog, Session
from tisserand.testing.factory import PASSWORD


async def test_old_ip_addresses_are_purged_and_recent_ones_kept(site, factory, client):
    alice = await factory.member()
    login = await client.post_form("/login", {"login": alice.username, "password": PASSWORD})
    assert login.status_code == 303
    session = await Session.get(member_id=alice.id)
    assert session.ip  # the address the session came from
    old = await Session.create(key_hash="x" * 64, member=alice, csrf_token="t", ip="203.0.113.7",
                               expires_at=datetime.now(UTC) + timedelta(days=1))
    await Session.filter(id=old.id).update(created_at=datetime.now(UTC) - timedelta(days=31))
    line = await AuditLog.create(actor=alice, action="auth.break_glass", target_kind="member",
                                 target_id=alice.id, data={"member": alice.username, "ip": "203.0.113.7"})
    await AuditLog.filter(id=line.id).update(created_at=datetime.now(UTC) - timedelta(days=31))

    assert "core.ip_purge" in all_jobs(site)
    assert await purge_ip_addresses(site) == 2
    assert (await Session.get(id=old.id)).ip is None
    assert (await Session.get(id=session.id)).ip == session.ip
    assert "ip" not in (await AuditLog.get(id=line.id)).data


async def test_the_retention_period_is_the_sites(site, factory):
    alice = await factory.member()
    row = await Session.create(key_hash="y" * 64, member=alice, csrf_token="t", ip="198.51.100.2",
                               expires_at=datetime.now(UTC) + timedelta(days=1))
    await Session.filter(id=row.id).update(created_at=datetime.now(UTC) - timedelta(days=5))
    assert await purge_ip_addresses(site) == 0
    site.settings.privacy.ip_retention_days = 3
    try:
        assert await purge_ip_addresses(site) == 1
    finally:
        site.settings.privacy.ip_retention_days = 30
