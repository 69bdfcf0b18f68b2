"""No English left in Spanish, French and Portuguese: every page and the donor snapshot.

Each page is rendered through the router (AppTest, ?lang= in the URL) on the seeded demo, in
English and in each translated language, and the snapshot is built in each language (its HTML,
the charts' figures, the CSV/XLSX tables and their header block). Every piece of text shown is
collected with where it was shown (page or snapshot, element or chart, and the figure's field:
title, subtitle, annotation, axis title, legend name, hover template, tick text, cell) and is
flagged when, in es/fr/pt, it

- is identical to the English rendering of the same element (beyond names, numbers and words
  spelled the same in every language: ALLOWED_IDENTICAL),
- is an English msgid of the catalog (a string shown without going through `_`), or
- holds a common English word ('the', 'of', 'with', 'source', 'page' …) as a whole word.

Names are not English: country and place names, the works the Methods page cites by their own
titles, and text that people uploaded (a real file's source, its name) are taken out first.
The texts the demo writes (its source, origin, activities) are the dashboard's own, not data:
they must be shown translated.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from babel.messages.pofile import read_po

from crimjust_data import demo, i18n, methods, snapshot
from crimjust_data.countries import reference
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.store import DuckDBStore
from crimjust_data.vocabulary import UNODC_SOURCE, is_own_text
from tests.conftest import APP

TRANSLATED = ("es", "fr", "pt")
PAGES = (
    "pages/home.py",
    "pages/flows.py",
    "pages/timelines.py",
    "pages/justice.py",
    "pages/profile.py",
    "pages/activities.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/export.py",
    "pages/methods.py",
)
NOW = dt.datetime(2026, 11, 28, 14, 2, tzinfo=dt.UTC)

# Words spelled the same in English, Spanish, French and Portuguese: shown alike on purpose.
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
    "nov",  # November abbreviated in a date (Nov 2, 2015; 2 nov 2015; 2 nov. 2015)
    # the language picker names each language in itself, whatever the interface language
    "english",
    "español",
    "français",
    "português",
}
# Names of things outside the app, written as their owners write them in every language.
PROPER_NAMES = ("Drug seizures",)  # the dataUNODC dataset's name


# Common English words, looked for as whole words in each language but the one they are also a
# word of (SAME_IN: a French 'page' or 'source', a Portuguese 'data' or 'as', a Spanish 'no').
def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH_WORDS = _words_of(
    """
    the of and with from for by to in at is are was were be been this that these those which who
    when where than then there their its it an not only each every all any after before between
    into over under about without per page pages source sources shown show shows click hover drag
    zoom data seizure seizures case cases country countries rate rates year years month months
    file files loaded load version versions generator seed synthetic report chart charts table
    tables value values number share other none yes download
    """
)
SAME_IN: dict[str, frozenset[str]] = {
    "es": frozenset({"no"}),
    "fr": _words_of(
        "an as case cases file files on or page pages rate source sources table tables version "
        "versions zoom"
    ),
    "pt": frozenset({"as", "data", "do", "download", "no", "zoom"}),
}

# Not words of the interface: markup, plotly fields, `code`, icons, badge syntax, e-mail.
NOT_TEXT = re.compile(
    r"<[^>]+>|%\{[^}]*\}|\{[a-z_0-9\[\]]*\}|`[^`]*`|:material/[a-z_]+:|:[a-z]+-badge\[|\S+@\S+"
    r"|\b[0-9a-f]{12,}\b"  # a checksum
)
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Shown:
    """One piece of text as shown: `key` pairs it with the English rendering of the same
    element; `where` says where to look (page or snapshot, element or chart, field)."""

    key: tuple[Any, ...]
    where: str
    text: str


# ---------------------------------------------------------------------------------------------
# Collecting what is shown

# Fields of a plotly figure that reach the reader (drawn, or in the hover box).
PLOTLY_FIELDS = {
    "text",
    "name",
    "hovertemplate",
    "texttemplate",
    "hovertext",
    "ticktext",
    "label",
    "labels",
    "x",
    "y",
    "customdata",
    "values",
}
# Fields that never reach the reader, whatever they hold.
PLOTLY_HIDDEN = {"template", "meta", "uid", "ids", "legendgroup", "locations", "geojson", "font"}


def plotly_texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) of every string of a figure's JSON a reader sees."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PLOTLY_HIDDEN or (key == "name" and "showarrow" in node):
                continue  # an annotation's name is an id for code
            yield from plotly_texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from plotly_texts(value, f"{path}[{number}]")
    elif isinstance(node, str) and node.strip():
        last = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
        if last in PLOTLY_FIELDS:
            yield path, node


def _chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("layout", {}).get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return re.sub(r"<[^>]+>", " ", text).strip()[:60]


def figure_texts(spec: dict[str, Any], key: tuple[Any, ...], where: str) -> Iterator[Shown]:
    """Every text of one chart, located by the chart and the figure's field."""
    for path, text in plotly_texts(spec):
        # one cell of customdata or x holds many values: each is its own text
        simple = re.sub(r"\[\d+\]", "[]", path)
        yield Shown((*key, path), f"{where} {_chart_title(spec)!r} {simple}", text)


