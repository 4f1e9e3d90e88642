"""Full-text search over Content: SQLite FTS5 or PostgreSQL ``tsvector`` (French and English).

The index is kept by the database itself (triggers, created by the core migrations
``0002_search`` and ``0013_search_extra``), so every content kind is searchable, including
kinds a future plugin invents. A plugin may add text found nowhere in the title or body (the
text inside a file) with :func:`set_search_text`. Results only include what the viewer may read.

How words match, the same on both databases:

- accents and case are folded ("Réunion" finds "reunion");
- words are stemmed in French and in English ("communautés" finds "communauté", "meetings"
  finds "meeting"), and every word also matches as a prefix, so results come as one types.
  PostgreSQL compares stemmed lexemes; SQLite (whose FTS5 has no French stemmer) matches the
  common root of the word and its French and English stems as a prefix ("communautés" →
  ``communaut*``), which can also find a few longer words that share that root.

Speed at a million posts: ranking every match of a common word is what made such queries
slow (seconds). So ranking works on a bounded candidate set: the :data:`CANDIDATES` most
recent matches the viewer may read, best first among them. A rare word is unaffected (it has
fewer matches than that); a very common word ranks its newest matches — on a community
site, recent answers are the ones people look for. Both databases find those candidates by
walking an index newest first, the visibility check inside the walk, and stop there: SQLite
searches each root's exact index terms (a prefix query would merge every match first) and
ranks the candidates in Python; PostgreSQL searches each stem's exact lexemes too and chooses
from the planner's estimate of the matches between walking the primary key newest first
(common words), reading the GIN index's matches (rare ones) or its matches among the newest
posts (words in a few percent of posts) (``benchmarks/search/README.md``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tisserand.db import dialect, fetch_all
from tisserand.visibility import active_content_sql, readable_community_ids_sql

if TYPE_CHECKING:
    from tisserand.models import Member

# The public part for plugins (docs/plugin-guide.md).
__all__ = ["SearchFilters", "search", "set_search_text"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: How many of the most recent matches are ranked (see the module's docstring).
CANDIDATES = 1000
#: Words of a query beyond this are ignored (bounded work for any input).
MAX_WORDS = 8
#: Characters of an item's extra search text kept (:func:`set_search_text`).
MAX_EXTRA_CHARS = 200_000
#: Characters of the extra text an excerpt is looked for in.
EXTRA_EXCERPT = 20_000
#: Marks around matched words in excerpts, turned into ``<mark>`` by :func:`highlight`.
START, STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search: one community, kinds (``forum.post``) or whole plugins (``forum``
    matches every ``forum.*`` kind), one author, content created since a moment."""

    community_id: int | None = None
    kinds: list[str] = field(default_factory=list)
    author_id: int | None = None
    since: datetime | None = None


