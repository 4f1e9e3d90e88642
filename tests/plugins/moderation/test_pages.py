"""The moderation pages, as people use them without JavaScript: the review queue (constant in
queries), decisions, the flag form, a member's own page and appeal, sanctions, watched words,
the log and the site administrators' page."""

from datetime import UTC, datetime, timedelta

from tisserand.models import Content, Membership, Notification
from tisserand.plugins.moderation.models import Appeal, Flag, Sanction, WatchedWord
from tisserand.testing.queries import count_queries


async def held_notes(factory, place, count):
    notes = []
    for n in range(count):
        notes.append(await factory.content(place["community"], place["troll"], kind="notes.note",
                                           title=f"Note {n}", body=f"Espèce de connard numéro {n}"))
    return notes


async def test_the_queue_shows_items_with_flags_score_and_history(client, factory, place):
    notes = await held_notes(factory, place, 2)
    await Flag.create(content_id=notes[0].id, community_id=place["community"].id, member_id=place["members"][0].id,
                      reason="abuse", note="Insulte directe", weight=1)
    await client.login_as(place["animator"])
    page = await client.get("/c/atelier/moderation")
    assert page.status_code == 200
    html = page.text
    assert "Review queue" in html and "Note 0" in html and "Note 1" in html
    assert "Insulte directe" in html and "Insult, harassment or hate" in html
    assert "Watched word or link" in html and "connard" in html
    assert "/c/atelier/notes/" in html  # the link to the item comes from the kind's plugin
    assert "Le Troll" in html and "Trust: New" in html
    assert 'name="action" value="approve"' in html


async def test_the_queue_stays_constant_in_queries(client, factory, place):
    await held_notes(factory, place, 2)
    await client.login_as(place["coordinator"])
    await client.get("/c/atelier/moderation")  # warm the caches of templates and policies
    with count_queries() as few:
        assert (await client.get("/c/atelier/moderation")).status_code == 200
    others = [await factory.member(f"troll{n}") for n in range(6)]
    for n, other in enumerate(others):
        await factory.add_member(place["community"], other)
        note = await factory.content(place["community"], other, kind="notes.note", body=f"Tabarnak {n}")
        await Flag.create(content_id=note.id, community_id=place["community"].id, member_id=place["members"][0].id,
                          reason="troll", weight=1)
    with count_queries() as many:
        page = await client.get("/c/atelier/moderation")
    assert page.text.count('class="card queue-item"') == 8
    assert len(many) == len(few), many.statements


async def test_a_moderator_decides_from_the_queue(client, factory, place):
    [note] = await held_notes(factory, place, 1)
    await client.login_as(place["animator"])
    answer = await client.post_form(f"/c/atelier/moderation/items/{note.id}", {"action": "approve"})
    assert answer.status_code == 303
    assert (await Content.get(id=note.id)).status == "published"
    after = await client.get(answer.headers["location"])
    assert "Approved" in after.text and "Nothing waits for review" in after.text
    hidden = await client.post_form(f"/c/atelier/moderation/items/{note.id}", {"action": "hide", "reason": "Insulte"})
    assert hidden.status_code == 303
    assert (await Content.get(id=note.id)).status_reason == "Insulte"
    edit = await client.get(f"/c/atelier/moderation/items/{note.id}/edit")
    assert edit.status_code == 200 and "Publish it once edited" in edit.text
    saved = await client.post_form(f"/c/atelier/moderation/items/{note.id}/edit",
                                   {"title": "Note", "body": "Texte apaisé.", "approve": "1"})
    assert saved.status_code == 303
    note = await Content.get(id=note.id)
    assert (note.body, note.status) == ("Texte apaisé.", "published")


async def test_members_get_their_own_page_not_the_queue(client, factory, place):
    [note] = await held_notes(factory, place, 1)
    await client.login_as(place["troll"])
    queue = await client.get("/c/atelier/moderation")
    assert queue.status_code == 303 and queue.headers["location"].endswith("/moderation/mine")
    assert (await client.post_form(f"/c/atelier/moderation/items/{note.id}", {"action": "approve"})).status_code == 403
    mine = await client.get("/c/atelier/moderation/mine")
    assert mine.status_code == 200
    assert "Your posts waiting for review or removed" in mine.text and "Waiting for review" in mine.text
    assert "How moderation works here" in mine.text
    client.logout_locally()
    visitor = await client.get("/c/atelier/moderation")
    assert visitor.status_code == 401 or "/login" in visitor.headers.get("location", "")


