"""Flags: members report an item with a reason; past the community's threshold of weighted
flags the item is hidden until a moderator decides, and its author is told why."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum

from tisserand.communities import audit
from tisserand.content import set_status
from tisserand.errors import Conflict, Forbidden, ValidationFailed
from tisserand.i18n import N_, Message, _, lazy_concat, lazy_gettext
from tisserand.models import ContentStatus, Member
from tisserand.plugins.moderation import checks, clock, notices, reviews
from tisserand.plugins.moderation.access import Place
from tisserand.plugins.moderation.config import load_policy
from tisserand.plugins.moderation.models import Flag

if TYPE_CHECKING:
    from tisserand.models import Content
    from tisserand.site import Site

REASONS = ("spam", "troll", "abuse", "off_topic", "other")


def reason_label(reason: str) -> str:
    """A flag reason in the reader's language."""
    return {"spam": _("Spam or advertising"), "troll": _("Trolling or provocation"),
            "abuse": _("Insult, harassment or hate"), "off_topic": _("Off topic"),
            "other": _("Something else")}.get(reason, reason)


def reason_message(reason: str) -> Message | str:
    """A flag reason kept as data (rendered in the reader's language)."""
    labels = {"spam": N_("Spam or advertising"), "troll": N_("Trolling or provocation"),
              "abuse": N_("Insult, harassment or hate"), "off_topic": N_("Off topic"),
              "other": N_("Something else")}
    return lazy_gettext(labels[reason]) if reason in labels else reason


async def add(site: Site, content: Content, where: Place, reason: str, note: str = "") -> Flag:
    """Record ``where.viewer``'s flag on ``content`` and hide it past the threshold."""
    member = where.viewer
    assert member is not None
    note = (note or "").strip()
    if reason not in REASONS:
        raise ValidationFailed(_("Choose a reason: spam, troll, abuse, off topic or other."),
                               fields={"reason": _("Choose one of the reasons.")})
    if reason == "other" and not note:
        raise ValidationFailed(_("Say in a few words what is wrong."), fields={"note": _("This field is required.")})
    if len(note) > 1000:
        raise ValidationFailed(_("The note is too long (1,000 characters at most)."), fields={"note": "too long"})
    if content.author_id == member.id:
        raise ValidationFailed(_("You cannot flag your own post: edit or delete it instead."))
    where.require("moderation.flag")
    context = await checks.load_context(member, where.community)
    sanction = checks.active_sanction(context.sanctions, clock.now())
    if sanction is not None:
        raise Forbidden(checks.sanction_message(sanction, where.community, member))
    policy = await load_policy(site, where.community, context.site_version, context.community_version)
    threshold = float(policy.get("flag_threshold"))
    weight = threshold if where.is_staff else policy.level(context.level).flag_weight
    try:
        flag = await Flag.create(content_id=content.id, community_id=where.community.id, member_id=member.id,
                                 reason=reason, note=note, weight=weight)
    except IntegrityError:
        raise Conflict(_("You have already flagged this item: the moderators have your report.")) from None
    await audit(member, where.community, "moderation.flag", target_kind=content.kind, target_id=content.id,
                reason=note, data={"reason": reason, "weight": weight})
    totals = await Flag.filter(content_id=content.id, state="open").annotate(
        total=Sum("weight"), n=Count("id")).group_by("content_id").values("total", "n")
    total, count = (float(totals[0]["total"] or 0), int(totals[0]["n"])) if totals else (weight, 1)
    cause = "held" if content.status == ContentStatus.PENDING else "flagged"
    await reviews.open_review(site, content, cause=cause, flags=(total, count))
    content.community = where.community
    if total >= threshold and content.status == ContentStatus.PUBLISHED and not await _protected(content):
        await _hide(site, content, where)
    else:
        def message() -> tuple[Message, Message]:
            return (lazy_gettext("A post was flagged in {community}", community=where.community.name),
                    lazy_gettext("Open the review queue to see the flags."))

        await notices.tell_staff(site, where.community, "moderation.review", message, content=content)
    return flag


async def _protected(content: Content) -> bool:
    # Staff posts are never hidden by members' flags alone: a coordinator decides.
    from tisserand.models import Membership

    author_id = content.author_id
    if author_id is None:
        return False
    row = await Membership.get_or_none(member_id=author_id, community_id=content.community_id,
                                       state="active").values("role", "member__is_admin")
    return bool(row and (row["role"] in ("coordinator", "animator") or row["member__is_admin"]))


async def _hide(site: Site, content: Content, where: Place) -> None:
    reasons = cast("list[str]", await Flag.filter(content_id=content.id, state="open").values_list("reason", flat=True))
    counted: dict[str, int] = {}
    for reason in reasons:
        counted[reason] = counted.get(reason, 0) + 1
    community = where.community

    def why() -> str:
        return str(lazy_why())

    def lazy_why() -> Message:
        listed = lazy_concat(*(lazy_gettext("{reason:lower} ({count})", reason=reason_message(r), count=n)
                               for r, n in counted.items()), separator=", ")
        return lazy_gettext("Hidden after reports from members: {reasons}. A moderator will review it.",
                            reasons=listed)

    author = await Member.get_or_none(id=content.author_id) if content.author_id else None
    if author is not None:  # the reason shown with the item is for its author: in their language
        with notices.speaking(author):
            await set_status(content, ContentStatus.HIDDEN, actor=None, reason=lazy_why(), site=site,
                             source=checks.SOURCE)
    else:
        await set_status(content, ContentStatus.HIDDEN, actor=None, reason=lazy_why(), site=site, source=checks.SOURCE)

    def to_author() -> tuple[Message, Message]:
        return (lazy_gettext("Your post in {community} was hidden", community=community.name),
                lazy_gettext("{why} If you think this is a mistake, you can appeal to the coordinators.",
                             why=lazy_why()))

    await notices.tell(site, author, "moderation.hidden", to_author, community=community, content=content,
                       url=notices.mine_url(community))

    def to_staff() -> tuple[Message, Message]:
        return (lazy_gettext("A flagged post was hidden in {community}", community=community.name), lazy_why())

    await notices.tell_staff(site, community, "moderation.review", to_staff, content=content)
