"""Every action of the web interface has an API twin, or a reason it has none: a new form
without one fails here. (Site with every built-in plugin enabled; no database needed.)"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from tisserand import apidoc

C = "/api/v1/communities/{slug}"
#: web form (method and path) → its API twin (method and path), or why it has none.
TWINS: dict[str, str] = {
    # core: accounts and sessions
    "POST /signup": "POST /api/v1/accounts",
    "POST /login": "POST /api/v1/tokens",
    "POST /logout": "DELETE /api/v1/tokens/current",
    "POST /language": "PATCH /api/v1/me",
    "POST /me": "PATCH /api/v1/me",
    "POST /me/tokens": "POST /api/v1/tokens",
    "POST /me/tokens/{token_id}/revoke": "DELETE /api/v1/me/tokens/{token_id}",
    "POST /me/sessions/{session_id}/revoke": "DELETE /api/v1/me/sessions/{session_id}",
    "POST /me/close": "DELETE /api/v1/me",
    "POST /me/export": "POST /api/v1/me/export",
    "POST /me/feeds/reset": "POST /api/v1/me/feeds/reset",
    "POST /me/visibility": "PATCH /api/v1/me",
    "POST /consent": "POST /api/v1/me/consent",
    "POST /reset": "none: password reset happens in a browser, from a mailed link",
    "POST /reset/{token}": "none: password reset happens in a browser, from a mailed link",
    "POST /verify": "none: e-mail confirmation happens in a browser",
    "POST /verify/{token}": "none: e-mail confirmation happens in a browser",
    "POST /login/2fa": "none: second factors are a browser sign-in step (tokens are the API's credential)",
    "POST /login/link/{token}": "none: a break-glass sign-in link is for a browser",
    "POST /me/2fa": "none: second factors are set up in a browser (a QR code)",
    "POST /me/2fa/disable": "none: second factors are managed in a browser",
    "POST /me/2fa/recovery": "none: recovery codes are shown once, in a browser",
    "POST /me/password": "none: a password changes in a browser (re-authentication); scripts use tokens",
    "POST /me/logout-everywhere": "none: revoke sessions one by one (DELETE /api/v1/me/sessions/{id})",
    "POST /auth/oidc/join": "none: identity-provider sign-in is a browser flow",
    "POST /auth/oidc/{name}/link": "none: identity-provider sign-in is a browser flow",
    "POST /me/identities/{link_id}/unlink": "none: identity-provider links are managed in a browser",
    "POST /me/avatar": "none yet: pictures are uploaded from the page",
    "POST /c/{slug}/settings/pictures": "none yet: pictures are uploaded from the page",
    "POST /admin/members/{username}": "none: the CLI is the operators' twin (tisserand users deactivate…)",
    # core: communities and members
    "POST /c/new": "POST /api/v1/communities",
    "POST /c/{slug}/join": f"POST {C}/members",
    "POST /c/{slug}/leave": f"DELETE {C}/members/{{username}}",
    "POST /c/{slug}/members/invite": f"POST {C}/members",
    "POST /c/{slug}/members/{username}/approve": f"PUT {C}/members/{{username}}",
    "POST /c/{slug}/members/{username}/remove": f"DELETE {C}/members/{{username}}",
    "POST /c/{slug}/members/{username}/role": f"PUT {C}/members/{{username}}",
    "POST /c/{slug}/settings": f"PATCH {C}",
    "POST /c/{slug}/settings/plugins": f"PATCH {C}",
    "POST /c/{slug}/settings/grants": f"PATCH {C}",
    # forums
    "POST /c/{slug}/forum/new": f"POST {C}/forum/topics",
    "POST /c/{slug}/forum/preview": "POST /api/v1/forum/preview",
    "POST /c/{slug}/forum/watch": f"PUT {C}/forum/watch",
    "POST /c/{slug}/forum/categories": f"PATCH {C}/forum/categories/{{category}}",
    "POST /c/{slug}/forum/t/{topic_id}/reply": "POST /api/v1/forum/topics/{topic_id}/posts",
    "POST /c/{slug}/forum/t/{topic_id}/solve": "PUT /api/v1/forum/topics/{topic_id}/solution",
    "POST /c/{slug}/forum/t/{topic_id}/flags": "PATCH /api/v1/forum/topics/{topic_id}",
    "POST /c/{slug}/forum/t/{topic_id}/watch": "PUT /api/v1/forum/topics/{topic_id}/watch",
    "POST /c/{slug}/forum/p/{content_id}/edit": "PUT /api/v1/forum/posts/{content_id}",
    "POST /c/{slug}/forum/p/{content_id}/delete": "DELETE /api/v1/forum/posts/{content_id}",
    "POST /c/{slug}/forum/p/{content_id}/restore": "POST /api/v1/forum/posts/{content_id}/restore",
    "POST /c/{slug}/forum/p/{content_id}/react": "POST /api/v1/forum/posts/{content_id}/reactions",
    # wiki
    "POST /c/{slug}/wiki/-/new": f"PUT {C}/wiki/pages/{{path}}",
    "POST /c/{slug}/wiki/-/settings": f"PUT {C}/wiki/settings",
    "POST /c/{slug}/wiki/{path}/edit": f"PUT {C}/wiki/pages/{{path}}",
    "POST /c/{slug}/wiki/{path}/rollback": f"POST {C}/wiki/pages/{{path}}/rollback",
    # surveys
    "POST /c/{slug}/surveys/new": f"POST {C}/surveys",
    "POST /c/{slug}/surveys/{survey_id}": "PUT /api/v1/surveys/{survey_id}/response",
    "POST /c/{slug}/surveys/{survey_id}/edit": "PATCH /api/v1/surveys/{survey_id}",
    "POST /c/{slug}/surveys/{survey_id}/questions": "POST /api/v1/surveys/{survey_id}/questions",
    "POST /c/{slug}/surveys/{survey_id}/questions/{question_id}": "PUT /api/v1/surveys/{survey_id}/questions/{question_id}",
    "POST /c/{slug}/surveys/{survey_id}/open": "POST /api/v1/surveys/{survey_id}/open",
    "POST /c/{slug}/surveys/{survey_id}/draft": "POST /api/v1/surveys/{survey_id}/draft",
    "POST /c/{slug}/surveys/{survey_id}/close": "POST /api/v1/surveys/{survey_id}/close",
    "POST /c/{slug}/surveys/{survey_id}/copy": "POST /api/v1/surveys/{survey_id}/copy",
    "POST /c/{slug}/surveys/{survey_id}/delete": "DELETE /api/v1/surveys/{survey_id}",
    # resources
    "POST /c/{slug}/resources/new": f"POST {C}/resources",
    "POST /c/{slug}/resources/{id}/edit": f"POST {C}/resources/{{id}}/versions",
    "POST /c/{slug}/resources/{id}/delete": f"DELETE {C}/resources/{{id}}",
    "POST /c/{slug}/resources/{id}/feature": f"PUT {C}/resources/{{id}}/featured",
    # moderation
    "POST /c/{slug}/moderation/items/{id}": "POST /api/v1/content/{id}/moderation",
    "POST /c/{slug}/moderation/items/{id}/edit": "POST /api/v1/content/{id}/moderation",
    "POST /c/{slug}/moderation/flag/{id}": "POST /api/v1/content/{id}/flags",
    "POST /moderation/flag/{id}": "POST /api/v1/content/{id}/flags",
    "POST /c/{slug}/moderation/appeal": "POST /api/v1/moderation/appeals",
    "POST /c/{slug}/moderation/members/{username}": f"POST {C}/members/{{username}}/sanctions",
    "POST /c/{slug}/moderation/sanctions/{id}/lift": "POST /api/v1/moderation/sanctions/{id}/lift",
    "POST /c/{slug}/moderation/appeals/{id}": "POST /api/v1/moderation/appeals/{id}/answer",
    "POST /c/{slug}/moderation/words": f"POST {C}/moderation/words",
    "POST /c/{slug}/moderation/words/{id}/delete": f"DELETE {C}/moderation/words/{{id}}",
    "POST /c/{slug}/moderation/settings": f"PUT {C}/moderation/settings",
    "POST /moderation": "POST /api/v1/moderation/words",
    "POST /moderation/words/{id}/delete": "DELETE /api/v1/moderation/words/{id}",
    "POST /moderation/bans/{id}/lift": "POST /api/v1/moderation/sanctions/{id}/lift",
    # meet-ups
    "POST /c/{slug}/meetups/new": f"POST {C}/meetups",
    "POST /c/{slug}/meetups/{id}/rsvp": "POST /api/v1/meetups/{id}/rsvp",
    "POST /c/{slug}/meetups/{id}/edit": "PATCH /api/v1/meetups/{id}",
    "POST /c/{slug}/meetups/{id}/cancel": "POST /api/v1/meetups/{id}/cancel",
    "POST /c/{slug}/achievements/new": f"POST {C}/achievements",
    "POST /me/location": "PUT /api/v1/me/location",
    "POST /me/location/remove": "DELETE /api/v1/me/location",
    # insights, digests, archive
    "POST /c/{slug}/insights/thanks": f"POST {C}/insights/thanks",
    "POST /me/notifications/read-all": "POST /api/v1/me/notifications/read",
    "POST /me/notifications/{id}/read": "POST /api/v1/me/notifications/{id}/read",
    "POST /me/digest": "PUT /api/v1/me/digest",
    "POST /c/{slug}/calls": f"POST {C}/calls",
    "POST /digests/unsubscribe/{token}": "POST /api/v1/digests/unsubscribe/{token}",
    "POST /c/{slug}/lifecycle/end": f"PUT {C}/lifecycle",
    "POST /c/{slug}/lifecycle/seasons": f"POST {C}/seasons",
    "POST /c/{slug}/lifecycle/seasons/{season_id}": f"PUT {C}/seasons/{{season_id}}",
    "POST /c/{slug}/lifecycle/seasons/{season_id}/objectives": f"POST {C}/seasons/{{season_id}}/objectives",
    "POST /c/{slug}/lifecycle/objectives/{objective_id}": f"PUT {C}/objectives/{{objective_id}}",
    "POST /c/{slug}/lifecycle/archive": f"POST {C}/archive",
    "POST /c/{slug}/lifecycle/reopen": f"POST {C}/reopen",
    "POST /c/{slug}/lifecycle/exports": f"POST {C}/exports",
}
_CONVERTOR = re.compile(r"{([a-zA-Z_]+):[a-z]+}")


@pytest.fixture(scope="module")
def web_actions() -> set[str]:
    from starlette.routing import Route

    from tisserand.settings import load_settings
    from tisserand.site import Site
    from tisserand.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        enabled = ", ".join(f'"{name}"' for name in apidoc.builtin_plugins())
        (Path(folder) / "tisserand.toml").write_text(
            '[site]\nname = "x"\nsecret_key = "parity-test-only-0123456789abcdef0123456789"\n'
            f'[database]\nurl = "sqlite://:memory:"\n[plugins]\nenabled = [{enabled}]\n', encoding="utf-8")
        app = create_app(Site.load(folder, settings=load_settings(folder)))
    actions = set()
    for route in app.routes:
        if isinstance(route, Route) and route.methods:
            for method in sorted(route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
                path = _CONVERTOR.sub(r"{\1}", route.path)
                actions.add(f"{method} {path}")
    return actions


def test_every_web_action_is_listed_with_its_twin(web_actions):
    assert web_actions - TWINS.keys() == set(), "a new web action: add its API twin, or say why it has none"
    assert TWINS.keys() - web_actions == set(), "gone from the web: take it out of TWINS"


def test_every_twin_exists_in_the_api():
    document = apidoc.api_document()
    operations = {f"{method.upper()} {path}" for path, ops in document["paths"].items() for method in ops}
    missing = {web: twin for web, twin in TWINS.items() if not twin.startswith("none") and twin not in operations}
    assert missing == {}
