"""French and English typography: the core's public helpers and the filters built on them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tisserand import i18n

MOMENT = datetime(2026, 11, 1, 14, 5, 33, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="module")
def _catalogs():
    from tisserand import catalogs

    i18n.load_catalogs([component.locale for component in catalogs.components()])


@pytest.fixture(params=["fr", "en"])
def language(request):
    token = i18n.set_locale(request.param)
    yield request.param
    i18n._locale.reset(token)


def test_dates_say_1er_in_french_and_times_have_no_seconds(language):
    day = i18n.format_date(MOMENT, "long")
    moment = i18n.format_datetime(MOMENT, "medium", "Europe/Paris")
    if language == "fr":
        assert day == "1er novembre 2026" and moment == "1er nov. 2026, 15:05"
        assert i18n.format_date(date(2026, 11, 2), "long") == "2 novembre 2026"
        assert i18n.format_date(date(2026, 11, 1), "short") == "01/11/2026"
    else:
        assert day == "November 1, 2026" and moment.startswith("Nov 1, 2026, 3:05")
    assert ":33" not in moment and ":33" not in i18n.format_datetime(MOMENT, "short")


def test_elision(language):
    values = [i18n.elide("de", "Inès"), i18n.elide("de", "Mathieu"), i18n.elide("le", "équipe"),
              i18n.elide("le", "groupe"), i18n.elide("de", "Hugo")]
    if language == "fr":
        assert values == ["d'Inès", "de Mathieu", "l'équipe", "le groupe", "de Hugo"]
    else:
        assert values == ["Inès", "Mathieu", "équipe", "groupe", "Hugo"]


def test_translations_elide_and_write_decimals_for_the_reader(language):
    text = i18n._fill("Profil {name:de}, poids de {weight:.1f}", {"name": "Inès", "weight": 3.0})
    assert text == ("Profil d'Inès, poids de 3,0" if language == "fr" else "Profil Inès, poids de 3.0")
    assert i18n.format_decimal(1234.5, 1) == ("1\u202f234,5" if language == "fr" else "1,234.5")


def test_punctuation_spaces(language):
    text = i18n.punctuate("Prêt ? Oui : allons-y !")
    if language == "fr":
        assert text == "Prêt\u202f? Oui\u00a0: allons-y\u202f!"
    else:
        assert text == "Prêt? Oui: allons-y!"


def test_plural_forms(language):
    one = i18n.ngettext("{count} topic", "{count} topics", 1)
    two = i18n.ngettext("{count} topic", "{count} topics", 2)
    assert (one, two) == (("1 sujet", "2 sujets") if language == "fr" else ("1 topic", "2 topics"))
    assert i18n.ngettext("{count} topic", "{count} topics", 0) == ("0 sujet" if language == "fr" else "0 topics")


def test_a_message_kept_as_data_renders_in_the_readers_language():
    message = i18n.lazy_ngettext("{count} topic", "{count} topics", 1, when=date(2026, 11, 1))
    stored = i18n.Message.from_data(message.to_data())
    assert stored == message
    with i18n.use_locale("fr"):
        assert str(stored) == "1 sujet"
    with i18n.use_locale("en"):
        assert str(stored) == "1 topic"
    dated = i18n.lazy_gettext("Open until {day}.", day=date(2026, 11, 1))
    again = i18n.Message.from_data(dated.to_data())
    with i18n.use_locale("fr"):
        assert str(again) == "Ouvert jusqu’au 1er novembre 2026."


def test_percentages_are_written_for_the_reader(language):
    message = i18n.lazy_gettext("below {share:%} of usual", share=0.5)
    rendered = str(i18n.Message.from_data(message.to_data()))  # kept as data, written when read
    assert rendered == ("below 50\u00a0% of usual" if language == "fr" else "below 50% of usual")
    assert i18n.format_percent(0.125) == ("12\u00a0%" if language == "fr" else "12%")


def test_notifications_elide_before_a_name(language):
    kept = i18n.lazy_gettext("New reply by {author}.", author="Inès")
    other = i18n.lazy_gettext("New reply by {author}.", author="Mathieu")
    if language == "fr":
        assert str(kept) == "Nouvelle réponse d'Inès." and str(other) == "Nouvelle réponse de Mathieu."
    else:
        assert str(kept) == "New reply by Inès." and str(other) == "New reply by Mathieu."


def test_a_stored_reason_is_a_message_or_a_persons_words(language):
    kept = i18n.store_text(i18n.lazy_gettext("Hidden by a moderator."))
    assert i18n.is_stored_message(kept) and len(kept) < 60
    assert i18n.render_stored(kept) == ("Masqué par un modérateur ou une modératrice." if language == "fr"
                                        else "Hidden by a moderator.")
    assert i18n.render_stored(i18n.store_text("Pub déguisée")) == "Pub déguisée"
    assert not i18n.is_stored_message(i18n.store_text("Pub déguisée"))
    assert i18n.render_stored('{"msgid": broken') == '{"msgid": broken'  # never fails a page
    assert len(i18n.store_text("x" * 900)) == 500
