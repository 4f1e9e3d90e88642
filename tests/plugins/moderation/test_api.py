"""The moderation API: flags, decisions, sanctions, appeals, watched words; who may do what."""

from datetime import UTC, datetime, timedelta

from tisserand.auth import create_token
from tisserand.models import ApiToken, AuditLog, Content, Membership, Notification, Session
from tisserand.plugins.moderation.models import Flag, Review, Sanction
from tisserand.plugins.moderation.sanctions import expire_due
from tisserand.testing.client import TestClient

from .conftest import post_note


async def note_by(factory, place, body="Une note ordinaire sur nos pratiques.", author=None):
    return await factory.content(place["community"], author or place["troll"], kind="notes.note", body=body)


async def test_one_flag_per_member_per_item_with_a_reason(client, factory, place):
    note = await note_by(factory, place)
    await client.login_as(place["members"][0])
    url = f"/api/v1/content/{note.id}/flags"
    assert (await client.api("POST", url, json={"reason": "nonsense"})).status_code == 422
    other = await client.api("POST", url, json={"reason": "other"})
    assert other.status_code == 422 and "note" in other.json()["error"]["fields"]
    assert (await client.api("POST", url, json={"reason": "spam"})).status_code == 201
    again = await client.api("POST", url, json={"reason": "troll"})
    assert again.status_code == 409
    assert "already flagged" in again.json()["error"]["message"]
    assert await Flag.filter(content_id=note.id).count() == 1


async def test_own_content_and_outsiders_cannot_flag(client, factory, place):
    note = await note_by(factory, place)
    await client.login_as(place["troll"])
    own = await client.api("POST", f"/api/v1/content/{note.id}/flags", json={"reason": "spam"})
    assert own.status_code == 422
    outsider = await factory.member("passant")
    client.logout_locally()
    await client.login_as(outsider)
    refused = await client.api("POST", f"/api/v1/content/{note.id}/flags", json={"reason": "spam"})
    assert refused.status_code == 403
    client.logout_locally()
    assert (await client.api("POST", f"/api/v1/content/{note.id}/flags", json={"reason": "spam"})).status_code == 401


async def test_private_content_is_not_found_for_outsiders(client, factory, place):
    secret_place = await factory.community("cercle", visibility="private", coordinator=place["coordinator"])
    note = await factory.content(secret_place, place["coordinator"], kind="notes.note", body="Entre nous")
    await client.login_as(place["troll"])
    for method, url, body in [("POST", f"/api/v1/content/{note.id}/flags", {"reason": "spam"}),
                              ("POST", f"/api/v1/content/{note.id}/moderation", {"action": "hide"}),
                              ("GET", "/api/v1/communities/cercle/moderation/queue", None)]:
        answer = await client.api(method, url, json=body)
        assert answer.status_code == 404, (url, answer.text)


async def test_an_animator_cannot_moderate_in_another_community(client, factory, place):
    other_animator = await factory.member("autre")
    await factory.community("ailleurs", members={other_animator: "animator"})
    note = await note_by(factory, place)
    await client.login_as(other_animator)
    hide = await client.api("POST", f"/api/v1/content/{note.id}/moderation", json={"action": "hide"})
    assert hide.status_code == 403
    queue = await client.api("GET", "/api/v1/communities/atelier/moderation/queue")
    assert queue.status_code == 403
    sanction = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                                json={"kind": "silence", "reason": "Hors de ma communauté"})
    assert sanction.status_code == 403
    words = await client.api("POST", "/api/v1/communities/atelier/moderation/words",
                             json={"pattern": "patate", "action": "block"})
    assert words.status_code == 403
    assert (await Content.get(id=note.id)).status == "published"
    assert await Sanction.all().count() == 0


async def test_decisions_move_the_item_settle_flags_and_tell_the_author(client, factory, place):
    note = await note_by(factory, place, body="Venez sur mon site pour une offre limitée, achetez maintenant !")
    await Flag.create(content_id=note.id, community_id=place["community"].id, member_id=place["members"][0].id,
                      reason="spam", weight=1)
    await client.login_as(place["animator"])
    url = f"/api/v1/content/{note.id}/moderation"
    hidden = await client.api("POST", url, json={"action": "hide", "reason": "Publicité"})
    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["status"] == "hidden" and hidden.json()["status_reason"] == "Publicité"
    assert (await Flag.get(content_id=note.id)).state == "upheld"
    conflict = await client.api("POST", url, json={"action": "hide"})
    assert conflict.status_code == 409
    restored = await client.api("POST", url, json={"action": "restore"})
    assert restored.json()["status"] == "published"
    assert (await Flag.get(content_id=note.id)).state == "dismissed"
    edited = await client.api("POST", url, json={"action": "edit", "body": "Texte corrigé par l'équipe."})
    assert edited.json()["body"] == "Texte corrigé par l'équipe."
    deleted = await client.api("POST", url, json={"action": "delete", "reason": "Spam"})
    assert deleted.json()["status"] == "deleted"
    kinds = await Notification.filter(member_id=place["troll"].id).values_list("kind", flat=True)
    assert {"moderation.hide", "moderation.restore", "moderation.delete"} <= set(kinds)
    log = await AuditLog.filter(target_id=note.id).values_list("action", flat=True)
    assert {"content.hidden", "content.published", "content.deleted", "moderation.edit"} <= set(log)


