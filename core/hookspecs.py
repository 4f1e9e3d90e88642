"""The plugin contract: every hook Tisserand calls, with the reference documentation.

Each docstring here is the reference for its hook (``docs/hooks.md`` is checked against this
file by a test). Hooks are synchronous, called with keyword arguments; an implementation may
accept any subset of the arguments. Where a docstring says *may return an awaitable*, the core
awaits what is returned, so an implementation can be ``def`` returning a coroutine, or do its
work synchronously.

Objects passed to hooks:

- ``site``: the running :class:`tisserand.site.Site` (settings, plugin manager, templates).
- ``community``: a :class:`tisserand.models.Community`.
- ``member`` / ``viewer`` / ``author``: a :class:`tisserand.models.Member`, or ``None`` for an
  anonymous visitor where stated.
- ``content``: a :class:`tisserand.models.Content`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tisserand import hookspec

if TYPE_CHECKING:
    from collections.abc import Awaitable

    import pluggy
    import typer
    from markdown_it import MarkdownIt
    from markupsafe import Markup
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.routing import BaseRoute

    from tisserand.bundle import Bundle
    from tisserand.content import Verdict, WriteContext
    from tisserand.data_register import DataEntry
    from tisserand.digest import DigestSection
    from tisserand.jobs import Job, Task
    from tisserand.member_export import MemberBundle
    from tisserand.models import Community, Content, Member, Membership, Notification
    from tisserand.nav import NavItem
    from tisserand.permissions import Permission
    from tisserand.site import Site
    from tisserand.uploads import PendingUpload


# --- Registration: what a plugin brings ---------------------------------------------------


@hookspec
def tisserand_addhooks(pm: pluggy.PluginManager) -> None:
    """Add a plugin's own hook specifications, so that other plugins can extend it.

    Called once, before any other hook, with the plugin manager. Call
    ``pm.add_hookspecs(module_or_class)``. Example: the moderation plugin adds
    ``moderation_score(content)`` so a classifier plugin can score content.
    """


@hookspec
def tisserand_models() -> list[str]:
    """Model modules to register with Tortoise ORM, as dotted module names.

    The plugin becomes its own Tortoise app, labelled with the plugin's name, and its schema
    migrations live in the ``migrations`` package beside the first module returned (for
    ``myplugin.models`` that is ``myplugin.migrations``). ``tisserand migrate`` applies them.
    A foreign key to a core model is written ``fields.ForeignKeyField("core.Member")``.
    """


@hookspec
def tisserand_routes() -> list[BaseRoute]:
    """Starlette routes for HTML pages, with their full paths.

    By convention a plugin's community pages live under ``/c/{slug}/<segment>`` (``/c/{slug}/forum``)
    and site-wide pages under ``/<segment>``. The core adds sessions, CSRF checks, the viewer
    (``request.state.viewer``) and friendly error pages around them. Use
    :func:`tisserand.web.community.load_community` to resolve ``{slug}`` with the visibility
    rules and the per-community plugin switch.
    """


@hookspec
def tisserand_api_routes() -> list[BaseRoute]:
    """Starlette routes for the JSON API, with paths relative to ``/api/v1``.

    The core mounts them under ``/api/v1``, authenticates bearer tokens and sessions, checks CSRF
    on cookie-authenticated writes and turns :class:`tisserand.errors.TisserandError` into the
    ``{"error": {"code", "message"}}`` format. Give each route a docstring: it becomes the
    summary in ``/api/v1/openapi.json``.
    """


@hookspec
def tisserand_template_dirs() -> list[str]:
    """More folders of Jinja2 templates, for a plugin that keeps them somewhere else than the
    ``templates/`` folder of its package: that one is found by convention (beside the module
    the entry point names), without this hook. Name templates inside a sub-folder named after
    the plugin (``forums/topic.html``) so they do not collide. Instance and theme templates
    override them."""


@hookspec
def tisserand_static_dirs() -> list[str]:
    """More folders of static files, for a plugin that keeps them somewhere else than the
    ``static/`` folder of its package (found by convention, without this hook). All are served
    at ``/static/plugins/<plugin name>/``, the conventional folder first."""


@hookspec(firstresult=True)
def tisserand_label() -> str:
    """The plugin's name for people, in the active locale: return ``_("Kudos")`` (translated in
    the plugin's own catalog). Called whenever the name is shown (settings, admin, new
    community), so it follows the reader's language; without it the entry-point name is shown."""


