"""The optional 'Activity before and after' section of donor snapshots (issue 9): only when
asked, the page's chart and table in every format, the small-cell rule on its case counts, the
`snapshot --activity` option and the export page's control."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from crimjust_data import snapshot
from crimjust_data.__main__ import main
from crimjust_data.errors import CrimjustError
from crimjust_data.figures import activities as charts
from crimjust_data.figures.activities import ASSOCIATION
from crimjust_data.ingest.pipeline import load_demo
from crimjust_data.metrics import Filters
from crimjust_data.queries import activities as queries
from crimjust_data.snapshot import content
from crimjust_data.snapshot.content import ACTIVITY_KEY, Section, Snapshot
from crimjust_data.store import DuckDBStore, LoadRequest
from tests.conftest import cases_frame, run_page, seizures_frame
from tests.test_activities import _activity, _month_rows
from tests.test_snapshot import Document, header_items, read_csv
from tests.xss_corpus import as_shown

AGREEMENT = "CRIMJUST-UNODC-INTERPOL-2016"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> DuckDBStore:
    store = DuckDBStore(tmp_path_factory.mktemp("activity_demo") / "demo.duckdb")
    load_demo(store)
    return store


@pytest.fixture(scope="module")
def with_agreement(demo_store: DuckDBStore) -> Snapshot:
    """The report for Cabo Verde (a few rows: quick spreadsheets), with the agreement, which
    the report's filters do not narrow."""
    return snapshot.build(demo_store, Filters(countries=("CPV",)), activity=(AGREEMENT, 12))