async def test_approving_a_held_item_publishes_it(client, place):
    await client.login_as(place["troll"])
    held = (await post_note(client, "atelier", "Tabarnak, c'est encore en panne")).json()
    assert held["status"] == "pending"
    client.logout_locally()
    await client.login_as(place["coordinator"])
    approved = await client.api("POST", f"/api/v1/content/{held['id']}/moderation", json={"action": "approve"})
    assert approved.json()["status"] == "published"
    assert (await Review.get(content_id=held["id"])).decision == "approve"
    queue = await client.api("GET", "/api/v1/communities/atelier/moderation/queue")
    assert queue.json()["items"] == []


async def test_a_silenced_member_cannot_bypass_through_the_api(app, client, place):
    troll = place["troll"]
    await client.login_as(place["animator"])
    until = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    given = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                             json={"kind": "silence", "until": until, "reason": "Insultes"})
    assert given.status_code == 201
    token = await create_token(troll, "script")
    async with TestClient.for_app(app) as script:
        script.use_token(token)
        note = await post_note(script, "atelier", "Par un jeton d'API alors ?")
        assert note.status_code == 403 and "silenced" in note.json()["error"]["message"]
        reply = await post_note(script, "atelier", "Une réponse ?", parent=None)
        assert reply.status_code == 403
    other = await post_note(client, "atelier", "Note de l'animateur")
    async with TestClient.for_app(app) as script:
        script.use_token(token)
        flag = await script.api("POST", f"/api/v1/content/{other.json()['id']}/flags", json={"reason": "spam"})
        assert flag.status_code == 403
    assert await Content.filter(author_id=troll.id).count() == 0


async def test_roles_limit_who_may_sanction_whom(client, place):
    await client.login_as(place["animator"])
    coordinator = await client.api("POST", "/api/v1/communities/atelier/members/coralie/sanctions",
                                   json={"kind": "warning", "reason": "Non"})
    assert coordinator.status_code == 403
    ban = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                           json={"kind": "ban", "reason": "Spam"})
    assert ban.status_code == 403 and "administrators" in ban.json()["error"]["message"]
    no_reason = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                                 json={"kind": "silence", "reason": " "})
    assert no_reason.status_code == 422
    past = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                            json={"kind": "silence", "reason": "x", "until": "2001-01-01T00:00:00+00:00"})
    assert past.status_code == 422
    warning = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                               json={"kind": "warning", "reason": "Restez courtois"})
    assert warning.status_code == 201
    notice = await Notification.get(member_id=place["troll"].id, kind="moderation.sanction.warning")
    assert "Restez courtois" in notice.text


async def test_a_suspension_removes_the_member_until_it_ends(site, client, place, clock):
    await client.login_as(place["coordinator"])
    given = await client.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                             json={"kind": "suspend", "reason": "Harcèlement"})
    assert given.status_code == 201, given.text
    assert not await Membership.filter(member_id=place["troll"].id, community_id=place["community"].id).exists()
    clock.forward(days=7, minutes=1)
    assert await expire_due(site) == 1
    back = await Membership.get(member_id=place["troll"].id, community_id=place["community"].id)
    assert (back.role, back.state) == ("member", "active")


async def test_a_ban_ends_sessions_and_tokens_and_refuses_log_in(site, app, client, factory, clock):
    from tisserand.auth import log_in
    from tisserand.errors import Forbidden
    from tisserand.testing.factory import PASSWORD

    admin = await factory.member("admin", admin=True)
    spammer = await factory.member("spammeur")
    await factory.community("place", coordinator=admin, members={spammer: "member"})
    token = await create_token(spammer)
    async with TestClient.for_app(app) as browser:
        await browser.login_as(spammer)
        assert (await browser.get("/c/place")).status_code == 200
        await client.login_as(admin)
        until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
        banned = await client.api("POST", "/api/v1/communities/place/members/spammeur/sanctions",
                                  json={"kind": "ban", "until": until, "reason": "Spam commercial"})
        assert banned.status_code == 201
        assert await Session.filter(member_id=spammer.id).count() == 0
        assert await ApiToken.filter(member_id=spammer.id).count() == 0
        page = await browser.get("/me")
        assert page.status_code in (302, 303, 401)
    async with TestClient.for_app(app) as script:
        script.use_token(token)
        assert (await script.api("GET", "/api/v1/me")).status_code == 401
    try:
        await log_in(site, "spammeur", PASSWORD)
        raise AssertionError("a banned member logged in")
    except Forbidden as refused:
        assert "banned" in refused.message and "Spam commercial" in refused.message
    clock.forward(days=30, minutes=1)
    assert (await log_in(site, "spammeur", PASSWORD)).id == spammer.id