@hookspec
def tisserand_permissions() -> list[Permission]:
    """Permissions the plugin declares, with default grants per role.

    Return :class:`tisserand.permissions.Permission` objects, e.g.
    ``Permission("forums.topic.create", "Start a topic", roles={"coordinator", "animator",
    "sponsor", "member"})``. A coordinator can change the grants for their community; check with
    :func:`tisserand.permissions.can`.
    """


@hookspec
def content_kinds() -> list[str]:
    """The content kinds the plugin owns: exact names (``"forum.topic"``) or a namespace ending
    in ``.*`` (``"forum.*"``).

    Switching the plugin off, site-wide or in one community, then takes that content with it
    everywhere the core shows content (``/api/v1/content/{id}``, search, feeds, community homes,
    profiles, notifications, digests, moderation): see
    :meth:`tisserand.plugin_manager.Plugins.kind_active`. The core asks installed plugins that are
    switched off too (without registering them), so keep the implementation free of side effects.
    Kinds no plugin claims are always shown.
    """


@hookspec
def tisserand_settings() -> type[BaseModel]:
    """The pydantic model of the plugin's ``[plugins.<name>]`` config section.

    Unknown keys and wrong types in that section are then reported at start-up with the key and
    the file. Read the values with ``site.plugin_settings("<name>")``.
    """


@hookspec
def tisserand_cli(app: typer.Typer) -> None:
    """Add sub-commands to the ``tisserand`` command line.

    Create a ``typer.Typer()`` and attach it with ``app.add_typer(sub, name="forums")`` (always
    pass ``name=``). Commands are synchronous: wrap async work with
    :func:`tisserand.cli.runtime.run_with_site`.
    """


@hookspec
def tisserand_jobs() -> list[Job]:
    """Periodic jobs: :class:`tisserand.jobs.Job` (dotted name, coroutine function taking
    ``site``, ``every`` as a ``timedelta``). Each runs once per period whatever the number of
    processes and their clocks: in the web process on the in-process queue (SQLite), in
    ``tisserand worker`` processes on procrastinate (PostgreSQL). The function must be
    idempotent (a period cut short by a crash is not run again; the next one catches up)."""


@hookspec
def tisserand_tasks() -> list[Task]:
    """Tasks that code may defer to a worker: :class:`tisserand.jobs.Task` (dotted name,
    coroutine function ``func(site, **kwargs)``, ``retries``, ``backoff``). Defer one with
    ``await tisserand.jobs.defer(site, "name", **kwargs)`` (JSON keyword arguments). A failed
    run is retried with exponential backoff and shown to admins (``tisserand jobs list``,
    ``/admin/jobs``); the handler must be idempotent."""


@hookspec
def demo_content(
    site: Site, communities: dict[str, Community], members: dict[str, Member]
) -> Awaitable[None] | None:
    """Add sample content for ``tisserand init --demo``: ``communities`` by slug and ``members``
    by username are the demo's (French and English). Use the public API (``create_content``…),
    so the demo shows real, rendered content. May return an awaitable."""


@hookspec
def tisserand_startup(site: Site) -> Awaitable[None] | None:
    """Called when the site starts, after the database is ready: once in every process that
    starts it — each web process, each ``tisserand worker``, each command-line run
    (``run_with_site``) —, so keep it idempotent and quick, and leave once-per-site work to a
    periodic job. May return an awaitable."""


# --- Web: what a community shows ----------------------------------------------------------


@hookspec
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """Tabs for a community's navigation: :class:`tisserand.nav.NavItem` (label, url, order).

    Called only for plugins switched on in that community. ``viewer`` may be ``None``.
    """


