"""A reminder keeps the start as a moment, not as text: it is written in the language the
member reads it in (even after changing it), in their time zone, without seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tisserand.i18n import use_locale
from tisserand.models import Notification
from tisserand.notify import notification_texts
from tisserand.plugins.meetups import digest
from tisserand.plugins.meetups.reminders import send_reminders
from tisserand.plugins.meetups.rsvp import respond

from .conftest import schedule


async def test_the_reminder_is_written_in_the_readers_language_and_zone(club, site):
    start = (datetime.now(UTC) + timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)
    if start - datetime.now(UTC) > timedelta(hours=24):
        start -= timedelta(days=1)
    if start <= datetime.now(UTC):
        start += timedelta(hours=1)
    meetup = await schedule(club.community, club.organiser, title="Atelier", starts_at=start,
                            timezone="Europe/Paris")
    club.alice.locale = "fr"
    await club.alice.save()
    await respond(meetup.id, club.alice, "yes")
    assert await send_reminders(site) == 1
    note = await Notification.get(kind="meetups.reminder", member_id=club.alice.id)
    title, _text = notification_texts(note.title, note.text, note.data)
    paris = start.astimezone(ZoneInfo("Europe/Paris"))
    with use_locale("fr"):
        french = str(title)
    with use_locale("en"):
        english = str(title)
    assert french.startswith("Rappel\u00a0:") and "Atelier" in french and "commence le" in french
    assert f"{paris.hour}:00" in french and f"{paris.hour}:00:00" not in french
    hour12 = paris.hour % 12 or 12
    assert english.startswith("Reminder") and f"{hour12}:00\u202f{'PM' if paris.hour >= 12 else 'AM'}" in english
    assert ":00:00" not in english
    # The stored text copy (for old clients) has no seconds either.
    assert ":00:00" not in note.title


async def test_digest_lines_show_times_without_seconds(club, site):
    start = datetime(2031, 3, 28, 17, 0, tzinfo=UTC)  # 18:00 in Paris
    await schedule(club.community, club.organiser, title="Soirée", starts_at=start, timezone="Europe/Paris")
    for language, expected in (("fr", "28 mars 2031, 18:00"), ("en", "Mar 28, 2031, 6:00\u202fPM")):
        with use_locale(language):
            sections = await digest.sections(club.alice, club.community, start - timedelta(days=3000),
                                             start - timedelta(days=1))
        details = [item.detail for section in sections for item in section.items]
        assert details and details[0].startswith(expected), details
        assert ":00:00" not in details[0]
