"""The licences a page can carry: the core's list (:mod:`tisserand.licences`), shared with
other plugins such as resources."""

from tisserand.licences import BY_ID, DEFAULT_LICENCE, LICENCES, Licence, get_licence, is_licence

__all__ = ["BY_ID", "DEFAULT_LICENCE", "LICENCES", "Licence", "get_licence", "is_licence"]
