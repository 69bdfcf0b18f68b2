"""Languages: catalogs complete and faithful, locale formatting, and no untranslated text.

The untranslated-text check renders every page in each language through AppTest (reached as a
user reaches it, with ?lang= in the URL) and collects every word shown: titles, captions,
labels, options, help, metrics, table headers and cells, and the text inside every chart.
A word that comes out identical in all four languages did not go through the catalogs, unless
it is in ALLOWED_IDENTICAL (words that really are the same in en, es, fr and pt) or is data
(country names spelled alike in all four, the names of the loaded sources and files).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from crimjust_data import i18n, methods
from crimjust_data.countries import reference
from tests.conftest import ROOT, run_page

TRANSLATED = ("es", "fr", "pt")
PAGES = (
    "pages/home.py",
    "pages/flows.py",
    "pages/timelines.py",
    "pages/justice.py",
    "pages/profile.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/export.py",
    "pages/methods.py",
)
# Words spelled the same in English, Spanish, French and Portuguese (checked in each).
ALLOWED_IDENTICAL = {
    "crimjust",  # the project's name
    "unodc",
    "interpol",
    "sankey",  # a chart type named after a person
    "wilson",  # the Wilson interval
    "plotly",
    "total",
    "csv",
    "xlsx",
    "html",
    "pdf",
    "iso",
    "sha",
    "natural",  # Natural Earth, a proper name
    "earth",
    "babel",
    "pycountry",
    "cldr",
    "duckdb",
    "dataunodc",  # UNODC's data portal, a proper name
    "excel",  # Microsoft Excel
    "zip",  # the archive format
    "placebo",  # placebo dates of the before/after test
    "log",  # the complementary log-log transform
    "crack",  # crack cocaine: the same word in es, fr and pt
    "base",  # cocaine base: 'base' in all four
    "nov",  # November abbreviated in a date (Nov 2, 2015; 2 nov 2015; 2 nov. 2015; 2 de nov. de 2015)
    # the language picker names each language in itself, whatever the interface language
    "english",
    "español",
    "français",
    "português",
}


def _catalog(lang: str) -> Catalog:
    with i18n.catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def _template() -> set[str]:
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


FIELD = re.compile(r"\{[a-z_]*(?:![rs])?(?::[^}]*)?\}")
PLOTLY_FIELD = re.compile(r"%\{[^}]*\}")
MARKUP = re.compile(r"</?[a-z]+>|`[^`]*`|\*\*")


def _placeholders(text: str) -> list[str]:
    return sorted(FIELD.findall(text) + PLOTLY_FIELD.findall(text) + MARKUP.findall(text))


# ---------------------------------------------------------------------------------------------
# The catalogs


def test_the_template_holds_every_string_of_the_code(tmp_path: Path) -> None:
    """`make messages` was run after the last change: extracting again finds nothing new."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-o",
            str(fresh),
            "app.py",
            "pages",
            "crimjust_data",
        ],
        cwd=ROOT,
        check=True,
    )
    with fresh.open("rb") as handle:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = extracted - _template()
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:10]}"
    assert len(extracted) > 300  # the interface really goes through the catalogs


