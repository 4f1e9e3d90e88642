"""The static HTML snapshot inside a bundle (``html/``) and Markdown copies (``markdown/``).

``html/index.html`` opens in any browser without a server: the community, its numbers and
chart, seasons, contributors and listings; one page per top-level item (``html/items/<id>.html``,
a topic with its replies, a wiki page, a meet-up), every reply with its own anchor; plain CSS;
relative links. Links inside the content that point to other items of the community are turned
into links between the snapshot's files, other site links point to the original site.

Only published content goes in. Pages are written tree by tree, a few hundred rows at a time.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from tisserand import __version__, i18n
from tisserand.db import fetch_all
from tisserand.i18n import _
from tisserand.models import Community, Member
from tisserand.plugins.archive.chart import bar_chart
from tisserand.plugins.archive.kinds import kind_label, kind_order
from tisserand.plugins.archive.legacy import legacy_of

if TYPE_CHECKING:
    from tisserand.bundle import Bundle
    from tisserand.plugins.archive.export import ContentIndex
    from tisserand.plugins.archive.progress import Progress
    from tisserand.site import Site

HERE = Path(__file__).parent
CHUNK = 500
PER_PAGE = 500
MAX_DEPTH = 200
_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_SLUG = re.compile(r"[^a-z0-9]+")


def environment() -> Environment:
    """The Jinja2 environment of the snapshot (its own: no site theme, no request)."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(_=i18n.gettext, ngettext=i18n.ngettext, kind_label=kind_label,
                       kind_file=kind_file, version=__version__)
    env.filters.update(date=_date, number=i18n.format_number)
    return env


def _date(value: Any, format: str = "medium") -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return _formatted(value, format, i18n.get_locale()) if isinstance(value, date) else ""


@lru_cache(maxsize=4096)
def _formatted(day: date, format: str, locale: str) -> str:
    # Babel takes ~0.1 ms a date: 100,000 replies share a few hundred days.
    return i18n.format_date(day, format)


def kind_file(kind: str, page: int) -> str:
    """The file name of a kind's listing page."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", kind)
    return f"{safe}.html" if page == 1 else f"{safe}-{page}.html"


def month_label(period: str, unit: str) -> str:
    """``2026-03`` → ``mars 2026`` (``2026`` for years)."""
    if unit == "year":
        return period
    return i18n.format_date(date(int(period[:4]), int(period[5:7]), 1), "MMM y")


def slugify(text: str) -> str:
    """A short file-name-safe version of a title."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG.sub("-", ascii_text).strip("-")[:60] or "item"


class LinkRewriter:
    """Turns the site's links in stored HTML into links that work inside the snapshot."""

    def __init__(self, index: ContentIndex, base_url: str) -> None:
        self.index = index
        self.base_url = base_url

    def root_of(self, item_id: int) -> int:
        """The top-level item whose page shows ``item_id``."""
        current = item_id
        for _step in range(MAX_DEPTH):
            parent = self.index.parents.get(current)
            if parent is None:
                return current
            current = parent
        return current

    def _replace(self, match: re.Match[str]) -> str:
        attribute, raw = match.groups()
        url = htmllib.unescape(raw)
        if not url.startswith("/") or url.startswith("//"):
            return match.group(0)
        if attribute == "href":
            target = self.index.urls.get(url)
            fragment = ""
            if target is None:
                path, _sep, rest = url.partition("#")
                target = self.index.urls.get(path)
                fragment = f"#{rest}" if rest else ""
            if target is not None:
                root = self.root_of(target)
                anchor = f"#c{target}" if target != root else fragment
                return f'{attribute}="../items/{root}.html{htmllib.escape(anchor)}"'
        return f'{attribute}="{htmllib.escape(self.base_url + url)}"'

    def __call__(self, stored_html: str) -> Markup:
        return Markup(_LINK.sub(self._replace, stored_html or ""))


async def _names(ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        rows = await Member.filter(id__in=ordered[start:start + CHUNK]).values("id", "username", "display_name")
        names.update({r["id"]: r["display_name"] or r["username"] for r in rows})
    return names


def _tree_order(root: int, children: dict[int, list[int]]) -> list[tuple[int, int]]:
    """The descendants of ``root`` with their depth, depth-first, oldest first."""
    out: list[tuple[int, int]] = []
    stack = [(child, 1) for child in reversed(children.get(root, []))]
    while stack:
        item, depth = stack.pop()
        out.append((item, depth))
        if depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(children.get(item, [])))
    return out


