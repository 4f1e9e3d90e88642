"""Watched words and link domains: rules, the default lists shipped in ``data/``, and a matcher.

A rule is a word (``encul*`` with a wildcard at either end), a phrase of several words, or a
link domain (``bit.ly`` also covers ``www.bit.ly``). Actions: ``block`` (refuse the post),
``hold`` (publish after review), ``replace`` (swap the word for a replacement) and ``allow``
(switch off a default or site-wide entry). Community entries override site entries, which
override the defaults, for the same normalized pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tisserand.plugins.moderation.normalize import (
    ONE,
    SPACED_RE,
    SPACERS_RE,
    WORD_RE,
    fold,
    fold_fast,
    nfc,
    normalize,
    squeeze,
    variants,
)

ACTIONS = ("block", "hold", "replace", "allow")
SEVERITY = {"allow": 0, "replace": 1, "hold": 2, "block": 3}
DATA = Path(__file__).parent / "data"
LISTS = {"fr": "words_fr.txt", "qc": "words_qc.txt", "en": "words_en.txt"}
DOMAINS_FILE = "domains.txt"
URL_RE = re.compile(r"(?:https?://|\bwww\.)([^\s/?#:<>\"'()\[\]{}|\\^`]+)", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(r"(?<![\w@./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?=[/\s),.;:!?\]]|$)",
                            re.IGNORECASE)
MIN_STEM = 3
DOUBLE_RE = re.compile(r"([^\W02-9_])\1")


class PatternError(ValueError):
    """A pattern that cannot be watched (too short, wildcard in a phrase, bad domain)."""


@dataclass(frozen=True, eq=False)
class Rule:
    """One watched entry. ``scope`` is ``default``, ``site`` or ``community``."""

    kind: str
    pattern: str
    key: str
    action: str
    replacement: str = ""
    scope: str = "default"
    id: int | None = None
    prefix: bool = False
    suffix: bool = False
    source: str = ""


@dataclass(frozen=True)
class Hit:
    """A rule that matched, with the text that matched it."""

    rule: Rule
    found: str


def rule_key(kind: str, pattern: str) -> tuple[str, bool, bool]:
    """The normalized key of a pattern, and whether it has a leading / trailing wildcard."""
    pattern = pattern.strip()
    if kind == "domain":
        domain = pattern.lower().removeprefix("http://").removeprefix("https://").split("/")[0]
        domain = domain.removeprefix("www.").strip(".")
        if not re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}", domain):
            raise PatternError("not a domain name")
        return domain, False, False
    suffix_wild = pattern.startswith("*")
    prefix_wild = pattern.endswith("*")
    key = normalize(pattern.strip("*"))
    if not key:
        raise PatternError("no letters")
    if " " in key and (prefix_wild or suffix_wild):
        raise PatternError("wildcards only go with a single word")
    if (prefix_wild or suffix_wild) and len(key) < MIN_STEM:
        raise PatternError("too short for a wildcard")
    if len(key) < 2:
        raise PatternError("too short")
    return key, prefix_wild, suffix_wild


def make_rule(kind: str, pattern: str, action: str, *, replacement: str = "", scope: str = "default",
              id: int | None = None, source: str = "") -> Rule:
    """A :class:`Rule` from a pattern as typed; raises :class:`PatternError`."""
    if action not in ACTIONS:
        raise PatternError(f"unknown action {action}")
    key, prefix, suffix = rule_key(kind, pattern)
    return Rule(kind, pattern.strip(), key, action, replacement, scope, id, prefix, suffix, source)


def parse_list(text: str, kind: str = "word", source: str = "") -> list[Rule]:
    """Rules from a list file: ``[block]`` / ``[hold]`` / ``[replace]`` sections, one pattern a
    line, ``#`` comments."""
    rules: list[Rule] = []
    action = "hold"
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            action = line[1:-1].strip()
            if action not in ACTIONS:
                raise PatternError(f"{source}:{number}: unknown section [{action}]")
            continue
        try:
            rules.append(make_rule(kind, line, action, source=source))
        except PatternError as exc:
            raise PatternError(f"{source}:{number}: {line!r}: {exc}") from None
    return rules


@cache
def default_rules(lists: tuple[str, ...]) -> tuple[Rule, ...]:
    """The shipped lists named in ``lists`` (``fr``, ``qc``, ``en``) plus the default domains."""
    rules: list[Rule] = []
    for name in lists:
        if name in LISTS:
            rules += parse_list((DATA / LISTS[name]).read_text(encoding="utf-8"), "word", name)
    rules += parse_list((DATA / DOMAINS_FILE).read_text(encoding="utf-8"), "domain", "domains")
    return tuple(rules)


def merge(*layers: list[Rule] | tuple[Rule, ...]) -> list[Rule]:
    """Later layers override earlier ones for the same kind and key; ``allow`` removes."""
    chosen: dict[tuple[str, str, bool, bool], Rule] = {}
    for layer in layers:
        for rule in layer:
            chosen[(rule.kind, rule.key, rule.prefix, rule.suffix)] = rule
    return [rule for rule in chosen.values() if rule.action != "allow"]


def hosts_in(text: str) -> list[str]:
    """Host names of the links in ``text`` (with or without ``http://``), lower case."""
    found = [m.group(1) for m in URL_RE.finditer(text)]
    found += [m.group(1) for m in BARE_DOMAIN_RE.finditer(text)]
    hosts = []
    for host in found:
        host = host.lower().strip(".").removeprefix("www.")
        if "@" in host:
            host = host.rsplit("@", 1)[1]
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def count_links(text: str) -> int:
    """How many links a Markdown text holds (``http(s)://`` and ``www.``)."""
    lowered = text.lower()
    if "http" not in lowered and "www." not in lowered:
        return 0
    return len(URL_RE.findall(lowered))


