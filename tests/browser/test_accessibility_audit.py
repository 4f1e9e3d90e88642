"""The accessibility audit: axe-core on every page of the demo site, in the browser.

How it stays complete and bounded:

- **One demo site, one browser.** The session fixture ``demo_site`` (conftest) builds the demo
  (``tisserand init --demo``'s ``populate``) once and serves it, shared with the keyboard
  journeys; one Chromium, one browser context per (role, language) reused for all its pages.
- **Crawled, not listed.** For each role — visitor, member (olivier), coordinator (sophie),
  administrator (camille) — every page reachable by links from ``/`` (plus the few entry points
  that no page links to: sign-in, sign-up, password reset, search, a missing page) is found by
  following ``<a href>`` links over HTTP. A page added later is linked from somewhere, so it is
  audited without touching this file.
- **Every route pattern, in both languages and both widths.** Pages are grouped by the
  application's own route (``/c/{slug}/forum/t/{topic_id:int}``, read from its routing table)
  plus the names of their query parameters. For each role, the first page of every pattern is
  loaded in French and in English at desktop width (1280 px) and audited; in one of the two
  languages (alternating from pattern to pattern, so each language gets half the patterns) the
  same document is resized to phone width (375 px) and audited again. This bounds the audit by
  the number of routes, not by the amount of demo content (a few minutes on CI).
- **Deeper runs.** ``TISSERAND_AUDIT_PER_PATTERN=N`` also audits N more pages of each pattern
  (desktop, languages alternating); ``TISSERAND_AUDIT_PER_PATTERN=all`` audits every page found
  (about 1,300 for the four roles) in both languages and both widths — run it before a release.
- **No network.** Every request that would leave loopback is aborted.

The summary line (audits, pages, route patterns, violations) is printed at the end of the
pytest run (with ``-q -rs`` too, as CI runs it; and as the audit goes with ``-s``)
and, when the audit is clean and what it covered changed (or ``TISSERAND_AUDIT_RECORD=1``),
written to ``core/data/accessibility_audit.json``, which the site's accessibility statement
(``/accessibility``) shows: commit that file with the change that moved it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.a11y import STANDARDS, SUMMARIES, WCAG_TAGS, RoutePatterns, block_outside, crawl, run_axe
from tests.browser.conftest import DEMO_ROLES

ROLES = DEMO_ROLES
LANGUAGES = ["fr", "en"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
SEEDS = ["/", "/login", "/signup", "/reset", "/search?q=atelier", "/c/", "/accessibility",
         "/no-such-page"]
RESULT = Path(__file__).resolve().parents[2] / "core" / "data" / "accessibility_audit.json"


def _plan(demo: Any) -> dict[str, list[tuple[str, str, bool]]]:
    """role → [(path, language, also at phone width)] to audit."""
    from tisserand.site import Site
    from tisserand.web.app import create_app

    patterns = RoutePatterns(create_app(Site.load(demo.folder), run_scheduler=False))
    extra = os.environ.get("TISSERAND_AUDIT_PER_PATTERN", "0")
    plan: dict[str, list[tuple[str, str, bool]]] = {}
    demo.pattern_set, demo.distinct = set(), set()
    for role, username in ROLES.items():
        cookies = {"tisserand_locale": "fr"}
        if username:
            cookies["tisserand_session"] = demo.sessions[username]
        pages = crawl(demo.url, SEEDS, cookies)
        groups: dict[str, list[str]] = defaultdict(list)
        for path in pages:
            groups[patterns.of(path)].append(path)
        items: list[tuple[str, str, bool]] = []
        for index, paths in enumerate(groups.values()):
            first, rest = paths[0], paths[1:]
            if extra == "all":
                items += [(path, lang, True) for path in paths for lang in LANGUAGES]
                continue
            items += [(first, lang, LANGUAGES[index % 2] == lang) for lang in LANGUAGES]
            items += [(path, LANGUAGES[i % 2], False) for i, path in enumerate(rest[:int(extra)])]
        plan[role] = items
        demo.pattern_set |= set(groups)
        demo.distinct |= {(role, path) for path in pages}
    return plan


def _describe(role: str, lang: str, width: str, path: str, violation: dict[str, Any]) -> str:
    return (f"{role} {lang} {width} {path}: {violation['id']} ({violation['impact']}) "
            f"{violation['help']}\n    " + "\n    ".join(violation["nodes"]))


@pytest.mark.timeout(1800)  # every page × 4 roles × 2 languages × 2 widths: minutes, by design
def test_every_page_passes_axe_at_wcag_21_and_22_aa(chromium: Any, demo_site: Any) -> None:
    demo = demo_site
    started = time.monotonic()
    plan = _plan(demo)
    print(f"\naccessibility audit: crawled {len(demo.distinct)} pages in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    violations: list[str] = []
    audited = 0
    pages_audited: set[tuple[str, str]] = set()
    for role, items in plan.items():
        for lang in LANGUAGES:
            todo = [(path, phone) for path, item_lang, phone in items if item_lang == lang]
            context = chromium.new_context(locale=lang, viewport=WIDTHS["desktop"], bypass_csp=True,
                                           extra_http_headers={"Accept-Language": lang})
            context.set_default_timeout(15_000)
            block_outside(context)
            cookies = [{"name": "tisserand_locale", "value": lang, "url": demo.url}]
            if ROLES[role]:
                cookies.append({"name": "tisserand_session", "value": demo.sessions[ROLES[role]],
                                "url": demo.url})
            context.add_cookies(cookies)
            page = context.new_page()
            try:
                for path, phone in todo:
                    page.goto(demo.url + path, wait_until="load")
                    audited += 1
                    pages_audited.add((role, path))
                    found = [_describe(role, lang, "desktop", path, v) for v in run_axe(page)]
                    if phone:
                        # Same document, phone width: media queries apply at once, no reload.
                        page.set_viewport_size(WIDTHS["phone"])
                        audited += 1
                        found += [_describe(role, lang, "phone", path, v) for v in run_axe(page)]
                        page.set_viewport_size(WIDTHS["desktop"])
                    for line in found:
                        print("  " + line, file=sys.stderr)
                    violations += found
            finally:
                context.close()
            print(f"  {role} {lang}: {len(todo)} pages, {time.monotonic() - started:.0f} s, "
                  f"{len(violations)} violations so far", file=sys.stderr)
    seconds = time.monotonic() - started
    summary = (f"accessibility audit: {audited} page audits of {len(pages_audited)} pages "
               f"({len(demo.pattern_set)} route patterns; {len(demo.distinct)} pages found; "
               f"4 roles x 2 languages x 2 widths) "
               f"in {seconds:.0f} s: {len(violations)} violations ({', '.join(WCAG_TAGS)})")
    print("\n" + summary)
    SUMMARIES.append(summary)
    if not violations:
        result = {
            "date": datetime.now(UTC).date().isoformat(), "pages": len(pages_audited),
            "found": len(demo.distinct), "audits": audited, "patterns": len(demo.pattern_set),
            "violations": 0, "standards": STANDARDS, "tool": "axe-core 4.14.1",
            "roles": list(ROLES), "languages": LANGUAGES,
            "widths": {k: v["width"] for k, v in WIDTHS.items()}}
        # Rewritten when what was audited changed (or TISSERAND_AUDIT_RECORD=1), not every day:
        # running the tests leaves the work tree clean while nothing changes.
        previous = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.exists() else {}
        if os.environ.get("TISSERAND_AUDIT_RECORD") == "1" or \
                {k: v for k, v in previous.items() if k != "date"} != {k: v for k, v in result.items() if k != "date"}:
            RESULT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    assert not violations, summary + "\n" + "\n".join(violations[:60])
