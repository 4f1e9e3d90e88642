"""The web layer: Starlette app factory, templates and themes, sessions, CSRF, core pages and API."""
