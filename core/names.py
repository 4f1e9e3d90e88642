"""Display names that cannot turn into links: refused when they look like an address, and
written so that mail programs do not make links of them in the site's own e-mails."""

from __future__ import annotations

import re

__all__ = ["display_name_error", "looks_like_link", "unlinked"]

# A scheme, "www.", an e-mail address, or a host name ending in a top-level domain.
_LINKISH = re.compile(
    r"[a-z][a-z0-9+.-]*:/|www\.|\S@\S|[a-z0-9-]{2,}\.(?:[a-z0-9-]+\.)*[a-z]{2,}\b", re.IGNORECASE)
_BREAKABLE = re.compile(r"(?<=\S)([.:@/])(?=\S)")
_ZWSP = "\u200b"


def looks_like_link(text: str) -> bool:
    """True when a mail program or chat client would probably make a link of ``text``."""
    return bool(_LINKISH.search(text))


def display_name_error(name: str) -> str | None:
    """Why ``name`` cannot be a display name (translated), or None when it can."""
    from tisserand.i18n import _

    if len(name) > 100:
        return _("At most {n} characters.", n=100)
    if looks_like_link(name):
        return _("A display name cannot look like a web or e-mail address.")
    return None


def unlinked(text: str) -> str:
    """``text`` with an invisible break after dots, colons, slashes and at signs inside words,
    so that mail programs do not turn a name into a link (for names in e-mails)."""
    return _BREAKABLE.sub(lambda m: m.group(1) + _ZWSP, str(text))
