"""The right to erasure: closing one's account, with a grace period, and nothing personal left."""

import json
from datetime import UTC, datetime, timedelta

from tisserand.account_closing import close_due_accounts
from tisserand.db import fetch_all
from tisserand.models import AccountClosing, AuditLog, Content, Member, Session
from tisserand.testing.factory import PASSWORD


async def _every_row_as_text() -> dict[str, str]:
    """Every table of the database (models or not: search indexes too), as text, by table."""
    from tisserand.db import connection

    dialect = connection().capabilities.dialect
    if dialect == "sqlite":
        tables = [r["name"] for r in await fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    else:
        tables = [r["tablename"] for r in await fetch_all(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    dump = {}
    for table in tables:
        try:
            rows = await fetch_all(f'SELECT * FROM "{table}"')
        except Exception:  # FTS5 shadow tables that cannot be read directly
            continue
        dump[table] = json.dumps(rows, default=str, ensure_ascii=False).lower()
    return dump


async def _close(client, member, content="anonymize", password=PASSWORD):
    await client.login_as(member)
    return await client.api("DELETE", "/api/v1/me", {"password": password, "content": content})


async def _run_due(site, member):
    await AccountClosing.filter(member_id=member.id).update(due_at=datetime.now(UTC) - timedelta(seconds=1))
    return await close_due_accounts(site)


async def test_closing_needs_the_password_and_signs_out_everywhere(site, factory, client):
    alice = await factory.member()
    response = await _close(client, alice, password="not-my-password")
    assert response.status_code == 403
    assert "password" in response.json()["error"]["message"]
    assert not await AccountClosing.exists(member_id=alice.id)
    response = await _close(client, alice)
    assert response.status_code == 202, response.text
    assert "14 days" in response.json()["message"]
    closing = await AccountClosing.get(member_id=alice.id)
    assert closing.mode == "anonymize"
    assert closing.due_at - datetime.now(UTC) > timedelta(days=13)
    assert not await Session.exists(member_id=alice.id)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_signing_in_within_the_grace_period_cancels(site, factory, client):
    alice = await factory.member()
    assert (await _close(client, alice)).status_code == 202
    client.logout_locally()
    login = await client.post_form("/login", {"login": alice.username, "password": PASSWORD})
    assert login.status_code == 303
    assert not await AccountClosing.exists(member_id=alice.id)
    assert await close_due_accounts(site) == 0
    assert (await Member.get(id=alice.id)).username == alice.username
    assert await AuditLog.exists(action="account.closing_cancelled", target_id=alice.id)


async def test_the_last_coordinator_is_asked_to_name_another_first(site, factory, client):
    alice = await factory.member()
    await factory.community(coordinator=alice, name="Jardins partagés")
    response = await _close(client, alice)
    assert response.status_code == 409
    assert "Jardins partagés" in response.json()["error"]["message"]
    assert not await AccountClosing.exists(member_id=alice.id)


async def test_the_account_page_closes_after_the_password(site, factory, client):
    alice = await factory.member()
    await client.login_as(alice)
    page = await client.get("/me")
    assert 'action="/me/close"' in page.text
    response = await client.post_form("/me/close", {"content": "delete", "password": PASSWORD})
    assert response.status_code == 303
    assert (await AccountClosing.get(member_id=alice.id)).mode == "delete"


async def _busy_member(factory, client):
    alice = await factory.member("zoewhistler", display_name="Zoé Whistler", email="zoe.whistler@example.org")
    bob = await factory.member("bobbyfrank")
    community = await factory.community(coordinator=bob, members={alice: "member"})
    await client.login_as(alice)
    topic = (await client.api("POST", f"/api/v1/communities/{community.slug}/forum/topics",
                              {"title": "Semis de printemps", "body": "Mes semis de tomates."})).json()
    assert (await client.api("PUT", "/api/v1/me/digest", {"frequency": "weekly"})).status_code == 200
    await client.login_as(bob)
    bobs = (await client.api("POST", f"/api/v1/communities/{community.slug}/forum/topics",
                             {"title": "Bob's topic", "body": "Hello all"})).json()
    await client.api("POST", f"/api/v1/forum/topics/{topic['id']}/posts", {"body": "Belles tomates !"})
    await client.login_as(alice)
    await client.api("POST", f"/api/v1/forum/topics/{bobs['id']}/posts", {"body": "Merci Bob."})
    await client.api("POST", f"/api/v1/content/{bobs['id']}/flags", {"reason": "other", "note": "test"})
    return alice, bob, community, topic


PERSONAL = ("zoewhistler", "zoe.whistler", "zoé whistler")


async def test_after_anonymization_nothing_personal_remains_in_any_table(site, factory, client):
    alice, bob, community, topic = await _busy_member(factory, client)
    before = await _every_row_as_text()
    assert any("zoewhistler" in text for text in before.values())  # the scan does see her
    assert (await _close(client, alice, "anonymize")).status_code == 202
    assert await _run_due(site, alice) == 1
    after = await _every_row_as_text()
    leaks = {table: word for table, text in after.items() for word in PERSONAL if word in text}
    assert leaks == {}
    # what she wrote stays, signed by a former member; the audit log keeps the fact
    kept = await Content.get(id=topic["id"])
    assert kept.body == "Mes semis de tomates." and kept.author_id == alice.id
    shell = await Member.get(id=alice.id)
    assert not shell.is_active and shell.username.startswith("former-member-")
    assert await AuditLog.exists(action="account.closed", target_id=alice.id)
    page = await client.get(f"/c/{community.slug}/forum/t/{topic['id']}-semis-de-printemps")
    assert page.status_code == 200 and "Mes semis de tomates." in page.text
    assert "Zoé" not in page.text and "zoewhistler" not in page.text


async def test_after_deletion_what_they_wrote_is_gone(site, factory, client):
    alice, bob, community, topic = await _busy_member(factory, client)
    from tisserand.search import set_search_text

    await set_search_text(topic["id"], "le texte caché dans son fichier")  # as a resource's file
    assert (await _close(client, alice, "delete")).status_code == 202
    assert await _run_due(site, alice) == 1
    after = await _every_row_as_text()
    leaks = {table: word for table, text in after.items()
             for word in (*PERSONAL, "mes semis de tomates", "merci bob", "caché dans son fichier")
             if word in text}
    assert leaks == {}
    assert (await client.get(f"/api/v1/content/{topic['id']}")).status_code == 404


