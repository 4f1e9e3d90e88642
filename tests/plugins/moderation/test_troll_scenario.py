"""The troll scenario of issue 7, end to end through the API and the pages: hostile content
is held by watched words, a post flagged by three members is hidden and its author told why,
an animator silences the troll for 24 hours, who then cannot post (with a clear message, also
not through the API) and can post again once the silence has ended."""

from tisserand.models import AuditLog, Content, Notification
from tisserand.plugins.moderation.models import Flag, Review, Sanction
from tisserand.plugins.moderation.sanctions import expire_due
from tisserand.testing.client import TestClient

from .conftest import post_note


async def test_a_troll_is_held_then_hidden_then_silenced_then_back(site, app, client, place, clock):
    community, troll, animator = place["community"], place["troll"], place["animator"]

    # 1. Hostile content is held for review by the watched words, whatever the spelling.
    await client.login_as(troll)
    held = await post_note(client, "atelier", "Vous êtes tous des CONNNARDS, bande de c0nnards !")
    assert held.status_code == 201, held.text
    assert held.json()["status"] == "pending"
    assert "review" in held.json()["status_reason"]
    review = await Review.get(content_id=held.json()["id"])
    assert (review.state, review.cause) == ("open", "held")
    assert "connard" in review.reason and review.reason.startswith("watched|")
    staff_notices = await Notification.filter(kind="moderation.review", community_id=community.id)
    assert {n.member_id for n in staff_notices} == {place["coordinator"].id, animator.id}

    # 2. A provocation without any watched word is published...
    published = await post_note(client, "atelier", "Les animateurs de cette communauté ne servent à rien.")
    assert published.json()["status"] == "published"
    note_id = published.json()["id"]

    # ... then three members flag it: the third flag hides it and the author is told why.
    for number, member in enumerate(place["members"], start=1):
        async with TestClient.for_app(app) as other:
            await other.login_as(member)
            flagged = await other.api("POST", f"/api/v1/content/{note_id}/flags",
                                      json={"reason": "troll", "note": "Provocation gratuite"})
            assert flagged.status_code == 201, flagged.text
            assert flagged.json()["content_status"] == ("hidden" if number == 3 else "published")
    hidden = await Content.get(id=note_id)
    assert hidden.status == "hidden"
    assert "reports from members" in hidden.status_reason
    told = await Notification.get(member_id=troll.id, kind="moderation.hidden")
    assert "hidden" in told.title and "trolling or provocation (3)" in told.text

    # 3. The animator sees both items in the queue and silences the troll for 24 hours.
    async with TestClient.for_app(app) as moderator:
        await moderator.login_as(animator)
        queue = await moderator.api("GET", "/api/v1/communities/atelier/moderation/queue")
        assert queue.status_code == 200
        items = {item["content"]["id"]: item for item in queue.json()["items"]}
        assert set(items) == {held.json()["id"], note_id}
        assert len(items[note_id]["flags"]) == 3 and items[note_id]["author"]["username"] == "trolleur"
        given = await moderator.api("POST", "/api/v1/communities/atelier/members/trolleur/sanctions",
                                    json={"kind": "silence", "reason": "Provocations répétées"})
        assert given.status_code == 201, given.text
        assert given.json()["active"] is True

    # 4. Silenced: the API answers 403 with until when, and so does the form.
    refused = await post_note(client, "atelier", "Je peux encore parler ?")
    assert refused.status_code == 403
    message = refused.json()["error"]["message"]
    assert "silenced" in message and "until" in message and "Provocations répétées" in message
    form = await client.post_form("/c/atelier/notes", {"body": "Et par le formulaire ?"})
    assert form.status_code == 403
    assert "silenced" in form.text
    assert await Content.filter(author_id=troll.id).count() == 2

    # 5. Twenty-four hours later the silence has ended: the troll may post again.
    clock.forward(hours=24, minutes=1)
    again = await post_note(client, "atelier", "Bon, je reviens avec une vraie question sur les wikis.")
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "published"
    assert await expire_due(site) == 1
    sanction = await Sanction.get(member_id=troll.id)
    assert sanction.closed_at is not None and sanction.close_reason == "ended"

    # Every step is in the audit log.
    actions = set(await AuditLog.filter(community_id=community.id).values_list("action", flat=True))
    assert {"moderation.flag", "content.hidden", "moderation.sanction.silence", "moderation.sanction.end"} <= actions
    assert await Flag.filter(content_id=note_id, state="open").count() == 3


async def test_french_messages_for_a_french_troll(site, app, client, place, factory):
    francophone = await factory.member("gaston", locale="fr")
    await factory.add_member(place["community"], francophone)
    await client.login_as(francophone)
    held = await post_note(client, "atelier", "Quelle bande d'enculés.")
    assert held.json()["status"] == "pending"
    assert held.json()["status_reason"].startswith("En attente de relecture\u00a0: il contient un mot")
    answers = [await post_note(client, "atelier", f"Message {n} de présentation, bonjour à tous") for n in range(4)]
    slow = answers[-1]
    assert slow.status_code == 429
    assert "Vous publiez trop vite" in slow.json()["error"]["message"]
    assert "Réessayez dans" in slow.json()["error"]["message"]
    async with TestClient.for_app(app) as moderator:
        await moderator.login_as(place["animator"])
        await moderator.api("POST", "/api/v1/communities/atelier/members/gaston/sanctions",
                            json={"kind": "silence", "reason": "Insultes"})
    refused = await post_note(client, "atelier", "Et maintenant ?")
    assert "réduit·e au silence" in refused.json()["error"]["message"]
    assert "Motif\u00a0: Insultes" in refused.json()["error"]["message"]
    notice = await Notification.get(member_id=francophone.id, kind="moderation.sanction.silence")
    assert notice.title.startswith("Vous êtes réduit·e au silence dans Atelier jusqu'au")
