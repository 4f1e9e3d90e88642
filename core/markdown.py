"""Markdown to safe HTML: markdown-it-py (raw HTML off), plugins' extensions, then nh3.

Rendering happens once, when content is saved; pages show the stored HTML.
"""

from __future__ import annotations

import asyncio
import functools
import re
from typing import Any

import anyio
import anyio.to_thread
import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline

__all__ = ["MENTION_RE", "extract_mentions", "html_to_text", "plain_excerpt", "sanitize"]

INLINE_CHARS = 2_000  # shorter texts render on the event loop (well under a millisecond)
RENDER_THREADS = 2  # long renders at once; more wait their turn without blocking the loop
UPLOADED_IMAGE = re.compile(r"^/uploads/[A-Za-z0-9_-]{8,32}/[^?#\s]*$")
MENTION_RE = re.compile(r"@([a-z0-9][a-z0-9_.-]{1,38}[a-z0-9_])", re.IGNORECASE)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "data-username"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "span": {"class"},
    "code": {"class"},
    "td": {"align", "style"},
    "th": {"align", "style"},
    "ol": {"start"},
}


def sanitize(html: str) -> str:
    """Keep only an explicit allow-list of tags and attributes; links get ``rel=nofollow ugc``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    if state.pos > 0 and (state.src[state.pos - 1].isalnum() or state.src[state.pos - 1] in "_./"):
        return False  # e-mail addresses and paths are not mentions
    match = MENTION_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        username = match.group(1).lower()
        token = state.push("mention", "", 0)
        token.meta = {"username": username}
        state.env.setdefault("mentions", set()).add(username)
    state.pos = match.end()
    return True


def _render_mention(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    username = tokens[idx].meta["username"]
    members = env.get("members") if isinstance(env, dict) else None
    if members is None or username not in members:
        # Only existing, active members become links (no link to a profile that answers 404);
        # render with :meth:`Renderer.render_async` to have the names looked up.
        return f"@{username}"
    return f'<a class="mention" href="/u/{username}" data-username="{username}">@{username}</a>'


def _render_image(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """Images uploaded here show their display-size copy, loaded lazily."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if UPLOADED_IMAGE.match(src):
        token.attrSet("src", src + "?v=display")
        token.attrSet("loading", "lazy")
    return str(RendererHTML.image(self, tokens, idx, options, env))


class Renderer:
    """The site's Markdown renderer; build once, with every plugin's ``markdown_setup``."""

    def __init__(self, setup_hooks: list[Any] | None = None) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.inline.ruler.before("emphasis", "mention", _mention_rule)
        md.add_render_rule("mention", _render_mention)
        md.add_render_rule("image", _render_image)
        self.md = md
        self._limiters: dict[int, anyio.CapacityLimiter] = {}
        for hook in setup_hooks or []:
            hook(md=md)

    def render(self, body: str, env: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Render and sanitize ``body``; return the HTML and the render env (``mentions``…).

        Blocking (a long text takes seconds of CPU): from a request or a job, use
        :meth:`render_async`, which keeps the event loop free."""
        env = {} if env is None else env
        html = self.md.render(body, env)
        return sanitize(html), env

    async def render_async(self, body: str, env: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """:meth:`render` with @mentions looked up first: ``@name`` becomes a link to the
        profile only when ``name`` is an existing, active member (``env["members"]``).

        Long texts are parsed and rendered in a worker thread, a few at a time: a pathological
        text (50,000 ``![``) takes seconds, but every other request — ``/healthz`` included —
        is served meanwhile. Short texts render inline (a thread costs more than they do)."""
        env = {} if env is None else env
        if len(body) < INLINE_CHARS:
            if "members" not in env:
                env["members"] = await existing_members(mentioned_names(body))
            return self.render(body, env)
        limiter = self._limiters.get(id(asyncio.get_running_loop()))
        if limiter is None:
            limiter = anyio.CapacityLimiter(RENDER_THREADS)
            self._limiters = {id(asyncio.get_running_loop()): limiter}
        if "members" not in env:
            names = await anyio.to_thread.run_sync(mentioned_names, body, limiter=limiter)
            env["members"] = await existing_members(names)
        return await anyio.to_thread.run_sync(self.render, body, env, limiter=limiter)


@functools.cache
def _mention_parser() -> MarkdownIt:
    # built once: a parser is reusable (its state lives in each parse's env), and building one
    # costs more than parsing a reply
    md = MarkdownIt("commonmark", {"html": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.parse("@warm", {})  # rule chains compiled now, not by two threads at once
    return md


def mentioned_names(body: str) -> set[str]:
    """Every ``@name`` written in a Markdown body (outside code, quotes included), lower-case."""
    if "@" not in body:
        return set()
    env: dict[str, Any] = {}
    _mention_parser().parse(body, env)
    return set(env.get("mentions", set()))


def extract_mentions(body: str) -> set[str]:
    """Usernames mentioned in a Markdown body (outside code), lower-case, leaving out those
    inside block quotes: quoting a post repeats its mentions, it does not make new ones."""
    found: set[str] = set()
    if "@" not in body:
        return found
    depth = 0
    for token in _mention_parser().parse(body, {}):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "inline" and depth == 0:
            found.update(child.meta["username"] for child in token.children or []
                         if child.type == "mention")
    return found


async def existing_members(usernames: set[str]) -> set[str]:
    """Those of ``usernames`` that are existing, active members (whose profile page answers)."""
    if not usernames:
        return set()
    from tisserand.models import Member

    names = sorted(usernames)[:200]
    rows = await Member.filter(username__in=names, is_active=True).values("username")
    return {str(row["username"]) for row in rows}


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr|div)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """Rendered HTML as one line of plain text (tags dropped, entities decoded)."""
    import html as html_module

    spaced = _BLOCK_END.sub(" ", html or "")
    text = nh3.clean(spaced, tags=set(), attributes={}, strip_comments=True)
    return " ".join(html_module.unescape(text).split())


def plain_excerpt(markdown_or_html: str, limit: int = 280, *, is_html: bool = False) -> str:
    """Plain text for a notification or a preview: the Markdown rendered then stripped (never a
    raw ``**``), cut at a word boundary with "…" when longer than ``limit``."""
    if is_html:
        text = html_to_text(markdown_or_html)
    else:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")
        text = html_to_text(md.render((markdown_or_html or "")[: limit * 20]))
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:.-") + "…"
