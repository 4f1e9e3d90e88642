"""The core's pages and API routes, gathered from one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute

from tisserand.web.pages import (
    accessibility,
    accounts,
    admin,
    api_accounts,
    api_communities,
    api_content,
    api_me_security,
    communities,
    consent,
    feeds,
    home,
    me,
    members,
    pictures,
    privacy,
    profile,
    search,
    settings,
    sso,
    twofactor,
    uploads,
)


def core_page_routes() -> list[BaseRoute]:
    """HTML routes of the core (after plugin routes, so the most specific paths win)."""
    return [
        *home.routes(),
        *accounts.routes(),
        *sso.routes(),
        *twofactor.routes(),
        *me.routes(),
        *feeds.routes(),
        *privacy.routes(),
        *consent.routes(),
        *pictures.routes(),
        *profile.routes(),
        *search.routes(),
        *accessibility.routes(),
        *admin.routes(),
        *communities.routes(),
        *members.routes(),
        *settings.routes(),
        *uploads.routes(),
    ]


def core_api_routes() -> list[BaseRoute]:
    """JSON routes of the core, relative to ``/api/v1``."""
    from tisserand.web.pages import events

    return [*home.api_routes(), *api_accounts.routes(), *api_communities.routes(), *api_content.routes(),
            *search.api_routes(), *api_me_security.routes(), *events.routes(), *uploads.api_routes(),
            *privacy.api_routes(), *consent.api_routes(), *feeds.api_routes()]
