"""The licences shared content can carry (wiki pages, resources), and the default one."""

from __future__ import annotations

from dataclasses import dataclass

from tisserand.i18n import _

__all__ = ["BY_ID", "DEFAULT_LICENCE", "LICENCES", "Licence", "get_licence", "is_licence"]


@dataclass(frozen=True)
class Licence:
    """A licence: an SPDX-like ``id``, its name and where to read it."""

    id: str
    name: str
    url: str
    free: bool = True

    @property
    def label(self) -> str:
        """The name in the active language."""
        return _(self.name)

    def as_dict(self) -> dict[str, str]:
        """For the API and the archive."""
        return {"id": self.id, "name": self.name, "url": self.url}


LICENCES = [
    Licence("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("CC-BY-4.0", "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/"),
    Licence("CC0-1.0", "Creative Commons Zero (public domain dedication)",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    Licence("all-rights-reserved", "All rights reserved", "", free=False),
]
BY_ID = {licence.id: licence for licence in LICENCES}
DEFAULT_LICENCE = "CC-BY-SA-4.0"


def get_licence(licence_id: str) -> Licence:
    """The licence called ``licence_id`` (the default one for unknown ids, e.g. an old import)."""
    return BY_ID.get(licence_id) or BY_ID[DEFAULT_LICENCE]


def is_licence(licence_id: str) -> bool:
    """Is ``licence_id`` one of the offered licences?"""
    return licence_id in BY_ID