def _fold(word: str) -> str:
    """Lower-case without accents, as both indexes store words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def _root(word: str) -> str:
    """The common start of ``word`` and its French and English stems (SQLite's prefix)."""
    import snowballstemmer

    stems = [_fold(snowballstemmer.stemmer(language).stemWord(word)) for language in ("french", "english")]
    folded = _fold(word)
    root = folded
    for stem in stems:
        length = 0
        while length < min(len(root), len(stem)) and root[length] == stem[length]:
            length += 1
        root = root[:length]
    # A root shorter than 3 letters would match far too much: keep the whole word then.
    return root if len(root) >= 3 else folded


def search_terms(text: str) -> list[str]:
    """The words of a query that are searched for (at most :data:`MAX_WORDS`)."""
    return _WORD.findall(text or "")[:MAX_WORDS]


async def _filters_sql(viewer: Member | None, filters: SearchFilters) -> tuple[str, list[Any]]:
    visible, params = readable_community_ids_sql(viewer)
    switched_off, off_params = await active_content_sql()
    if dialect() == "postgres":
        # The visible communities as one list, computed once: joined instead, PostgreSQL plans
        # one index lookup per community.
        visible = f"c.community_id = ANY(ARRAY(SELECT cm.id FROM community cm WHERE {visible}))"
    conditions = ["c.status = 'published'", visible, switched_off]
    values: list[Any] = [*params, *off_params]
    if filters.community_id is not None:
        conditions.append("c.community_id = ?")
        values.append(filters.community_id)
    if filters.kinds:
        kind_conditions = []
        for kind in filters.kinds:
            if "." in kind:
                kind_conditions.append("c.kind = ?")
                values.append(kind)
            else:
                kind_conditions.append("c.kind LIKE ?")
                values.append(kind.replace("%", "").replace("_", "") + ".%")
        conditions.append("(" + " OR ".join(kind_conditions) + ")")
    if filters.author_id is not None:
        conditions.append("c.author_id = ?")
        values.append(filters.author_id)
    if filters.since is not None:
        conditions.append("c.created_at >= ?")
        values.append(filters.since)
    return " AND ".join(conditions), values


_COLUMNS = ("c.id, c.kind, COALESCE(NULLIF(c.title, ''), p.title, '') AS title, c.community_id, "
            "cm.slug, c.created_at, c.parent_id")


async def search(
    viewer: Member | None,
    text: str,
    *,
    community_id: int | None = None,
    kinds: list[str] | None = None,
    filters: SearchFilters | None = None,
    offset: int = 0,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Published content matching ``text`` that ``viewer`` may read, best first; content of
    plugins switched off (site-wide or in its community) is left out.

    Rows: ``id, kind, title`` (a post's is its topic's), ``community_id, slug, created_at,
    parent_id, snippet`` (an excerpt of the body with the matched words between
    :data:`START` and :data:`STOP`; see :func:`highlight`). ``offset`` pages through the
    ranked candidates.
    """
    words = search_terms(text)
    if not words:
        return []
    filters = filters or SearchFilters(community_id=community_id, kinds=list(kinds or []))
    where, values = await _filters_sql(viewer, filters)
    limit = max(0, min(limit, CANDIDATES - offset))
    if limit == 0:
        return []
    if dialect() == "postgres":
        return await _search_postgres(words, where, values, offset, limit)
    return await _search_sqlite(words, where, values, offset, limit)

_PREFIX_LEXEME = re.compile(r"^'((?:[^'\\]|'')+)':\*$")


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


async def _postgres_tsquery(words: list[str]) -> str | None:
    """The tsquery text for ``words`` (all required), or ``None`` when no indexed word can match.

    Each word is its French or English stem as a prefix, expanded into the exact lexemes of
    the index that start with it (``content_lexemes``, core migration ``0017_search_plan``;
    a prefix with more than :data:`MAX_TERMS` of them stays a prefix). GIN finds an exact
    lexeme's posts in milliseconds, but gathers every post of every lexeme a prefix covers
    first (0.15–0.25 s for a word of middling frequency at a million posts). A stem both
    languages share is searched once, one that another starts is dropped."""
    columns = ", ".join(
        f"to_tsquery('french', unaccent(?))::text AS f{i}, to_tsquery('english', unaccent(?))::text AS e{i}"
        for i in range(len(words)))
    row = (await fetch_all(f"SELECT {columns}", [term for word in words for term in (f"{word}:*", f"{word}:*")]))[0]
    per_word: list[tuple[list[str], list[str]]] = []  # (prefixes to expand, other tsquery pieces)
    for i in range(len(words)):
        stems = list(dict.fromkeys(text for text in (row[f"f{i}"], row[f"e{i}"]) if text))
        if not stems:
            continue  # a stop word in both languages adds nothing
        matches = [_PREFIX_LEXEME.match(stem) for stem in stems]
        if all(matches):  # the usual case: one prefix lexeme per language
            prefixes = [m.group(1).replace("''", "'") for m in matches if m]
            per_word.append(([p for p in prefixes if not any(o != p and p.startswith(o) for o in prefixes)], []))
        else:
            per_word.append(([], stems))
    if not per_word:
        return None
    prefixes = list(dict.fromkeys(p for expand, _ in per_word for p in expand))
    lexemes: dict[str, list[str]] = {p: [] for p in prefixes}
    if prefixes:
        lookups = " UNION ALL ".join(
            "(SELECT ? AS prefix, lexeme FROM content_lexemes WHERE lexeme >= ? AND lexeme < ? "
            f"ORDER BY lexeme LIMIT {MAX_TERMS + 1})" for _ in prefixes)
        params: list[Any] = []
        for p in prefixes:
            params += [p, p, p[:-1] + chr(ord(p[-1]) + 1)]
        for found in await fetch_all(lookups, params):
            lexemes[found["prefix"]].append(found["lexeme"])
    parts = []
    for expand, others in per_word:
        pieces = list(others)
        for p in expand:
            if len(lexemes[p]) > MAX_TERMS:
                pieces.append(_lexeme(p) + ":*")
            else:
                pieces += [_lexeme(lexeme) for lexeme in lexemes[p]]
        if not pieces:
            return None  # no indexed word starts with it: nothing can match every word
        parts.append(pieces[0] if len(pieces) == 1 else "( " + " | ".join(pieces) + " )")
    return " & ".join(parts)

#: The bitmap plan is chosen while BITMAP_ROW_COST × its estimated matches stays below the
#: rows the walk would read (about CANDIDATES × posts / matches). See _plan.
BITMAP_ROW_COST = 0.4
#: The bitmap plan first looks among the newest WINDOW × CANDIDATES × posts / matches posts.
WINDOW = 3.0


async def _plan(literal: str) -> int | None:
    """How the candidates are found: ``None`` to walk the primary key newest first until
    CANDIDATES match (common words), else the GIN index's matches above that id, newest
    first — ``0`` for all of them (rare words).

    From the planner's estimate of the matches (``pg_stats``, exact for exact lexemes, hence
    _postgres_tsquery's expansion). For a word in a few percent of posts the walk reads tens of
    thousands of rows and so would reading every match: the bitmap then looks only among the
    newest posts where about WINDOW × CANDIDATES matches are expected (the GIN bitmap ANDed
    with a primary-key range), older ones only if the viewer may read too few of those."""
    plan = await fetch_all(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM content c WHERE c.search_vector @@ {literal}")
    found = plan[0]["QUERY PLAN"]
    if isinstance(found, str):
        found = json.loads(found)
    matches = max(1.0, float(found[0]["Plan"]["Plan Rows"]))
    total = await fetch_all("SELECT reltuples AS n, (SELECT max(id) FROM content) AS top FROM pg_class "
                            "WHERE oid = 'content'::regclass")
    posts = max(float(total[0]["n"] or 0), matches)
    if BITMAP_ROW_COST * matches >= CANDIDATES * posts / matches:
        return None
    window = WINDOW * CANDIDATES * posts / matches
    top = int(total[0]["top"] or 0)
    return top - int(window) if window < posts / 2 else 0


async def _search_postgres(words: list[str], where: str, values: list[Any], offset: int,
                           limit: int) -> list[dict[str, Any]]:
    tsquery = await _postgres_tsquery(words)
    if tsquery is None:
        return []
    # The tsquery goes into the candidate query as a literal (lexemes, quotes and operators
    # only), so that the planner sees how common its words are. Which plan runs is chosen
    # here (_plan): PostgreSQL's own costs walked the primary key for words in a few percent
    # of posts, reading 1,000 / (their share) rows, and for rare ones ANDed in a bitmap of
    # every visible post.
    literal = "'" + tsquery.replace("'", "''") + "'::tsquery"
    above = await _plan(literal)
    if above is None:
        # The primary key walked newest first, the filters checked inside, stopping at
        # CANDIDATES rows.
        candidates = (f"SELECT c.id, c.search_vector FROM content c WHERE c.search_vector @@ {literal} "
                      f"AND {where} ORDER BY c.id DESC LIMIT {CANDIDATES}")
        where_values = values
    else:
        # The GIN index's matches, then the filters, the newest first; the subquery (OFFSET 0)
        # keeps the filters from ANDing in other indexes. With a window, the posts above it
        # only; older ones are looked for (the planner's choice of plan, which costs the
        # cheapest) only when too few of those are visible: UNION ALL under a LIMIT stops
        # before its second part.
        candidates = (f"(SELECT c.id, c.search_vector FROM (SELECT * FROM content c WHERE c.search_vector @@ "
                      f"{literal} AND c.id > {above} OFFSET 0) c WHERE {where} "
                      f"ORDER BY c.id DESC LIMIT {CANDIDATES})")
        where_values = values
        if above > 0:
            candidates = (f"SELECT * FROM ({candidates} UNION ALL (SELECT c.id, c.search_vector FROM content c "
                          f"WHERE c.search_vector @@ {literal} AND c.id <= {above} AND {where} "
                          f"ORDER BY c.id DESC LIMIT {CANDIDATES})) AS newest_first LIMIT {CANDIDATES}")
            where_values = [*values, *values]
    query = (
        f"WITH candidates AS ({candidates}), "
        "ranked AS ("
        f"  SELECT id, ts_rank(search_vector, {literal}) AS rank FROM candidates "
        f"  ORDER BY rank DESC, id DESC LIMIT {int(limit)} OFFSET {int(offset)}) "
        "SELECT c.id, c.kind, COALESCE(NULLIF(c.title, ''), p.title, '') AS title, c.community_id, "
        "cm.slug, c.created_at, c.parent_id, "
        "ts_headline('french', CASE WHEN to_tsvector('french', unaccent(c.body)) "
        f"|| to_tsvector('english', unaccent(c.body)) @@ {literal} OR c.search_extra = '' THEN c.body "
        f"ELSE left(c.search_extra, {EXTRA_EXCERPT}) END, {literal}, ?) AS snippet "
        "FROM ranked JOIN content c ON c.id = ranked.id JOIN community cm ON cm.id = c.community_id "
        "LEFT JOIN content p ON p.id = c.parent_id ORDER BY ranked.rank DESC, ranked.id DESC"
    )
    options = f"MaxWords=24, MinWords=10, StartSel={START}, StopSel={STOP}"
    from tortoise.transactions import in_transaction

    async with in_transaction():
        # Serial and not compiled: the walk stops after about CANDIDATES rows, and starting
        # parallel workers (or JIT-compiling, which the fallback's cost estimate can trigger)
        # took longer than that at a million posts (45 ms under load).
        await fetch_all("SELECT set_config('max_parallel_workers_per_gather', '0', true) AS workers, "
                        "set_config('jit', 'off', true) AS jit")
        return await fetch_all(query, [*where_values, options])


#: Index terms a word's root is expanded into on SQLite (the shortest first, see below).
MAX_TERMS = 48


#: Seconds a root's expansion is reused (:func:`_expand`).
TERMS_TTL = 60.0
_terms_cache: dict[tuple[str, int, str], tuple[float, list[str]]] = {}


async def _expand(root: str) -> list[str]:
    """The index terms starting with ``root``, shortest first (at most :data:`MAX_TERMS`).

    Searching these exact terms instead of the prefix query ``"root"*`` is what keeps SQLite
    bounded: FTS5 walks exact terms' postings newest first and stops once the candidates are
    found, while a prefix query first merges the postings of every matching term. Listing the
    terms reads their postings too (0.2–0.3 s for a word in every post of a million), so a
    root's list is reused for :data:`TERMS_TTL` seconds: a word form the index has never seen
    before may take that long to be found by its root (posts with known forms are found at once)."""
    import time

    from tisserand.db import connection

    client = connection()
    key = (str(getattr(client, "filename", "")), id(client), root)
    now = time.monotonic()
    cached = _terms_cache.get(key)
    if cached is not None and now - cached[0] < TERMS_TTL:
        return cached[1]
    upper = root[:-1] + chr(ord(root[-1]) + 1)
    rows = await fetch_all("SELECT term FROM content_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
                           [root, upper, MAX_TERMS * 4])
    terms = sorted((row["term"] for row in rows), key=lambda term: (len(term), term))[:MAX_TERMS]
    if len(_terms_cache) >= 4096:
        _terms_cache.clear()
    if terms:  # nothing found is not kept: the first post with the word is found at once
        _terms_cache[key] = (now, terms)
    return terms


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


_COMBINING = re.compile(r"[\u0300-\u036f]")


def _folded_text(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", (text or "").lower()))


def _rank(rows: list[dict[str, Any]], roots: list[str]) -> None:
    """Sort candidates best first, BM25-like: each root's occurrences (as word starts) in the
    title weigh 10, in the body 1 and in the extra text 0.5, saturating and normalised by
    length; rarer roots among the candidates weigh more. Ties: newest first."""
    import math

    patterns = [re.compile(r"(?<![^\W_])" + re.escape(root)) for root in roots]
    columns = (("title", 10.0), ("body", 1.0), ("extra", 0.5))
    counts: list[list[tuple[int, list[int]]]] = []  # per row, per column: (length, per-root hits)
    lengths = {name: 0 for name, _ in columns}
    for row in rows:
        per_column: list[tuple[int, list[int]]] = []
        for name, _ in columns:
            text = _folded_text(row.get(name) or "")
            length = max(1, len(text.split()))
            lengths[name] += length
            per_column.append((length, [len(pattern.findall(text)) for pattern in patterns]))
        counts.append(per_column)
    total = max(1, len(rows))
    found_in = [sum(1 for per_column in counts if any(hits[i] for _, hits in per_column)) for i in range(len(roots))]
    occurrences = [sum(hits[i] for per_column in counts for _, hits in per_column) for i in range(len(roots))]
    # Every candidate has every root: how often a root repeats tells how common it is.
    weights = [math.log(1 + total / (1 + occurrences[i] / max(1, found_in[i]))) for i in range(len(roots))]
    average = {name: lengths[name] / total for name, _ in columns}
    for row, per_column in zip(rows, counts, strict=True):
        score = 0.0
        for (name, weight), (length, hits) in zip(columns, per_column, strict=True):
            norm = 1.2 * (0.25 + 0.75 * length / max(1.0, average[name]))
            score += weight * sum(w * h * 2.2 / (h + norm) for w, h in zip(weights, hits, strict=True))
        row["rank"] = score
    rows.sort(key=lambda row: (-row["rank"], -row["id"]))


async def _search_sqlite(words: list[str], where: str, values: list[Any], offset: int,
                         limit: int) -> list[dict[str, Any]]:
    roots = [_root(word.lower()) for word in words]
    groups = []
    for root in dict.fromkeys(roots):
        terms = await _expand(root)
        if not terms:
            return []  # no indexed word starts with it: nothing can match every word
        groups.append("(" + " OR ".join(_quote(term) for term in terms) + ")")
    # The candidates: the most recent matches the viewer may read, filtered inside the walk
    # down the index (ORDER BY rowid DESC is FTS5's own order: it stops at the LIMIT).
    # No bm25(): it counts every match of every phrase first; ranking is done on these rows.
    query = (
        f"SELECT {_COLUMNS}, c.title AS own_title, c.body, c.html, "
        f"substr(c.search_extra, 1, {EXTRA_EXCERPT}) AS extra "
        "FROM content_fts JOIN content c ON c.id = content_fts.rowid "
        "JOIN community cm ON cm.id = c.community_id LEFT JOIN content p ON p.id = c.parent_id "
        f"WHERE content_fts MATCH ? AND {where} ORDER BY content_fts.rowid DESC LIMIT {CANDIDATES}"
    )
    rows = await fetch_all(query, [" AND ".join(groups), *values])
    for row in rows:
        row["title_text"] = row["title"]
        row["title"] = row.pop("own_title")
    _rank(rows, roots)
    rows = rows[offset:offset + limit]
    for row in rows:
        # FTS5's snippet() re-runs the whole MATCH per row (seconds for a common word at a
        # million posts): excerpts of the rows shown are cut here instead. A word found only
        # in the item's extra text (a file's) shows the excerpt around it there.
        html, extra = row.pop("html"), row.pop("extra") or ""
        row["title"] = row.pop("title_text")
        del row["body"], row["rank"]
        row["snippet"] = excerpt_around(html, roots)
        if extra and START not in row["snippet"]:
            row["snippet"] = excerpt_around(extra, roots) or row["snippet"]
    return rows


async def rebuild_search_words() -> None:
    """Rebuild PostgreSQL's list of indexed words (``content_lexemes``) from the index itself.

    The list only grows as content is written (a trigger adds the new words; pruning a word
    in that trigger would race with a post adding it again): after content is deleted or
    edited, for the right to erasure, this drops the words no longer in any item. It locks
    writes to the list while it runs (seconds at a million posts); content written meanwhile
    waits and is listed. Nothing to do on SQLite (its ``content_fts_terms`` reads the index)."""
    from tortoise.transactions import in_transaction

    from tisserand.db import execute

    if dialect() != "postgres":
        return
    async with in_transaction():
        await execute("TRUNCATE content_lexemes")
        await execute("INSERT INTO content_lexemes (lexeme) SELECT word FROM ts_stat('SELECT search_vector FROM content')")


async def forget_unused_search_words(site: object) -> None:
    """The daily job ``core.search_words``: :func:`rebuild_search_words`, so that the words of
    erased or edited content do not outlive it by more than a day."""
    await rebuild_search_words()


async def set_search_text(content_id: int, text: str) -> None:
    """Make ``text`` findable by the search as part of an item, besides its title and body
    (the text inside a resource's PDF or OpenDocument file, for instance); weighed below
    both, never shown except as a search excerpt. ``""`` removes it. At most
    :data:`MAX_EXTRA_CHARS` characters are kept."""
    from tisserand.db import execute

    await execute("UPDATE content SET search_extra = ? WHERE id = ?",
                  [" ".join((text or "").split())[:MAX_EXTRA_CHARS], content_id])


_TAG = re.compile(r"<[^>]*>")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def excerpt_around(html: str, roots: list[str], words: int = 24) -> str:
    """About ``words`` words of ``html``'s text around the first word starting with one of
    ``roots`` (accents and case folded), matched words between :data:`START` and :data:`STOP`."""
    import html as html_module

    text = " ".join(html_module.unescape(_TAG.sub(" ", html[:20_000])).split())
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return ""
    matching = [i for i, token in enumerate(tokens) if any(_fold(token.group()).startswith(r) for r in roots)]
    first = matching[0] if matching else 0
    begin = max(0, first - words // 3)
    end = min(len(tokens), begin + words)
    start_at = tokens[begin].start()
    stop_at = tokens[end - 1].end()
    pieces, cursor = [], start_at
    for i in range(begin, end):
        if i in matching:
            token = tokens[i]
            pieces += [text[cursor:token.start()], START, token.group(), STOP]
            cursor = token.end()
    pieces.append(text[cursor:stop_at])
    return ("…" if begin > 0 else "") + "".join(pieces) + ("…" if end < len(tokens) else "")


def highlight(snippet: str | None) -> tuple[str, str]:
    """An excerpt as plain text and as safe HTML with the matched words in ``<mark>``."""
    from markupsafe import escape

    text = snippet or ""
    plain = text.replace(START, "").replace(STOP, "")
    html = str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>")
    return plain, html
