"""Who sees what: every kind of viewer × every visibility, on every page and endpoint that
shows a community or its content. Outsiders of a secret community get 404 everywhere, as for a
community that does not exist; private content answers 404 to outsiders and stays out of the
feed, search and profiles."""

from __future__ import annotations

import pytest

from tests.core.web.helpers import VIEWERS, note, people

MEMBERS = {"observer", "member", "animator", "coordinator"}
SECRET_WORD = "zanzibarique"


def expectations(visibility: str, who: str) -> dict[str, object]:
    """What ``who`` should get from a ``visibility`` community (the table of the design)."""
    knows = visibility != "secret" or who in MEMBERS | {"admin"}
    reads = visibility == "public" or who in MEMBERS | {"admin"}
    if not knows:
        settings = 404
    elif who == "anonymous":
        settings = 303  # to the log-in page
    elif who in {"coordinator", "admin"}:
        settings = 200
    else:
        settings = 403
    return {
        "listed": knows,
        "home": 200 if knows else 404,
        "content_on_home": reads,
        "members_page": 200 if reads else 404,
        "settings": settings,
        "api_community": 200 if knows else 404,
        "api_members": 200 if reads else 404,
        # the feed holds public content and the viewer's own communities (admins included)
        "in_feed": visibility == "public" or who in MEMBERS,
        "in_search": reads,
        "on_profile": reads,
    }


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
async def test_access_matrix(client, factory, visibility, who):
    author = await factory.member("author")
    community = await factory.community("lieu", name="Le lieu partagé", visibility=visibility,
                                        coordinator=author)
    viewers = await people(factory, community)
    await note(factory, community, author, title=f"Note {SECRET_WORD}", body=f"Le mot {SECRET_WORD}.")
    if viewers[who] is not None:
        await client.login_as(viewers[who])
    expected = expectations(visibility, who)
    seen = {}

    directory = await client.get("/c/")
    seen["listed"] = "/c/lieu" in directory.text
    home = await client.get("/c/lieu")
    seen["home"] = home.status_code
    seen["content_on_home"] = SECRET_WORD in home.text
    seen["members_page"] = (await client.get("/c/lieu/members")).status_code
    seen["settings"] = (await client.get("/c/lieu/settings")).status_code
    seen["api_community"] = (await client.get("/api/v1/communities/lieu")).status_code
    seen["api_members"] = (await client.get("/api/v1/communities/lieu/members")).status_code
    api_list = (await client.get("/api/v1/communities")).json()["items"]
    assert ("lieu" in [c["slug"] for c in api_list]) == expected["listed"]
    seen["in_feed"] = SECRET_WORD in (await client.get("/")).text
    api_feed = (await client.get("/api/v1/feed")).json()["items"]
    assert (SECRET_WORD in str(api_feed)) == expected["in_feed"]
    seen["in_search"] = SECRET_WORD in (await client.get(f"/search?q={SECRET_WORD}")).text.replace(
        f'value="{SECRET_WORD}"', "").replace(f"“{SECRET_WORD}”", "").replace(f"Search: {SECRET_WORD}", "")
    seen["on_profile"] = SECRET_WORD in (await client.get("/u/author")).text
    assert seen == expected
    if expected["home"] != 200:
        assert "Le lieu partagé" not in home.text  # not even the name leaks