def _translated_literals(path: Path) -> set[str]:
    """Every _("...") in the code of `path`, including inside f-strings (docstrings are not code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "N_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def test_no_literal_hides_where_extraction_cannot_see_it() -> None:
    """Babel does not look inside f-strings: a _('...') there would never be translated."""
    template = _template()
    sources = [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "crimjust_data").rglob("*.py"),
    ]
    unseen = {
        f"{path.name}: {text}"
        for path in sources
        for text in _translated_literals(path)
        if text not in template
    }
    assert not unseen, sorted(unseen)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert _template() <= ids, f"{lang}: not merged: {sorted(_template() - ids)[:10]}"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(t and t.strip() for t in targets):
            problems.append(f"missing or fuzzy: {source!r}")
            continue
        for target in targets:
            if _placeholders(target) != _placeholders(source):
                problems.append(f"placeholders differ: {source!r} -> {target!r}")
            if source.rstrip()[-1:] in ".:?" and target.rstrip()[-1:] not in ".:?)»":
                problems.append(f"final punctuation lost: {source!r} -> {target!r}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_not_copies_of_the_english(lang: str) -> None:
    """A catalog that copies msgids would pass the completeness test; real text differs."""
    catalog = _catalog(lang)
    pairs = [(m.id, m.string) for m in catalog if m.id and isinstance(m.id, str)]
    long_ones = [(s, t) for s, t in pairs if len(s.split()) >= 4]
    same = [s for s, t in long_ones if s == t]
    assert len(long_ones) > 100
    assert len(same) <= len(long_ones) // 50, same[:10]


# ---------------------------------------------------------------------------------------------
# Locale formatting and the choice of language


@pytest.mark.parametrize(
    ("lang", "number", "share", "day"),
    [
        ("en", "1,234.5", "59.8%", "Nov 28, 2026"),
        ("es", "1.234,5", "59,8\xa0%", "28 nov 2026"),
        ("fr", "1\u202f234,5", "59,8\xa0%", "28 nov. 2026"),
        ("pt", "1.234,5", "59,8%", "28 de nov. de 2026"),
    ],
)
def test_numbers_and_dates_follow_the_language(
    lang: str, number: str, share: str, day: str
) -> None:
    with i18n.using(lang):
        assert i18n.decimal(1234.5, 1) == number
        assert i18n.percent(0.598, 1) == share
        assert i18n.date(dt.date(2026, 11, 28)) == day
    assert i18n.current() == "en"  # `using` puts the language back


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.8", "pt"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("es-419,es;q=0.9", "es"),
        ("de-DE,de;q=0.9,fr;q=0.5", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("en-GB;q=0.2,es;q=0.8", "es"),
    ],
)
def test_accept_language_is_negotiated(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_an_unknown_language_falls_back_to_english() -> None:
    with i18n.using("de"):
        assert i18n.current() == "en"


# ---------------------------------------------------------------------------------------------
# Every page in every language: nothing shown that did not come from the catalogs

WORD = re.compile(r"[^\W\d_]{3,}")
PLOTLY_TEXT_KEYS = {
    "text",
    "title",
    "name",
    "hovertemplate",
    "texttemplate",
    "ticktext",
    "label",
    "x",
    "y",
    "labels",
    "customdata",
}


def _plotly_strings(node: Any, key: str | None = None) -> list[str]:
    if isinstance(node, dict):
        # an annotation's name is an id for code, never drawn
        hidden = {"name"} if "showarrow" in node else set()
        return [s for k, v in node.items() if k not in hidden for s in _plotly_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _plotly_strings(v, key)]
    if isinstance(node, str) and key in PLOTLY_TEXT_KEYS:
        return [node]
    return []


def _frame_strings(frame: pd.DataFrame, config: str = "") -> list[str]:
    """Headers as shown (a column_config label replaces the column's name) and text cells."""
    labels = {name: (spec or {}).get("label") for name, spec in json.loads(config or "{}").items()}
    texts = [str(labels.get(str(c)) or c) for c in frame.columns]
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or str(values.dtype).startswith("string"):
            texts.extend(str(v) for v in values.dropna().unique()[:200])
    return texts


def page_text(app: Any) -> list[str]:
    """Every piece of text the page shows, as AppTest sees it."""
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "exception",
    ):
        texts.extend(str(e.value) for e in getattr(app, kind))
    for element in app.metric:
        texts.extend(
            [element.label, str(element.value), str(element.proto.delta), element.proto.help]
        )
    widgets = (
        "button",
        "checkbox",
        "toggle",
        "radio",
        "selectbox",
        "multiselect",
        "text_input",
        "number_input",
        "date_input",
        "slider",
        "select_slider",
        "text_area",
    )
    for kind in widgets:
        for element in getattr(app, kind):
            texts.append(str(element.label))
            texts.append(str(getattr(element.proto, "help", "") or ""))
            texts.extend(str(o) for o in getattr(element, "options", []) or [])
            placeholder = getattr(element.proto, "placeholder", "")
            texts.append(str(placeholder or ""))
    for kind in ("download_button", "button_group", "expander", "tab"):
        for element in app.get(kind):
            proto = element.proto
            texts.append(str(getattr(proto, "label", "") or ""))
            texts.append(str(getattr(proto, "help", "") or ""))
            texts.extend(str(getattr(o, "content", "")) for o in getattr(proto, "options", []))
    for element in app.dataframe:
        texts.extend(_frame_strings(element.value, element.proto.columns))
    for element in app.get("plotly_chart"):
        texts.extend(_plotly_strings(json.loads(element.proto.spec)))
    return [t for t in texts if t]


# Not words of the interface: markup, icons, badge syntax, and `code` (commands, settings).
NOT_TEXT = re.compile(r"<[^>]+>|%\{[^}]*\}|`[^`]*`|:material/[a-z_]+:|:[a-z]+-badge\[")


# Names of things outside the app, written as their owners write them in every language.
PROPER_NAMES = ("Drug seizures",)  # the dataUNODC dataset's name


def _words(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        text = NOT_TEXT.sub(" ", text)
        for name in PROPER_NAMES:
            text = text.replace(name, " ")
        words.update(w.casefold() for w in WORD.findall(text) if not w.isupper())
    return words


def _data_words(store_path: Path) -> set[str]:
    """Words of data, not interface: country names spelled alike in all four languages, the
    names of loaded sources and files, and the titles of program activities (uploaded text,
    shown as entered on the timelines' markers)."""
    countries = reference()
    alike = countries[
        (countries["name_en"] == countries["name_es"])
        & (countries["name_en"] == countries["name_fr"])
        & (countries["name_en"] == countries["name_pt"])
    ]
    words = _words(alike["name_en"].tolist())
    for names in countries[["name_en", "name_es", "name_fr", "name_pt"]].itertuples(index=False):
        # a word every language keeps in the name: 'Rico' of Puerto Rico / Porto Rico
        words |= set.intersection(*(_words([str(name)]) for name in names))
    from crimjust_data.store import open_store

    store = open_store(store_path)
    for version in store.versions():
        words |= _words([version.source, version.file_name])
    titles = store.query("SELECT title FROM active_activities")["title"].tolist()
    return words | _words([str(title) for title in titles])


@pytest.mark.parametrize("page_path", PAGES)
def test_page_shows_no_untranslated_text(store_path: Path, page_path: str) -> None:
    shown: dict[str, set[str]] = {}
    for lang in ("en", *TRANSLATED):
        app = run_page(page_path, query={"lang": lang})
        assert app.session_state["frame_lang"] == lang
        shown[lang] = _words(page_text(app))
    identical = set.intersection(*shown.values()) - ALLOWED_IDENTICAL - _data_words(store_path)
    identical -= _words(list(methods.REFERENCES))  # works cited by their own titles
    identical = {w for w in identical if w not in string.ascii_letters}
    assert not identical, f"{page_path}: shown alike in en/es/fr/pt: {sorted(identical)}"
    assert len(shown["en"]) > 20  # the page really rendered text
