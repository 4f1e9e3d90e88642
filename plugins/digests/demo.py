"""Demo content: a call to all in each language and a few digest choices."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tisserand.plugins.digests.models import DigestAccount

if TYPE_CHECKING:
    from tisserand.models import Community, Member
    from tisserand.site import Site

log = logging.getLogger("tisserand.digests")


async def demo(site: Site, communities: dict[str, Community], members: dict[str, Member]) -> None:
    """Add the digests plugin's part of the demo (in-app only: the demo sends no e-mail)."""
    from tisserand.plugins.digests.calls import create_call, dispatch_call

    class _NoMail:
        async def send(self, message: object) -> None:
            return None

    samples = [
        ("animateurs", "camille", "Café virtuel jeudi à 12 h 30",
         "Bonjour à toutes et à tous\u202f!\n\nNotre prochain **café virtuel** a lieu jeudi à 12\u00a0h\u00a030. "
         "Thème\u00a0: *comment relancer une communauté en sommeil*. @mathieu animera la discussion.\n\n"
         "Venez avec une question ou une réussite à partager."),
        ("open-data", "amelia", "Reading club: the new licence guide",
         "Hello everyone!\n\nThis month's **reading club** looks at the new open licence guide. "
         "@david will share his notes; bring your questions."),
    ]
    for slug, username, subject, body in samples:
        community, author = communities.get(slug), members.get(username)
        if community is None or author is None:
            continue
        try:
            call = await create_call(site, community, author, subject, body)
            await dispatch_call(site, call.id, mailer=_NoMail())
        except Exception:  # the demo must come up even if moderation holds a call
            log.exception("demo call to all in %s failed", slug)
    for username, frequency in (("amelia", "daily"), ("david", "monthly"), ("lea", "never")):
        member = members.get(username)
        if member is not None:
            await DigestAccount.update_or_create(member_id=member.id, defaults={"frequency": frequency})
