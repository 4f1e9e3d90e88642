"""Scores: how much an item looks like trolling or advertising, with reasons a person can read.

The built-in scorer is heuristic (shouting, repeated characters, link density, known
advertising patterns, watched words). Other plugins add theirs through ``moderation_score``.
Reasons are stored with a ``code`` and ``params`` so that each moderator reads them in their
own language.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tisserand.i18n import _, render_stored
from tisserand.plugins.moderation.matcher import Hit, count_links

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

log = logging.getLogger("tisserand.moderation")
MAX = 100.0
UPPER_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]")
LETTER_RE = re.compile(r"[^\W\d_]")
REPEAT_RE = re.compile(r"(\S)\1{4,}")
WORDS_RE = re.compile(r"\w+")
#: Advertising and scam patterns (French and English), each with the words that must appear
#: for it to be worth running (most posts hold none of them, and skip every regex).
SPAM_PATTERNS = [(triggers, re.compile(pattern, re.IGNORECASE)) for triggers, pattern in (
    (("money", "cash"), r"\b(?:make|earn)\s+(?:\$?\d+\S*\s+)?(?:money|cash)\b"),
    (("gagne",), r"\bgagne[rz]?\s+(?:de\s+l['’]argent|\d+\s?(?:€|euros?|\$))"),
    (("home", "domicile"), r"\bwork(?:ing)?\s+from\s+home\b|\btravail\s+(?:à|a)\s+domicile\b"),
    (("crypto", "bitcoin", "btc", "forex", "trading"),
     r"\b(?:crypto|bitcoin|btc|forex|trading)\b.{0,40}\b(?:profit|gains?|invest\w*|rendement|bénéfices?)\b"),
    (("whatsapp", "whats app", "telegram", "signal"), r"\b(?:whats\s?app|telegram|signal)\b.{0,30}\+?\d[\d\s().-]{7,}"),
    (("free", "gratuit"), r"\b(?:100\s?%|totally|totalement|entièrement)\s+(?:free|gratuit)"),
    (("offer", "offre"), r"\b(?:limited|special|exclusive)\s+offer\b|\boffre\s+(?:limitée|exclusive|spéciale)\b"),
    (("buy", "achet", "order", "commandez"),
     r"\b(?:buy|acheter|achetez|order|commandez)\s+(?:now|maintenant|today|aujourd['’]hui)\b"),
    (("click", "cliquez"), r"\b(?:click|cliquez)\s+(?:here|ici)\b.{0,60}https?://"),
    (("promo", "coupon"), r"\b(?:promo\s+code|code\s+promo|coupon)\b.{0,20}\b[A-Z0-9]{5,}\b"),
    (("casino", "viagra", "cialis", "payday", "escort", "porn", "xxx"),
     r"\b(?:casino|viagra|cialis|payday|escort|porn\w*|xxx)\b"),
    (("seo", "backlink", "guest post"),
     r"\b(?:seo|backlinks?|guest\s+posts?)\b.{0,40}\b(?:services?|cheap|pas\s+cher|offer|offre)\b"),
)]


@dataclass
class Score:
    """What a scorer found: ``points`` (0 to 100) and the reasons behind them.

    A reason is a dict ``{"code", "points", "text", "params"}``; ``text`` is read when the
    code is not one of the built-in ones (a classifier plugin just gives ``text``).
    """

    points: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def add(self, points: float, code: str, text: str = "", **params: Any) -> None:
        """Add points with a reason."""
        self.points += points
        self.reasons.append({"code": code, "points": points, "text": text, "params": params})

    @classmethod
    def of(cls, points: float, *reasons: str) -> Score:
        """A score with plain-text reasons (for classifier plugins)."""
        score = cls(points)
        score.reasons = [{"code": "", "points": points, "text": r, "params": {}} for r in reasons]
        return score


def describe(reason: dict[str, Any]) -> str:
    """A reason in the reader's language."""
    params = reason.get("params") or {}
    code = reason.get("code", "")
    if code == "shouting":
        return _("Mostly capital letters ({percent} %): shouting.", **params)
    if code == "repeated":
        return _("Characters repeated many times (“{sample}”).", **params)
    if code == "links":
        return _("{links} links for {words} words.", **params)
    if code == "spam":
        return _("Looks like advertising: “{sample}”.", **params)
    if code == "watched":
        return _("Watched word or link: “{word}” ({action}).", word=params.get("word", "").strip("*"),
                 action=action_label(params.get("action", "")))
    return str(reason.get("text") or code)


