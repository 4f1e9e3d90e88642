"""Helpers for the accessibility tests: axe-core in the browser, link crawling, route patterns.

axe-core is vendored (``tests/browser/axe/axe.min.js``, MPL-2.0, from the npm package
``axe-core``; see ``tests/browser/axe/README.md``): nothing is downloaded when tests run.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

AXE = Path(__file__).parent / "axe" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe's tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STANDARDS = "WCAG 2.1 AA, WCAG 2.2 AA"
#: Summary lines of the audits run in this session, printed at the end (conftest).
SUMMARIES: list[str] = []
#: Links never followed: they log out, download files or are not pages.
SKIPPED = re.compile(r"^/(static|api|logout|healthz|readyz|metrics)(/|$)|\.(ics|atom|csv|zip|geojson|json|xml|png|jpe?g|gif|webp|svg|pdf)$")


def is_loopback(url: str) -> bool:
    """True for URLs served by this machine (the live server), data: and about: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "blob"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost", "::1")


def block_outside(context: Any) -> list[str]:
    """Abort every request that would leave loopback; returns the list of those attempted."""
    attempted: list[str] = []

    def handle(route: Any) -> None:
        attempted.append(route.request.url)
        route.abort()

    context.route(lambda url: not is_loopback(url), handle)
    return attempted


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core (once per document) and return its violations at WCAG 2.x A/AA."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(  # type: ignore[no-any-return]
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                     resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: '
                                               + (n.failureSummary || '').slice(0, 300))}));
        }""", WCAG_TAGS)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def fetch(url: str, cookies: dict[str, str]) -> tuple[int, str, str]:
    """GET ``url`` with ``cookies``: (status, content type, body); redirects followed."""
    request = urllib.request.Request(url, headers={
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            kind = response.headers.get("content-type", "")
            body = response.read().decode("utf-8", "replace") if "html" in kind else ""
            return response.status, kind, body
    except urllib.error.HTTPError as error:
        kind = error.headers.get("content-type", "")
        return error.code, kind, error.read().decode("utf-8", "replace") if "html" in kind else ""


def crawl(base: str, seeds: list[str], cookies: dict[str, str], limit: int = 2000) -> dict[str, int]:
    """Every same-site HTML page reachable by links from ``seeds`` → its HTTP status."""
    seen: dict[str, int] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        status, kind, body = fetch(base + path, cookies)
        if "html" not in kind:
            seen[path] = -1
            continue
        seen[path] = status
        parser = _Links()
        parser.feed(body)
        for href in parser.hrefs:
            target = urldefrag(urljoin(base + path, href))[0]
            if not target.startswith(base + "/"):
                continue
            local = target[len(base):]
            if not SKIPPED.search(urlsplit(local).path) and local not in seen:
                queue.append(local)
    return {path: status for path, status in seen.items() if status != -1}


class RoutePatterns:
    """Maps a path to the route that serves it (``/c/{slug}/forum/t/{topic_id:int}``), read
    from the application's own routing table, so pages added later are grouped correctly."""

    def __init__(self, app: Any) -> None:
        from starlette.routing import Mount, compile_path

        self.routes: list[tuple[str, re.Pattern[str]]] = []

        def walk(routes: list[Any], prefix: str) -> None:
            for route in routes:
                if isinstance(route, Mount):
                    walk(route.routes, prefix + route.path)
                elif hasattr(route, "path"):
                    pattern = prefix + route.path
                    self.routes.append((pattern, compile_path(pattern)[0]))

        walk(app.router.routes, "")

    def of(self, path_and_query: str) -> str:
        """The route pattern of a URL, with the names of its query parameters."""
        parts = urlsplit(path_and_query)
        keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
        suffix = ("?" + "&".join(keys)) if keys else ""
        for pattern, regex in self.routes:
            if regex.match(parts.path):
                return pattern + suffix
        return parts.path + suffix
