"""Communities' plugin lists become switches over the site's default.

Before, ``community.plugins`` was the list of plugins switched on (``null``: all), so a plugin
the site enabled later never reached a community whose list had been edited once. Now it
holds ``{"name": true|false}`` switches and a plugin without a switch follows the site. Each
list becomes: ``true`` for the plugins it named, ``false`` for every other plugin installed
now (they were off for that community and stay off); plugins installed later reach it."""

import json

from tortoise import migrations
from tortoise.migrations import operations as ops


def _installed() -> list[str]:
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group="tisserand.plugins")})


async def forward(apps, state_editor):
    client = state_editor.client
    _count, rows = await client.execute_query("SELECT id, plugins FROM community WHERE plugins IS NOT NULL")
    installed = _installed()
    for row in rows:
        value = row["plugins"]
        chosen = json.loads(value) if isinstance(value, str) else value
        if not isinstance(chosen, list):
            continue
        switches = {name: name in chosen for name in sorted(set(installed) | set(chosen))}
        await client.execute_query(_update(client), [json.dumps(switches), row["id"]])


async def backward(apps, state_editor):
    client = state_editor.client
    _count, rows = await client.execute_query("SELECT id, plugins FROM community WHERE plugins IS NOT NULL")
    for row in rows:
        value = row["plugins"]
        switches = json.loads(value) if isinstance(value, str) else value
        if not isinstance(switches, dict):
            continue
        chosen = [name for name, on in switches.items() if on]
        await client.execute_query(_update(client), [json.dumps(chosen), row["id"]])


def _update(client) -> str:
    if client.capabilities.dialect == "postgres":
        return "UPDATE community SET plugins = $1::jsonb WHERE id = $2"
    return "UPDATE community SET plugins = ? WHERE id = ?"


class Migration(migrations.Migration):
    dependencies = [("core", "0003_feed_indexes")]
    operations = [ops.RunPython(forward, backward)]
