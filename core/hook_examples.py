"""A short, working example for every hook, rendered into docs/hooks.md by :mod:`tisserand.hookdoc`
(a test fails when a hook has none). Examples assume ``from tisserand import hookimpl``."""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    "tisserand_addhooks": '''
class ScoreSpecs:
    @hookspec
    def moderation_score(self, content):
        """A number in 0..1 and a reason, or None."""

@hookimpl
def tisserand_addhooks(pm):
    pm.add_hookspecs(ScoreSpecs)''',
    "tisserand_models": '''
@hookimpl
def tisserand_models():
    return ["tisserand_kudos.models"]   # migrations in tisserand_kudos/migrations/''',
    "tisserand_routes": '''
@hookimpl
def tisserand_routes():
    return [Route("/c/{slug}/kudos", board), Route("/c/{slug}/kudos/{content_id:id}", give, methods=["POST"])]''',
    "tisserand_api_routes": '''
async def top(request):
    """The most thanked members of a community."""
    view = await load_community(request, plugin="kudos")
    return listing(await top_rows(view.community), None)

@hookimpl
def tisserand_api_routes():
    return [Route("/communities/{slug}/kudos", top, methods=["GET"])]   # /api/v1/communities/…''',
    "tisserand_template_dirs": '''
@hookimpl
def tisserand_template_dirs():
    # Only for folders other than the package's templates/ (found without this hook).
    return [str(Path(__file__).parent / "web" / "templates")]   # web/templates/kudos/board.html''',
    "tisserand_static_dirs": '''
@hookimpl
def tisserand_static_dirs():
    # Only for folders other than the package's static/ (found without this hook).
    return [str(Path(__file__).parent / "web" / "assets")]   # /static/plugins/kudos/kudos.css''',
    "tisserand_label": '''
@hookimpl
def tisserand_label():
    return _("Kudos")   # msgid in the plugin's own locale/{fr,en}/LC_MESSAGES/kudos.po''',
    "tisserand_permissions": '''
@hookimpl
def tisserand_permissions():
    return [Permission("kudos.give", "Thank a member for a post",
                       roles={"coordinator", "animator", "sponsor", "member"})]''',
    "content_kinds": '''
@hookimpl
def content_kinds():
    return ["kudos.note"]      # or ["kudos.*"] for every kind in the namespace''',
    "tisserand_settings": '''
class KudosSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    per_day: int = 20

@hookimpl
def tisserand_settings():
    return KudosSettings   # [plugins.kudos] per_day = 10 ; current_site().plugin_settings("kudos")''',
    "tisserand_cli": '''
@hookimpl
def tisserand_cli(app):
    kudos = typer.Typer(help="Kudos.")

    @kudos.command()
    def top(slug: str):
        """Print the most thanked members of a community."""
        for row in run_with_site(lambda site: top_rows_for(slug)):
            typer.echo(f"{row['username']}: {row['total']}")

    app.add_typer(kudos, name="kudos")''',
    "tisserand_jobs": '''
async def forget_old(site):
    await Kudos.filter(created_at__lt=datetime.now(UTC) - timedelta(days=3650)).delete()

@hookimpl
def tisserand_jobs():
    return [Job("kudos.forget_old", forget_old, every=timedelta(days=1))]''',
    "tisserand_tasks": '''
async def recount(site, member_id):
    total = await Kudos.filter(receiver_id=member_id).count()
    await KudosTotal.update_or_create(member_id=member_id, defaults={"total": total})

@hookimpl
def tisserand_tasks():
    return [Task("kudos.recount", recount, retries=3)]

# elsewhere: await defer(site, "kudos.recount", member_id=member.id)''',
    "demo_content": '''
@hookimpl
def demo_content(site, communities, members):
    async def fill():
        post = await Content.filter(community=communities["animateurs"]).first()
        if post:
            await Kudos.create(community=communities["animateurs"], content=post,
                               giver=members["ines"], receiver_id=post.author_id)
    return fill()''',
    "tisserand_startup": '''
@hookimpl
def tisserand_startup(site):
    async def warm():
        site.extra["kudos_total"] = await Kudos.all().count()
    return warm()''',
    "community_nav": '''
@hookimpl
def community_nav(community, viewer):
    return [NavItem(_("Kudos"), f"/c/{community.slug}/kudos", 600, "kudos")]''',
    "community_home_panels": '''
@hookimpl
def community_home_panels(community, viewer, request):
    async def panel():
        total = await Kudos.filter(community=community).count()
        return Markup("<p>{}</p>").format(ngettext("{count} thank-you", "{count} thanks", total))
    return panel()''',
    "site_nav": '''
@hookimpl
def site_nav(request, viewer):
    return [NavItem(_("Map"), "/map", 50, "map")]''',
    "account_links": '''
@hookimpl
def account_links(viewer):
    return [NavItem(_("My location"), "/me/location", 20, "meetups")]''',
    "feed_item_notes": '''
@hookimpl
def feed_item_notes(contents, viewer):
    ids = [c.id for c in contents if c.kind == "kudos.note"]
    return {i: _("Thanked by the whole community") for i in ids}''',
    "personal_feeds": '''
@hookimpl
def personal_feeds(member, secret):
    return {"kudos_url": f"/feeds/{secret}/kudos.atom"}   # the route checks the secret itself''',
    "content_url": '''
@hookimpl
def content_url(content):
    if content.kind != "kudos.note":
        return None          # another plugin's kind: let it answer
    return f"/c/{content.community.slug}/kudos#note-{content.id}"''',
    "content_actions": '''
@hookimpl
def content_actions(content, viewer, request):
    if viewer is None or content.author_id == viewer.id:
        return None
    return Markup('<a href="/c/{}/kudos/new?for={}">{}</a>').format(
        request.path_params["slug"], content.id, _("Thank"))''',
    "content_actions_batch": '''
@hookimpl
def content_actions_batch(contents, viewer, request):
    label = _("Thank")       # translated once for the whole page
    return {c.id: Markup('<a href="/kudos/new?for={}">{}</a>').format(c.id, label)
            for c in contents if c.author_id != viewer.id}''',
    "profile_panels": '''
@hookimpl
def profile_panels(member, viewer, request):
    async def panel():
        total = await Kudos.filter(receiver=member).count()
        return Markup("<p>🙏 {}</p>").format(total) if total else None
    return panel()''',
    "template_context": '''
@hookimpl
def template_context(request):
    return {"kudos_enabled": True}   # available in every template''',
    "account_fields": '''
@hookimpl
def account_fields(member):
    async def fields():
        return {"kudos_received": await Kudos.filter(receiver=member).count()}
    return fields()''',
    "content_check": '''
@hookimpl
def content_check(content, author, community):
    if "CASINO" in content.body.upper():
        return Verdict.reject(_("Advertising is not allowed here."))
    if content.body.count("http") > 5:
        return Verdict.hold(_("Many links: a moderator will have a look."))
    return None''',
    "file_check": '''
@hookimpl
def file_check(upload, uploader, community):
    if upload.kind == "document" and upload.size > 2_000_000 and community is None:
        return Verdict.reject(_("Large documents belong in a community."))
    if run_antivirus(upload.path) == "infected":   # your scanner, e.g. clamd over a socket
        return Verdict.reject(_("This file looks infected: it was refused."))
    return None''',
    "markdown_setup": '''
def hashtag(state, silent):
    ...   # a markdown-it inline rule turning #tag into a link

@hookimpl
def markdown_setup(md):
    md.inline.ruler.before("emphasis", "hashtag", hashtag)''',
    "content_saved": '''
@hookimpl
def content_saved(content, created):
    if created and content.parent_id is None:
        return count_new_topic(content.community_id)   # a coroutine: awaited by the core''',
    "content_status_changed": '''
@hookimpl
def content_status_changed(content, old_status, new_status, actor, reason):
    if new_status in ("hidden", "deleted"):
        return Kudos.filter(content_id=content.id).delete()''',
    "content_visible": '''
@hookimpl
def content_visible(content, viewer):
    if content.kind == "wiki.page" and content.meta.get("visibility") == "members":
        return is_member(viewer, content.community_id)   # an awaitable returning bool
    return None''',
    "member_joined": '''
@hookimpl
def member_joined(membership):
    return notify(membership.member, "welcome", lazy_gettext("Welcome to {name}!", name=membership.community.name),
                  community=membership.community, url=f"/c/{membership.community.slug}")''',
    "member_left": '''
@hookimpl
def member_left(membership):
    return Watch.filter(member_id=membership.member.id, community_id=membership.community.id).delete()''',
    "login_check": '''
@hookimpl
def login_check(member):
    if member.username in BANNED:
        return _("This account is suspended until January.")
    return None''',
    "explain_refusal": '''
@hookimpl
def explain_refusal(member, community, permission):
    if member.username in ON_LEAVE:
        return _("Your account is on leave until Monday: posting resumes then.")
    return None''',
    "community_archived": '''
@hookimpl
def community_archived(community):
    return Reminder.filter(community=community).delete()   # nothing to remind any more''',
    "community_reopened": '''
@hookimpl
def community_reopened(community):
    return schedule_reminders(community)''',
    "notification_created": '''
@hookimpl
def notification_created(notification):
    if notification.kind == "mention":
        return send_instant_email(notification)''',
    "digest_sections": '''
@hookimpl
def digest_sections(member, community, since, until):
    async def section():
        rows = await fetch_all("SELECT ... FROM kudos WHERE community_id = ? AND created_at >= ?",
                               [community.id, since])
        items = [DigestItem(f"{r['giver']} thanked {r['receiver']}") for r in rows]
        return [DigestSection(_("Thanks"), items)] if items else []
    return section()''',
    "legacy_sections": '''
@hookimpl
def legacy_sections(community, viewer):
    async def section():
        total = await Kudos.filter(community=community).count()
        return Markup("<p>{}</p>").format(_("{n} thank-yous were given here.", n=total))
    return section()''',
    "export_community": '''
@hookimpl
def export_community(community, bundle):
    async def export():
        rows = await fetch_all("SELECT content_id, giver_id, receiver_id FROM kudos WHERE community_id = ?",
                               [community.id])
        bundle.write_jsonl("kudos/kudos.jsonl", rows)
    return export()''',
    "import_community": '''
@hookimpl
def import_community(community, bundle):
    async def restore():
        for row in bundle.read_jsonl("kudos/kudos.jsonl"):
            await Kudos.create(community=community, content_id=bundle.content_id(row["content_id"]),
                               giver_id=bundle.member_id(row["giver_id"]),
                               receiver_id=bundle.member_id(row["receiver_id"]))
    return restore()''',
    "member_export": '''
@hookimpl
def member_export(member, bundle):
    async def export():
        given = await Kudos.filter(giver_id=member.id).values("content_id", "created_at")
        bundle.write_json("kudos/given.json", given)   # what they gave, not who thanked them
    return export()''',
    "member_erased": '''
@hookimpl
def member_erased(member, mode):
    async def erase():
        await Kudos.filter(giver_id=member.id).delete()    # their choices go in both modes
    return erase()''',
    "data_register": '''
@hookimpl
def data_register():
    from tisserand.data_register import DataEntry

    return [DataEntry(_("Thank-yous given and received"), _("Showing appreciation between members"),
                      _("Until the account is closed"), _("Members of the community"), "contract")]''',
}
