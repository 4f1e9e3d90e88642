"""Readable differences between two texts, and a three-way merge for concurrent edits.

Lines are compared first (fast on long pages); inside changed lines, words are compared, so a
corrected typo shows as one word, not a whole paragraph. Everything is escaped here: the
templates print the result as HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# Beyond this many tokens in a changed block, word matching costs more than it helps.
MAX_WORD_TOKENS = 4000


@dataclass
class Row:
    """One row of a side-by-side diff: ``kind`` is equal, insert, delete or replace."""

    kind: str
    old_number: int | None
    new_number: int | None
    old: Markup
    new: Markup


@dataclass
class Diff:
    """A comparison ready for the templates: rows (side by side), an inline rendering and counts."""

    rows: list[Row] = field(default_factory=list)
    inline: list[tuple[str, Markup]] = field(default_factory=list)
    added_words: int = 0
    removed_words: int = 0

    @property
    def identical(self) -> bool:
        """No change at all."""
        return all(row.kind in ("equal", "skip") for row in self.rows)


def _tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def _words(tokens: list[str]) -> int:
    return sum(1 for t in tokens if t[0].isalnum() or t[0] == "_")


def word_diff(old: str, new: str) -> tuple[Markup, Markup, Markup, int, int]:
    """Word-level comparison of two short texts: (old with <del>, new with <ins>, inline
    with both, words removed, words added)."""
    a, b = _tokens(old), _tokens(new)
    if len(a) + len(b) > MAX_WORD_TOKENS:
        gone, came = Markup(f"<del>{escape(old)}</del>"), Markup(f"<ins>{escape(new)}</ins>")
        return gone, came, gone + came, _words(a), _words(b)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    inline: list[str] = []
    removed = added = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            inline.append(new_part)
            continue
        if i2 > i1:
            left.append(f"<del>{old_part}</del>")
            inline.append(f"<del>{old_part}</del>")
            removed += _words(a[i1:i2])
        if j2 > j1:
            right.append(f"<ins>{new_part}</ins>")
            inline.append(f"<ins>{new_part}</ins>")
            added += _words(b[j1:j2])
    return Markup("".join(left)), Markup("".join(right)), Markup("".join(inline)), removed, added


def compare(old: str, new: str, *, context: int | None = 3) -> Diff:
    """Compare two texts. ``context`` lines of unchanged text are kept around each change
    (None keeps everything); elided stretches become a row of kind ``skip``."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    diff = Diff()
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            _equal_rows(diff, old_lines, i1, i2, j1, context, first=index == 0,
                        last=index == len(opcodes) - 1)
        elif op == "replace" and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                _changed_row(diff, old_lines[i1 + offset], new_lines[j1 + offset],
                             i1 + offset + 1, j1 + offset + 1)
        elif op == "replace":
            _changed_row(diff, "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2]), i1 + 1, j1 + 1)
        elif op == "delete":
            for n in range(i1, i2):
                text = Markup(f"<del>{escape(old_lines[n])}</del>")
                diff.rows.append(Row("delete", n + 1, None, text, Markup("")))
                diff.inline.append(("delete", text))
                diff.removed_words += _words(_tokens(old_lines[n]))
        elif op == "insert":
            for n in range(j1, j2):
                text = Markup(f"<ins>{escape(new_lines[n])}</ins>")
                diff.rows.append(Row("insert", None, n + 1, Markup(""), text))
                diff.inline.append(("insert", text))
                diff.added_words += _words(_tokens(new_lines[n]))
    return diff


def _changed_row(diff: Diff, old: str, new: str, old_number: int, new_number: int) -> None:
    left, right, inline, removed, added = word_diff(old, new)
    diff.rows.append(Row("replace", old_number, new_number, left, right))
    diff.inline.append(("replace", inline))
    diff.removed_words += removed
    diff.added_words += added


def _equal_rows(diff: Diff, lines: list[str], i1: int, i2: int, j1: int, context: int | None,
                *, first: bool, last: bool) -> None:
    count = i2 - i1
    keep: list[int] = list(range(count))
    if context is not None:
        head = 0 if first else context
        tail = 0 if last else context
        if count > head + tail:
            keep = [*range(head), -1, *range(count - tail, count)]
    for offset in keep:
        if offset == -1:
            skipped = Markup(escape(str(count - len(keep) + 1)))
            diff.rows.append(Row("skip", None, None, skipped, skipped))
            diff.inline.append(("skip", skipped))
            continue
        text = Markup(escape(lines[i1 + offset]))
        diff.rows.append(Row("equal", i1 + offset + 1, j1 + offset + 1, text, text))
        diff.inline.append(("equal", text))


# --- three-way merge ------------------------------------------------------------------------


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Changes from ``base`` to ``other`` as (start, end, replacement lines) in base positions."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, tuple(other[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def merge(base: str, theirs: str, mine: str) -> str | None:
    """Merge two edits of ``base`` line by line; None when they touch the same or adjacent
    lines differently (then a person must choose, as with diff3)."""
    if theirs == mine or mine == base:
        return theirs
    if theirs == base:
        return mine
    base_lines = base.splitlines()
    ours = _hunks(base_lines, mine.splitlines())
    others = _hunks(base_lines, theirs.splitlines())
    for a in ours:
        for b in others:
            if a != b and a[0] <= b[1] and b[0] <= a[1]:
                return None
    result: list[str] = []
    position = 0
    for start, end, lines in sorted({*ours, *others}):
        result.extend(base_lines[position:start])
        result.extend(lines)
        position = end
    result.extend(base_lines[position:])
    merged = "\n".join(result)
    return merged + "\n" if mine.endswith("\n") and merged else merged