def describe_hold(reason: str) -> str:
    """Why an item was held, in the reader's language (codes written by the checks)."""
    if reason.startswith("watched|"):
        _code, kind, scope, pattern = [*reason.split("|", 3), "", "", ""][:4]
        where = {"default": _("a default list"), "site": _("the site's list"),
                 "community": _("this community's list")}.get(scope, scope)
        if kind == "domain":
            return _("Link to a watched domain, “{domain}” (from {where}).", domain=pattern, where=where)
        return _("Watched word, “{word}” (from {where}).", word=pattern.strip("*"), where=where)
    if reason == "score":
        return _("Its score reached the community's threshold.")
    if reason == "first_posts":
        return _("One of the first posts of a new member.")
    return render_stored(reason)  # the author's reason, kept as a message or as written


def action_label(action: str) -> str:
    """The name of a watched-word action in the reader's language."""
    return {"block": _("refuse"), "hold": _("hold for review"), "replace": _("replace"),
            "allow": _("allow")}.get(action, action)


def heuristic(title: str, body: str, hits: list[Hit]) -> Score:
    """The built-in score of a text, explained."""
    score = Score()
    text = f"{title}\n{body}" if title else body
    lowered = text.lower()
    upper = len(UPPER_RE.findall(text))
    if upper >= 14:  # counting every letter is worth it only when there are many capitals
        letters = len(LETTER_RE.findall(text))
        if letters >= 20 and upper / letters >= 0.7:
            score.add(30, "shouting", percent=round(100 * upper / letters))
    repeats = REPEAT_RE.findall(text) if len(text) >= 5 else []
    if repeats:
        sample = REPEAT_RE.search(text).group(0)[:12]  # type: ignore[union-attr]
        score.add(min(30, 15 * len(repeats)), "repeated", sample=sample)
    links = count_links(lowered)
    if links:
        words = len(WORDS_RE.findall(text))
        if (links >= 3 and links * 8 > words) or (links >= 2 and words <= 12):
            score.add(30, "links", links=links, words=words)
    found = 0
    for triggers, pattern in SPAM_PATTERNS:
        if not any(trigger in lowered for trigger in triggers):
            continue
        match = pattern.search(text)
        if match:
            score.add(25, "spam", sample=match.group(0)[:40])
            found += 1
            if found == 2:
                break
    for hit in hits:
        if hit.rule.action in ("hold", "block"):
            score.add(40 if hit.rule.action == "hold" else 100, "watched", word=hit.rule.pattern,
                      action=hit.rule.action)
    score.points = min(MAX, score.points)
    return score


async def total(site: Site, content: Content, hits: list[Hit]) -> Score:
    """The built-in :func:`heuristic` score (``hits`` are the watched words found in the text)
    plus every ``moderation_score`` implementation's answer, capped at 100."""
    from tisserand.plugin_manager import call_safely

    combined = heuristic(content.title, content.body, hits)
    relay = site.plugins.for_community(content.community)
    # a classifier failing (at once or in its awaitable) must not stop people from posting
    for answer in await call_safely(relay.moderation_score, content=content):
        for item in answer if isinstance(answer, list) else [answer]:
            if isinstance(item, Score):
                combined.points += item.points
                combined.reasons.extend(item.reasons)
    combined.points = max(0.0, min(MAX, combined.points))
    return combined
