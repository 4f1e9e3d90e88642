"""Sample data for ``tisserand init --demo``: believable French and English communities of
practice, members in every role; each plugin adds its own content through ``demo_content``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tisserand.auth import create_member
from tisserand.communities import create_community, join
from tisserand.models import Community, Member, Membership, MembershipState, Role
from tisserand.plugin_manager import resolve_all

if TYPE_CHECKING:
    from tisserand.site import Site

DEMO_PASSWORD = "demo-password"

MEMBERS = [
    ("camille", "Camille Tremblay", "fr", True),
    ("mathieu", "Mathieu Gagnon", "fr", False),
    ("ines", "Inès Lefebvre", "fr", False),
    ("sophie", "Sophie Martin", "fr", False),
    ("olivier", "Olivier Roy", "fr", False),
    ("amelia", "Amelia Clarke", "en", False),
    ("david", "David Okafor", "en", False),
    ("lea", "Léa Bouchard", "fr", False),
]

COMMUNITIES = [
    ("animateurs", "Animer une communauté de pratique",
     "Entraide entre animatrices et animateurs de communautés : routines, outils, rituels.",
     "public", "open",
     {"camille": Role.COORDINATOR, "mathieu": Role.ANIMATOR, "sophie": Role.SPONSOR,
      "ines": Role.MEMBER, "olivier": Role.MEMBER, "lea": Role.OBSERVER}),
    ("climat-local", "Adaptation climatique locale",
     "Élus, agents et associations partagent leurs projets d'adaptation au climat.",
     "private", "request",
     {"ines": Role.COORDINATOR, "lea": Role.ANIMATOR, "camille": Role.MEMBER}),
    ("open-data", "Open data practitioners",
     "Publishing and reusing public data: licences, formats, portals and lessons learned.",
     "public", "open",
     {"amelia": Role.COORDINATOR, "david": Role.ANIMATOR, "camille": Role.MEMBER,
      "mathieu": Role.MEMBER}),
    ("comite-direction", "Comité de pilotage",
     "Espace confidentiel du comité de pilotage du réseau.", "secret", "invite",
     {"camille": Role.COORDINATOR, "sophie": Role.MEMBER}),
]


async def populate(site: Site) -> dict[str, Community]:
    """Create the demo members, communities and memberships, then ask plugins for content."""
    members: dict[str, Member] = {}
    for username, name, locale, admin in MEMBERS:
        member = await create_member(site.settings, username=username,
                                     email=f"{username}@demo.tisserand.test",
                                     password=DEMO_PASSWORD, display_name=name, is_admin=admin,
                                     locale=locale)
        member.email_verified_at = datetime.now(UTC)
        await member.save(update_fields=["email_verified_at"])
        members[username] = member
    communities: dict[str, Community] = {}
    for slug, name, description, visibility, policy, roles in COMMUNITIES:
        coordinator = next(u for u, r in roles.items() if r == Role.COORDINATOR)
        community = await create_community(members[coordinator], slug=slug, name=name,
                                           description=description, visibility=visibility,
                                           join_policy="open", site=site)
        for username, role in roles.items():
            if role == Role.COORDINATOR:
                continue
            await join(members[username], community, site=site)
            await Membership.filter(member_id=members[username].id, community_id=community.id,
                                    state=MembershipState.ACTIVE).update(role=role)
        community.join_policy = policy  # type: ignore[assignment]
        await community.save(update_fields=["join_policy"])
        communities[slug] = community
    await resolve_all(site.hook.demo_content(site=site, communities=communities, members=members))
    return communities
