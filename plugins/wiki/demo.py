"""Demo pages: a welcome guide edited by several animators, rituals, a members-only review,
an English licences cheat sheet; saved through the same path as real edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.plugins.wiki.service import PageEdit, save_page
from tisserand.web.community import community_view

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

GUIDE_V1 = """Bienvenue dans la communauté des animatrices et animateurs !

Ce guide rassemble ce qu’il faut savoir pour bien démarrer.

## Les premiers pas

1. Présentez-vous dans le forum.
2. Lisez la [[Charte de la communauté]].
3. Inscrivez-vous au prochain café virtuel.
"""

GUIDE_V2 = GUIDE_V1.replace("3. Inscrivez-vous au prochain café virtuel.\n", """3. Inscrivez-vous au prochain café virtuel.

## Nos rendez-vous

Les [[Rituels d’animation]] décrivent le rythme de la communauté : café virtuel chaque semaine,
webinaire chaque mois, club de lecture chaque saison.
""")

GUIDE_V3 = GUIDE_V2 + """
## Trouver de l’aide

Posez vos questions dans le forum : une animatrice ou un animateur répond en général dans la journée.
Les notes de la communauté sont sous licence libre : réutilisez-les en citant la source.
"""

RITUALS = """Le rythme fait vivre une communauté de pratique.

| Rendez-vous | Fréquence | Durée |
|---|---|---|
| Café virtuel | chaque mardi | 30 min |
| Webinaire | le premier jeudi du mois | 1 h |
| Club de lecture | chaque saison | 1 h 30 |

Retour au [[guide/accueil|guide d’accueil]].
"""

REVIEW = """Notes internes des animateurs : à ne pas diffuser hors de la communauté.

- Participation en hausse après les cafés virtuels ;
- creux en été : prévoir un rendez-vous « spécial vacances » ;
- mettre en avant les membres les plus actifs dans la lettre mensuelle.
"""

CHEAT_SHEET = """A one-page summary of the licences we meet most often when publishing data.

| Licence | Share-alike | Attribution |
|---|---|---|
| ODbL | yes | yes |
| CC BY 4.0 | no | yes |
| Etalab 2.0 | no | yes |

See also [[Data portals]].
"""

CLIMATE = """Recensement des îlots de fraîcheur créés par les communes du réseau.

- Cours d’école désimperméabilisées ;
- parcs ouverts la nuit pendant les canicules ;
- brumisateurs sur les places du marché.
"""


async def _save(community: Community, member: Member, path: str, title: str, body: str,
                summary: str = "", **settings: object) -> None:
    view = await community_view(community, member)
    current = await _current_revision(community, path)
    edit = PageEdit(title=title, body=body, summary=summary, **settings)  # type: ignore[arg-type]
    await save_page(view, path, edit, current)


async def _current_revision(community: Community, path: str) -> int:
    from tisserand.plugins.wiki.models import WikiPage

    page = await WikiPage.get_or_none(community_id=community.id, path=path)
    return page.current_revision if page else 0


async def populate(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Add the demo pages to the demo communities that exist."""
    animateurs = communities.get("animateurs")
    if animateurs is not None and {"camille", "mathieu", "ines"} <= members.keys():
        camille, mathieu, ines = members["camille"], members["mathieu"], members["ines"]
        await _save(animateurs, camille, "guide", "Guide", "Les guides pratiques de la communauté.\n\n"
                    "- [[Guide d’accueil]]\n- [[Rituels d’animation]]\n", "Création")
        await _save(animateurs, camille, "guide/accueil", "Guide d’accueil", GUIDE_V1, "Première version")
        await _save(animateurs, mathieu, "guide/rituels", "Rituels d’animation", RITUALS, "Nos rendez-vous")
        await _save(animateurs, mathieu, "guide/accueil", "Guide d’accueil", GUIDE_V2,
                    "Ajout des rendez-vous")
        await _save(animateurs, ines, "guide/accueil", "Guide d’accueil", GUIDE_V3, "Où trouver de l’aide")
        await _save(animateurs, camille, "coulisses/bilan", "Bilan des animateurs", REVIEW,
                    "Notes de la réunion", visibility="members")
    open_data = communities.get("open-data")
    if open_data is not None and {"amelia", "david"} <= members.keys():
        await _save(open_data, members["amelia"], "licences/cheat-sheet", "Open licences cheat sheet",
                    CHEAT_SHEET.replace("| Etalab 2.0 | no | yes |\n", ""), "First draft",
                    licence="CC-BY-4.0")
        await _save(open_data, members["david"], "licences/cheat-sheet", "Open licences cheat sheet",
                    CHEAT_SHEET, "Add Etalab 2.0")
    climat = communities.get("climat-local")
    if climat is not None and "ines" in members:
        await _save(climat, members["ines"], "projets/ilots-de-fraicheur", "Îlots de fraîcheur", CLIMATE,
                    "Premier recensement")
