"""Program activities (issues 9 and 15): the table's validation, the before/after windows, the
comparison group (and who is left out of it), the difference in differences and the case
outcomes' follow-up, on small fixtures whose answers are worked out by hand (the test itself:
tests/test_before_after_stats.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from crimjust_data import activities
from crimjust_data.activities import windows
from crimjust_data.demo import AGREEMENT_2016, generate_demo
from crimjust_data.ingest.pipeline import import_file
from crimjust_data.queries import activities as queries
from crimjust_data.store import LoadRequest, Store
from tests.conftest import cases_frame, seizures_frame

D = dt.date
DATA = (D(2015, 1, 1), D(2026, 11, 28))  # the data's first and last days


# ---------------------------------------------------------------------------------------------
# Windows


def test_windows_are_whole_months_before_the_start_and_after_the_end() -> None:
    before, after = windows(D(2019, 3, 10), None, 12, *DATA)
    assert (before.first, before.last, before.months) == (D(2018, 3, 1), D(2019, 2, 1), 12)
    assert (after.first, after.last, after.months) == (D(2019, 4, 1), D(2020, 3, 1), 12)
    assert not before.cut and not after.cut
    assert after.end_day == D(2020, 3, 31)
    # a joint investigation of several months: 'after' starts after the month it ended
    before, after = windows(D(2019, 3, 10), D(2019, 6, 20), 3, *DATA)
    assert (before.first, before.last) == (D(2018, 12, 1), D(2019, 2, 1))
    assert (after.first, after.last) == (D(2019, 7, 1), D(2019, 9, 1))
    # an end before the start is read as a one-day activity
    assert windows(D(2019, 3, 10), D(2019, 1, 1), 3, *DATA)[1].first == D(2019, 4, 1)


def test_windows_near_the_ends_of_the_data_are_cut_to_whole_months() -> None:
    before, after = windows(D(2015, 5, 15), None, 12, *DATA)
    assert (before.first, before.months, before.wanted_months, before.cut) == (
        D(2015, 1, 1),
        4,
        12,
        True,
    )
    assert not after.cut
    # data starting mid-month: that month is not whole, so it is left out
    before, _after = windows(D(2015, 5, 15), None, 12, D(2015, 1, 15), DATA[1])
    assert (before.first, before.months) == (D(2015, 2, 1), 3)
    # the data ends on 28 November: November is not whole, October is the last month
    _before, after = windows(D(2026, 8, 13), D(2026, 8, 16), 12, *DATA)
    assert (after.first, after.last, after.months, after.cut) == (
        D(2026, 9, 1),
        D(2026, 10, 1),
        2,
        True,
    )
    _before, after = windows(D(2026, 10, 3), None, 12, *DATA)
    assert after.empty and after.months == 0
    _before, after = windows(D(2026, 10, 3), None, 12, DATA[0], D(2026, 11, 30))
    assert (after.first, after.months) == (D(2026, 11, 1), 1)
    # no data at all
    before, after = windows(D(2020, 1, 1), None, 6, None, None)
    assert before.empty and after.empty


def test_windows_need_a_month() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        windows(D(2020, 1, 1), None, 0, *DATA)


def test_overlapping_activities_are_those_inside_a_window() -> None:
    before, after = windows(D(2020, 6, 15), None, 3, *DATA)  # Mar-May and Jul-Sep 2020
    assert activities.overlaps(before, D(2020, 4, 2), None)
    assert activities.overlaps(after, D(2020, 9, 30), None)
    assert activities.overlaps(before, D(2019, 1, 1), D(2020, 3, 1))  # ran into the window
    assert not activities.overlaps(before, D(2020, 6, 1), None)  # the activity's own month
    assert not activities.overlaps(after, D(2020, 10, 1), D(2021, 1, 1))


# ---------------------------------------------------------------------------------------------
# One activity's view on a store with known answers (both backends)


def _month_rows(prefix: str, country: str, kg_by_month: dict[str, float]) -> list[tuple]:
    return [
        (f"{prefix}{i}", day, country, "cocaine_hcl", kg, "vessel")
        for i, (day, kg) in enumerate(kg_by_month.items())
    ]


def _activity(
    activity_id: str, start: str, countries: list[str], end: str | None = None
) -> dict[str, object]:
    return {
        "activity_id": activity_id,
        "start_date": start,
        "end_date": end,
        "countries": countries,
        "type": "training",
        "title": f"Training {activity_id}",
        "partner": "unodc",
        "participants": 20,
        "notes": None,
        "source": "test fixture",
    }


@pytest.fixture
def known(store: Store) -> Store:
    """BRA (the activity's country, 15 June 2020), ARG and COL (same region), CPV (another)."""
    before = ("2020-03-01", "2020-04-01", "2020-05-01")
    after = ("2020-07-01", "2020-08-01", "2020-09-30")
    rows = [
        *_month_rows("B", "BRA", {**dict.fromkeys(before, 10.0), **dict.fromkeys(after, 40.0)}),
        *_month_rows("A", "ARG", {**dict.fromkeys(before, 10.0), **dict.fromkeys(after, 20.0)}),
        *_month_rows("C", "COL", {**dict.fromkeys(before, 30.0), **dict.fromkeys(after, 30.0)}),
        *_month_rows("V", "CPV", {"2020-03-01": 1000.0, "2020-08-01": 5.0}),
        ("B9", "2020-06-10", "BRA", "cocaine_hcl", 999.0, "air"),  # the activity's own month
    ]
    # 'dict.fromkeys' merges equal days: make the ids unique per row
    rows = [(f"{r[0]}-{r[1]}", *r[1:]) for r in rows]
    store.load(LoadRequest("seizures", seizures_frame(rows), "fixture"))
    cases = [
        # BRA before: 4 opened, 2 charged; after: 5 opened, 5 charged
        *[
            (f"KB{i}", "BRA", None, "2020-04-02", "2020-05-01" if i < 2 else None, None, "pending")
            for i in range(4)
        ],
        *[(f"KA{i}", "BRA", None, "2020-08-02", "2020-08-20", None, "pending") for i in range(5)],
        # ARG before: 2 opened, 2 charged; after: 2 opened, 1 charged
        ("KR1", "ARG", None, "2020-03-05", "2020-03-20", None, "pending"),
        ("KR2", "ARG", None, "2020-03-06", "2020-03-21", None, "pending"),
        ("KR3", "ARG", None, "2020-07-05", "2020-07-20", None, "pending"),
        ("KR4", "ARG", None, "2020-07-06", None, None, "pending"),
        ("KC1", "COL", None, "2020-09-30", None, None, "pending"),  # after: COL 1 opened
        ("KC0", "COL", None, "2020-03-31", None, None, "pending"),  # before: COL 1 opened
        ("KV0", "CPV", None, "2020-03-01", None, None, "pending"),  # case data from 1 March
        # the data's end: 1 December 2021, so every 2020 case has been followed 12 months
        ("KV1", "CPV", None, "2021-12-01", None, None, "pending"),
    ]
    store.load(LoadRequest("cases", cases_frame(cases), "fixture"))
    table = pd.DataFrame(
        [
            _activity("A1", "2020-06-15", ["BRA"]),
            _activity("A2", "2020-08-01", ["BRA", "CPV"]),  # inside the after window
            _activity("A3", "2020-08-01", ["CPV"]),  # another country
            _activity("A4", "2019-01-01", ["BRA"], end="2019-02-01"),  # long before
        ]
    )
    store.load(LoadRequest("activities", table, "fixture"))
    return store


def test_before_after_on_known_numbers(known: Store) -> None:
    result = queries.before_after(known, "A1", 3)
    assert result is not None
    assert result.countries == ("BRA",)
    assert result.comparison == ("ARG", "COL")  # same region with data; CPV is West Africa
    assert result.excluded == () and result.no_comparison_reason is None
    before, after = result.seizure_windows
    assert (before.first, before.last, after.first, after.last) == (
        D(2020, 3, 1),
        D(2020, 5, 1),
        D(2020, 7, 1),
        D(2020, 9, 1),
    )
    changes = {c.indicator.key: c for c in result.changes}
    kg = changes["kg"]
    assert (kg.before.value, kg.after.value) == (10.0, 40.0)  # B9 (June) is in neither
    assert kg.change == pytest.approx(3.0)  # +300%
    # comparison: per country and month, (10 + 30) / 2 before, (20 + 30) / 2 after
    assert (kg.comparison_before.value, kg.comparison_after.value) == (20.0, 25.0)
    assert kg.comparison_change == pytest.approx(0.25)
    # a ratio of ratios: (40 / 10) / (25 / 20)
    assert kg.kind == kg.unit == "ratio"
    assert kg.difference_in_differences == pytest.approx(3.2)
    # seven months of seizure data hold only these windows: no placebo date, no test
    assert (kg.placebos, kg.p_value, kg.p_adjusted, kg.notable) == (0, None, None, False)
    prosecution = changes["prosecution"]
    assert (prosecution.before.n, prosecution.after.n) == (4, 5)
    assert (prosecution.before.value, prosecution.after.value) == (0.5, 1.0)
    assert prosecution.change == pytest.approx(0.5)
    # ARG and COL: 2 of 3 charged before (KR1, KR2 of KR1, KR2, KC0), 1 of 3 after
    assert prosecution.comparison_before.value == pytest.approx(2 / 3)
    assert prosecution.comparison_after.value == pytest.approx(1 / 3)
    # in percentage points: +50 here, -33.3 there
    assert prosecution.kind == "points"
    assert prosecution.difference_in_differences == pytest.approx(50 + 100 / 3)
    assert prosecution.thin  # 4 and 5 cases: too few to say much
    # the charged cases with a court outcome within 12 months: none yet
    assert changes["conviction"].before.n == 0 and changes["conviction"].before.value is None
    # days to court outcome, counted up to 365: no outcome, so 365 for every charged case
    days = changes["verdict_days"]
    assert (days.before.value, days.before.n, days.after.n) == (365.0, 2, 5)
    assert days.kind == "days" and days.difference_in_differences == pytest.approx(0.0)
    assert result.data_end == D(2021, 12, 1) and result.too_recent == 0
    # overlapping: A2 (BRA, in the after window), not A3 (CPV) nor A4 (2019)
    assert list(result.overlapping["activity_id"]) == ["A2"]
    assert queries.before_after(known, "nope", 3) is None


def test_cases_too_recent_for_the_follow_up_are_left_out(known: Store) -> None:
    # a case in BRA two months before the data's end: opened in no window of A1, so it
    # changes nothing; an activity late in the data has its after cases too recent
    late = pd.DataFrame([_activity("A9", "2021-06-15", ["BRA"])])
    known.load(LoadRequest("activities", late, "fixture"))
    cases = [(f"KL{i}", "BRA", None, "2021-07-10", "2021-07-20", None, "pending") for i in range(3)]
    known.load(LoadRequest("cases", cases_frame(cases), "fixture"))
    result = queries.before_after(known, "A9", 3)
    assert result is not None and result.data_end == D(2021, 12, 1)
    prosecution = {c.indicator.key: c for c in result.changes}["prosecution"]
    # opened in July 2021, less than 12 months before 1 December 2021: too recent to judge
    assert prosecution.after.n == 0 and prosecution.after.value is None
    assert result.too_recent == 3
    assert prosecution.difference_in_differences is None and prosecution.p_value is None


def test_comparison_leaves_out_countries_with_their_own_activity(known: Store) -> None:
    table = pd.DataFrame(
        [
            _activity("A1", "2020-06-15", ["BRA"]),
            _activity("A5", "2020-04-20", ["ARG"]),  # in A1's before window
            _activity("A6", "2020-11-01", ["COL"]),  # after A1's after window: COL stays
            _activity("A7", "2019-01-01", ["COL"], end="2020-03-02"),  # ran into it: out
        ]
    )
    known.load(LoadRequest("activities", table[:3], "fixture", mode="replace"))
    result = queries.before_after(known, "A1", 3)
    assert result is not None
    assert (result.comparison, result.excluded) == (("COL",), ("ARG",))
    kg = {c.indicator.key: c for c in result.changes}["kg"]
    assert (kg.comparison_before.value, kg.comparison_after.value) == (30.0, 30.0)
    assert kg.difference_in_differences == pytest.approx(4.0)

    # no comparison country left: no difference in differences, and the reason said
    known.load(LoadRequest("activities", table, "fixture", mode="replace"))
    result = queries.before_after(known, "A1", 3)
    assert result is not None
    assert (result.comparison, result.excluded) == ((), ("ARG", "COL"))
    assert result.no_comparison_reason is not None
    assert "no comparison country is left" in result.no_comparison_reason
    for change in result.changes:
        assert change.difference_in_differences is None
        assert (change.p_value, change.p_adjusted, change.notable) == (None, None, False)
        assert change.comparison_before.value is None
    kg = {c.indicator.key: c for c in result.changes}["kg"]
    assert (kg.before.value, kg.after.value) == (10.0, 40.0)  # the activity's own numbers


def test_before_after_of_the_only_activity(store: Store) -> None:
    rows = [("S1", "2020-03-01", "BRA", "cocaine_hcl", 5.0, "air")]
    store.load(LoadRequest("seizures", seizures_frame(rows), "fixture"))
    store.load(
        LoadRequest("activities", pd.DataFrame([_activity("A1", "2020-06-15", ["BRA"])]), "f")
    )
    result = queries.before_after(store, "A1", 3)
    assert result is not None and result.overlapping.empty and result.comparison == ()
    assert result.excluded == ()
    assert "No other country of these regions has data" in str(result.no_comparison_reason)


def test_activities_can_be_listed_by_type_partner_and_country(known: Store) -> None:
    assert list(queries.activity_list(known)["activity_id"]) == ["A4", "A1", "A2", "A3"]
    assert queries.activity_list(known, ("agreement",)).empty
    assert queries.activity_list(known)["countries"].iloc[2] == ["BRA", "CPV"]


# ---------------------------------------------------------------------------------------------
# The table: validation like the other tables, and the demo's activities


def test_activities_file_in_spanish_is_read_and_stored(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "actividades.csv"
    path.write_text(
        "Id actividad;Fecha de inicio;Fecha de fin;Países;Tipo;Título;Socio;Participantes\n"
        "A-1;30/08/2016;;Brasil | Cabo Verde;acuerdo;Acuerdo;ONUDD;\n"
        "A-2;14/03/2019;18/03/2019;Ecuador;taller;Control portuario Guayaquil;UNODC;25\n",
        encoding="utf-8",
    )
    outcome = import_file(store, path, "activities")
    assert outcome.ok, outcome.errors
    stored = queries.activity_list(store)
    assert list(stored["countries"]) == [["BRA", "CPV"], ["ECU"]]
    assert list(stored["type"]) == ["agreement", "training"]
    assert list(stored["partner"]) == ["unodc", "unodc"]
    assert stored["participants"].iloc[1] == 25
    assert pd.isna(stored["end_date"].iloc[0])


def test_bad_activity_rows_are_located_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "activity_id,start_date,end_date,countries,type,title,partner,participants\n"
        "A-1,2019-03-01,2019-02-05,Narnia,party,Title,nobody,-3\n"
        "A-2,2019-03-01,,,training,Title,unodc,\n"
        "A-2,2019-04-01,,ECU,training,,unodc,\n",
        encoding="utf-8",
    )
    outcome = import_file(store, path, "activities")
    assert not outcome.ok
    found = {(e["row"], e["column"]): e["message"] for e in outcome.errors}
    assert "end_date is before start_date" in found[(2, "end_date")]
    assert "Narnia" in str([e["value"] for e in outcome.errors if e["column"] == "countries"])
    assert "not a known activity type" in found[(2, "type")]
    assert "not a known partner" in found[(2, "partner")]
    assert "participants cannot be negative" in found[(2, "participants")]
    assert "required" in found[(3, "countries")]
    assert "duplicate id" in found[(3, "activity_id")]
    assert "required" in found[(4, "title")]
    assert store.versions() == []


def test_demo_has_the_real_2016_agreement_and_plausible_activities() -> None:
    data = generate_demo(seed=7, seizures=300, cases=100, end=D(2024, 12, 31))
    table = data.activities
    real = table[table["activity_id"] == AGREEMENT_2016["activity_id"]].iloc[0]
    assert real["start_date"] == pd.Timestamp("2016-08-30")
    assert real["type"] == "agreement" and "INTERPOL" in real["title"]
    assert {"BRA", "CPV", "COL"} <= set(real["countries"])
    assert 40 <= len(table) <= 60  # about five a year over ten years, plus the agreement
    assert set(table["type"]) <= set(activities_types())
    joint = table[table["type"] == "joint_investigation"]
    assert all(len(codes) == 2 for codes in joint["countries"])
    # the seizures and cases of a seed are what they were before activities existed
    again = generate_demo(seed=7, seizures=300, cases=100, end=D(2024, 12, 31))
    pd.testing.assert_frame_equal(data.seizures, again.seizures)
    pd.testing.assert_frame_equal(data.activities, again.activities)


def activities_types() -> tuple[str, ...]:
    from crimjust_data.schemas import ACTIVITY_TYPES

    return ACTIVITY_TYPES


# ---------------------------------------------------------------------------------------------
# The page (AppTest through the router, on the demo)


def test_activities_page_shows_the_test_the_trends_and_the_method(store_path: Path) -> None:
    from tests.conftest import run_page

    app = run_page("pages/activities.py", query={"activity": AGREEMENT_2016["activity_id"]})
    assert not app.exception
    frames = {tuple(frame.value.columns): frame.value for frame in app.dataframe}
    changes = next(f for c, f in frames.items() if "difference in differences" in c)
    assert len(changes) == 7
    assert {"p-value (placebo dates)", "p-value, Holm-adjusted"} <= set(changes.columns)
    assert changes["difference in differences"].iloc[0].endswith("(ratio of ratios)")
    trends = frames[
        ("indicator", "trend before: activity countries", "trend before: comparison group")
    ]
    assert len(trends) == 7
    captions = " ".join(c.value for c in app.caption)
    assert "in-time placebos" in captions and "Holm" in captions
    assert "12 months after opening" in captions


def test_the_table_and_summary_say_the_difference_in_its_unit_and_use_adjusted_p(
    known: Store,
) -> None:
    import dataclasses

    from crimjust_data.figures import activities as charts

    result = queries.before_after(known, "A1", 3)
    assert result is not None
    table = charts.change_table(result).set_index("indicator")
    did = table["difference in differences"]
    assert did["Kg seized per country and month"] == "×3.20 (ratio of ratios)"
    assert did["Prosecution rate"] == "+83.3 points"  # never a difference of two % changes
    assert did["Days to court outcome (restricted mean)"] == "+0 days"
    note = charts.method_note(result)
    assert "12 months after opening" in note and "(Dec 1, 2021)" in note
    assert "0 cases of the windows are too recent" in note
    assert "Holm" in note and "in-time placebos" in note

    # the summary names what stays unusual after Holm's adjustment, never a raw p
    raw_only = [dataclasses.replace(c, p_value=0.01, p_adjusted=0.07) for c in result.changes]
    quiet = charts.before_after_chart(dataclasses.replace(result, changes=raw_only), "x")
    assert quiet.summary.startswith("No indicator changed here beyond the comparison group")
    kg = dataclasses.replace(result.changes[0], p_value=0.001, p_adjusted=0.007)
    assert kg.notable and not raw_only[0].notable
    loud = charts.before_after_chart(
        dataclasses.replace(result, changes=[kg, *result.changes[1:]]), "x"
    )
    assert "Kg seized per country and month: ×3.20 (ratio of ratios) (adjusted p = 0.007)" in (
        loud.summary
    )
    # without a comparison group the summary says why
    alone = dataclasses.replace(result, comparison=(), excluded=("ARG", "COL"))
    assert charts.comparison_note(alone) == alone.no_comparison_reason
    assert "no comparison country is left" in charts.before_after_chart(alone, "x").summary
    assert "Argentina" in str(
        charts.comparison_note(dataclasses.replace(result, excluded=("ARG",)))
    )
