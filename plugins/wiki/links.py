"""``[[Page title]]`` and ``[[path|label]]`` links: the Markdown rule and their resolution.

Rendering is synchronous, so the database is asked *before*: :func:`resolve` finds which targets
exist, and the result is attached to the content being rendered (``content_check`` does it for
every item, so forum posts get wiki links too). The rule then writes a link to the page, or a
"create this page" link with the class ``wikilink-missing`` (its tooltip, MISSING_TOOLTIP, is
given when the page is shown, in the reader's language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from tisserand.db import fetch_all
from tisserand.i18n import N_, register_tooltip
from tisserand.plugins.wiki.paths import slugify_path, title_key, try_path

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

MISSING_TOOLTIP = N_("This page does not exist yet: create it")
register_tooltip("wikilink-missing", MISSING_TOOLTIP)
LINK_RE = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
FENCE_RE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN_RE = re.compile(r"`[^`\n]*`")
SOURCE = "wiki"  #: the name on the wiki check's verdict


@dataclass(frozen=True)
class Target:
    """Where a link text points: ``path`` (existing or to be created) and whether it exists."""

    path: str
    exists: bool
    key: str


def split_target(raw: str) -> tuple[str, str]:
    """``"guide#étape 2"`` → ``("guide", "étape-2")``: the page part and an anchor."""
    page, _sep, anchor = raw.partition("#")
    return page.strip(), slugify_path(anchor.strip()).replace("/", "-")


def link_targets(body: str) -> set[str]:
    """The page parts of every ``[[...]]`` in a Markdown body, outside code."""
    text = CODE_SPAN_RE.sub("", FENCE_RE.sub("", body))
    targets = set()
    for match in LINK_RE.finditer(text):
        page, _anchor = split_target(match.group(1))
        if page:
            targets.add(page)
    return targets


def _candidates(raw: str) -> tuple[str | None, str, str]:
    return try_path(raw), title_key(raw), slugify_path(raw)


async def resolve(community_id: int, targets: set[str]) -> dict[str, Target]:
    """Resolve link texts in a community: an exact path first, then a title (case and accents
    ignored), then the title turned into a path. One query whatever the number of links."""
    if not targets:
        return {}
    paths: set[str] = set()
    keys: set[str] = set()
    for raw in targets:
        path, key, slug = _candidates(raw)
        if path:
            paths.add(path)
        if slug:
            paths.add(slug)
        keys.add(key)
    path_list, key_list = sorted(paths), sorted(keys)
    marks_p = ",".join("?" * len(path_list)) or "NULL"
    marks_k = ",".join("?" * len(key_list)) or "NULL"
    rows = await fetch_all(
        "SELECT w.path, w.title_key FROM wiki_page w JOIN content c ON c.id = w.content_id "
        f"WHERE w.community_id = ? AND c.status <> 'deleted' AND (w.path IN ({marks_p}) "
        f"OR w.title_key IN ({marks_k}))",
        [community_id, *path_list, *key_list])
    existing = {row["path"] for row in rows}
    by_key: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["path"]):
        by_key.setdefault(row["title_key"], row["path"])
    resolved: dict[str, Target] = {}
    for raw in targets:
        path, key, slug = _candidates(raw)
        if path and path in existing:
            resolved[raw] = Target(path, True, key)
        elif key in by_key:
            resolved[raw] = Target(by_key[key], True, key)
        elif slug in existing:
            resolved[raw] = Target(slug, True, key)
        elif path or slug:
            resolved[raw] = Target(path or slug, False, key)
    return resolved


def resolved_in(write: Any) -> dict[str, Target] | None:
    """The links the wiki's check resolved for this write (``WriteContext``), or None."""
    verdict = write.verdict_of(SOURCE) if write is not None else None
    return verdict.data.get("links") if verdict is not None else None


def _wiki_on(community: Any) -> bool:
    from tisserand.site import current_site

    try:
        return "wiki" in current_site().plugins.community_plugins(community)
    except RuntimeError:
        return False


def _rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    community = state.env.get("community") if isinstance(state.env, dict) else None
    if community is None or not getattr(community, "slug", None):
        return False
    match = LINK_RE.match(state.src, state.pos)
    if not match:
        return False
    page, anchor = split_target(match.group(1))
    if not page:
        return False
    resolved = state.env.get("wiki_links") or resolved_in(state.env.get("write"))
    if resolved is None and not _wiki_on(community):
        return False
    target = (resolved or {}).get(page)
    if target is None:
        path = try_path(page) or slugify_path(page)
        if not path:
            return False
        # Without a lookup (a preview elsewhere) the link is drawn as existing: the page decides.
        target = Target(path, resolved is None, title_key(page))
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"slug": community.slug, "path": target.path, "exists": target.exists,
                      "anchor": anchor, "label": (match.group(2) or page).strip(), "title": page}
    state.pos = match.end()
    return True


def page_url(slug: str, path: str) -> str:
    """The address of a page."""
    return f"/c/{slug}/wiki/{quote(path)}"


def _render(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    label = escape(meta["label"])
    if meta["exists"]:
        href = page_url(meta["slug"], meta["path"]) + (f"#{meta['anchor']}" if meta["anchor"] else "")
        return f'<a class="wikilink" href="{escape(href)}">{label}</a>'
    query = urlencode({"path": meta["path"], "title": meta["title"]})
    href = f"/c/{meta['slug']}/wiki/-/new?{query}"
    # The tooltip is added when the page is shown, in the reader's language (register_tooltip).
    return f'<a class="wikilink wikilink-missing" href="{escape(href)}">{label}</a>'


def setup(md: MarkdownIt) -> None:
    """Add the ``[[...]]`` rule to a markdown-it parser (before ordinary links)."""
    md.inline.ruler.before("link", "wikilink", _rule)
    md.add_render_rule("wikilink", _render)
