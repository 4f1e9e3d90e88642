"""Audit lines the site writes itself are shown in the reader's language, and flag weights
with the reader's decimal sign."""

from __future__ import annotations

import html

import pytest

from tisserand.communities import audit
from tisserand.i18n import lazy_gettext
from tisserand.models import AuditLog, Member


@pytest.mark.parametrize(("language", "hidden", "shown"), [
    ("fr", "Open the review queue", "Ouvrez la file"),
    ("en", "Ouvrez la file", "Open the review queue"),
])
async def test_a_reason_written_by_the_site_follows_the_reader(site, client, place, language, hidden, shown):
    written_in = "en" if language == "fr" else "fr"  # stored in one language, read in the other
    from tisserand.i18n import use_locale

    with use_locale(written_in):
        await audit(None, place["community"], "moderation.settings",
                    reason=lazy_gettext("Open the review queue to see the flags."))
    row = await AuditLog.get(action="moderation.settings")
    assert row.data["i18n"]["reason"]["msgid"] == "Open the review queue to see the flags."
    await Member.filter(id=place["coordinator"].id).update(locale=language)
    await client.login_as(place["coordinator"])
    answer = await client.get("/api/v1/communities/atelier/moderation/log")
    reasons = [item.get("reason") for item in answer.json()["items"]]
    assert any(shown in (r or "") for r in reasons), reasons
    page = html.unescape((await client.get("/c/atelier/moderation/log")).text)
    assert shown in page and hidden not in page