@hookspec
def community_home_panels(
    community: Community, viewer: Member | None, request: Request
) -> Markup | Awaitable[Markup | None] | None:
    """HTML fragments (``markupsafe.Markup``) shown on a community's home page, e.g. the
    current season. May return an awaitable. Called only for plugins switched on there."""


@hookspec
def site_nav(request: Request, viewer: Member | None) -> list[NavItem] | Awaitable[list[NavItem]] | None:
    """Links in the site header (e.g. a notifications bell with the unread count, the map):
    a list of :class:`tisserand.nav.NavItem`. May return an awaitable."""


@hookspec
def account_links(viewer: Member) -> list[NavItem]:
    """Links shown on the member's own account page ``/me`` (e.g. "My location",
    "Notification settings"): a list of :class:`tisserand.nav.NavItem`."""


@hookspec
def feed_item_notes(contents: list[Content], viewer: Member | None) -> Any:
    """A short line to show under items of the core's lists (home feed, community feed,
    profiles, Atom and RSS feeds), e.g. "Every week (4 dates) · next: Monday 18:00" for a
    meet-up series: a dict of content id to text, for the plugin's own kinds. Called once per
    page with every listed item (``content.community`` loaded): answer with at most a query or
    two, never one per item. May return an awaitable."""


@hookspec
def personal_feeds(member: Member, secret: str) -> Any:
    """The member's personal secret feeds this plugin serves, as a dict of name to path or
    URL (e.g. ``{"calendar_url": f"/feeds/{secret}/meetups.ics"}``): listed by
    ``GET /api/v1/me/feeds`` and on the account page. The plugin's route finds the member
    with :func:`tisserand.feeds.member_for_feed_secret` (no cookie: the secret is the key) and
    shows only what that member may see. May return an awaitable."""


@hookspec(firstresult=True)
def content_url(content: Content) -> str | None:
    """The path of the page showing ``content`` (e.g. ``/c/slug/forum/t/12-title#p34``), for
    the feed, search, notifications and digests. The plugin that owns ``content.kind`` answers,
    others return None; the first answer wins. Called once per listed item: in the core's lists
    (feed, community home, search, profiles) ``content.community`` is already loaded (``slug``,
    ``name``, ``visibility``) and ``content.parent_id`` is set, so answer without a query."""


@hookspec
def content_actions(
    content: Content, viewer: Member | None, request: Request
) -> Markup | Awaitable[Markup | None] | None:
    """HTML fragments (``markupsafe.Markup``, e.g. a "Thank" button in a form) shown under a
    content item by the page that displays it. Called only for plugins switched on in the
    item's community. May return an awaitable. Pages that list many items call it once per
    item shown, so keep it free of queries (use ``template_context`` or caches for data).
    A plugin that answers for a whole page at once should implement ``content_actions_batch``
    instead (faster on long pages)."""


@hookspec
def content_actions_batch(contents: list[Content], viewer: Member, request: Request) -> Any:
    """The ``content_actions`` of a whole page in one call: ``{content id: Markup or list of
    Markup}`` for the items of ``contents`` that get actions (others left out). Called once per
    page, only for signed-in viewers and plugins switched on in the community; may return an
    awaitable. Items are Content objects or light objects with ``id``, ``author_id``, ``kind``,
    ``status``, ``community_id``, ``title`` and ``parent_id``. Fragments of both hooks are shown
    together, batch ones last."""


@hookspec
def profile_panels(
    member: Member, viewer: Member | None, request: Request
) -> Markup | Awaitable[Markup | None] | None:
    """HTML fragments (``markupsafe.Markup``) shown on a member's public profile
    ``/u/{username}``, e.g. "12 thanks received". May return an awaitable."""


@hookspec
def template_context(request: Request) -> dict[str, Any] | Awaitable[dict[str, Any]] | None:
    """Extra variables (a dict) for every page rendered in a request — ``render_page``,
    ``render_community`` and the core's own pages —, merged over the common ones (viewer,
    ``csrf_token``, locale…). Fragments and e-mails rendered with ``render_template`` do not get
    them. Called for every enabled plugin, once per page. May return an awaitable."""


