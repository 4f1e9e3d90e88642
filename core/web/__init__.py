"""The web layer: Starlette app factory, templates and themes, sessions, CSRF, core pages and API."""

from tisserand.web import params as _params  # noqa: F401  (registers the ``{name:id}`` path convertor)
