"""Sample data for ``tisserand init --demo``: believable French and English communities of
practice, members in every role, a sub-community, a request and an invitation waiting, an
archived cohort; each plugin adds its own content through ``demo_content``.

Plugins may rely on the slugs and usernames below (they are listed in ``docs/admin-guide.md``).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tisserand.auth import create_member, hash_password
from tisserand.communities import archive_community, create_community, invite, join, leave
from tisserand.models import Community, Content, Member, Membership, MembershipState, Role
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

#: People who came for a while during the year and left: username, name, language, communities.
PASSERS_BY = [("julien", "Julien Morel", "fr", ["animateurs", "bibliotheques"]),
              ("emma", "Emma Wright", "en", ["open-data"])]
#: A community whose life faded a month ago: the insights plugin raises its quiet alert.
QUIET = "bibliotheques"
#: How far back the demo's life goes.
YEAR = timedelta(days=365)

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
    await _a_year_of_life(site, communities, members)
    for slug in ARCHIVED:
        communities[slug] = await archive_community(
            await Community.get(id=communities[slug].id), members["camille"],
            reason="Fin du parcours 2024 : merci à toutes et à tous !", site=site)
        archived_at = datetime.combine(ARCHIVED[slug], time(18), tzinfo=UTC)  # archived on its last day
        await Community.filter(id=communities[slug].id).update(archived_at=archived_at)
        communities[slug].archived_at = archived_at
    return communities


async def _a_year_of_life(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Spread the demo over the past twelve months: members arrived at different times (the
    coordinators first), a few came and left, and what was written is dated over the year — a
    month old at least in the quiet community, before its end in the archived one."""
    chance = random.Random(22)  # the same demo every time
    now = datetime.now(UTC)
    for slug, *_rest, roles in COMMUNITIES:
        community = communities[slug]
        await Community.filter(id=community.id).update(
            created_at=_before(community, now - YEAR - timedelta(days=5)) - (timedelta(days=310) if slug in ARCHIVED else timedelta()))
        for username, role in roles.items():
            age = YEAR if role == Role.COORDINATOR else timedelta(days=chance.randint(20, 350))
            await Membership.filter(community_id=community.id, member_id=members[username].id).update(
                created_at=_before(community, now - age))
    for username, name, locale, slugs in PASSERS_BY:
        passer = await create_member(site.settings, username=username, email=f"{username}@demo.tisserand.test",
                                     password=None, display_name=name, locale=locale)
        members[username] = passer
        for slug in slugs:
            await join(passer, communities[slug], site=site)
            await leave(passer, communities[slug], site=site)
    for slug, community in communities.items():
        newest = now - (timedelta(days=30) if slug == QUIET else timedelta(hours=6))
        newest = _before(community, newest)
        oldest = newest - (timedelta(days=300) if slug in ARCHIVED else YEAR - timedelta(days=15))
        roots = await Content.filter(community_id=community.id, parent_id=None).order_by("id").values_list("id", flat=True)
        chance.shuffle(roots)  # topics, pages, meet-ups and calls mixed over the months
        step = (newest - oldest) / max(len(roots) - 1, 1)
        for index, root in enumerate(roots):
            start = oldest + step * index - timedelta(minutes=chance.randint(0, 600))
            children = await Content.filter(parent_id=root).order_by("id").values_list("id", flat=True)
            when = start
            await Content.filter(id=root).update(created_at=start, updated_at=start)
            for child in children:
                when = min(when + timedelta(hours=chance.randint(2, 60)), newest)
                await Content.filter(id=child).update(created_at=when, updated_at=when)
            await Content.filter(id=root).update(activity_at=when)


def _before(community: Community, moment: datetime) -> datetime:
    """``moment``, or the end of an archived community's life if it comes first."""
    end = ARCHIVED.get(str(community.slug))
    return min(moment, datetime.combine(end, time(17), tzinfo=UTC)) if end else moment


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
    lines.append(f"  {'olivier'.ljust(width)}{names['olivier']}, a member; visitors see the public pages.")
    archived = ", ".join(ARCHIVED)
    lines += [f"A year of life: {archived} is archived (see its legacy page),",
              f"{QUIET} fell quiet (its alert is in insights). Ctrl-C stops."]
    rule = "=" * max(len(line) for line in lines)
    return "\n".join([rule, *lines, rule])
