"""Sample discussions for ``tisserand init --demo``, in French and English, written through the
same functions members use (so they are rendered, counted and notified like real ones)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tisserand.plugins.forums import categories, service
from tisserand.web.community import community_view

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

CATEGORIES = {
    "animateurs": [("routines", "Routines d’animation", "Rituels, calendrier éditorial, relances."),
                   ("outils", "Outils", "Plateformes, visioconférence, sondages."),
                   ("presentations", "Présentations", "Présentez-vous à la communauté !")],
    "open-data": [("licences", "Licences", "Choosing and applying open licences."),
                  ("tools", "Tools & formats", "CSV, APIs, portals and validators.")],
    "climat-local": [("retours", "Retours d’expérience", "Ce qui a marché, ce qui a moins marché.")],
}

# (community, category, author, title, body, replies [(author, body)], solved reply index, flags)
TOPICS = [
    ("animateurs", "routines", "mathieu", "Quels rituels pour relancer une communauté en sommeil ?",
     "Depuis l’été, nos échanges se font rares. Quels rituels avez-vous essayés pour relancer "
     "une communauté qui s’endort ?",
     [("ines", "Chez nous, un **café virtuel** de 30 minutes chaque premier jeudi du mois a tout "
               "changé : pas d’ordre du jour, juste des nouvelles."),
      ("olivier", "Même expérience. J’ajouterais un club de lecture trimestriel. @mathieu, tu veux "
                  "qu’on en parle au prochain comité ?"),
      ("camille", "Pensez aussi à mettre en avant les membres actifs dans le résumé hebdomadaire.")],
     0, {}),
    ("animateurs", None, "sophie", "Webinaire mensuel : les inscriptions sont ouvertes",
     "Le prochain webinaire porte sur **l’accueil des nouveaux membres**. Inscrivez-vous "
     "avant vendredi !", [], None, {"announcement": True, "pinned": True}),
    ("animateurs", "presentations", "olivier", "Bonjour à toutes et à tous !",
     "Je m’appelle Olivier, j’anime un réseau de bibliothécaires à Québec. Ravi de vous lire.",
     [("ines", "Bienvenue Olivier ! 👋")], None, {}),
    ("open-data", "licences", "amelia", "Which licence for municipal datasets?",
     "Our city is about to publish its first datasets. ODbL or CC BY 4.0? What did you choose, "
     "and why?",
     [("david", "We went with **CC BY 4.0**: simple attribution, compatible with most reuses."),
      ("mathieu", "In France, public bodies must pick from a list: Licence Ouverte 2.0 or ODbL.")],
     0, {}),
    ("open-data", "tools", "david", "Validating CSV files before publishing",
     "Which validators do you run on CSV files before they reach the portal?", [], None, {}),
    ("climat-local", "retours", "ines", "Îlots de fraîcheur : vos retours",
     "Quelles communes ont déjà végétalisé leurs cours d’école ? Coûts, délais, réactions des "
     "parents ?",
     [("lea", "Nous avons suivi trois écoles l’an dernier ; je partage notre bilan la semaine prochaine."),
      ("camille", "Très utile, merci @lea !")], None, {}),
    # The 2024 cohort, archived since: what its legacy page keeps.
    ("cohorte-2024", None, "camille", "Bilan du parcours 2024 : ce que nous retenons",
     "Dix mois, six ateliers, quatre communautés lancées. Qu’est-ce qui vous a le plus servi ?",
     [("nadia", "Les binômes avec une animatrice expérimentée : j’ai osé lancer mon premier café virtuel."),
      ("thomas", "La boîte à outils du wiki, que j’ouvre encore chaque semaine."),
      ("fatou", "Les retours d’expérience des autres cohortes, très concrets.")], 1, {}),
    ("cohorte-2024", None, "nadia", "Atelier 4 : animer à distance sans s’épuiser",
     "Mes notes de l’atelier : des rendez-vous courts, une relance par semaine au plus, et le droit "
     "de ne pas tout lire.",
     [("camille", "Merci Nadia, je les ajoute au guide de la cohorte.")], None, {}),
]


async def add_demo_content(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Create the demo categories, topics, replies, reactions and solutions."""
    for slug, rows in CATEGORIES.items():
        community = communities.get(slug)
        if community is None:
            continue
        coordinator = await _coordinator(community, members)
        view = await community_view(community, coordinator)
        for category_slug, name, description in rows:
            await categories.create_category(view, name=name, slug=category_slug, description=description)
    for slug, category, author, title, body, replies, solved, flags in TOPICS:
        community = communities.get(slug)
        if community is None or author not in members:
            continue
        view = await community_view(community, members[author])
        topic = await service.create_topic(view, title=title, body=body, category=category,
                                           announcement=bool(flags.get("announcement")))
        posted = []
        for reply_author, reply_body in replies:
            reply_view = await community_view(community, members[reply_author])
            posted.append(await service.reply(reply_view, topic.id, body=reply_body))
            if reply_author != author:  # nobody reacts to their own message
                await service.react(view, posted[-1].id, "thanks", True)
        if solved is not None and posted:
            await service.set_solution(view, topic.id, posted[solved].id)
        if flags.get("pinned"):
            staff_view = await community_view(community, await _coordinator(community, members))
            await service.set_flags(staff_view, topic.id, pinned=True)


async def _coordinator(community: Community, members: dict[str, Member]) -> Member:
    from tisserand.models import Membership

    membership = await Membership.filter(community_id=community.id, role="coordinator").first()
    for member in members.values():
        if membership is not None and member.id == membership.member_id:
            return member
    return next(m for m in members.values() if m.is_admin)