def frame_texts(frame: pd.DataFrame, key: tuple[Any, ...], where: str) -> Iterator[Shown]:
    """A table's headers and its text cells (the first 300 rows: enough to find a pattern)."""
    for number, column in enumerate(frame.columns):
        yield Shown((*key, "header", number), f"{where} header", str(column))
    for number, column in enumerate(frame.columns):
        values = frame.iloc[:300, number]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            for row, value in enumerate(values):
                if isinstance(value, str):
                    yield Shown((*key, "cell", number, row), f"{where} column {column!r}", value)


def shown_cells(element: Any) -> pd.DataFrame:
    """A st.dataframe's cells as the reader sees them: a pandas Styler's display values when it
    has one, else the values with every empty cell as the grid draws it ('None'). A column of
    booleans is drawn as check boxes, not words; a column left out of the order or hidden is
    not drawn."""
    frame = element.value
    display = element.proto.arrow_data.styler.display_values
    if display:
        shown = pa.ipc.open_stream(io.BytesIO(display)).read_all().to_pandas()
    else:
        shown = frame.astype(object).where(frame.notna(), "None")
    config = json.loads(element.proto.columns or "{}")  # a column_config label is its header
    order = list(element.proto.column_order)  # the columns drawn, when not all of them
    kept = [
        not pd.api.types.is_bool_dtype(dtype)
        and not (config.get(str(name)) or {}).get("hidden")
        and (not order or str(name) in order)
        for name, dtype in frame.dtypes.items()
    ]
    shown = shown.set_axis(
        [str((config.get(str(c)) or {}).get("label") or c) for c in frame.columns], axis=1
    )
    return shown.loc[:, kept]


def app_texts(app: Any, page: str) -> Iterator[Shown]:
    """Everything an AppTest run of `page` shows: text elements, widgets, tables, charts."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "exception", "latex", "code"):  # fmt: skip
        for number, element in enumerate(app.get(kind)):
            yield Shown((page, kind, number), f"{page} {kind} #{number + 1}", str(element.value))
    for number, element in enumerate(app.metric):
        for field_name, text in (
            ("label", element.label),
            ("value", element.value),
            ("delta", element.proto.delta),
            ("help", element.proto.help),
        ):
            yield Shown((page, "metric", number, field_name), f"{page} tile #{number + 1} "
                        f"{field_name}", str(text))  # fmt: skip
    widgets = ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "text_input",
               "number_input", "date_input", "slider", "select_slider", "text_area",
               "download_button", "button_group", "expander", "tab", "color_picker",
               "file_uploader", "link_button", "page_link")  # fmt: skip
    for kind in widgets:
        for number, element in enumerate(app.get(kind)):
            proto = element.proto
            name = f"{page} {kind} #{number + 1} ({getattr(proto, 'id', '')[-24:]})"
            for field_name in ("label", "help", "placeholder"):
                text = str(getattr(proto, field_name, "") or "")
                yield Shown((page, kind, number, field_name), f"{name} {field_name}", text)
            options = list(getattr(element, "options", []) or [])
            options += [str(getattr(o, "content", "")) for o in getattr(proto, "options", [])]
            for option_number, option in enumerate(options):
                yield Shown((page, kind, number, "option", option_number), f"{name} option",
                            str(option))  # fmt: skip
    for number, element in enumerate(app.dataframe):
        yield from frame_texts(
            shown_cells(element), (page, "dataframe", number), f"{page} table #{number + 1}"
        )
    for number, element in enumerate(app.get("plotly_chart")):
        spec = json.loads(element.proto.spec)
        yield from figure_texts(spec, (page, "chart", number), f"{page} chart #{number + 1}")


class _Visible(HTMLParser):
    """The visible text of an HTML document, each piece with the tag it sits in, and the
    attributes people read (aria-label of a chart: its summary; title; alt)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        for name, value in attrs:
            if name in ("aria-label", "title", "alt") and value:
                self.texts.append((f"<{tag} {name}>", value))

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not {"script", "style"} & set(self._stack):
            self.texts.append((f"<{self._stack[-1] if self._stack else ''}>", data.strip()))