async def _fetch(ids: list[int]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for row in await fetch_all(
                "SELECT id, kind, author_id, title, body, html, created_at, edited_at FROM content "
                f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
            row["created_at"] = _day(row["created_at"])
            row["edited_at"] = _day(row["edited_at"])
            rows[row["id"]] = row
    return rows


def _day(value: Any) -> date | None:
    """The (UTC) day of a stored time: SQLite gives ISO text, PostgreSQL a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.astimezone(UTC).date() if isinstance(value, datetime) else None


def _replies_html(replies: list[tuple[dict[str, Any], int]], rewrite: LinkRewriter,
                  authors: dict[int, str]) -> Markup:
    """The replies of a page, written directly: a topic of thousands of replies would spend
    most of the export in the template engine."""
    former = _("a former member")
    parts = []
    for reply, depth in replies:
        title = f"<h3>{escape(reply['title'])}</h3>" if reply["title"] else ""
        author = escape(authors.get(reply["author_id"], former))
        day = _date(reply["created_at"], "long")
        parts.append(f'<article class="reply depth-{min(depth, 3)}" id="c{reply["id"]}">{title}'
                     f'<p class="meta">{author} · {day} · <a href="#c{reply["id"]}">#</a></p>'
                     f'<div class="prose">{rewrite(reply["html"])}</div></article>\n')
    return Markup("".join(parts))


def _markdown(item: dict[str, Any], replies: list[tuple[dict[str, Any], int]],
              authors: dict[int, str]) -> str:
    def who(row: dict[str, Any]) -> str:
        return authors.get(row["author_id"], _("a former member"))

    title = (item["title"] or "").replace('"', "'")
    lines = ["---", f'title: "{title}"', f"kind: {item['kind']}", f'author: "{who(item)}"',
             f"created: {item['created_at'].isoformat()}", "---", "", item["body"] or "", ""]
    for reply, _depth in replies:
        lines += ["---", "", f"**{who(reply)}** · {reply['created_at'].isoformat()}", "",
                  reply["body"] or "", ""]  # the day only: enough for a reader, cheap to write
    return "\n".join(lines)


async def write_snapshot(site: Site, community: Community, bundle: Bundle, index: ContentIndex,
                         progress: Progress) -> int:
    """Write ``html/`` and ``markdown/`` into the bundle; returns the number of HTML pages."""
    env = environment()
    progress.start("snapshot", _("HTML snapshot"), len(index.roots) + 2)
    previous = i18n.get_locale()
    i18n.set_locale(site.settings.site.default_locale)  # the snapshot speaks the site's language
    try:
        return await _write(site, community, bundle, index, progress, env)
    finally:
        i18n.set_locale(previous)


async def _write(site: Site, community: Community, bundle: Bundle, index: ContentIndex,
                 progress: Progress, env: Environment) -> int:
    authors = await _names(bundle.member_refs)
    rewrite = LinkRewriter(index, site.settings.site.base_url)
    common = {"community": community, "site_name": site.settings.site.name,
              "base_url": site.settings.site.base_url, "locale": i18n.get_locale(),
              "exported_on": i18n.format_date(date.today(), "long"), "authors": authors}
    pages = 0
    bundle.write_text("html/style.css", (HERE / "static" / "snapshot.css").read_text(encoding="utf-8"))

    listings: dict[str, list[tuple[int, str, str, str, int | None]]] = defaultdict(list)
    for root in index.roots:
        listings[root[1]].append(root)
    ordered = sorted(listings.items(), key=lambda kv: kind_order(kv[0]))

    legacy = await legacy_of(site, community, None)
    labels = [month_label(p, legacy.activity_unit) for p, _c in legacy.activity]
    chart = bar_chart(legacy.activity, labels=labels, title=_("Activity over time"),
                      description=_("Items published per {unit}.", unit=_(legacy.activity_unit)))
    page = env.get_template("archive/snapshot/index.html").render(
        up="", legacy=legacy, chart=chart, listings=ordered, **common)
    bundle.write_text("html/index.html", page)
    pages += 1
    for kind, roots in ordered:
        count = max(1, -(-len(roots) // PER_PAGE))
        for number in range(1, count + 1):
            chunk = roots[(number - 1) * PER_PAGE:number * PER_PAGE]
            bundle.write_text(f"html/kinds/{kind_file(kind, number)}", env.get_template(
                "archive/snapshot/kind.html").render(up="../", kind=kind, items=chunk, page=number,
                                                     pages=count, **common))
            pages += 1
    progress.advance("snapshot", 2)

    children: dict[int, list[int]] = defaultdict(list)
    for item_id, parent in sorted(index.parents.items()):
        if parent is not None and parent in index.parents:
            children[parent].append(item_id)
    item_template = env.get_template("archive/snapshot/item.html")
    batch: list[tuple[int, list[tuple[int, int]]]] = []
    size = 0

    async def flush() -> None:
        nonlocal pages, size
        ids = [i for root, tree in batch for i in (root, *(t[0] for t in tree))]
        rows = await _fetch(ids)
        for root, tree in batch:
            item = rows.get(root)
            if item is None:
                continue
            replies = [(rows[i], depth) for i, depth in tree if i in rows]
            item_view = {**item, "html": rewrite(item["html"])}
            bundle.write_text(f"html/items/{root}.html", item_template.render(
                up="../", item=item_view, replies_html=_replies_html(replies, rewrite, authors),
                reply_count=len(replies), **common))
            bundle.write_text(f"markdown/{item['kind']}/{root}-{slugify(item['title'] or '')}.md",
                              _markdown(item, replies, authors))
            pages += 1
        progress.advance("snapshot", len(batch))
        batch.clear()
        size = 0

    for root_row in index.roots:
        tree = _tree_order(root_row[0], children)
        batch.append((root_row[0], tree))
        size += 1 + len(tree)
        if size >= CHUNK:
            await flush()
    if batch:
        await flush()
    progress.finish("snapshot")
    return pages
