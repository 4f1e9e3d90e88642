"""The scaffold's file templates, by relative path (placeholders: name, title, package)."""

from __future__ import annotations

PYPROJECT = '''[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "tisserand-{name}"
version = "0.1.0"
description = "{title}: a Tisserand plugin."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["tisserand>=0.1"]

[project.optional-dependencies]
test = ["tisserand[testing]"]

[project.entry-points."tisserand.plugins"]
{name} = "{package}.plugin"

# templates/, static/ and locale/ are found by convention at run time; shipping them as
# packages of their own keeps setuptools from warning "Package would be ignored".
[tool.setuptools.packages.find]
include = ["{package}*"]
exclude = ["*.__pycache__"]

[tool.setuptools.package-data]
"*" = ["*.html", "*.css", "*.js", "*.po", "*.svg", "*.png"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
'''

README = '''# tisserand-{name}

{title}: a plugin for [Tisserand](https://pypi.org/project/tisserand/).

```sh
pip install -e .                 # then add "{name}" to [plugins] enabled in tisserand.toml
tisserand migrate                # creates the plugin's table
pip install -e ".[test]" && pytest
```

It adds a "{title}" tab to every community (`/c/<slug>/{name}`) listing how many items were
written there since the plugin was switched on. Start from `{package}/plugin.py`.
'''

INIT = '''"""{title}: a Tisserand plugin."""
'''

PLUGIN = '''"""{title}: hook implementations. Each hook is one small function (see docs/hooks.md)."""

from __future__ import annotations

from typing import Any

from tisserand import hookimpl
from tisserand.i18n import _
from tisserand.models import Community, Content, Member
from tisserand.nav import NavItem
from tisserand.permissions import Permission

# The Tisserand versions this plugin works with: an incompatible site refuses to start.
# templates/ (namespaced in templates/{name}/), static/ (served at /static/plugins/{name}/) and
# locale/ beside this file are found by convention: no hook needed.
TISSERAND_REQUIRES = ">=0.1,<0.2"


@hookimpl
def tisserand_models() -> list[str]:
    """Our tables; migrations live in {package}/migrations (tisserand makemigrations {name})."""
    return ["{package}.models"]


@hookimpl
def tisserand_permissions() -> list[Permission]:
    """A permission of our own, granted by default to these roles (coordinators can change it)."""
    return [Permission("{name}.details", "See the latest items counted by {title}",
                       roles={{"coordinator", "animator"}}, write=False)]


@hookimpl
def tisserand_routes() -> list[Any]:
    """A page under /c/<slug>/{name}."""
    from {package}.routes import routes

    return routes()


@hookimpl
def community_nav(community: Community, viewer: Member | None) -> list[NavItem]:
    """A tab in the community's navigation."""
    return [NavItem(_("{title}"), f"/c/{{community.slug}}/{name}", 700, "{name}")]


@hookimpl
def content_saved(content: Content, created: bool) -> Any:
    """React to every new content item of the community (any kind): count it."""
    if not created:
        return None
    from {package}.models import Written

    return Written.create(community_id=content.community_id, content_id=content.id, kind=content.kind)
'''

MODELS = '''"""Our table: one row per content item written while the plugin is on."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Written(Model):
    """A content item written in a community (kept by the content_saved hook)."""

    id = fields.IntField(primary_key=True)
    community = fields.ForeignKeyField("core.Community", related_name="{name}_written", on_delete=fields.CASCADE)
    content = fields.ForeignKeyField("core.Content", related_name="{name}_written", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        app = "{name}"
        table = "{name}_written"
'''

MIGRATION = '''from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True
    # Tortoise does not record dependencies across apps: our table points at core tables.
    dependencies = [("core", "0002_search")]

    operations = [
        ops.CreateModel(
            name="Written",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("community", fields.ForeignKeyField("core.Community", source_field="community_id", db_constraint=True, to_field="id", related_name="{name}_written", on_delete=OnDelete.CASCADE)),
                ("content", fields.ForeignKeyField("core.Content", source_field="content_id", db_constraint=True, to_field="id", related_name="{name}_written", on_delete=OnDelete.CASCADE)),
                ("kind", fields.CharField(max_length=40)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={{"table": "{name}_written", "app": "{name}", "pk_attr": "id"}},
            bases=["Model"],
        ),
    ]
'''

