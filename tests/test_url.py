"""The one binding of widgets to the URL (crimjust_data.ui.url), in a tiny app."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from crimjust_data.ui import url
from tests.xss_corpus import as_shown


def _page() -> None:
    import datetime as dt

    import streamlit as st

    from crimjust_data.ui import url

    url.linked(st.selectbox, "Period", ("month", "quarter", "year"), key="grain", param="grain")
    url.bind("types", "act_type", ("training", "equipment"))
    st.multiselect("Types", ("training", "equipment"), key="types")
    url.bind("dates", ("from", "to"), (dt.date(2015, 1, 1), dt.date(2024, 12, 31)))
    st.date_input("Dates", key="dates")


def _app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    app = AppTest.from_function(_page, default_timeout=30)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _values(app: AppTest, name: str) -> list[str]:
    value = app.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def test_every_parameter_is_declared_once_with_its_name() -> None:
    assert all(name == param.name for name, param in url.PARAMS.items())
    assert {"lang", "from", "to", "region", "focus", "activities", "act_partner"} <= set(url.PARAMS)


def test_defaults_are_written_to_the_url_unless_short() -> None:
    app = _app()
    assert app.selectbox(key="grain").value == "quarter"  # the parameter's own default
    assert _values(app, "grain") == ["quarter"]
    assert "act_type" not in app.query_params and "from" not in app.query_params


def test_a_link_sets_the_widgets_and_bad_values_are_ignored_with_a_notice() -> None:
    app = _app(
        {"grain": "year", "act_type": ["equipment", "bogus"], "from": "2019-01-01", "to": "x"}
    )
    assert app.selectbox(key="grain").value == "year"
    assert app.multiselect(key="types").value == ["equipment"]
    assert app.date_input(key="dates").value == (dt.date(2019, 1, 1), dt.date(2024, 12, 31))
    notices = [as_shown(w.value) for w in app.warning]
    assert notices == [
        "Ignored 'act_type=bogus' from the link: not one of the choices here.",
        "Ignored 'to=x' from the link: not a date (YYYY-MM-DD).",
    ]
    assert _values(app, "act_type") == ["equipment"]  # the bad value left the URL
    assert _values(app, "from") == ["2019-01-01"] and "to" not in app.query_params


def test_an_invalid_single_value_keeps_the_choice() -> None:
    app = _app({"grain": "week"})
    assert app.selectbox(key="grain").value == "quarter"
    assert any("grain=week" in as_shown(w.value) for w in app.warning)
    assert _values(app, "grain") == ["quarter"]


def test_a_widget_change_goes_to_the_url_and_a_link_without_it_keeps_it() -> None:
    app = _app()
    app.selectbox(key="grain").set_value("month")
    app.multiselect(key="types").select("training")
    app.run()
    assert _values(app, "grain") == ["month"] and _values(app, "act_type") == ["training"]
    app.query_params.clear()  # a page switch: the URL carries none of them
    app.run()
    assert app.selectbox(key="grain").value == "month"
    assert _values(app, "grain") == ["month"] and _values(app, "act_type") == ["training"]


def test_dates_in_the_wrong_order_are_swapped_with_a_notice() -> None:
    app = _app({"from": "2020-01-01", "to": "2019-01-01"})
    assert app.date_input(key="dates").value == (dt.date(2019, 1, 1), dt.date(2020, 1, 1))
    assert [as_shown(w.value) for w in app.warning] == [
        "The link's dates were in the wrong order ('from=2020-01-01&to=2019-01-01'): "
        "showing Jan 1, 2019 to Jan 1, 2020 instead."
    ]
    assert _values(app, "from") == ["2019-01-01"] and _values(app, "to") == ["2020-01-01"]


def test_a_period_outside_the_data_shows_all_of_it_and_says_so() -> None:
    whole = (dt.date(2015, 1, 1), dt.date(2024, 12, 31))
    for query in (
        {"from": "2030-01-01"},
        {"to": "2010-06-30"},
        {"from": "2030-01-01", "to": "2031-01-01"},
    ):
        app = _app(query)
        assert app.date_input(key="dates").value == whole, query  # not one clamped day
        asked = "&".join(f"{k}={v}" for k, v in query.items())
        assert [as_shown(w.value) for w in app.warning] == [
            f"The link asks for '{asked}', but the data run from Jan 1, 2015 to Dec 31, 2024: "
            "showing the whole period instead."
        ]
        assert "from" not in app.query_params and "to" not in app.query_params


def test_a_period_partly_outside_the_data_is_cut_to_it_quietly() -> None:
    app = _app({"from": "2010-01-01", "to": "2019-06-30"})
    assert app.date_input(key="dates").value == (dt.date(2015, 1, 1), dt.date(2019, 6, 30))
    assert not app.warning  # what is shown is all the link asked for: the data start later