@dataclass
class Matcher:
    """Finds watched words and domains in a text. Build once per rule set, use many times."""

    rules: list[Rule]
    exact: dict[str, Rule] = field(default_factory=dict)
    prefixes: dict[str, list[Rule]] = field(default_factory=dict)
    others: list[Rule] = field(default_factory=list)
    phrases: list[Rule] = field(default_factory=list)
    domains: dict[str, Rule] = field(default_factory=dict)
    _phrase_words: dict[Rule, frozenset[str]] = field(default_factory=dict)
    #: Phrases by their first word: a text needs that word for the phrase to be worth a look.
    _phrase_starts: dict[str, list[Rule]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for rule in self.rules:
            if rule.kind == "domain":
                self.domains[rule.key] = rule
            elif " " in rule.key:
                self.phrases.append(rule)
                self._phrase_words[rule] = frozenset(rule.key.split())
                for first in variants(rule.key.split()[0]):
                    self._phrase_starts.setdefault(first, []).append(rule)
            elif rule.prefix and not rule.suffix:
                for key in variants(rule.key):
                    self.prefixes.setdefault(key[:MIN_STEM], []).append(rule)
            elif rule.prefix or rule.suffix:
                self.others.append(rule)
            else:
                for key in variants(rule.key):
                    self.exact[key] = rule

    def _word_rule(self, word: str) -> Rule | None:
        rule = self.exact.get(word)
        return rule if rule is not None else self._wild_rule(word)

    def _wild_rule(self, word: str) -> Rule | None:
        for candidate in self.prefixes.get(word[:MIN_STEM], ()):
            if word.startswith(candidate.key):
                return candidate
        for candidate in self.others:
            if candidate.prefix and candidate.suffix:
                if candidate.key in word:
                    return candidate
            elif word.endswith(candidate.key):
                return candidate
        return None

    def scan(self, text: str) -> list[Hit]:
        """Every rule matched by ``text`` (words, phrases and link domains), strictest first."""
        hits: dict[Rule, Hit] = {}
        folded = squeeze(fold_fast(text))
        raw = WORD_RE.findall(folded)
        candidates = set(raw)
        candidates.update(squeeze(SPACERS_RE.sub("", s)) for s in SPACED_RE.findall(folded))
        has_one = ONE in folded
        if has_one:  # "1" may be an i or an l: try both readings of the words that hold it
            candidates |= {v for token in candidates if ONE in token for v in variants(token)}
        for token in candidates & self.exact.keys():
            hits.setdefault(self.exact[token], Hit(self.exact[token], token))
        if self.prefixes:
            for token in candidates:
                for rule in self.prefixes.get(token[:MIN_STEM], ()):
                    if token.startswith(rule.key) and rule not in hits:
                        hits[rule] = Hit(rule, token)
        if self.others:
            for token in candidates:
                wild = self._wild_rule(token)
                if wild is not None and wild not in hits:
                    hits[wild] = Hit(wild, token)
        starts = candidates & self._phrase_starts.keys()
        possible = [rule for first in starts for rule in self._phrase_starts[first]
                    if self._phrase_words[rule] <= candidates]
        if possible:
            readings = [raw]
            if has_one:
                readings = [[squeeze(t.replace(ONE, letter)) for t in raw] for letter in "il"]
            for reading in readings:
                joined = f" {' '.join(reading)} "
                for rule in possible:
                    if f" {rule.key} " in joined and rule not in hits:
                        hits[rule] = Hit(rule, rule.key)
        if self.domains:
            for host in self._hosts(text):
                listed = self._domain_rule(host)
                if listed is not None and listed not in hits:
                    hits[listed] = Hit(listed, host)
        return sorted(hits.values(), key=lambda hit: -SEVERITY[hit.rule.action])

    def _hosts(self, text: str) -> list[str]:
        # Links with a scheme or "www.", plus bare mentions of a watched domain ("bit.ly/x").
        lowered = text.lower()
        hosts = []
        if "http" in lowered or "www." in lowered:
            hosts = [m.group(1).strip(".").removeprefix("www.") for m in URL_RE.finditer(lowered)]
        for domain in self.domains:
            if domain in lowered:
                hosts += [m.group(1) for m in BARE_DOMAIN_RE.finditer(lowered)]
                break
        return hosts

    def _domain_rule(self, host: str) -> Rule | None:
        parts = host.split(".")
        for start in range(len(parts) - 1):
            rule = self.domains.get(".".join(parts[start:]))
            if rule is not None:
                return rule
        return None

    def replace(self, text: str, default: str) -> str:
        """``text`` with every word or phrase of a ``replace`` rule swapped for its replacement."""
        if not text:
            return text
        text = nfc(text)
        spans: list[tuple[int, int, str]] = []
        found = [(m.start(), m.end(), normalize(text[m.start():m.end()]))
                 for m in WORD_RE.finditer(fold(text))]
        for start, end, token in found:
            for variant in variants(token):
                rule = self._word_rule(variant)
                if rule is not None and rule.action == "replace":
                    spans.append((start, end, rule.replacement or default))
                    break
        for rule in self.phrases:
            if rule.action != "replace":
                continue
            size = rule.key.count(" ") + 1
            for index in range(len(found) - size + 1):
                window = found[index:index + size]
                if " ".join(t for _, _, t in window) == rule.key:
                    spans.append((window[0][0], window[-1][1], rule.replacement or default))
        if not spans:
            return text
        out, position = [], 0
        for start, end, replacement in sorted(spans):
            if start < position:
                continue
            out.append(text[position:start])
            out.append(replacement)
            position = end
        out.append(text[position:])
        return "".join(out)
