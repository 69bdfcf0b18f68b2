"""Languages: gettext catalogs (Babel) for every piece of interface text, and locale formatting.

    from crimjust_data.i18n import _, N_
    _("Cases opened")                      # translated into the current language
    _("{n} cases").format(n=i18n.integer(4))  # whole sentences, named placeholders
    LABELS = {"air": N_("Air")}            # marked for extraction; translate at use: _(LABELS[c])

The catalogs are crimjust_data/locale/<lang>/LC_MESSAGES/messages.po, read directly (no compile
step); `make messages` extracts new strings into messages.pot and merges them into each .po.
The current language is a context variable: app.py sets it once per script run (each session
runs in its own thread), snapshot exports set it around their work, and the command line stays
in English. Numbers, percentages and dates are formatted for that language by Babel.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
}
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("crimjust_language", default=DEFAULT)


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English is the source language: no catalog)."""
    path = catalog_path(lang)
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def current() -> str:
    """The language of the text being produced now."""
    return _current.get()


def set_language(lang: str) -> None:
    """Use `lang` for the rest of this thread's work (app.py: once per script run)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Produce text in `lang` inside the block, then go back to the previous language."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    return _translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for extraction without translating it (module-level constants)."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for a browser's Accept-Language header, else English."""
    if not accept_language:
        return DEFAULT
    wanted = []
    for part in accept_language.split(","):
        tag, _sep, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if tag and tag != "*":
            wanted.append((weight, tag.replace("-", "_")))
    preferred = [tag for _weight, tag in sorted(wanted, key=lambda item: -item[0])]
    best = Locale.negotiate(preferred, list(LANGUAGES), sep="_")
    return str(best.language) if best else DEFAULT


# ----------------------------------------------------------------------------------------------
# Locale formatting (Babel): 1,234.5 / 1.234,5 / 1 234,5


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@cache
def _pattern(language: str, kind: str, digits: int) -> NumberPattern:
    """A parsed number pattern per language: Babel would parse locale and pattern per number."""
    if kind == "percent":
        pattern = _locale(language).percent_formats[None].pattern
        if digits:
            last_zero = pattern.rindex("0")
            pattern = pattern[: last_zero + 1] + "." + "0" * digits + pattern[last_zero + 1 :]
    else:
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return parse_pattern(pattern)


def integer(value: int) -> str:
    language = current()
    return _pattern(language, "decimal", 0).apply(int(value), _locale(language))


def decimal(value: float, digits: int = 1) -> str:
    language = current()
    return _pattern(language, "decimal", digits).apply(value, _locale(language))


def percent(value: float, digits: int = 1) -> str:
    """0.598 -> '59.8%' (en), '59,8 %' (es, fr), '59,8%' (pt): the locale's own pattern."""
    language = current()
    return _pattern(language, "percent", digits).apply(value, _locale(language))


def date(value: dt.date) -> str:
    """A day as people write it: '28 Nov 2026', '28 nov 2026', '28 nov. 2026'."""
    from babel.dates import format_date

    return format_date(value, format="medium", locale=current())


def plotly_separators() -> str:
    """plotly's layout.separators for the current language: decimal mark, then thousands."""
    symbols = Locale.parse(current()).number_symbols["latn"]
    group = symbols["group"]
    return symbols["decimal"] + (" " if group in ("\u202f", "\u00a0") else group)
