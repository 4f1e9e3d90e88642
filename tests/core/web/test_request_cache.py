"""Work after the answer (``tisserand.later``) and reads shared by one request (memberships)."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tisserand import hookimpl
from tisserand.later import AfterResponseMiddleware, after_response
from tisserand.testing.queries import count_queries


async def test_work_queued_in_a_request_runs_after_the_answer_is_sent():
    import httpx

    events: list[str] = []

    async def page(request: Any) -> PlainTextResponse:
        await after_response(events.append, "after")
        events.append("handler")
        return PlainTextResponse("ok")

    async def failing() -> None:
        raise RuntimeError("logged, not raised")

    async def other(request: Any) -> PlainTextResponse:
        await after_response(failing)
        await after_response(events.append, "still runs")
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/", page), Route("/other", other)], middleware=[Middleware(AfterResponseMiddleware)])

    async def watch(scope: Any, receive: Any, send: Any) -> None:
        async def noted(message: Any) -> None:
            if message["type"] == "http.response.body":
                events.append("sent")
            await send(message)

        await app(scope, receive, noted)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=watch), base_url="http://test") as client:
        assert (await client.get("/")).text == "ok"
        assert events == ["handler", "sent", "after"]
        events.clear()
        assert (await client.get("/other")).status_code == 200
        assert events == ["sent", "still runs"]
    events.clear()
    await after_response(events.append, "now")  # no request: at once
    assert events == ["now"]


class Asker:
    """Two panels that each check a permission, as plugins' panels do."""

    @hookimpl
    def community_home_panels(self, community: Any, viewer: Any, request: Any) -> Any:
        from tisserand.permissions import can

        async def panel() -> str:
            await can(viewer, "community.settings.edit", community)
            await can(viewer, "community.settings.edit", community)
            return ""
        return panel()


async def test_a_community_page_reads_the_viewers_membership_once(client, site, factory):
    me = await factory.member("reader")
    await factory.community("atelier", members={me: "member"})
    site.plugins.pm.register(Asker(), name="asker")
    await client.login_as(me)
    await client.get("/c/atelier")
    with count_queries() as queries:
        page = await client.get("/c/atelier")
    assert page.status_code == 200
    # The viewer's membership comes with the community (one joined read); the panels' two
    # permission checks read it again from nowhere.
    with_community = [q for q in queries.statements if "LEFT JOIN membership ms" in q and "WHERE cm.slug" in q]
    alone = [q for q in queries.statements if 'FROM "membership" WHERE' in q]
    assert len(with_community) == 1 and alone == [], queries.statements