# The snapshot's files of rows (CSV/XLSX) hold data as it is loaded: their headers are the
# column codes of the upload format (seizure_id, country_iso3, opened) and their cells stored
# values, in every language, so a file can be read back. A header that is not such a code is
# still the interface's.
ROW_TABLES = ("seizures", "cases")
CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _not_code(header: object) -> str:
    return "" if CODE.fullmatch(str(header)) else str(header)


def snapshot_texts(report: snapshot.Snapshot, document: str) -> Iterator[Shown]:
    """The snapshot as its readers get it: the HTML's text, its charts, the CSV/XLSX tables
    and the header block of those files."""
    parser = _Visible()
    parser.feed(document)
    for number, (tag, text) in enumerate(parser.texts):
        yield Shown(("snapshot", "html", number), f"snapshot HTML {tag}", text)
    for section in report.sections:
        spec = json.loads(section.chart.figure.to_json())
        yield from figure_texts(
            spec, ("snapshot", "chart", section.key), f"snapshot chart {section.key}"
        )
    with i18n.using(report.lang):
        tables = report.tables()
        provenance = report.provenance()
    for name, frame in tables.items():
        if name in ROW_TABLES:  # data in the upload format: code headers, stored values
            frame = frame.head(0).set_axis([_not_code(c) for c in frame.columns], axis=1)
        yield from frame_texts(frame, ("snapshot", "table", name), f"snapshot table {name}")
    for number, (label, value) in enumerate(provenance):
        yield Shown(("snapshot", "header", number, 0), "snapshot file header label", label)
        yield Shown(("snapshot", "header", number, 1), f"snapshot file header {label!r}", value)


# ---------------------------------------------------------------------------------------------
# Judging what is shown