@hookspec
def account_fields(member: Member) -> dict[str, Any] | Awaitable[dict[str, Any]] | None:
    """Extra fields for the member's own account in ``GET /api/v1/me`` (a dict), e.g. the
    digests plugin adds ``digest_frequency``. May return an awaitable."""


# --- The content pipeline ------------------------------------------------------------------


@hookspec
def content_check(
    content: Content, author: Member, community: Community, write: WriteContext
) -> Verdict | Awaitable[Verdict | None] | None:
    """Judge content before it is saved: return a :class:`tisserand.content.Verdict` or None.

    ``Verdict.allow()``, ``Verdict.hold(reason)`` (saved with status ``pending``, shown to its
    author as awaiting review) or ``Verdict.reject(reason, status_code=422, retry_after=None)``
    (nothing saved, the author sees the reason). The strictest verdict wins. ``content`` is not
    saved yet (no id for a new item); ``content.body`` may be changed (e.g. to replace words).
    May return an awaitable.

    ``write`` is the :class:`tisserand.content.WriteContext` of this write: ``write.created``
    (new item or edit), ``write.interactive`` (a visitor's request, or work done by the server
    itself such as imports and jobs: rate-limit only the former). What the check learned for
    the plugin's later hooks goes in the verdict: ``Verdict.hold(reason, source="myplugin",
    data={...})``, read back in ``content_saved`` with ``write.verdict_of("myplugin")`` (never
    as attributes set on ``content``). ``author`` is ``write.actor``: the editor of an edit.
    """


@hookspec
def file_check(
    upload: PendingUpload, uploader: Member | None, community: Community | None
) -> Verdict | Awaitable[Verdict | None] | None:
    """Judge an uploaded file before it is stored: return a
    :class:`tisserand.content.Verdict` or None (an antivirus, an organization's own rules).

    ``upload`` is a :class:`tisserand.uploads.PendingUpload`: the bytes that would be stored
    are at ``upload.path`` (read them, do not move them), with the cleaned ``name``, the
    ``mime`` type read from the content, ``kind`` (``image``, ``document``, ``text``),
    ``size``, ``sha256`` and ``purpose``. The type, size and quotas have been checked already.
    ``Verdict.reject(reason, status_code=422)`` refuses the file (nothing is stored, the
    uploader sees the reason); any verdict other than allow refuses it (there is no review
    queue for files). ``community`` is None for files outside a community (avatars, drafts);
    ``uploader`` is None for a file restored by an import whose uploader was not imported.
    Called only for the plugins switched on in ``community``. May return an awaitable.
    """


@hookspec
def markdown_setup(md: MarkdownIt) -> None:
    """Extend the Markdown renderer (markdown-it-py) with rules or plugins, e.g. ``[[wiki
    links]]``. Called once when the renderer is built. Raw HTML stays off and the output is
    sanitized afterwards whatever a rule produces. A rule finds in ``state.env`` the
    ``community``, the ``content`` being written and the ``write``
    (:class:`tisserand.content.WriteContext`, with what the checks learned in ``Verdict.data``)."""


@hookspec
def content_saved(content: Content, created: bool, write: WriteContext) -> Awaitable[None] | None:
    """After a content item is committed (created or edited). May return an awaitable.

    Use it to notify, index or count. Exceptions are logged, not raised to the writer.
    ``write`` is the :class:`tisserand.content.WriteContext` the checks saw, with their
    verdicts (``write.verdicts``, ``write.verdict_of(source)``) and what they learned in
    ``Verdict.data``; ``created`` is ``write.created``. In a web request it runs once the
    answer is sent (:func:`tisserand.later.after_response`), so the writer does not wait for
    it; keep there what the next page needs no sooner."""


