"""Feeds for readers and calendar apps: stable entry ids, Atom and RSS 2.0 documents, and each
member's personal secret feed URLs.

A feed reader comes without a cookie. Public content has public feeds; a private community's
content reaches a reader only through the *personal* URLs of a member who may read it:
``/feeds/{secret}/atom`` (and ``/rss``), plus what plugins add through the ``personal_feeds``
hook (the meetups plugin's calendar). The secret is revocable: :func:`reset_feed_secret`
makes a new one and the old URLs answer 404 at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tisserand.models import FeedKey, Member
from tisserand.text import xml_text

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = [
    "FeedEntry",
    "atom_response",
    "build_feed",
    "entry_id",
    "feed_secret",
    "member_for_feed_secret",
    "personal_feed_urls",
    "reset_feed_secret",
    "rss_response",
]

#: The date part of tag: URIs (RFC 4151). Never change it: entry ids must stay the same.
TAG_DATE = "2024"


def entry_id(site: Site, content_id: int, suffix: str = "") -> str:
    """The stable id of a feed entry about content ``content_id``: a ``tag:`` URI built from
    the site's host and the content id, so that renaming a topic or moving a page does not
    make readers see it again as new. ``suffix`` tells apart several entries of one item
    (``revision/3``)."""
    host = urlsplit(site.settings.site.base_url).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:content/{int(content_id)}" + (f"/{suffix}" if suffix else "")


@dataclass
class FeedEntry:
    """One entry of a feed."""

    id: str
    title: str
    url: str
    updated: datetime
    published: datetime | None = None
    author: str = ""
    html: str = ""
    summary: str = ""
    categories: list[str] = field(default_factory=list)


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def build_feed(*, feed_id: str, title: str, page_url: str, self_url: str, entries: Iterable[FeedEntry],
               kind: str = "atom", subtitle: str = "", language: str = "",
               updated: datetime | None = None) -> bytes:
    """An Atom 1.0 (``kind="atom"``) or RSS 2.0 (``kind="rss"``) document. ``entries`` come
    newest first; texts are cleaned for XML. In RSS, each item's ``guid`` is the entry id
    (not a permalink)."""
    from feedgen.feed import FeedGenerator  # with lxml ~8 MiB: loaded by the first feed asked

    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle or title))
    feed.description(xml_text(subtitle or title))
    feed.link(href=page_url, rel="alternate")
    feed.link(href=self_url, rel="self")
    if language:
        feed.language(language)
    feed.generator("Tisserand")
    items = list(entries)
    newest = max((_aware(e.updated) for e in items), default=None)
    feed.updated(_aware(updated or newest))
    for item in reversed(items):  # feedgen prepends: add the oldest first
        entry = feed.add_entry()
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(xml_text(item.title))
        entry.link(href=item.url, rel="alternate")
        if item.author:
            entry.author(name=xml_text(item.author))
        entry.updated(_aware(item.updated))
        entry.published(_aware(item.published or item.updated))
        if item.html and kind == "atom":
            entry.content(xml_text(item.html), type="html")
        elif item.html or item.summary:
            entry.description(xml_text(item.html or item.summary))
        for term in item.categories:
            entry.category(term=xml_text(term))
    if kind == "rss":
        return bytes(feed.rss_str(pretty=False))
    return bytes(feed.atom_str(pretty=False))


def _response(body: bytes, media_type: str, public: bool) -> Any:
    from starlette.responses import Response

    cache = "public, max-age=300" if public else "private, no-store"
    headers = {"Cache-Control": cache}
    if not public:
        headers["X-Robots-Tag"] = "noindex"
    return Response(body, media_type=f"{media_type}; charset=utf-8", headers=headers)


def atom_response(body: bytes, *, public: bool) -> Any:
    """A Starlette response for an Atom document (cached by proxies only when ``public``)."""
    return _response(body, "application/atom+xml", public)


def rss_response(body: bytes, *, public: bool) -> Any:
    """A Starlette response for an RSS 2.0 document (cached by proxies only when ``public``)."""
    return _response(body, "application/rss+xml", public)


# --- Personal secret URLs ---------------------------------------------------------------------


def _secret(site: Site, member_id: int, salt: str) -> str:
    key = (site.settings.site.secret_key or "tisserand").encode()
    mac = hmac.new(key, f"feeds:{member_id}:{salt}".encode(), hashlib.sha256).digest()
    return "f" + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def feed_secret(site: Site, member: Member) -> str:
    """The member's feed secret (made on first use). It changes only with
    :func:`reset_feed_secret` (or when the site's secret key changes)."""
    key = await FeedKey.get_or_none(member_id=member.id)
    if key is None:
        salt = secrets.token_urlsafe(24)
        secret = _secret(site, member.id, salt)
        key, _created = await FeedKey.get_or_create(member_id=member.id,
                                                    defaults={"salt": salt, "key_hash": _digest(secret)})
    secret = _secret(site, member.id, key.salt)
    if not hmac.compare_digest(key.key_hash, _digest(secret)):  # the site's secret key changed
        key.key_hash = _digest(secret)
        await key.save(update_fields=["key_hash"])
    return secret


async def reset_feed_secret(site: Site, member: Member) -> str:
    """A new secret for the member's feeds: the old URLs stop working at once."""
    salt = secrets.token_urlsafe(24)
    secret = _secret(site, member.id, salt)
    updated = await FeedKey.filter(member_id=member.id).update(salt=salt, key_hash=_digest(secret))
    if not updated:
        await FeedKey.create(member_id=member.id, salt=salt, key_hash=_digest(secret))
    return secret


async def member_for_feed_secret(secret: str) -> Member | None:
    """The active member whose feed secret this is, or None (unknown, revoked, or the account
    is closed or deactivated)."""
    if not secret or len(secret) > 100:
        return None
    key = await FeedKey.get_or_none(key_hash=_digest(secret)).select_related("member")
    if key is None or not key.member.is_active:
        return None
    return key.member


async def personal_feed_urls(site: Site, member: Member) -> dict[str, str | None]:
    """``atom_url``, ``rss_url`` and ``calendar_url`` (null when no plugin offers a calendar),
    plus whatever plugins add through ``personal_feeds``: absolute URLs with the secret."""
    from tisserand.plugin_manager import resolve_all

    secret = await feed_secret(site, member)
    urls: dict[str, str | None] = {"atom_url": site.url(f"/feeds/{secret}/atom"),
                                   "rss_url": site.url(f"/feeds/{secret}/rss"), "calendar_url": None}
    for answer in await resolve_all(site.hook.personal_feeds(member=member, secret=secret)):
        for name, path in (answer or {}).items():
            urls[str(name)] = site.url(path) if str(path).startswith("/") else str(path)
    return urls