def _msgids(message: Any) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _msgstrs(message: Any) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@cache
def _catalog(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The English msgids whose translation into `lang` differs from them, and every word the
    translations use (a word of that language, even when English spells it alike: 'Europe',
    'Source', 'participants' in French)."""
    with i18n.catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    english, words = set(), set()
    for message in catalog:
        if not message.id:
            continue
        strings = [s for s in _msgstrs(message) if s]
        english |= {m for m in _msgids(message) if strings and strings[0] != m}
        words |= {w.casefold() for text in strings for w in WORD.findall(NOT_TEXT.sub(" ", text))}
    return frozenset(english), frozenset(words)


@cache
def _names() -> re.Pattern[str]:
    """Names shown as their owners write them: countries (in every language), the demo's
    places, datasets and the works cited by their titles (longest first, whole words)."""
    countries = reference()
    names = {
        str(name)
        for column in ("name_en", "name_es", "name_fr", "name_pt")
        for name in countries[column].dropna()
    }
    names |= set(demo._ACTIVITY_PLACES.values())
    names |= set(PROPER_NAMES) | set(methods.REFERENCES)
    return _alternatives(names)


def _alternatives(names: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def _without_names(text: str, data: re.Pattern[str]) -> str:
    return _names().sub(" ", data.sub(" ", NOT_TEXT.sub(" ", text)))


def _words(text: str) -> list[str]:
    """The words of `text` that could be English: not acronyms (ISO codes, UNODC), not
    single letters (units: t, n)."""
    return [w for w in WORD.findall(text) if len(w) > 1 and not w.isupper()]


def _excerpt(text: str, word: str | None) -> str:
    """The start of `text`, and the place of `word` in it when that is further on."""
    text = " ".join(text.split())
    head = text[:100] + ("…" if len(text) > 100 else "")
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I) if word else None
    if found and found.start() > 80:
        return f"{head!r} … {text[max(0, found.start() - 40) : found.end() + 40]!r}"
    return repr(head)


def problems(
    lang: str, shown: Iterable[Shown], english: dict[tuple[Any, ...], str], data: set[str]
) -> list[str]:
    """What of `shown` (in `lang`) is still English, one line per place and reason (with how
    many texts there share it): where, the text, why. `english`: the English rendering by
    key; `data`: texts people uploaded (shown as entered)."""
    msgids, native = _catalog(lang)
    english_words = ENGLISH_WORDS - SAME_IN.get(lang, frozenset())
    uploaded = _alternatives(data)
    found: dict[tuple[str, str], list[str]] = {}
    for item in shown:
        text = item.text.strip()
        if not text or text in data:
            continue
        plain = text.strip("*_ ").rstrip(":")
        words = _words(_without_names(text, uploaded))
        reasons, first = [], None
        if text in msgids or plain in msgids:
            reasons.append("an English msgid of the catalog")
        elif english.get(item.key) == item.text:
            foreign = [
                w
                for w in words
                if len(w) >= 3
                and w.casefold() not in ALLOWED_IDENTICAL
                and w.casefold() not in native
            ]
            if foreign:
                reasons.append(f"identical to the English page ({foreign[0]!r})")
                first = foreign[0]
        hits = sorted({w.casefold() for w in words} & english_words)
        if hits:
            reasons.append(f"English words {hits}")
            first = first or hits[0]
        if reasons:
            why = "; ".join(reasons)
            found.setdefault((item.where, why), []).append(_excerpt(text, first))
    lines = []
    for (where, why), texts in found.items():
        more = f" (and {len(texts) - 1} more texts there)" if len(texts) > 1 else ""
        lines.append(f"{lang} · {where}: {texts[0]}: {why}{more}")
    return lines


# ---------------------------------------------------------------------------------------------
# The store, the pages and the snapshots


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo as a first visit seeds it, opened by the app under test."""
    path = tmp_path_factory.mktemp("untranslated") / "demo.duckdb"
    load_demo(DuckDBStore(path))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRIMJUST_DB", str(path))
        yield path


UNODC_FILE = UNODC_SOURCE.removesuffix("{name}")


def uploaded_texts(path: Path) -> set[str]:
    """Sources and file names people gave and the names of who loaded them (shown as entered);
    the demo's own sources and origins are not people's text."""
    texts = set()
    for version in DuckDBStore(path).versions():
        given = (version.source, version.file_name, version.loaded_by, version.rolled_back_by)
        texts |= {t for t in given if t and not is_own_text(t)}
        if version.source.startswith(UNODC_FILE):  # the dashboard's words, the file's name
            texts.add(version.source.removeprefix(UNODC_FILE))
    return texts


def render_page(page: str, lang: str) -> list[Shown]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = lang
    if page != "pages/home.py":
        app.switch_page(page)  # straight to the page: one run, as a shared link opens it
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["frame_lang"] == lang
    return list(app_texts(app, page))


@pytest.fixture(scope="module")
def english_pages(demo_db: Path) -> dict[str, dict[tuple[Any, ...], str]]:
    return {page: {s.key: s.text for s in render_page(page, "en")} for page in PAGES}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_pages_show_no_english(
    demo_db: Path, english_pages: dict[str, dict[tuple[Any, ...], str]], lang: str
) -> None:
    found: list[str] = []
    data = uploaded_texts(demo_db)
    for page in PAGES:
        shown = render_page(page, lang)
        assert len(shown) > 10, f"{page} rendered almost nothing in {lang}"
        found += problems(lang, shown, english_pages[page], data)
    assert not found, f"{len(found)} English texts in {lang}:\n" + "\n".join(found)


@pytest.fixture(scope="module")
def english_snapshot(demo_db: Path) -> dict[tuple[Any, ...], str]:
    report = snapshot.build(DuckDBStore(demo_db), lang="en", now=NOW)
    document = snapshot.render(report, "html").decode("utf-8")
    return {s.key: s.text for s in snapshot_texts(report, document)}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_snapshot_shows_no_english(
    demo_db: Path, english_snapshot: dict[tuple[Any, ...], str], lang: str
) -> None:
    report = snapshot.build(DuckDBStore(demo_db), lang=lang, now=NOW)
    assert report.lang == lang
    document = snapshot.render(report, "html").decode("utf-8")
    shown = list(snapshot_texts(report, document))
    found = problems(lang, shown, english_snapshot, uploaded_texts(demo_db))
    assert not found, f"{len(found)} English texts in the {lang} snapshot:\n" + "\n".join(found)


def test_the_spanish_pdf_has_no_english(demo_db: Path, tmp_path: Path) -> None:
    """The PDF adds what the HTML has not: the page footer printed by the browser."""
    available, why = snapshot.pdf.pdf_available()
    if not available:
        pytest.skip(why)
    report = snapshot.build(DuckDBStore(demo_db), lang="es", now=NOW)
    pdf = tmp_path / "snapshot.pdf"
    pdf.write_bytes(snapshot.render(report, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [
        Shown(("pdf", number), f"snapshot PDF line {number + 1}", line)
        for number, line in enumerate(text.splitlines())
        if line.strip()
    ]
    # the PDF's lines run across columns: only the English words and msgids tell here
    found = problems("es", lines, {}, uploaded_texts(demo_db))
    assert not found, f"{len(found)} English texts in the Spanish PDF:\n" + "\n".join(found)


# ---------------------------------------------------------------------------------------------
# The check itself can fail


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_check_finds_english(lang: str) -> None:
    key = ("unit", "caption", 0)
    where = "pages/unit.py caption #1"
    english = {key: "Source: CRIMJUST synthetic demo data (seed 2016)"}

    def check(text: str, data: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
        return problems(lang, [Shown(key, where, text)], english, set(data))

    # English function words, the English rendering itself, an English msgid of the catalog
    assert check("Hover the diamond for values")
    assert check("page 1 of 5")
    assert "identical to the English page" in check(english[key])[0]
    assert "an English msgid" in check("Cases opened")[0]
    assert where in check("kg_before and the kg after")[0]  # says where
    # names, numbers, units and uploaded text are not English
    assert not check("UNODC, INTERPOL, CRIMJUST: COL → ESP, 1.234,5 kg, 12 t")
    assert not check("Isle of Man")  # a country's name
    assert not check("Guayaquil – Santos")
    assert not check("Ministry of the Interior", {"Ministry of the Interior"})  # uploaded
    # the same text in the language's own words
    translated = {
        "es": "Fuente: datos sintéticos de demostración",
        "fr": "Source : données synthétiques de démonstration",
        "pt": "Fonte: dados sintéticos de demonstração",
    }
    assert not check(translated[lang])


def test_every_text_of_a_chart_is_looked_at() -> None:
    """Title, subtitle, annotation, axis title, legend name, hover template and tick text."""
    spec = {
        "data": [
            {
                "type": "bar",
                "name": "Seizures by year",
                "hovertemplate": "%{x}: %{y} kg in the year<extra></extra>",
                "x": ["Caribe"],
                "uid": "the uid is never shown",
            }
        ],
        "layout": {
            "title": {
                "text": "Cocaína incautada",
                "subtitle": {"text": "Line: trailing average of the total"},
                "xanchor": "left",
            },
            "annotations": [{"text": "Source: the demo", "showarrow": False, "name": "source"}],
            "xaxis": {"title": {"text": "Share of the total"}, "ticktext": ["one of two"]},
            "template": {"layout": {"title": {"text": "the template is never shown"}}},
        },
    }
    found = problems("es", figure_texts(spec, ("unit", "chart", 0), "unit chart #1"), {}, set())
    prefix = "es · unit chart #1 'Cocaína incautada' "
    assert all(line.startswith(prefix) for line in found), found
    fields = {line.removeprefix(prefix).split(":", 1)[0] for line in found}
    assert fields == {
        "data[].name",
        "data[].hovertemplate",
        "layout.title.subtitle.text",
        "layout.annotations[].text",
        "layout.xaxis.title.text",
        "layout.xaxis.ticktext[]",
    }, found
