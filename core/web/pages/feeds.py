"""Site-wide feeds (``/feed.atom``, ``/feed.rss``: public content), each member's personal
secret feeds (``/feeds/{secret}/atom``, ``/feeds/{secret}/rss``: what the member may read in
their communities, private ones included) and the API and account-page controls of the
secret (``GET /api/v1/me/feeds``, ``POST /api/v1/me/feeds/reset``, ``POST /me/feeds/reset``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tisserand.errors import NotFound
from tisserand.feeds import (
    FeedEntry,
    atom_response,
    build_feed,
    entry_id,
    member_for_feed_secret,
    personal_feed_urls,
    reset_feed_secret,
    rss_response,
)
from tisserand.i18n import _, get_locale, use_locale
from tisserand.models import Member
from tisserand.site import Site
from tisserand.web.answers import Out
from tisserand.web.api import answer, documented, require_viewer
from tisserand.web.flash import flash_redirect
from tisserand.web.pages.common import require_login, site_of
from tisserand.web.pages.feed import FeedItem, home_feed

FEED_SIZE = 50


def _entries(site: Site, items: list[FeedItem]) -> list[FeedEntry]:
    return [FeedEntry(id=entry_id(site, item.id), title=item.title, url=site.url(item.url),
                      updated=item.activity_at or item.created_at or item.created_at,  # type: ignore[arg-type]
                      published=item.created_at, author=item.author_name or item.author_username,
                      summary=" — ".join(t for t in (item.note, item.excerpt) if t),
                      categories=[item.community_name])
            for item in items]


def _kind(request: Request) -> str:
    return "rss" if request.url.path.endswith("rss") else "atom"


def _document(site: Site, kind: str, *, feed_id: str, title: str, subtitle: str, self_path: str,
              items: list[FeedItem]) -> bytes:
    return build_feed(feed_id=feed_id, title=title, subtitle=subtitle, page_url=site.url("/"),
                      self_url=site.url(self_path), entries=_entries(site, items), kind=kind,
                      language=get_locale())


async def site_feed(request: Request) -> Response:
    """New public content of the whole site, newest first (Atom or RSS 2.0)."""
    site = site_of(request)
    kind = _kind(request)
    items, _next = await home_feed(None, "all", "recent", None, FEED_SIZE)
    name = site.settings.site.name
    body = _document(site, kind, feed_id=f"{entry_id(site, 0)}/site", title=name,
                     subtitle=_("New in the public communities of {site}", site=name),
                     self_path=f"/feed.{kind}", items=items)
    respond = rss_response if kind == "rss" else atom_response
    return respond(body, public=True)


async def _owner(request: Request) -> Member:
    member = await member_for_feed_secret(request.path_params["secret"])
    if member is None:
        raise NotFound(_("This feed address is not valid any more: copy the new one from your account page."))
    return member


async def personal_feed(request: Request) -> Response:
    """A member's personal feed: new content of their communities (private ones included),
    through the secret URL, without a cookie."""
    site = site_of(request)
    member = await _owner(request)
    kind = _kind(request)
    with use_locale(member.locale or get_locale()):
        items, _next = await home_feed(member, "mine", "recent", None, FEED_SIZE)
        body = _document(site, kind, feed_id=f"{entry_id(site, 0)}/member/{member.id}",
                         title=_("{site}: my communities", site=site.settings.site.name),
                         subtitle=_("New in the communities of {name}", name=member.display_name or member.username),
                         self_path=f"/feeds/{request.path_params['secret']}/{kind}", items=items)
    respond = rss_response if kind == "rss" else atom_response
    return respond(body, public=False)


class FeedsOut(Out):
    """My personal secret feed URLs (null ``calendar_url`` when no plugin offers a calendar)."""

    atom_url: str
    rss_url: str
    calendar_url: str | None = None


@documented(tags=["accounts"], answer=FeedsOut)
async def my_feeds(request: Request) -> Response:
    """My personal secret feed URLs: ``atom_url``, ``rss_url``, ``calendar_url`` (null when
    no plugin offers one). They work without a cookie: keep them to yourself."""
    member = require_viewer(request)
    return answer(await personal_feed_urls(site_of(request), member))


@documented(tags=["accounts"], answer=FeedsOut)
async def reset_my_feeds(request: Request) -> Response:
    """New personal feed URLs; the old ones stop working at once."""
    member = require_viewer(request)
    site = site_of(request)
    await reset_feed_secret(site, member)
    return answer(await personal_feed_urls(site, member))


async def reset_page(request: Request) -> Response:
    """The account page's button: new feed addresses, the old ones dead."""
    member = require_login(request)
    await reset_feed_secret(site_of(request), member)
    return flash_redirect("/me#feeds", _("Your feed addresses are new: the old ones no longer work. "
                                         "Update your feed reader and calendar."))


def routes() -> list[BaseRoute]:
    """HTML and feed routes."""
    return [
        Route("/feed.atom", site_feed, methods=["GET"], name="site-feed-atom"),
        Route("/feed.rss", site_feed, methods=["GET"], name="site-feed-rss"),
        Route("/feeds/{secret}/atom", personal_feed, methods=["GET"], name="personal-feed-atom"),
        Route("/feeds/{secret}/rss", personal_feed, methods=["GET"], name="personal-feed-rss"),
        Route("/me/feeds/reset", reset_page, methods=["POST"], name="me-feeds-reset"),
    ]


def api_routes() -> list[BaseRoute]:
    """API routes (relative to ``/api/v1``)."""
    return [
        Route("/me/feeds", my_feeds, methods=["GET"], name="api-me-feeds"),
        Route("/me/feeds/reset", reset_my_feeds, methods=["POST"], name="api-me-feeds-reset"),
    ]
