"""A fuzzer over the whole route table and every HTML form, against a real server with real
data: control characters, NUL, over-long strings, huge, zero and negative ids, wrong types,
odd cursors and dates in paths, query strings and form fields; nested JSON on every JSON
route. Zero 5xx, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import os
import random
import re
from collections import Counter
from typing import Any

import httpx

PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-z]+))?}")
FORM_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.IGNORECASE)
HUGE = "99999999999999999999"
BAD_TEXT = ["\x00", "a\x00b", "\x07\x1b[31m\x7f", "x" * 5000, "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
            "-1", HUGE, "2147483648", "1e309", "0", "[]", "{}", "1900-01-01", "0001-01-01", "9999-12-31T99:99",
            "../../etc/passwd", "<script>", "@" + "m" * 60, " ", ""]
ODD_CURSORS = [base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=") for raw in
               ('["x","x"]', "[]", "{}", "[1,2,3,4]", f"[{HUGE}]", '[-1]', '["2026-01-01T00:00:00", "x"]',
                '[true, "2026", ' + HUGE + "]", "null", '"\\ud800"')] + ["!!!", "%00"]
QUERIES = {"cursor": ODD_CURSORS, "before": [HUGE, "-1", "x", "2147483648"], "after": [HUGE, "-5", "x"],
           "n": [HUGE, "-1"], "limit": ["0", "-1", HUGE, "x"], "page": ["-1", HUGE, "x"], "q": ["%00", "x" * 3000],
           "bbox": ["garbage", "1,2,3", "nan,nan,nan,nan", "-999,-999,999,999"], "lat": ["x", "1e309"],
           "lon": ["x", "-999"], "km": ["-1", HUGE], "since": ["garbage", "0001-01-01"], "with": [HUGE, "x"],
           "period": ["x"], "month": ["13", "x"], "year": [HUGE, "-1"], "kind": ["\x00"], "next": ["//evil", "\x00"]}
GENERIC_FIELDS = ["title", "body", "name", "description", "summary", "username", "login", "password", "email",
                  "reply_to", "content", "sanction", "parent", "ends_on", "starts_on", "starts_at", "ends_at",
                  "revision", "base_revision", "category", "role", "reason", "until", "note", "kind", "place_id",
                  "latitude", "longitude", "capacity", "timezone", "answer", "q1", "opens_on", "closes_on"]


FULL = os.environ.get("TISSERAND_SWEEP_FULL") == "1"  # every variant on every route (slow: ~15 min)


def _sample(items: list[Any], count: int, rng: random.Random) -> list[Any]:
    return list(items) if FULL or len(items) <= count else rng.sample(items, count)


def _concrete(template: str, seeded: Any, bad: str | None) -> str:
    """The template with real values, or with ``bad`` in every parameter."""

    def fill(match: re.Match[str]) -> str:
        name, convertor = match.group(1), match.group(2)
        if bad is not None:
            return httpx.URL("/" + bad.replace("/", "%2F")).raw_path.decode()[1:] if convertor != "id" else bad
        if convertor == "id":
            return str(seeded.ids.get("survey" if "survey" in name else "topic", 1))
        if convertor == "path":
            return "guide/start"
        return {"slug": seeded.slug, "username": "bruno", "topic_slug": "a-first-topic", "kind": "like"}.get(name, "x")

    return PARAM.sub(fill, template)


def test_no_route_or_form_answers_5xx(live):
    server, seeded = live
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    rng = random.Random(14)
    query_variants = [(name, value) for name, values in QUERIES.items() for value in values]
    cookies = {"tisserand_session": seeded.session}
    with httpx.Client(base_url=server.url, cookies=cookies, timeout=30, follow_redirects=False) as http:

        def check(method: str, url: str, **kwargs: Any) -> httpx.Response | None:
            try:
                response = http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                failures.append(f"{method} {url}: {exc!r}")
                return None
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {method} {url} {str(kwargs.get('data') or '')[:120]!r}")
            return response

        destructive = re.compile(r"archive|delete|leave|close|remove|deactivate|ban|sanction|reset|cancel|account")
        routes = sorted(seeded.routes, key=lambda item: bool(destructive.search(item[0])))
        for template, methods in routes:
            if template.startswith(("/static", "/theme")) or "logout" in template or template.endswith("/me/close"):
                continue
            real = _concrete(template, seeded, None)
            bad_params = _sample(["0", "2147483647", HUGE, "-1", "%00", "x" * 300, "%C3%28", "..%2F.."], 4, rng)
            urls = [real] + ([_concrete(template, seeded, bad) for bad in bad_params]
                             if PARAM.search(template) else [])
            for method in methods:
                if method == "GET":
                    for url in urls:
                        check("GET", url)
                    for name, value in _sample(query_variants, 6, rng):
                        check("GET", real, params={name: value})
                    continue
                headers = {"X-CSRF-Token": seeded.csrf}
                if template.startswith("/api/"):
                    bodies = ["[" * 5000 + "]" * 5000, '{"a":' * 400 + "1" + "}" * 400, '{"title": "\\ud800"}',
                              '{"id": 99999999999999999999999}', '"just a string"', "nan"]
                    for body in _sample(bodies, 3, rng):
                        check(method, real, content=body, headers={**headers, "content-type": "application/json"})
                    continue
                page = http.get(real.rsplit("/", 1)[0] if method == "POST" else real)
                fields = set(FORM_FIELD.findall(page.text)) | set(GENERIC_FIELDS)
                fields.discard("csrf_token")
                for index, value in enumerate(_sample(BAD_TEXT, 6, rng)):
                    data = {name: value for name in fields}
                    data["csrf_token"] = seeded.csrf
                    for url in (urls if FULL else [urls[index % len(urls)]]):
                        check(method, url, data=data)
    print("route sweep statuses:", dict(sorted(statuses.items())))
    assert statuses[200] > 100 and sum(statuses.values()) > 1000, statuses
    log = (server.folder / "server.log").read_text(errors="replace")
    assert not failures, "\n".join(failures[:60]) + "\n--- server log ---\n" + log[-8000:]
