"""Languages: catalogs complete and faithful, locale formatting, the choice of language.

That no English is left on the pages and in the snapshots in es/fr/pt is
tests/test_untranslated.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from crimjust_data import i18n
from tests.conftest import ROOT

TRANSLATED = ("es", "fr", "pt")


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
        # a plural's forms follow its singular or its plural msgid ('The one later activity'
        # / 'The {n} later activities': a language's other forms say {n})
        sources = (message.id,) if isinstance(message.id, str) else message.id
        for target in targets:
            if _placeholders(target) not in [_placeholders(s) for s in sources]:
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