@hookspec
def content_status_changed(
    content: Content, old_status: str, new_status: str, actor: Member | None, reason: str, source: str
) -> Awaitable[None] | None:
    """After a content item's status changed (e.g. ``pending`` → ``published`` on approval,
    ``published`` → ``hidden`` on moderation). May return an awaitable. Exceptions are logged,
    not raised to the moderator (the change is saved). ``source`` names who changed it, as
    given to :func:`tisserand.content.set_status` (a plugin's name, or ``""``): a plugin skips
    the changes it made itself."""


@hookspec
def content_visible(content: Content, viewer: Member | None) -> bool | None:
    """Return False to hide a content item from a viewer who could otherwise see it.

    The core has already applied the community's visibility and the item's status; a plugin
    can only narrow what is visible, never widen it. May return an awaitable (e.g. to look up
    the viewer's membership): call it through :func:`tisserand.visibility.plugins_allow`,
    which awaits the answers.
    """


# --- Members and communities ---------------------------------------------------------------


@hookspec
def member_joined(membership: Membership) -> Awaitable[None] | None:
    """After a member joined a community (or a request or invitation was accepted).
    Exceptions are logged, not raised (the membership is saved)."""


@hookspec
def member_left(membership: Membership) -> Awaitable[None] | None:
    """After an active member left or was removed from a community (withdrawing a pending
    request or declining an invitation does not call it). ``membership`` is no longer saved;
    its ``member`` and ``community`` are loaded. Called only for plugins switched on in the
    community. May return an awaitable. Exceptions are logged, not raised."""


@hookspec
def login_check(member: Member) -> str | None:
    """Return a reason (a sentence) to refuse a log-in, e.g. a site ban; None to allow."""


@hookspec
def explain_refusal(
    member: Member, community: Community, permission: str
) -> str | Awaitable[str | None] | None:
    """Why ``member`` may not do ``permission`` in ``community``, when the plugin knows better
    than "your role does not allow this" (e.g. a suspension or a silence, with its end and
    reason): a sentence in the reader's language, or None. Called when a page or the API
    answers 403 for a missing permission; the first sentence given replaces the generic one.
    May return an awaitable."""


@hookspec
def community_archived(community: Community) -> Awaitable[None] | None:
    """After a community became read-only (status ``archived``). May return an awaitable.
    Exceptions are logged, not raised."""


@hookspec
def community_reopened(community: Community) -> Awaitable[None] | None:
    """After an archived community was reopened. May return an awaitable. Exceptions are
    logged, not raised."""


# --- Notifications and digests -------------------------------------------------------------


@hookspec
def notification_created(notification: Notification) -> Awaitable[None] | None:
    """After an in-app notification was stored by :func:`tisserand.notify.notify`; a delivery
    plugin (digests) may e-mail it. May return an awaitable. Exceptions are logged, not
    raised (the notification is stored)."""


@hookspec
def digest_sections(
    member: Member, community: Community, since: Any, until: Any
) -> list[DigestSection] | Awaitable[list[DigestSection]] | None:
    """Sections of a member's digest for one community and period: a list of
    :class:`tisserand.digest.DigestSection` (title, items with text, url). ``since`` and
    ``until`` are aware datetimes. Return only what ``member`` may see. Mark items that are not
    new in the period (reminders of what is still coming or still open) ``news=False``: a digest
    is sent only when at least one item or notification is new. May return an awaitable.

    Only the digests plugin calls it, yet the core declares it (with
    :class:`~tisserand.digest.DigestSection`): the forums, wiki and meet-ups answer it whether
    or not a digest plugin is on, and a hook declared by a plugin that is off would leave
    their implementations unknown to the plugin manager (which refuses those at start-up).
    """


@hookspec
def legacy_sections(
    community: Community, viewer: Member | None
) -> list[DigestSection] | Awaitable[list[DigestSection]] | None:
    """Sections of a community's celebration page (``/c/{slug}/legacy``, shown when it is
    archived), e.g. the wiki's most-read pages (or its most revised ones when it counts no
    reads): a list of :class:`tisserand.digest.DigestSection` (title, items with text, url and
    detail such as "1,204 reads", order). Return only what ``viewer`` (None for a visitor) may
    see. Called only for plugins switched on there. May return an awaitable.

    Only the archive plugin calls it, yet the core declares it, for the reason given for
    ``digest_sections``: the wiki answers it whether or not the archive plugin is on."""


