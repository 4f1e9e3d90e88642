"""The session cookie is read in one query with its member: every property of the ORM's read
holds (expiry, inactive members, the CSRF token, a member that can be saved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tisserand.auth import open_session, session_for
from tisserand.models import Member, Session


async def test_session_for_gives_the_same_rows_as_the_orm(site, factory):
    alice = await factory.member("alice", display_name="Alice Martin")
    await Member.filter(id=alice.id).update(profile_visibility={"city": "members"}, latitude=45.5)
    secret, _stored = await open_session(site.settings, alice, "tests")
    session = await session_for(secret)
    assert session is not None
    reference = await Session.get(key_hash=session.key_hash).select_related("member")
    for name in ("id", "key_hash", "csrf_token", "user_agent", "ip", "created_at", "last_seen_at", "expires_at",
                 "member_id"):
        assert getattr(session, name) == getattr(reference, name), name
    member = session.member
    for name in Member._meta.db_fields:
        assert getattr(member, name) == getattr(reference.member, name), name
    assert member.profile_visibility == {"city": "members"} and member.is_active is True
    assert session.expires_at.tzinfo is not None
    member.city = "Lyon"  # a real model: it saves
    await member.save(update_fields=["city"])
    assert (await Member.get(id=alice.id)).city == "Lyon"
    assert await session_for(secret + "x") is None


async def test_expired_sessions_and_inactive_members_are_visitors(client, site, factory):
    alice = await factory.member("alice")
    await client.login_as(alice)
    assert "Log out" in (await client.get("/me")).text
    session = await Session.get(member_id=alice.id)
    await Session.filter(id=session.id).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert (await client.get("/me")).status_code == 303  # to the log-in page
    await Session.filter(id=session.id).update(expires_at=datetime.now(UTC) + timedelta(days=1))
    assert (await client.get("/me")).status_code == 200
    await Member.filter(id=alice.id).update(is_active=False)
    assert (await client.get("/me")).status_code == 303
    # A form with the session's CSRF token from a visitor who is no longer signed in is refused.
    refused = await client.post_form("/logout", {})
    assert refused.status_code == 403
