"""Words people read for the core's codes (roles, visibility, join policies, states), translated
at call time, and the avatar helpers. Available in every template as ``role_label(...)``…"""

from __future__ import annotations

import hashlib

from tisserand.i18n import _

ROLE_ORDER = ("coordinator", "animator", "sponsor", "member", "observer")
#: Avatar backgrounds, each with at least 4.5:1 contrast against white text.
AVATAR_COLOURS = ("#1d5e9b", "#8a3ffc", "#a2191f", "#005d5d", "#6f4e00", "#9f1853", "#0e6027", "#4d5358")


def role_label(role: str | None) -> str:
    """"coordinator" → "Coordinator" / "Coordination"…"""
    labels = {
        "coordinator": _("Coordinator"), "animator": _("Animator"), "sponsor": _("Sponsor"),
        "member": _("Member"), "observer": _("Observer"), "admin": _("Site administrator"),
    }
    return labels.get(str(role or ""), str(role or ""))


def role_help(role: str) -> str:
    """One sentence on what a role does."""
    helps = {
        "coordinator": _("Runs the community: settings, roles, requests."),
        "animator": _("Animates and moderates the discussions every day."),
        "sponsor": _("A visible patron who may post announcements."),
        "member": _("Takes part: reads, writes, replies."),
        "observer": _("Reads only (for example a guest or a former member)."),
    }
    return helps.get(role, "")


def visibility_label(visibility: str) -> str:
    """Public / private / secret, for people."""
    labels = {"public": _("Public"), "private": _("Private"), "secret": _("Secret")}
    return labels.get(str(visibility), str(visibility))


def visibility_help(visibility: str) -> str:
    """What a visibility means."""
    helps = {
        "public": _("Listed; everyone can read its content."),
        "private": _("Listed; only members read its content."),
        "secret": _("Not listed; only members know it exists."),
    }
    return helps.get(str(visibility), "")


def join_policy_label(policy: str) -> str:
    """Open / on request / on invitation."""
    labels = {"open": _("Open to all"), "request": _("On request"), "invite": _("On invitation")}
    return labels.get(str(policy), str(policy))


def join_policy_help(policy: str) -> str:
    """What a join policy means."""
    helps = {
        "open": _("Anyone with an account joins in one click."),
        "request": _("People ask to join; a coordinator accepts them."),
        "invite": _("Only people invited by the community's staff can join."),
    }
    return helps.get(str(policy), "")


def state_label(state: str) -> str:
    """Membership states."""
    labels = {"active": _("Member"), "requested": _("Request pending"), "invited": _("Invited")}
    return labels.get(str(state), str(state))


def plugin_label(name: str) -> str:
    """A plugin's name for people, given by the plugin itself (``tisserand_label`` hook)."""
    from tisserand.site import current_site

    try:
        return current_site().plugins.label(name)
    except RuntimeError:  # no site running
        return name.replace("_", " ").replace("-", " ").capitalize()


def initials(name: str, username: str = "") -> str:
    """Up to two letters for an avatar (as :attr:`Member.initials`)."""
    words = [w for w in name.replace("_", " ").replace(".", " ").replace("-", " ").split() if w]
    letters = "".join(w[0] for w in words[:2]) or (username[:1] or "?")
    return letters.upper()


def avatar_colour(username: str) -> str:
    """A stable background colour for a member's avatar."""
    index = int(hashlib.sha1(username.encode()).hexdigest()[:4], 16) % len(AVATAR_COLOURS)
    return AVATAR_COLOURS[index]


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """"Firefox, Windows" from a User-Agent header (the raw header when unknown)."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser}, {system}"
    return browser or system or user_agent[:60]


def template_globals() -> dict[str, object]:
    """What :mod:`tisserand.web.templates` adds to every template."""
    return {
        "role_label": role_label, "role_help": role_help, "roles": ROLE_ORDER,
        "visibility_label": visibility_label, "visibility_help": visibility_help,
        "join_policy_label": join_policy_label, "join_policy_help": join_policy_help,
        "state_label": state_label, "initials": initials, "avatar_colour": avatar_colour,
        "plugin_label": plugin_label, "device_label": device_label,
        "picture_url": _picture_url,
    }


def _picture_url(upload_id: str | None, variant: str = "thumb") -> str | None:
    from tisserand.uploads.pictures import picture_url

    return picture_url(upload_id, variant)
