"""A little moderation in the demo: a community watched word, an advertisement held for
review, a provocation flagged by members and hidden, and a warning — so the review queue of
"animateurs" has something to show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.content import create_content
from tisserand.plugins.moderation.access import place
from tisserand.plugins.moderation.flags import add as add_flag
from tisserand.plugins.moderation.sanctions import give
from tisserand.plugins.moderation.words import save as save_word

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

KIND = "moderation.demo"


async def populate(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Add the demo's moderation data (skipped when the demo lacks its communities)."""
    community = communities.get("animateurs")
    needed = ("camille", "mathieu", "olivier", "ines", "sophie")
    if community is None or any(name not in members for name in needed):
        return
    camille, mathieu = members["camille"], members["mathieu"]
    await save_word(community, camille, "word", "réunionite", "replace", "trop de réunions")
    await create_content(kind=KIND, community=community, author=members["olivier"],
                         title="Formation express, 100 % gratuite !!!",
                         body="GAGNEZ DE L'ARGENT RAPIDEMENT avec notre méthode, cliquez ici : https://bit.ly/promo-cdp "
                              "Offre limitée, commandez maintenant !!!!!", site=site)
    provocation = await create_content(
        kind=KIND, community=community, author=members["olivier"], title="Les animateurs, à quoi bon ?",
        body="Franchement, les animateurs ne servent à rien ici, tout le monde le sait.", site=site)
    for flagger in ("ines", "sophie", "mathieu"):  # the animator's flag hides it at once
        await add_flag(site, provocation, await place(community, members[flagger]), "troll",
                       "Ton agressif envers l'équipe" if flagger == "ines" else "")
    await give(site, await place(community, mathieu), members["olivier"], "warning",
               "Merci de garder un ton bienveillant : les critiques sont bienvenues, pas les attaques.")
    del camille
