"""Sample data for ``tisserand init --demo``: believable French and English communities of
practice, members in every role, a sub-community, a request and an invitation waiting, an
archived cohort; each plugin adds its own content through ``demo_content``.

Plugins may rely on the slugs and usernames below (they are listed in ``docs/admin-guide.md``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from tisserand.auth import create_member, hash_password
from tisserand.communities import archive_community, create_community, invite, join
from tisserand.models import Community, Member, Membership, MembershipState, Role
from tisserand.plugin_manager import resolve_all

if TYPE_CHECKING:
    from tisserand.site import Site

DEMO_PASSWORD = "demo-password"

#: username, display name, language, site admin
MEMBERS = [
    ("camille", "Camille Tremblay", "fr", True),
    ("mathieu", "Mathieu Gagnon", "fr", False),
    ("ines", "Inès Lefebvre", "fr", False),
    ("sophie", "Sophie Martin", "fr", False),
    ("olivier", "Olivier Roy", "fr", False),
    ("amelia", "Amelia Clarke", "en", False),
    ("david", "David Okafor", "en", False),
    ("lea", "Léa Bouchard", "fr", False),
    ("nadia", "Nadia Benali", "fr", False),
    ("thomas", "Thomas Nguyen", "fr", False),
    ("fatou", "Fatou Diop", "fr", False),
    ("james", "James Whitfield", "en", False),
]

C, A, S, M, OBS = Role.COORDINATOR, Role.ANIMATOR, Role.SPONSOR, Role.MEMBER, Role.OBSERVER

#: slug, name, description (Markdown), visibility, join policy, parent slug, roles
COMMUNITIES = [
    ("animateurs", "Animer une communauté de pratique",
     "Entraide entre animatrices et animateurs de communautés : routines, outils, rituels.\n\n"
     "- un **café virtuel** le premier jeudi du mois ;\n"
     "- un club de lecture chaque trimestre ;\n"
     "- une boîte à outils partagée dans le wiki.\n\n"
     "Nouvelle ou nouveau ? Présentez-vous dans le forum, on vous répond vite.",
     "public", "open", None,
     {"camille": C, "mathieu": A, "sophie": S, "ines": M, "olivier": M, "lea": OBS, "thomas": M,
      "fatou": M}),
    ("animateurs-quebec", "Animatrices et animateurs du Québec",
     "Le groupe régional québécois : rencontres à Montréal, Québec et Saguenay, et une "
     "visioconférence mensuelle pour les régions.",
     "public", "request", "animateurs",
     {"mathieu": C, "lea": A, "olivier": M}),
    ("climat-local", "Adaptation climatique locale",
     "Élus, agents et associations partagent leurs projets d'adaptation au climat : îlots de "
     "fraîcheur, gestion de l'eau, plans communaux. *Réservé aux membres* : les retours "
     "d'expérience y sont discutés en confiance.",
     "private", "request", None,
     {"ines": C, "lea": A, "camille": M, "fatou": M, "thomas": OBS}),
    ("bibliotheques", "Bibliothèques, tiers-lieux",
     "Bibliothécaires et médiateurs qui transforment leur établissement en tiers-lieu : "
     "aménagement, programmation, partenariats avec les associations du quartier.",
     "public", "open", None,
     {"sophie": C, "fatou": A, "nadia": M, "olivier": M}),
    ("open-data", "Open data practitioners",
     "Publishing and reusing public data: licences, formats, portals and lessons learned.\n\n"
     "We meet online every other Tuesday, and in person twice a year.",
     "public", "open", None,
     {"amelia": C, "david": A, "camille": M, "mathieu": M, "james": M}),
    ("community-managers", "Community managers' circle",
     "A small, invitation-only circle of people running online communities in companies and "
     "NGOs: candid talk about engagement, moderation and burn-out.",
     "private", "invite", None,
     {"david": C, "amelia": M, "sophie": M}),
    ("comite-direction", "Comité de pilotage",
     "Espace confidentiel du comité de pilotage du réseau : budget, orientations, recrutement.",
     "secret", "invite", None,
     {"camille": C, "sophie": M}),
    ("cohorte-2024", "Cohorte 2024 des nouveaux animateurs",
     "Le parcours d'accompagnement des nouveaux animateurs, promotion 2024. La cohorte est "
     "terminée : ses notes restent consultables.",
     "public", "request", "animateurs",
     {"camille": C, "nadia": M, "thomas": M, "fatou": M}),
]

#: Communities that end archived (after the plugins added their content).
ARCHIVED = {"cohorte-2024": date(2024, 12, 13)}
#: Someone waiting for a coordinator, and invitations waiting for an answer.
REQUESTS = [("nadia", "climat-local")]
INVITATIONS = [("amelia", "comite-direction", "camille"), ("james", "community-managers", "david")]


async def _members(site: Site) -> dict[str, Member]:
    # One hash for everyone (they share the demo password): argon2 is deliberately slow.
    password_hash = await hash_password(site.settings, DEMO_PASSWORD)
    members: dict[str, Member] = {}
    for username, name, locale, admin in MEMBERS:
        member = await create_member(site.settings, username=username,
                                     email=f"{username}@demo.tisserand.test", password=None,
                                     display_name=name, is_admin=admin, locale=locale)
        member.password_hash = password_hash
        member.email_verified_at = datetime.now(UTC)
        member.timezone = "America/Toronto" if username in ("mathieu", "lea", "olivier") else ""
        await member.save(update_fields=["password_hash", "email_verified_at", "timezone"])
        members[username] = member
    return members


async def populate(site: Site) -> dict[str, Community]:
    """Create the demo members, communities and memberships, then ask plugins for content."""
    members = await _members(site)
    communities: dict[str, Community] = {}
    for slug, name, description, visibility, policy, parent, roles in COMMUNITIES:
        coordinator = next(u for u, r in roles.items() if r == Role.COORDINATOR)
        community = await create_community(members[coordinator], slug=slug, name=name,
                                           description=description, visibility=visibility,
                                           join_policy="open", parent=communities.get(parent or ""),
                                           ends_on=ARCHIVED.get(slug), site=site)
        for username, role in roles.items():
            if role == Role.COORDINATOR:
                continue
            await join(members[username], community, site=site)
            await Membership.filter(member_id=members[username].id, community_id=community.id,
                                    state=MembershipState.ACTIVE).update(role=role)
        community.join_policy = policy  # type: ignore[assignment]
        await community.save(update_fields=["join_policy"])
        communities[slug] = community
    for username, slug in REQUESTS:
        await join(members[username], communities[slug], site=site)
    for username, slug, by in INVITATIONS:
        await invite(members[by], communities[slug], members[username], site=site)
    await resolve_all(site.hook.demo_content(site=site, communities=communities, members=members))
    for slug in ARCHIVED:
        communities[slug] = await archive_community(
            await Community.get(id=communities[slug].id), members["camille"],
            reason="Fin du parcours 2024 : merci à toutes et à tous !", site=site)
    return communities


def banner(url: str) -> str:
    """What ``tisserand demo`` prints once: the address, the password and who to log in as."""
    names = {username: name for username, name, _locale, _admin in MEMBERS}
    coordinators: dict[str, list[str]] = {}
    for slug, _name, _description, _visibility, _policy, _parent, roles in COMMUNITIES:
        for username, role in roles.items():
            if role == Role.COORDINATOR:
                coordinators.setdefault(username, []).append(slug)
    width = max(len(u) for u in coordinators) + 2
    lines = [f"Tisserand demo: {url}", f"Log in with any of these names and the password {DEMO_PASSWORD!r}:",
             f"  {'camille'.ljust(width)}{names['camille']}, site administrator; coordinates "
             + ", ".join(coordinators.get("camille", []))]
    lines += [f"  {u.ljust(width)}{names[u]}, coordinates {', '.join(slugs)}"
              for u, slugs in coordinators.items() if u != "camille"]
    lines.append(f"  {'olivier'.ljust(width)}{names['olivier']}, a member; visitors see the public pages. Ctrl-C stops.")
    rule = "=" * max(len(line) for line in lines)
    return "\n".join([rule, *lines, rule])