ROUTES = '''"""Our page: /c/<slug>/{name}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tisserand.db import fetch_all
from tisserand.web.community import load_community, render_community


async def page(request: Request) -> Response:
    """How many items of each kind were written in this community."""
    view = await load_community(request, plugin="{name}")  # 404 for outsiders of private communities
    rows = await fetch_all(
        "SELECT kind, COUNT(*) AS total FROM {name}_written WHERE community_id = ? "
        "GROUP BY kind ORDER BY total DESC", [view.community.id])
    latest = []
    if view.can("{name}.details"):  # animators and coordinators, unless a coordinator changed it
        latest = await fetch_all(
            "SELECT c.title, c.kind FROM {name}_written w JOIN content c ON c.id = w.content_id "
            "WHERE w.community_id = ? ORDER BY w.id DESC LIMIT 10", [view.community.id])
    return await render_community(request, view, "{name}/page.html", {{"rows": rows, "latest": latest}},
                                  tab="{name}")


def routes() -> list[Route]:
    """The plugin's routes."""
    return [Route("/c/{{slug}}/{name}", page, name="{name}-page")]
'''

TEMPLATE = '''{{% extends "community/layout.html" %}}
{{% block head %}}<link rel="stylesheet" href="/static/plugins/{name}/{name}.css">{{% endblock %}}
{{% block page_title %}}{{{{ _("{title}") }}}} · {{{{ community.name }}}}{{% endblock %}}
{{% block community_content %}}
<section class="{name}" aria-labelledby="{name}-title">
  <h2 id="{name}-title">{{{{ _("Written since {title} was switched on") }}}}</h2>
  {{% if rows %}}
  <table>
    <thead><tr><th scope="col">{{{{ _("Kind") }}}}</th><th scope="col">{{{{ _("Items") }}}}</th></tr></thead>
    <tbody>{{% for row in rows %}}<tr><td>{{{{ row.kind }}}}</td><td>{{{{ row.total|number }}}}</td></tr>{{% endfor %}}</tbody>
  </table>
  {{% else %}}
  <p class="muted">{{{{ _("Nothing yet.") }}}}</p>
  {{% endif %}}
  {{% if latest %}}
  <h3>{{{{ _("Latest") }}}}</h3>
  <ul>{{% for item in latest %}}<li>{{{{ item.title or item.kind }}}}</li>{{% endfor %}}</ul>
  {{% endif %}}
</section>
{{% endblock %}}
'''

CSS = '''.{name} table {{ max-width: 30rem; }}
'''

PO_HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {lang}\\n"
'''

PO_FR = PO_HEADER.replace("{lang}", "fr") + '''
msgid "{title}"
msgstr "{title}"

msgid "Written since {title} was switched on"
msgstr "Écrit depuis l’activation de {title}"

msgid "Kind"
msgstr "Type"

msgid "Items"
msgstr "Éléments"

msgid "Nothing yet."
msgstr "Rien pour l’instant."

msgid "Latest"
msgstr "Derniers"
'''

PO_EN = PO_HEADER.replace("{lang}", "en") + '''
msgid "{title}"
msgstr "{title}"

msgid "Written since {title} was switched on"
msgstr "Written since {title} was switched on"

msgid "Kind"
msgstr "Kind"

msgid "Items"
msgstr "Items"

msgid "Nothing yet."
msgstr "Nothing yet."

msgid "Latest"
msgstr "Latest"
'''

TEST = '''"""Tests of {title}, with the fixtures Tisserand ships (site, client, factory, mailbox…)."""

import pytest

pytestmark = pytest.mark.plugins("{name}")  # only this plugin runs in these tests' sites


async def test_the_page_counts_what_was_written(site, client, factory):
    author = await factory.member()
    community = await factory.community("garden", coordinator=author)
    await factory.content(community, author, kind="test.note")
    await factory.content(community, author, kind="test.note")
    response = await client.get("/c/garden/{name}")
    assert response.status_code == 200
    assert "test.note" in response.text and "<td>2</td>" in response.text
    assert "Latest" not in response.text  # anonymous visitors see totals, not details
    await client.login_as(author)  # the coordinator may see the details
    assert "Latest" in (await client.get("/c/garden/{name}")).text


async def test_private_communities_stay_private(site, client, factory):
    community = await factory.community("secret-garden", visibility="private")
    await client.login_as(await factory.member())
    assert (await client.get("/c/secret-garden/{name}")).status_code == 404
'''

FILES: dict[str, str] = {
    "pyproject.toml": PYPROJECT,
    "README.md": README,
    "{package}/__init__.py": INIT,
    "{package}/plugin.py": PLUGIN,
    "{package}/models.py": MODELS,
    "{package}/routes.py": ROUTES,
    "{package}/migrations/__init__.py": "",
    "{package}/migrations/0001_initial.py": MIGRATION,
    "{package}/templates/{name}/page.html": TEMPLATE,
    "{package}/static/{name}.css": CSS,
    "{package}/locale/fr/LC_MESSAGES/{name}.po": PO_FR,
    "{package}/locale/en/LC_MESSAGES/{name}.po": PO_EN,
    "tests/test_{name}.py": TEST,
}