async def test_flagging_and_appealing_through_the_forms(client, app, factory, place):
    from tisserand.testing.client import TestClient

    note = await factory.content(place["community"], place["troll"], kind="notes.note", body="Les animateurs sont nuls.")
    for member in place["members"]:
        async with TestClient.for_app(app) as other:
            await other.login_as(member)
            form = await other.get(f"/c/atelier/moderation/flag/{note.id}")
            assert form.status_code == 200 and "What is wrong?" in form.text
            missing = await other.post_form(f"/c/atelier/moderation/flag/{note.id}", {"reason": "other"})
            assert missing.status_code == 422 and "Say in a few words" in missing.text
            sent = await other.post_form(f"/c/atelier/moderation/flag/{note.id}", {"reason": "troll"})
            assert sent.status_code == 303 and sent.headers["location"] == f"/c/atelier/notes/{note.id}"
    assert (await Content.get(id=note.id)).status == "hidden"
    await client.login_as(place["troll"])
    mine = await client.get("/c/atelier/moderation/mine")
    assert "Hidden after reports from members" in mine.text and "Appeal to the coordinators" in mine.text
    sent = await client.post_form("/c/atelier/moderation/appeal",
                                  {"content": str(note.id), "message": "Je critiquais l'organisation, pas les personnes."})
    assert sent.status_code == 303
    appeal = await Appeal.get(content_id=note.id)
    mine = await client.get("/c/atelier/moderation/mine")
    assert "You appealed" in mine.text and "Send my appeal" not in mine.text
    client.logout_locally()
    await client.login_as(place["coordinator"])
    page = await client.get("/c/atelier/moderation/appeals")
    assert "Je critiquais" in page.text
    answered = await client.post_form(f"/c/atelier/moderation/appeals/{appeal.id}",
                                      {"decision": "refuse", "answer": "Le ton reste blessant."})
    assert answered.status_code == 303
    assert (await Appeal.get(id=appeal.id)).state == "refused"


async def test_sanctions_from_the_member_page(client, place, clock):
    await client.login_as(place["animator"])
    page = await client.get("/c/atelier/moderation/members/trolleur")
    assert page.status_code == 200 and "Sanction Le Troll" in page.text
    assert 'value="ban"' not in page.text  # animators cannot ban from the site
    missing = await client.post_form("/c/atelier/moderation/members/trolleur",
                                     {"kind": "silence", "duration": "24h", "reason": ""})
    assert missing.status_code == 422 and "Give a reason" in missing.text
    later = datetime.now(UTC) + timedelta(days=60)
    given = await client.post_form("/c/atelier/moderation/members/trolleur",
                                   {"kind": "silence", "duration": "custom", "until": later.strftime("%Y-%m-%dT%H:%M"),
                                    "reason": "Attaques personnelles"})
    assert given.status_code == 303
    sanction = await Sanction.get(member_id=place["troll"].id)
    assert sanction.kind == "silence" and sanction.ends_at.date() in (later.date(), (later - timedelta(days=1)).date())
    listing = await client.get("/c/atelier/moderation/sanctions")
    assert "Attaques personnelles" in listing.text and "Lift now" in listing.text
    lifted = await client.post_form(f"/c/atelier/moderation/sanctions/{sanction.id}/lift", {"reason": "Excuses faites"})
    assert lifted.status_code == 303
    assert (await Sanction.get(id=sanction.id)).close_reason == "Excuses faites"
    coordinator = await client.post_form("/c/atelier/moderation/members/coralie",
                                         {"kind": "warning", "reason": "Non"})
    assert coordinator.status_code == 403 or "equal to or above" in coordinator.text


