"""Translations: gettext catalogs (``.po``) of the core, the themes and every plugin.

Catalogs are read from ``locale/<lang>/LC_MESSAGES/*.po`` folders with Babel at start-up (no
compile step). The active locale is a context variable set per request from the member's
choice, then ``Accept-Language``, then the site default. Regional variants (``fr_CA``) map to
their language.

Text kept for later (notifications, audit lines, labels, tooltips) is stored as a
:class:`Message` — a message id and its parameters — made with :func:`lazy_gettext` or
:func:`lazy_ngettext`, and rendered in the reader's language when read (:func:`render`).
:func:`N_` only marks a string for extraction. Typography helpers (French "1er", no seconds in
times, elision, decimal commas, narrow no-break spaces) are public here, and filters in every
template: in a French translation, ``{name:de}`` gives "d'Inès" / "de Mathieu" and
``{name:le}`` "l'équipe" / "le groupe"; a float parameter written ``{weight:.1f}`` gives "3,0",
``{share:%}`` gives "50 %". A datetime parameter is written in the reader's language when read,
in its own offset (give it in the recipient's zone), without seconds.

This module is the public face (plugins import from here only); the work is done in
``i18n_locale`` (the active language and its negotiation), ``i18n_catalogs`` (reading the
``.po`` files), ``i18n_messages`` (translating, :class:`Message`), ``i18n_format`` (typography,
dates and numbers) and ``i18n_stored`` (text kept in the database).
"""

from __future__ import annotations

from tisserand.i18n_catalogs import _catalogs as _catalogs
from tisserand.i18n_catalogs import load_catalogs as load_catalogs
from tisserand.i18n_format import (
    elide,
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    format_percent,
    format_time,
    format_timedelta_ago,
    punctuate,
)
from tisserand.i18n_locale import LANGUAGES, get_locale, normalize, set_locale, use_locale
from tisserand.i18n_locale import _locale as _locale
from tisserand.i18n_locale import negotiate as negotiate
from tisserand.i18n_messages import (
    N_,
    Message,
    gettext,
    lazy_concat,
    lazy_gettext,
    lazy_ngettext,
    ngettext,
    render,
)
from tisserand.i18n_messages import _fill as _fill
from tisserand.i18n_stored import (
    is_stored_message,
    localize_html,
    recover,
    register_tooltip,
    render_stored,
    store_text,
)

__all__ = [
    "LANGUAGES",
    "N_",
    "Message",
    "_",
    "elide",
    "format_date",
    "format_datetime",
    "format_decimal",
    "format_number",
    "format_percent",
    "format_time",
    "format_timedelta_ago",
    "get_locale",
    "gettext",
    "is_stored_message",
    "lazy_concat",
    "lazy_gettext",
    "lazy_ngettext",
    "localize_html",
    "ngettext",
    "normalize",
    "punctuate",
    "recover",
    "register_tooltip",
    "render",
    "render_stored",
    "set_locale",
    "store_text",
    "use_locale",
]

_ = gettext
