"""Appeals: an author may contest, once, a decision on their item or a sanction; the
community's coordinators accept (the item comes back, the sanction ends) or refuse, with a word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError

from tisserand.communities import audit
from tisserand.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tisserand.i18n import Message, _, lazy_gettext
from tisserand.models import Content, ContentStatus, Member
from tisserand.plugins.moderation import clock, notices
from tisserand.plugins.moderation.access import Place
from tisserand.plugins.moderation.models import Appeal, Sanction

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

APPEALABLE = (ContentStatus.HIDDEN, ContentStatus.DELETED)


def _message(message: str) -> str:
    message = (message or "").strip()
    if len(message) < 10:
        raise ValidationFailed(_("Explain in a few sentences why the decision should change."),
                               fields={"message": _("At least 10 characters.")})
    if len(message) > 2000:
        raise ValidationFailed(_("The message is too long (2,000 characters at most)."), fields={"message": "too long"})
    return message


async def file(site: Site, where: Place, message: str, *, content: Content | None = None,
               sanction: Sanction | None = None) -> Appeal:
    """``where.viewer`` appeals about ``content`` (theirs, hidden or deleted) or ``sanction``
    (theirs, in this community)."""
    member = where.viewer
    if member is None:
        from tisserand.errors import Unauthorized

        raise Unauthorized(_("Log in to do this."))
    message = _message(message)
    if content is not None:
        if content.author_id != member.id or content.community_id != where.community.id:
            raise NotFound(_("You can only appeal about your own posts."))
        if content.status not in APPEALABLE:
            raise Conflict(_("Only a hidden or deleted post can be appealed."))
    elif sanction is not None:
        if sanction.member_id != member.id or sanction.community_id != where.community.id:
            raise NotFound(_("You can only appeal about your own sanctions."))
        if sanction.kind == "ban":
            raise Forbidden(_("A ban from the site is appealed to the site's administrators, by e-mail."))
    else:
        raise ValidationFailed(_("Say which post or sanction you appeal about."))
    try:
        appeal = await Appeal.create(member=member, community=where.community, content=content, sanction=sanction,
                                     message=message)
    except IntegrityError:
        raise Conflict(_("You have already appealed about this: the coordinators have your message.")) from None
    await audit(member, where.community, "moderation.appeal", target_kind="content" if content else "sanction",
                target_id=content.id if content else sanction.id, reason=message)  # type: ignore[union-attr]
    community = where.community

    def to_coordinators() -> tuple[Message, str]:
        return (lazy_gettext("{name} appeals a moderation decision in {community}", name=member.name,
                             community=community.name), message[:300])

    await notices.tell_staff(site, community, "moderation.appeal", to_coordinators, roles=("coordinator",),
                             url=f"/c/{community.slug}/moderation/appeals", actor=member)
    return appeal


async def answer(site: Site, where: Place, appeal: Appeal, accept: bool, reply: str) -> Appeal:
    """A coordinator accepts or refuses ``appeal`` with a ``reply`` the author will read."""
    from tisserand.plugins.moderation import actions, sanctions

    where.require("moderation.appeals.answer")
    if appeal.community_id != where.community.id:
        raise NotFound(_("No such appeal."))
    if appeal.state != "open":
        raise Conflict(_("This appeal was already answered."))
    reply = (reply or "").strip()[:2000]
    if not accept and not reply:
        raise ValidationFailed(_("Tell the member why the decision stands."), fields={"answer": _("This field is required.")})
    if accept and appeal.content_id is not None:
        content = await Content.get_or_none(id=appeal.content_id)
        if content is not None and content.status in APPEALABLE:
            await actions.moderate(site, content, where, "restore", reply or _("Restored after an appeal."))
    if accept and appeal.sanction_id is not None:
        sanction = await Sanction.get_or_none(id=appeal.sanction_id)
        if sanction is not None:
            await sanctions.lift(site, sanction, where.viewer, reply or _("Lifted after an appeal."))
    appeal.state = "accepted" if accept else "refused"
    appeal.answer = reply
    appeal.answered_at = clock.now()
    await Appeal.filter(id=appeal.id).update(state=appeal.state, answer=reply, answered_at=appeal.answered_at,
                                             answered_by_id=where.viewer.id if where.viewer else None)
    await audit(where.viewer, where.community, f"moderation.appeal.{appeal.state}", target_kind="appeal",
                target_id=appeal.id, reason=reply)
    member = await Member.get(id=appeal.member_id)
    community = where.community

    def message() -> tuple[Message, str]:
        title = (lazy_gettext("Your appeal in {community} was accepted", community=community.name) if accept
                 else lazy_gettext("Your appeal in {community} was refused", community=community.name))
        return title, reply

    await notices.tell(site, member, "moderation.appeal.answer", message, community=community,
                       url=notices.mine_url(community))
    return appeal
