"""Demo resources: a few links in French and in English, tagged, one for members only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.plugins.resources.service import ResourceInput, create_resource, set_featured

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

#: community, author, title, description, link, tags, visibility, featured
RESOURCES = [
    ("animateurs", "camille", "Guide d'accueil des nouveaux membres",
     "Le pas-à-pas que nous suivons pour accueillir chaque nouvelle personne : message de "
     "bienvenue, binôme, premier café virtuel.", "https://example.org/guide-accueil.pdf",
     ["accueil", "guide"], "public", True),
    ("animateurs", "mathieu", "Trame d'un café virtuel de 30 minutes",
     "Tour de table, une question ouverte, trois nouvelles : la trame que nous utilisons chaque mois.",
     "https://example.org/trame-cafe-virtuel", ["rituels"], "members", False),
    ("open-data", "amelia", "Open licences compared",
     "A one-page comparison of CC BY 4.0, ODbL and Licence Ouverte 2.0: what each asks of reusers.",
     "https://example.org/open-licences.pdf", ["licences"], "public", True),
]


async def demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Add the demo resources."""
    for slug, author, title, description, url, tags, visibility, featured in RESOURCES:
        community = communities.get(slug)
        if community is None or author not in members:
            continue
        item = await create_resource(community, members[author], ResourceInput(
            title=title, description=description, url=url, tags=tags, visibility=visibility))
        if featured:
            await set_featured(item, True)