async def test_watched_words_and_settings_pages(client, place):
    await client.login_as(place["animator"])
    page = await client.get("/c/atelier/moderation/words")
    assert page.status_code == 200 and "Save the entry" not in page.text  # animators read, coordinators edit
    refused = await client.post_form("/c/atelier/moderation/words", {"pattern": "patate", "action": "block"})
    assert refused.status_code == 403
    client.logout_locally()
    await client.login_as(place["coordinator"])
    bad = await client.post_form("/c/atelier/moderation/words", {"pattern": "ab*", "action": "hold", "kind": "word"})
    assert bad.status_code == 422 and "three letters" in bad.text
    added = await client.post_form("/c/atelier/moderation/words", {"pattern": "patate", "action": "block", "kind": "word"})
    assert added.status_code == 303
    row = await WatchedWord.get(community_id=place["community"].id)
    page = await client.get("/c/atelier/moderation/words")
    assert "patate" in page.text and "default list (fr)" in page.text
    removed = await client.post_form(f"/c/atelier/moderation/words/{row.id}/delete")
    assert removed.status_code == 303 and not await WatchedWord.exists()
    saved = await client.post_form("/c/atelier/moderation/settings", {"flag_threshold": "5", "hold_first_posts": ""})
    assert saved.status_code == 303
    wrong = await client.post_form("/c/atelier/moderation/settings", {"flag_threshold": "beaucoup"})
    assert wrong.status_code == 422
    log = await client.get("/c/atelier/moderation/log")
    assert "changed the settings" in log.text and "changed a watched word" in log.text


async def test_the_site_page_is_for_admins(client, factory, place):
    await client.login_as(place["coordinator"])
    assert (await client.get("/moderation")).status_code == 403
    admin = await factory.member("admin", admin=True)
    client.logout_locally()
    await client.login_as(admin)
    page = await client.get("/moderation")
    assert page.status_code == 200 and "The default lists" in page.text and "connard" in page.text
    added = await client.post_form("/moderation", {"form": "word", "pattern": "spam.example", "kind": "domain",
                                                   "action": "block"})
    assert added.status_code == 303
    banned = await client.post_form("/moderation", {"form": "ban", "username": "trolleur", "duration": "7d",
                                                    "reason": "Spam sur tout le site"})
    assert banned.status_code == 303
    ban = await Sanction.get(kind="ban")
    assert ban.member_id == place["troll"].id and ban.community_id is None
    assert await Notification.filter(member_id=place["troll"].id, kind="moderation.sanction.ban").exists()
    assert await Membership.filter(member_id=place["troll"].id).exists()  # a ban does not touch memberships


async def test_a_report_link_under_other_peoples_posts(client, site, factory, place):
    from types import SimpleNamespace

    from tisserand.plugins.moderation.plugin import content_actions

    note = await factory.content(place["community"], place["troll"], kind="notes.note", body="Une note")
    request = SimpleNamespace(url=SimpleNamespace(path="/c/atelier/notes/1"), path_params={"slug": "atelier"})
    link = str(content_actions(content=note, viewer=place["members"][0], request=request))
    assert f'href="/moderation/flag/{note.id}?next=/c/atelier/notes/1"' in link and ">Report<" in link
    assert content_actions(content=note, viewer=place["troll"], request=request) is None
    assert content_actions(content=note, viewer=None, request=request) is None
    from tisserand.plugins.moderation.plugin import content_actions_batch

    own = await factory.content(place["community"], place["members"][0], kind="notes.note", body="Mine")
    page = content_actions_batch(contents=[note, own], viewer=place["members"][0], request=request)
    assert list(page) == [note.id] and str(page[note.id]) == link
    await client.login_as(place["members"][0])
    form = await client.get(f"/moderation/flag/{note.id}?next=/c/atelier/notes/1")
    assert form.status_code == 200 and 'name="next" value="/c/atelier/notes/1"' in form.text
    sent = await client.post_form(f"/c/atelier/moderation/flag/{note.id}", {"reason": "spam", "next": "/c/atelier/notes/1"})
    assert sent.status_code == 303 and sent.headers["location"] == "/c/atelier/notes/1"