async def test_an_author_appeals_once_and_a_coordinator_answers(client, factory, place, app):
    note = await note_by(factory, place)
    async with TestClient.for_app(app) as moderator:
        await moderator.login_as(place["animator"])
        await moderator.api("POST", f"/api/v1/content/{note.id}/moderation", json={"action": "hide", "reason": "Ton"})
    await client.login_as(place["troll"])
    short = await client.api("POST", "/api/v1/moderation/appeals", json={"content": note.id, "message": "non"})
    assert short.status_code == 422
    appeal = await client.api("POST", "/api/v1/moderation/appeals",
                              json={"content": note.id, "message": "C'était une critique, pas une insulte."})
    assert appeal.status_code == 201, appeal.text
    twice = await client.api("POST", "/api/v1/moderation/appeals",
                             json={"content": note.id, "message": "Je redemande, s'il vous plaît."})
    assert twice.status_code == 409
    told = await Notification.filter(kind="moderation.appeal").values_list("member_id", flat=True)
    assert list(told) == [place["coordinator"].id]
    async with TestClient.for_app(app) as animator:
        await animator.login_as(place["animator"])
        refused = await animator.api("POST", f"/api/v1/moderation/appeals/{appeal.json()['id']}/answer",
                                     json={"accept": True})
        assert refused.status_code == 403
    async with TestClient.for_app(app) as coordinator:
        await coordinator.login_as(place["coordinator"])
        answered = await coordinator.api("POST", f"/api/v1/moderation/appeals/{appeal.json()['id']}/answer",
                                         json={"accept": True, "answer": "D'accord, c'est rétabli."})
        assert answered.status_code == 200 and answered.json()["state"] == "accepted"
    assert (await Content.get(id=note.id)).status == "published"
    answer = await Notification.get(member_id=place["troll"].id, kind="moderation.appeal.answer")
    assert "accepted" in answer.title


async def test_watched_words_per_community_and_site(client, factory, place):
    admin = await factory.member("admin", admin=True)
    await client.login_as(place["coordinator"])
    added = await client.api("POST", "/api/v1/communities/atelier/moderation/words",
                             json={"pattern": "patate*", "action": "replace", "replacement": "légume"})
    assert added.status_code == 201, added.text
    allowed = await client.api("POST", "/api/v1/communities/atelier/moderation/words",
                               json={"pattern": "tabarnak", "action": "allow"})
    assert allowed.status_code == 201
    bad = await client.api("POST", "/api/v1/communities/atelier/moderation/words", json={"pattern": "x", "action": "hold"})
    assert bad.status_code == 422 and "pattern" in bad.json()["error"]["fields"]
    site_words = await client.api("GET", "/api/v1/moderation/words")
    assert site_words.status_code == 403
    client.logout_locally()
    await client.login_as(place["troll"])
    note = await post_note(client, "atelier", "Des PATATES et tabarnak !")
    assert note.json()["status"] == "published" and note.json()["body"] == "Des légume et tabarnak !"
    client.logout_locally()
    await client.login_as(admin)
    domain = await client.api("POST", "/api/v1/moderation/words",
                              json={"kind": "domain", "pattern": "spam-shop.example", "action": "block"})
    assert domain.status_code == 201
    listed = await client.api("GET", "/api/v1/moderation/words")
    assert any(w["pattern"] == "connard" and w["scope"] == "default" for w in listed.json()["items"])
    client.logout_locally()
    await client.login_as(place["troll"])
    refused = await post_note(client, "atelier", "Voir https://www.spam-shop.example/promo")
    assert refused.status_code == 422 and "spam-shop.example" in refused.json()["error"]["message"]


async def test_the_log_is_for_coordinators(client, factory, place):
    note = await note_by(factory, place)
    await client.login_as(place["animator"])
    await client.api("POST", f"/api/v1/content/{note.id}/moderation", json={"action": "hide", "reason": "Hors sujet"})
    assert (await client.api("GET", "/api/v1/communities/atelier/moderation/log")).status_code == 403
    client.logout_locally()
    await client.login_as(place["coordinator"])
    log = await client.api("GET", "/api/v1/communities/atelier/moderation/log")
    assert log.status_code == 200
    entry = log.json()["items"][0]
    assert (entry["action"], entry["actor"], entry["reason"]) == ("content.hidden", "anatole", "Hors sujet")


async def test_an_archived_community_is_read_only_for_moderation(client, factory, place):
    from tisserand.communities import archive_community

    note = await note_by(factory, place)
    await archive_community(place["community"], place["coordinator"])
    await client.login_as(place["members"][0])
    flag = await client.api("POST", f"/api/v1/content/{note.id}/flags", json={"reason": "spam"})
    assert flag.status_code == 409 and flag.json()["error"]["code"] == "read_only"
    client.logout_locally()
    await client.login_as(place["animator"])
    assert (await client.api("GET", "/api/v1/communities/atelier/moderation/queue")).status_code == 200
    hide = await client.api("POST", f"/api/v1/content/{note.id}/moderation", json={"action": "hide"})
    assert hide.status_code == 409
    assert await Flag.all().count() == 0
