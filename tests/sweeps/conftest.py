"""A real server (uvicorn in a subprocess) with real data for the sweeps, once per database
flavour: SQLite, and PostgreSQL when a server answers (required in CI)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tisserand.testing import databases
from tisserand.testing.fixtures import FLAVOURS, all_installed_plugins
from tisserand.testing.live import LiveSite


@dataclass
class Seeded:
    """What the sweeps may aim at: a token for an admin who coordinates ``atelier``, a token
    for a plain member, and the ids and paths of real items."""

    token: str
    member_token: str
    session: str = ""
    csrf: str = ""
    routes: list[tuple[str, list[str]]] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    slug: str = "atelier"


async def _seed(site: Any) -> Seeded:
    from tisserand.auth import create_token
    from tisserand.testing.factory import Factory

    factory = Factory(site)
    alice = await factory.member("alice", admin=True)
    bruno = await factory.member("bruno")
    await factory.community("atelier", coordinator=alice, members={bruno: "member"})
    await factory.community("prive", coordinator=alice, visibility="private")
    from tisserand.auth import open_session
    from tisserand.web.app import create_app

    secret, session = await open_session(site.settings, alice, "sweep")
    return Seeded(token=await create_token(alice, "sweep"), member_token=await create_token(bruno, "sweep"),
                  session=secret, csrf=session.csrf_token, routes=route_table(create_app(site, run_scheduler=False)))


def route_table(app: Any) -> list[tuple[str, list[str]]]:
    """Every ``(path template, methods)`` of the app, mounts flattened (``{name:convertor}`` kept)."""
    from starlette.routing import Mount, Route

    found: list[tuple[str, list[str]]] = []

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
            elif isinstance(route, Route):
                found.append((prefix + route.path, sorted((route.methods or {"GET"}) - {"HEAD"})))

    walk(app.routes, "")
    return found


def _seed_through_the_api(url: str, seeded: Seeded) -> None:
    """Content made the way clients make it (topics, replies, wiki pages with a sub-page,
    a meet-up, a survey), so that the sweeps meet real rows."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {seeded.token}"}, timeout=30) as http:
        topic = http.post("/api/v1/communities/atelier/forum/topics",
                          json={"title": "A first topic", "body": "Hello **world**"}).json()
        seeded.ids["topic"] = topic["id"]
        reply = http.post(f"/api/v1/forum/topics/{topic['id']}/posts", json={"body": "A reply"}).json()
        seeded.ids["post"] = reply["id"]
        http.put("/api/v1/communities/atelier/wiki/pages/guide", json={"title": "Guide", "body": "Top"})
        http.put("/api/v1/communities/atelier/wiki/pages/guide/start", json={"title": "Start", "body": "[[guide]]"})
        meetup = http.post("/api/v1/communities/atelier/meetups", json={
            "title": "Apéro", "body": "Come", "starts_at": "2031-06-21T18:00:00", "ends_at": "2031-06-21T20:00:00",
            "timezone": "Europe/Paris", "city": "Lyon"})
        if meetup.status_code == 201:
            seeded.ids["meetup"] = meetup.json()["id"]
        survey = http.post("/api/v1/communities/atelier/surveys", json={"title": "How are we doing?"})
        if survey.status_code == 201:
            seeded.ids["survey"] = survey.json()["id"]


@pytest.fixture(scope="session", params=FLAVOURS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``(server, seeded)`` for one database flavour."""
    flavour = str(request.param)
    database_url = "sqlite://data/site.sqlite3"
    created = None
    if flavour == "postgres":
        reason = databases.postgres_available()
        if reason is not None:
            if os.environ.get("TISSERAND_REQUIRE_POSTGRES") == "1":
                pytest.fail(f"PostgreSQL is required but unreachable: {reason}")
            pytest.skip(f"PostgreSQL sweeps skipped: {reason}")
        database_url = created = databases.create_postgres_database()
    server = LiveSite(tmp_path_factory.mktemp(f"sweep-{flavour}"), all_installed_plugins(),
                      database_url=database_url)
    server.start()
    try:
        seeded = server.run(_seed)
        _seed_through_the_api(server.url, seeded)
        yield server, seeded
    finally:
        server.stop()
        if created:
            databases.drop_postgres_database(created)
