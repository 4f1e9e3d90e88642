"""Posts for the moderation benchmark: believable French and English messages of a community of
practice (a few hundred characters, some with links and @mentions, one in twelve with a watched
word or shouting), made from the seed texts so that no two are the same.

    .venv/bin/python benchmarks/moderation/generate.py 2000 > /tmp/posts.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

SEEDS = Path("/work/shared/seeds")
ENGLISH = ("Thanks for sharing this. In our network we tried a monthly reading club and a wiki page "
           "per project; attendance grew once we sent a short weekly summary. Has anyone measured "
           "engagement over a full year? We publish our indicators on the portal and discuss them "
           "at the virtual café every other Thursday. Happy to compare notes with other animators.")
TROUBLE = ["Vous êtes tous des connards, franchement.", "ARRÊTEZ DE PERDRE NOTRE TEMPS AVEC CES RÉUNIONS !!!!!",
           "Gagnez de l'argent facile : https://bit.ly/promo-cdp", "What a bunch of m0r0ns, seriously."]


def sentences() -> list[str]:
    """Sentences of the seed texts (French), plus an English paragraph."""
    found: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [s.strip() for s in text.replace("\n", " ").split(". ") if 40 <= len(s.strip()) <= 300]
    found += [s.strip() + "." for s in ENGLISH.split(". ")]
    return found


def posts(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``count`` posts: title, body."""
    rng = random.Random(seed)
    pool = sentences()
    for number in range(count):
        parts = rng.sample(pool, k=min(len(pool), rng.randint(2, 5)))
        body = ". ".join(parts) + f" (#{number})"
        if number % 5 == 0:
            body += f" Voir https://example.org/ressources/{number} et https://wiki.example.org/page-{number}."
        if number % 7 == 0:
            body += f" Merci @membre{rng.randint(1, 50)} et @membre{rng.randint(1, 50)} !"
        if number % 12 == 0:
            body = f"{rng.choice(TROUBLE)} {body}"
        yield {"title": f"Retour d'expérience {number}" if number % 3 == 0 else "", "body": body}


if __name__ == "__main__":
    for post in posts(int(sys.argv[1]) if len(sys.argv) > 1 else 1000):
        sys.stdout.write(json.dumps(post, ensure_ascii=False) + "\n")
