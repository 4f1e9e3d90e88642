"""Calls to all: in-app and e-mail at once to every member, whatever their digest setting,
one a day per community, by coordinators and animators only, logged."""

from __future__ import annotations

from typing import Any

from tests.plugins.digests.conftest import FAST, NotesPlugin, text_part
from tisserand import hookimpl
from tisserand.content import Verdict, set_status
from tisserand.models import AuditLog, Notification
from tisserand.plugins.digests.calls import create_call, dispatch_call
from tisserand.plugins.digests.models import Call, Delivery
from tisserand.plugins.digests.preferences import save_choices
from tisserand.testing.client import TestClient
from tisserand.web.app import create_app


class HoldCalls:
    @hookimpl
    def content_check(self, content: Any, author: Any, community: Any) -> Any:
        return Verdict.hold("calls are reviewed here") if content.kind == "digests.call" else None


async def _community(dfactory: Any) -> dict[str, Any]:
    people = {name: await dfactory.member(name, locale=("fr" if name == "fanny" else "en"))
              for name in ("coord", "anim", "fanny", "gus", "hugo")}
    community = await dfactory.community("jardin", name="Jardin partagé", coordinator=people["coord"],
                                         members={people["anim"]: "animator", people["fanny"]: "member",
                                                  people["gus"]: "member", people["hugo"]: "observer"})
    people["community"] = community
    return people


async def test_animator_calls_everyone_by_notification_and_e_mail(dsite, dfactory, dclient, mailbox):
    p = await _community(dfactory)
    await save_choices(dsite, p["gus"], frequency="never")  # digests off: calls still reach him
    await dclient.login_as(p["anim"])

    response = await dclient.post_form("/c/jardin/calls", {"subject": "Harvest day on Saturday",
                                                            "body": "Bring **baskets**!"})

    assert response.status_code == 303
    call = await Call.get().select_related("content")
    assert response.headers["location"] == f"/c/jardin/calls/{call.content.id}"
    for name in ("coord", "fanny", "gus", "hugo"):
        assert await Notification.filter(member_id=p[name].id, kind="digests.call").count() == 1, name
        [message] = mailbox.to(f"{name}@example.org")
        assert message["Subject"] == "[Jardin partagé] Harvest day on Saturday"
        assert "Bring **baskets**!" in text_part(message)
    assert mailbox.to("anim@example.org") == []  # not to its author
    assert "Appel à tous les membres de Jardin partagé" in text_part(mailbox.to("fanny@example.org")[0])
    await call.refresh_from_db()
    assert call.recipients == 4 and call.emailed == 4 and call.dispatched_at is not None
    log = await AuditLog.get(action="digests.call")
    assert log.actor_id == p["anim"].id and log.data["subject"] == "Harvest day on Saturday"
    page = await dclient.get(f"/c/jardin/calls/{call.content.id}")
    assert page.status_code == 200 and "<strong>baskets</strong>" in page.text


async def test_one_call_a_day(dsite, dfactory, dclient, mailbox):
    p = await _community(dfactory)
    await dclient.login_as(p["coord"])
    first = await dclient.api("POST", "/api/v1/communities/jardin/calls", json={"subject": "One", "body": "x"})
    second = await dclient.api("POST", "/api/v1/communities/jardin/calls", json={"subject": "Two", "body": "y"})

    assert first.status_code == 201
    assert second.status_code == 429 and int(second.headers["Retry-After"]) > 0
    assert "already sent" in second.json()["error"]["message"]
    assert await Call.all().count() == 1
    form = await dclient.post_form("/c/jardin/calls", {"subject": "Three", "body": "z"})
    assert form.status_code == 422 and "already sent" in form.text


async def test_only_coordinators_and_animators_may_call(dsite, dfactory, dclient, mailbox):
    p = await _community(dfactory)
    outsider = await dfactory.member("outsider")
    for who in (p["fanny"], p["hugo"], outsider):
        await dclient.login_as(who)
        response = await dclient.api("POST", "/api/v1/communities/jardin/calls",
                                     json={"subject": "Hi", "body": "all"})
        assert response.status_code == 403, who.username
        page = await dclient.get("/c/jardin/calls")
        assert page.status_code == 200 and 'name="subject"' not in page.text
    assert await Call.all().count() == 0 and mailbox.messages == []


async def test_call_input_is_checked(dsite, dfactory, dclient, mailbox):
    p = await _community(dfactory)
    await dclient.login_as(p["coord"])
    empty = await dclient.api("POST", "/api/v1/communities/jardin/calls", json={"subject": " ", "body": ""})
    assert empty.status_code == 422 and set(empty.json()["error"]["fields"]) == {"subject", "body"}
    extra = await dclient.api("POST", "/api/v1/communities/jardin/calls", json={"subject": "a", "body": "b", "to": "x"})
    assert extra.status_code == 422


async def test_a_held_call_goes_out_when_approved(site_factory, mailbox):
    site = await site_factory(enabled=["digests"], extra_plugins={"notes": NotesPlugin(), "hold": HoldCalls()},
                              config={"plugins": {"digests": dict(FAST)}})
    from tisserand.testing.factory import Factory

    p = await _community(Factory(site))
    async with TestClient.for_app(create_app(site, run_scheduler=False)) as client:
        await client.login_as(p["anim"])
        response = await client.post_form("/c/jardin/calls", {"subject": "Held", "body": "Wait"})
        assert response.status_code == 303
    assert mailbox.messages == [] and await Notification.filter(kind="digests.call").count() == 0

    call = await Call.get().select_related("content")
    await set_status(call.content, "published", actor=p["coord"], site=site)

    assert len(mailbox.messages) == 4
    assert await Notification.filter(kind="digests.call").count() == 4


async def test_an_interrupted_dispatch_resumes_without_telling_twice(dsite, dfactory, mailbox):
    p = await _community(dfactory)

    class Dies:
        def __init__(self) -> None:
            self.count = 0

        async def send(self, message: Any) -> None:
            self.count += 1
            if self.count == 2:
                raise RuntimeError("power cut")
            await dsite.mailer.send(message)

    call = await create_call(dsite, p["community"], p["coord"], "Resume me", "Text")
    try:
        await dispatch_call(dsite, call.id, mailer=Dies())
    except RuntimeError:
        pass
    await dispatch_call(dsite, call.id)

    recipients = [str(m["To"]) for m in mailbox.messages]
    assert len(recipients) == len(set(recipients))
    for name in ("anim", "fanny", "gus", "hugo"):
        assert await Notification.filter(member_id=p[name].id, kind="digests.call").count() == 1
    states = set(await Delivery.filter(kind="call").values_list("state", flat=True))
    assert states <= {"sent", "sending"}


