"""Page paths: ``guide/onboarding``. Lower-case ASCII segments joined by ``/``.

The last segments of a URL name actions (``/edit``, ``/history``…), so those words cannot be
segments of a path; special pages live under ``/wiki/-/`` which no path can start with.
"""

from __future__ import annotations

import re
import unicodedata

from tisserand.errors import ValidationFailed
from tisserand.i18n import _

SEGMENT_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
RESERVED = frozenset({"edit", "history", "diff", "rollback", "links", "revisions", "raw", "new"})
MAX_LENGTH = 200
MAX_DEPTH = 10


def slugify(text: str) -> str:
    """One path segment from free text: ``Guide d'accueil`` → ``guide-d-accueil``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slugify_path(text: str) -> str:
    """A path from free text, keeping ``/`` as the segment separator (may be empty)."""
    segments = [slugify(part) for part in text.split("/")]
    return "/".join(s for s in segments if s)


def path_error(path: str) -> str | None:
    """Why ``path`` is not a valid page path, or None when it is."""
    if not path:
        return _("A page needs an address.")
    if len(path) > MAX_LENGTH:
        return _("The address is too long ({limit} characters at most).", limit=MAX_LENGTH)
    segments = path.split("/")
    if len(segments) > MAX_DEPTH:
        return _("The address is too deep ({limit} levels at most).", limit=MAX_DEPTH)
    for segment in segments:
        if not SEGMENT_RE.match(segment):
            return _("Use lower-case letters, digits and '-' between slashes, like guide/onboarding.")
        if segment in RESERVED:
            return _("'{word}' is reserved: choose another word for this part of the address.",
                     word=segment)
    return None


def clean_path(raw: str) -> str:
    """Normalize what a person typed (case, spaces, slashes) without inventing a new name."""
    text = raw.strip().strip("/").lower()
    text = re.sub(r"\s+", "-", text)
    return re.sub(r"/+", "/", text)


def normalize_path(raw: str, *, field: str = "path") -> str:
    """A valid path from ``raw`` or 422 with the reason."""
    path = clean_path(raw)
    error = path_error(path)
    if error:
        raise ValidationFailed(error, fields={field: error})
    return path


def try_path(raw: str) -> str | None:
    """``raw`` as a valid path, or None."""
    path = clean_path(raw)
    return None if path_error(path) else path


def ancestors(path: str) -> list[str]:
    """The paths above ``path``, nearest last: ``a/b/c`` → ``["a", "a/b"]``."""
    segments = path.split("/")
    return ["/".join(segments[:i]) for i in range(1, len(segments))]


def title_key(title: str) -> str:
    """A title folded for case- and accent-insensitive comparison."""
    text = unicodedata.normalize("NFKD", title.strip().casefold()).replace("’", "'").replace("‘", "'")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)[:300]


def title_from_path(path: str) -> str:
    """A readable default title for a new page at ``path``: ``guide/bien-demarrer`` → ``Bien demarrer``."""
    last = path.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ")
    return last[:1].upper() + last[1:]
