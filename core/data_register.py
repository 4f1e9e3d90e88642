"""The register of processing: what the site stores about people, why, for how long, who sees
it and on what legal basis (GDPR art. 30, Québec's Law 25).

The core declares its own data (:func:`core_entries`) and every enabled plugin declares its own
through the ``data_register()`` hook, so the register follows the plugins switched on. It is
built in one language at a time (:func:`build_register`: the hooks run with that locale active,
so the plugins' ``_()`` texts come out translated) and shown to site administrators at
``/admin/privacy/register`` and by ``tisserand privacy register [--json]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from tisserand.i18n import _

if TYPE_CHECKING:
    from tisserand.site import Site

__all__ = ["LEGAL_BASES", "DataEntry", "Register", "RegisterSection", "build_register", "column_labels",
           "core_entries", "legal_basis_label"]

LegalBasis = Literal["contract", "consent", "legitimate_interest", "legal_obligation"]
#: The legal bases an entry may name (GDPR art. 6): labels come from :func:`legal_basis_label`.
LEGAL_BASES: tuple[str, ...] = ("contract", "consent", "legitimate_interest", "legal_obligation")


@dataclass(frozen=True)
class DataEntry:
    """One line of the register, in the reader's language (build it inside the hook, with ``_()``).

    ``data``: what is stored; ``purpose``: why; ``retention``: for how long; ``audience``: who
    sees it; ``legal_basis``: one of :data:`LEGAL_BASES`."""

    data: str
    purpose: str
    retention: str
    audience: str
    legal_basis: LegalBasis

    def as_dict(self) -> dict[str, str]:
        """The entry as JSON-ready text, with the legal basis's label."""
        return {**asdict(self), "legal_basis_label": legal_basis_label(self.legal_basis)}


@dataclass
class RegisterSection:
    """The entries of one source: ``core`` or a plugin (``label`` is its name for people);
    ``rows`` are the entries as text (:meth:`DataEntry.as_dict`), in the register's language."""

    source: str
    label: str
    rows: list[dict[str, str]]


@dataclass
class Register:
    """The whole register in one ``language``: the column titles and the sections."""

    language: str
    title: str
    columns: dict[str, str]
    sections: list[RegisterSection]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (``tisserand privacy register --json``)."""
        return asdict(self)


def column_labels() -> dict[str, str]:
    """The register's column titles, in the active language."""
    return {"data": _("Data"), "purpose": _("Purpose"), "retention": _("Retention"),
            "audience": _("Who sees it"), "legal_basis": _("Legal basis")}


def legal_basis_label(key: str) -> str:
    """The legal basis ``key`` for people, in the active language."""
    labels = {
        "contract": _("Performance of the terms of use (contract)"),
        "consent": _("Consent of the member (withdrawable at any time)"),
        "legitimate_interest": _("Legitimate interest (security, running the communities)"),
        "legal_obligation": _("Legal obligation"),
    }
    return labels.get(key, key)


def core_entries(site: Site) -> list[DataEntry]:
    """What the core itself stores, with the site's own retention settings."""
    privacy = site.settings.privacy
    until_closed = _("Until the account is closed (then {days} days of grace, during which signing in "
                     "cancels the closing)", days=privacy.closing_grace_days)
    inactive = (_("Accounts unused for {days} days are warned by e-mail, then anonymized {warning} days "
                  "later unless the member signs in.", days=privacy.inactive_after_days,
                  warning=privacy.inactive_warning_days)
                if privacy.inactive_after_days else _("No inactivity limit is set on this site."))
    return [
        DataEntry(_("Account: username, display name, e-mail address, password hash, language, time zone, "
                    "picture"),
                  _("Signing in, showing who wrote what, sending the messages the member asked for"),
                  f"{until_closed}. {inactive}",
                  _("Name and picture: whoever can read what the member wrote or their profile. E-mail "
                    "address: the member, site administrators, and whom the member chooses."), "contract"),
        DataEntry(_("Profile choices: city and coarse location (opt-in), who sees each profile field"),
                  _("Showing the member where they chose to; finding meet-ups near them"),
                  _("Until the member removes it or closes the account"),
                  _("As the member chooses for each field: everyone, members of their communities, or only "
                    "them"), "consent"),
        DataEntry(_("Memberships and roles in communities"),
                  _("Running the communities: who may read, write, moderate"),
                  _("Until the member leaves the community or closes the account"),
                  _("Members of the community (as its visibility allows), its coordinators, site "
                    "administrators"), "contract"),
        DataEntry(_("What members write: topics, replies, pages, revisions, files"),
                  _("The communities' conversations and shared knowledge"),
                  _("Until it is deleted; on closing, the member chooses to delete it or keep it "
                    "anonymously"),
                  _("As the community's visibility allows (public, private or secret)"), "contract"),
        DataEntry(_("Sessions, API tokens, IP addresses of sessions and audit lines"),
                  _("Security: seeing and ending the sessions on one's account, tracing abuse"),
                  _("IP addresses: {days} days; sessions: {session_days} days at most; tokens: until "
                    "revoked", days=privacy.ip_retention_days, session_days=site.settings.auth.session_days),
                  _("The member (their own sessions and tokens), site administrators"), "legitimate_interest"),
        DataEntry(_("Date of the last visit"),
                  _("Security, and the inactive-accounts policy when the site sets one"),
                  until_closed, _("Site administrators"), "legitimate_interest"),
        DataEntry(_("Audit log of administration and moderation actions"),
                  _("Accountability of those who run the site and the communities"),
                  _("As long as the site exists; the person is removed from it when their account closes"),
                  _("Site administrators; coordinators for their community"), "legitimate_interest"),
        DataEntry(_("Notifications"), _("Telling members what happened where they take part"),
                  until_closed, _("The member"), "contract"),
        DataEntry(_("Consents: document, version and date accepted"),
                  _("Proving that the member accepted the terms and the privacy policy in force"),
                  until_closed, _("The member, site administrators"), "legal_obligation"),
        DataEntry(_("Data exports the member asked for"), _("The right of access and portability"),
                  _("{days} days after they are ready", days=privacy.export_days), _("The member"),
                  "legal_obligation"),
        DataEntry(_("Links to identity providers and two-factor secrets"),
                  _("Signing in through the member's organization; protecting the account"),
                  _("Until the member removes them or closes the account"),
                  _("The member; site administrators see which providers are linked"), "legitimate_interest"),
    ]


def _entries(value: Any) -> list[DataEntry]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    entries = []
    for item in items:
        if isinstance(item, DataEntry):
            entries.append(item)
        elif isinstance(item, dict):
            entries.append(DataEntry(**{k: str(item[k]) for k in ("data", "purpose", "retention", "audience",
                                                                    "legal_basis")}))  # type: ignore[arg-type]
    return entries


def build_register(site: Site, language: str | None = None) -> Register:
    """The register in ``language`` (else the site's language): the core's section, then one per
    enabled plugin that declares data (by plugin name)."""
    from tisserand.auth import in_locale

    language = language or site.settings.site.default_locale
    with in_locale(language):
        sections = [RegisterSection("core", _("Core (accounts, communities, content)"),
                                    [e.as_dict() for e in core_entries(site)])]
        plugin_sections = []
        for name, result in site.plugins.per_plugin("data_register"):
            entries = _entries(result)
            if entries:
                plugin_sections.append(RegisterSection(name, site.plugins.label(name),
                                                       [e.as_dict() for e in entries]))
        sections += sorted(plugin_sections, key=lambda s: s.source)
        return Register(language, _("Register of processing of {site}", site=site.settings.site.name),
                        column_labels(), sections)