# --- Archive bundles -----------------------------------------------------------------------


@hookspec
def export_community(community: Community, bundle: Bundle) -> Awaitable[None] | None:
    """Write the plugin's data for ``community`` into the archive bundle under a folder named
    after the plugin: ``bundle.write_json("wiki/settings.json", data)``, ``bundle.write_text(path,
    text)``, or stream a large table with ``bundle.write_jsonl(name, rows)`` /
    ``with bundle.open_jsonl(name) as out: out.write(row)``. Write the ids as they are: the core
    exports every Content row (``content.jsonl``) and the members it knows of (authors,
    memberships, audit log); call ``bundle.include_member(member_id)`` for any other member your
    rows name (an RSVP from someone who left). Called after the core's files, for the plugins
    switched on in the community, with ``bundle.current_plugin`` set. May return an awaitable."""


@hookspec
def import_community(community: Community, bundle: Bundle) -> Awaitable[None] | None:
    """Restore the plugin's data from a bundle into the freshly created ``community``;
    ``bundle.content_id(old_id)`` and ``bundle.member_id(old_id)`` map exported ids to new ones
    (every Content row and member is already restored, with its timestamps; ids inside
    ``Content.meta`` are yours to map). Restore rows as they were (timestamps included), without
    the content pipeline or notifications. ``bundle.plugin_version(name)`` says which version of
    the plugin wrote the files. Called only when the bundle holds files of this plugin, inside
    the import's single transaction: raise :class:`tisserand.bundle.BundleError` to refuse the
    bundle, and nothing is changed. May return an awaitable."""


# --- Members' rights -----------------------------------------------------------------------


@hookspec
def member_export(member: Member, bundle: MemberBundle) -> Awaitable[None] | None:
    """Add the plugin's part of ``member``'s own data export (the right of access): write what
    the plugin keeps about them — what they did, chose or were given, never other members'
    data — under a folder named after the plugin, with ``bundle.write_json("forums/reactions.json",
    rows)`` or ``bundle.write_text(path, text)``. The core already writes the profile,
    memberships, every Content row they wrote (JSON and Markdown), notifications, sessions, API
    tokens, identity-provider links and audit lines. Called for every enabled plugin, in the
    background job that builds the zip, with ``bundle.current_plugin`` set. May return an
    awaitable."""


@hookspec
def member_erased(member: Member, mode: str) -> Awaitable[None] | None:
    """Erase what the plugin keeps about ``member``, whose account is being closed: ``mode`` is
    ``"delete"`` (what they wrote goes too) or ``"anonymize"`` (it stays, signed by a former
    member, so keep rows other members rely on but drop anything personal: choices,
    subscriptions, locations, e-mail ledgers, free text about them). The core then wipes or keeps
    their Content rows, deletes its own personal rows and empties the member row (which stays,
    as ``former-member-{id}``, so references remain valid). Called inside the closing's
    transaction, for every enabled plugin; an error cancels the closing, which is retried by the
    next run of the job. May return an awaitable."""


@hookspec
def data_register() -> list[DataEntry]:
    """Declare what personal data the plugin stores, for the site's register of processing
    (``/admin/privacy/register``, ``tisserand privacy register``): a list of
    :class:`tisserand.data_register.DataEntry` — ``data`` (what is stored), ``purpose`` (why),
    ``retention`` (for how long), ``audience`` (who sees it) and ``legal_basis`` (``"contract"``,
    ``"consent"``, ``"legitimate_interest"`` or ``"legal_obligation"``). Write the texts with
    ``_()`` inside the hook: it is called with the register's language active (French or
    English). The core declares accounts, memberships, content, sessions, audit lines,
    notifications and consents; declare only what the plugin's own tables and settings add.
    Called for every enabled plugin, each time the register is shown."""
