"""Demo data: believable seasons, objectives and a planned end (French and English)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tisserand.plugins.archive import lifecycle

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site


async def add_demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Seasons for ``animateurs`` (with a planned end in a year) and ``open-data``."""
    on = lifecycle.today(site)
    animateurs = communities.get("animateurs")
    camille = members.get("camille")
    if animateurs is not None and camille is not None:
        await lifecycle.set_end(site, animateurs, camille, on + timedelta(days=365))
        await lifecycle.create_season(
            animateurs, camille, name="Saison 1 : lancer la communauté",
            starts_on=on - timedelta(days=45), ends_on=on + timedelta(days=75),
            description="Trois mois pour se rencontrer, partager nos routines et poser les bases.",
            objectives=["Accueillir 20 animatrices et animateurs", "Écrire le guide d'accueil des nouveaux",
                        "Tenir un café virtuel chaque mois"])
        first = (await lifecycle.seasons_of(animateurs))[0].objectives[0]
        await lifecycle.mark_objective(animateurs, first, camille, True)
        await lifecycle.create_season(
            animateurs, camille, name="Saison 2 : outiller et transmettre",
            starts_on=on + timedelta(days=76), ends_on=on + timedelta(days=200),
            objectives=["Publier une boîte à outils des rituels", "Former deux nouveaux animateurs"])
    cohort = communities.get("cohorte-2024")
    if cohort is not None and camille is not None and cohort.ends_on is not None:
        # The archived cohort's legacy page: its one season, its objectives, what was reached.
        await lifecycle.create_season(
            cohort, camille, name="Parcours 2024 des nouveaux animateurs",
            starts_on=cohort.ends_on - timedelta(days=300), ends_on=cohort.ends_on,
            description="Dix mois d'ateliers, de binômes et de retours d'expérience.",
            objectives=["Accompagner douze nouveaux animateurs", "Lancer quatre communautés",
                        "Écrire le guide de la cohorte"])
        for objective in (await lifecycle.seasons_of(cohort))[0].objectives[:2]:
            await lifecycle.mark_objective(cohort, objective, camille, True)
    open_data = communities.get("open-data")
    amelia = members.get("amelia")
    if open_data is not None and amelia is not None:
        await lifecycle.create_season(
            open_data, amelia, name="Spring sprint: licences and formats",
            starts_on=on - timedelta(days=10), ends_on=on + timedelta(days=50),
            objectives=["Compare the open licences we use", "Write a guide to CSV done right"])