def _opened(prefix: str, country: str, day: str, n: int, charged: int) -> list[tuple]:
    """`n` cases opened on `day`, the first `charged` of them charged a week later."""
    charged_on = (pd.Timestamp(day) + pd.Timedelta(days=7)).date().isoformat()
    return [
        (f"{prefix}{i}", country, None, day, charged_on if i < charged else None, None, "pending")
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A1: training in BRA on 15 June 2020 (A3: in CPV); windows of 3 months (March-May, July-September).
    BRA: 4 cases opened before (1 charged), 12 after (6 charged). ARG and COL (the comparison
    group): 20 before (15 charged), 20 after (10 charged). Seizures every month, in kg. A case
    in CPV on 1 December 2021 is the data's end: every 2020 case has been followed 12 months."""
    path = tmp_path_factory.mktemp("activity_small") / "small.duckdb"
    months = ("2020-03-01", "2020-04-01", "2020-05-01", "2020-07-01", "2020-08-01", "2020-09-30")
    seizures = [
        row
        for country, kg in (("BRA", 2.0), ("ARG", 3.0), ("COL", 4.0))
        for row in _month_rows(country, country, dict.fromkeys(months, kg))
    ]
    cases = [
        *_opened("B", "BRA", "2020-04-02", 4, 1),
        *_opened("b", "BRA", "2020-08-02", 12, 6),
        *_opened("R", "ARG", "2020-03-01", 10, 7),
        *_opened("C", "COL", "2020-05-05", 10, 8),
        *_opened("r", "ARG", "2020-07-05", 10, 5),
        *_opened("c", "COL", "2020-09-30", 10, 5),
        *_opened("Z", "CPV", "2021-12-01", 1, 0),
    ]
    # A3 elsewhere: before_after fails on a store with a single activity (reported)
    activities = pd.DataFrame(
        [_activity("A1", "2020-06-15", ["BRA"]), _activity("A3", "2020-08-01", ["CPV"])]
    )
    DuckDBStore(path).load_many(
        [
            LoadRequest("seizures", seizures_frame(seizures), "test fixture"),
            LoadRequest("cases", cases_frame(cases), "test fixture"),
            LoadRequest("activities", activities, "test fixture"),
        ]
    )
    return path


def _section(report: Snapshot) -> Section:
    found = [s for s in report.sections if s.key == ACTIVITY_KEY]
    assert len(found) == 1
    return found[0]


def _rows(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    """A table by its first column (the indicator)."""
    return {row[0]: dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(False)}


# ---------------------------------------------------------------------------------------------
# The section


def test_the_section_is_there_only_when_asked(
    demo_store: DuckDBStore, with_agreement: Snapshot
) -> None:
    without = snapshot.build(demo_store, rows=False)
    assert ACTIVITY_KEY not in [s.key for s in without.sections]
    assert not [name for name in without.table_names() if name.startswith("activity")]
    assert "Activity" not in dict(without.provenance())

    section = _section(with_agreement)
    assert with_agreement.sections[-1] is section  # after the report's own charts
    assert section.heading == (
        "Activity before and after: UNODC-INTERPOL cooperation agreement under CRIMJUST"
    )
    # the page's drawing, table and words for the same activity and window
    result = queries.before_after(demo_store, AGREEMENT, 12)
    assert result is not None
    page_chart = charts.before_after_chart(result, "x")
    figure = section.chart.figure
    assert figure.layout.title.text == page_chart.figure.layout.title.text
    assert figure.layout.title.text.startswith("Before and after")
    bars = [t for t in figure.data if t.type == "bar"]
    assert len(bars) == 14  # before and after, for each of the 7 indicators
    assert len(section.chart.data) == 28  # 7 indicators x 2 groups x 2 windows
    # the same numbers, but for what the small-cell rule withholds (value, interval, n)
    withheld = ["value", "n", "95% CI low", "95% CI high"]
    pd.testing.assert_frame_equal(
        section.chart.data.drop(columns=withheld), page_chart.data.drop(columns=withheld)
    )
    shown = pd.to_numeric(section.chart.data["value"], errors="coerce").notna()
    pd.testing.assert_frame_equal(
        section.chart.data.loc[shown, withheld[2:]], page_chart.data.loc[shown, withheld[2:]]
    )
    changes = section.tables[0]
    assert changes.key == "activity_changes" and len(changes.frame) == 7
    assert changes.frame["indicator"].tolist() == [
        "Kg seized per country and month",
        "Seizures per country and month",
        "Cases opened per country and month",
        "Prosecution rate",
        "Conviction rate",
        "Days to court outcome (restricted mean)",
        "Cooperation share",
    ]
    # the page's table word for word, but for the rows the small-cell rule touched (the demo
    # follows today's date, so which rows those are changes from day to day)
    page_table = charts.change_table(result).drop(columns=["n before / after"])
    section_table = changes.frame.drop(columns=["n before / after"])
    _masked, hidden = content._suppressed(result, content.DEFAULT_THRESHOLD)
    touched = {key for key, _measure in hidden}
    untouched = [change.indicator.key not in touched for change in result.changes]
    assert sum(untouched) >= 3
    pd.testing.assert_frame_equal(section_table[untouched], page_table[untouched])
    trends = section.tables[1]
    assert trends.key == "activity_pretrends" and len(trends.frame) == 7
    assert trends.frame.columns[1] == "trend before: activity countries"
    overlapping = section.tables[2]
    assert overlapping.key == "activity_overlapping"
    assert len(overlapping.frame) == len(result.overlapping) > 0
    assert section.notes[0] == ASSOCIATION
    assert any("fall inside the windows" in note for note in section.notes)
    assert section.caption == charts.method_note(result)
    label, scope = section.scope or ("", "")
    assert label == "Activity" and scope.startswith(AGREEMENT)
    assert "12 months before and after" in scope and "filters do not apply" in scope
    assert dict(with_agreement.provenance())["Activity"] == scope
    assert with_agreement.table_names()[-4:] == [
        ACTIVITY_KEY,
        "activity_changes",
        "activity_pretrends",
        "activity_overlapping",
    ]


def test_html_holds_the_section_with_its_cautions_and_tables(with_agreement: Snapshot) -> None:
    document = snapshot.render(with_agreement, "html").decode("utf-8")
    parsed = Document(document)
    charts_ = [a for a in parsed.elements_of("div") if a.get("data-section") == ACTIVITY_KEY]
    assert len(charts_) == 1
    start = document.index("<h2>Activity before and after: UNODC-INTERPOL")
    end = document.index("<h2>", start + 1)
    body = document[start:end]
    assert "<p class='caution'>Association, not proof of effect" in body
    spec = next(
        text for attrs, text in parsed.scripts if attrs.get("data-chart") == charts_[0]["id"]
    )
    assert "Source: CRIMJUST synthetic demo data" in spec  # the chart's source line
    assert "Before and after: UNODC-INTERPOL" in spec
    tables = re.findall(r"<h3>([^<]*)</h3><table>.*?<tbody>(.*?)</tbody>", body)
    assert [(heading, rows.count("<tr>")) for heading, rows in tables] == [
        ("Change in each indicator", 7),
        ("Trends before the activity", 7),
        ("Other activities inside the windows", len(_section(with_agreement).tables[2].frame)),
    ]
    assert "Windows are whole calendar months" in body  # the method note, under the chart


def test_csv_and_xlsx_hold_the_chart_numbers_and_the_change_table(
    demo_store: DuckDBStore, with_agreement: Snapshot
) -> None:
    with zipfile.ZipFile(io.BytesIO(snapshot.render(with_agreement, "csv"))) as archive:
        numbers = archive.read(f"{ACTIVITY_KEY}.csv")
        changes = read_csv(archive.read("activity_changes.csv"))
    assert header_items(numbers)["Activity"].startswith(AGREEMENT)
    assert len(read_csv(numbers)) == 28 and len(changes) == 7
    assert changes.loc[3, "indicator"] == "Prosecution rate"
    book = openpyxl.load_workbook(io.BytesIO(snapshot.render(with_agreement, "xlsx")))
    assert book.sheetnames[-4:] == [
        ACTIVITY_KEY,
        "activity_changes",
        "activity_pretrends",
        "activity_overlapping",
    ]
    sheet = list(book["activity_changes"].values)
    assert sheet[0][0] == "indicator" and len(sheet) == 1 + 7
    about = {row[0]: row[1] for row in book["About"].values}
    assert about["Activity"].startswith(AGREEMENT)


def test_other_languages_and_an_unknown_id(demo_store: DuckDBStore) -> None:
    section = snapshot.activity_section(demo_store, AGREEMENT, 6, "fr", 5)
    assert section.heading.startswith("Activité avant et après")
    assert "6 mois avant et après" in (section.scope or ("", ""))[1]
    with pytest.raises(CrimjustError) as error:
        snapshot.activity_section(demo_store, "DEMO-ACT-999", 12)
    message = str(error.value)
    assert "'DEMO-ACT-999'" in message and "(61 in all" in message
    assert len(re.findall(r"DEMO-ACT-\d{3}\b(?!')", message)) == 5  # five close ones named


# ---------------------------------------------------------------------------------------------
# The small-cell rule


def test_small_case_counts_are_withheld(small_db: Path) -> None:
    store = DuckDBStore(small_db)
    section = snapshot.activity_section(store, "A1", 3, "en", 5)
    table = _rows(section.tables[0].frame)
    prosecution = table["Prosecution rate"]
    # before: 1 of 4 cases charged: withheld, n '<5', and no test of it; after: 6 of 12
    assert (prosecution["before"], prosecution["after"]) == ("withheld", "50.0%")
    assert prosecution["n before / after"] == "<5 / 12"
    assert (prosecution["change"], prosecution["p-value (placebo dates)"]) == ("–", "–")
    assert prosecution["p-value, Holm-adjusted"] == "–"
    assert prosecution["comparison change"] == "−25.0 points"  # 15 of 20 charged, then 10
    assert table["Cooperation share"]["before"] == "withheld"  # 0 of 4
    assert table["Cooperation share"]["after"] == "0.0%"  # 0 of 12: nobody singled out
    # 4 cases in 3 months: the mean per month would tell the count
    assert (
        table["Cases opened per country and month"]["before"],
        table["Cases opened per country and month"]["after"],
    ) == ("withheld", "4.0")
    assert table["Cases opened per country and month"]["n before / after"] == "3 / 3"  # months
    assert table["Kg seized per country and month"]["before"] == "2.0"  # seizures: never
    trends = _rows(section.tables[1].frame)
    assert trends["Kg seized per country and month"]["trend before: comparison group"] == (
        "+0.0% a month"  # ARG and COL: the same kg every month
    )
    numbers = section.chart.data
    before = numbers[
        (numbers["indicator"] == "Prosecution rate")
        & (numbers["group"] == "activity countries")
        & (numbers["window"] == "before")
    ].iloc[0]
    assert (before["value"], before["n"]) == ("withheld", "<5")
    assert pd.isna(before["95% CI low"]) and pd.isna(before["95% CI high"])
    drawn = [
        t
        for t in section.chart.figure.data
        if t.type == "bar" and "Prosecution rate" in (t.hovertemplate or "")
    ]
    assert drawn[0].y[0] is None and drawn[1].y[0] == pytest.approx(50.0)  # no bar for it
    # as the export page makes it: the report cached without data, the section added
    report = snapshot.with_section(snapshot.build(store, rows=False, threshold=5), section)
    document = snapshot.render(content.with_data(report, store, rows=False), "html")
    document = document.decode("utf-8")
    assert "<td>&lt;5 / 12</td>" in document and "4 / 12" not in document

    shown = _rows(snapshot.activity_section(store, "A1", 3, "en", 0).tables[0].frame)
    assert shown["Prosecution rate"]["before"] == "25.0%"
    assert shown["Prosecution rate"]["n before / after"] == "4 / 12"


# ---------------------------------------------------------------------------------------------
# The command line


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["snapshot", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_cli(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRIMJUST_DB", str(small_db))
    monkeypatch.delenv("CRIMJUST_SMALL_CELL_THRESHOLD", raising=False)
    return small_db


def test_cli_activity_option(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.zip"
    code, stdout, err = _cli(capsys, "--out", str(out), "--activity", "A1", "--window", "6")
    assert "wrote" in stdout
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        changes = read_csv(archive.read("activity_changes.csv"))
        items = header_items(archive.read("rates.csv"))
    assert "6 months before and after" in items["Activity"]
    assert _rows(changes)["Prosecution rate"]["n before / after"] == "<5 / 12"

    plain = tmp_path / "plain.html"
    code, _, err = _cli(capsys, "--out", str(plain))
    assert code == 0, err
    assert f"data-section='{ACTIVITY_KEY}'" not in plain.read_text(encoding="utf-8")


def test_cli_unknown_activity_exits_1_naming_it_and_known_ones(
    small_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, _, err = _cli(capsys, "--out", str(out), "--activity", "NOPE")
    assert code == 1
    assert err.startswith(
        "error: No activity has the id 'NOPE'. Known ids include A1, A3 (2 in all"
    )
    assert "Activities and results page" in err
    assert not list(tmp_path.iterdir())

    code, _, err = _cli(capsys, "--out", str(out), "--window", "6")  # a window of nothing
    assert code == 1 and "--activity" in err and not out.exists()
    with pytest.raises(SystemExit) as exit_:
        main(["snapshot", "--out", str(out), "--activity", "A1", "--window", "7"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The export page (AppTest through the router)


def _holds(app) -> str:
    """The list of what the snapshot holds, as it reads (Markdown escapes taken out)."""
    text = next(m.value for m in app.markdown if m.value.startswith("- **Covers:**"))
    return as_shown(text)


def test_export_page_adds_the_section_when_asked(store_path: Path) -> None:
    app = run_page("pages/export.py")
    assert app.toggle(key="export_activity").value is False
    assert "Activity before and after" not in _holds(app)
    assert "activity" not in app.query_params

    app.toggle(key="export_activity").set_value(True)
    app.run()
    assert not app.exception
    # the most recent activity with whole windows, as on the Activities page (not the latest)
    complete = queries.latest_complete(DuckDBStore(store_path), 12)
    assert complete is not None and complete != "DEMO-ACT-060"
    assert app.selectbox(key="export_activity_choice").value == complete
    assert app.session_state["export_activity_window"] == "12"
    assert app.query_params["activity"] == complete
    assert app.query_params["window"] == "12"
    holds = _holds(app)
    assert "**Charts:**" in holds and "Activity before and after:" in holds
    assert "`activity_changes`" in holds

    app.selectbox(key="export_activity_choice").set_value(AGREEMENT)
    app.toggle(key="export_preview").set_value(True)
    app.run()
    assert not app.exception
    assert app.query_params["activity"] == AGREEMENT
    frames = [str(e.proto) for e in app.main if getattr(e, "type", None) == "iframe"]
    assert len(frames) == 1 and f"data-section=\\'{ACTIVITY_KEY}\\'" in frames[0]
    assert "UNODC-INTERPOL cooperation agreement" in frames[0]

    app.toggle(key="export_activity").set_value(False)
    app.run()
    assert "activity" not in app.query_params and "window" not in app.query_params
    assert "Activity before and after" not in _holds(app)


def test_export_page_link_names_the_activity_and_window(store_path: Path) -> None:
    app = run_page("pages/export.py", query={"activity": AGREEMENT, "window": "6"})
    assert app.toggle(key="export_activity").value is True
    assert app.selectbox(key="export_activity_choice").value == AGREEMENT
    assert app.session_state["export_activity_window"] == "6"
    assert "Activity before and after: UNODC-INTERPOL" in _holds(app)
