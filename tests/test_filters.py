"""Tests for geo.filters: date intervals, every filter on the sample events, and the URL round trip."""
from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import pytest

from geo.filters import (
    Filters,
    apply_filters,
    date_interval,
    date_spans,
    filter_options,
    from_query_params,
    to_query_params,
)



def ids(frame) -> list[str]:
    return list(frame["event_id"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-12-29", (date(2019, 12, 29), date(2019, 12, 29))),
        ("2023-10", (date(2023, 10, 1), date(2023, 10, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2020", (date(2020, 1, 1), date(2020, 12, 31))),
        (None, None),
        ("", None),
        ("2019-13-01", None),
        ("29/12/2019", None),
    ],
)
def test_date_interval(value, expected):
    assert date_interval(value) == expected


def test_date_spans_match_date_interval():
    values = ["2019-12-29", "2023-10", "2024-02", "2020", None, "", "2019-13-01", "29/12/2019", "2019-02-30"]
    first, last = date_spans(pd.Series(values, index=range(10, 19), dtype=object))
    assert list(first.index) == list(range(10, 19))
    for value, start, end in zip(values, first, last, strict=True):
        span = date_interval(value)
        assert (None if pd.isna(start) else (start.date(), end.date())) == span, value


def test_default_filters_keep_everything(events):
    assert ids(apply_filters(events, Filters())) == ids(events)


def test_one_day_keeps_exactly_that_days_events(events):
    day = date(2019, 12, 29)
    out = apply_filters(events, Filters(date_from=day, date_to=day, include_undated=False))
    assert ids(out) == ["ev-qaim", "ev-abukamal"]
    assert isinstance(out, gpd.GeoDataFrame)


def test_partial_dates_need_their_whole_interval_in_range(events):
    december = Filters(date_from=date(2023, 10, 1), date_to=date(2023, 12, 31), include_undated=False)
    assert ids(apply_filters(events, december)) == ["ev-campaign", "ev-xss", "ev-papua"]
    mid_october = Filters(date_from=date(2023, 10, 15), date_to=date(2023, 12, 31), include_undated=False)
    assert ids(apply_filters(events, mid_october)) == ["ev-xss", "ev-papua"]


def test_undated_toggle(events):
    day = date(2019, 12, 29)
    with_undated = apply_filters(events, Filters(date_from=day, date_to=day, include_undated=True))
    assert ids(with_undated) == ["ev-qaim", "ev-abukamal", "ev-asad-undated"]
    dated = [i for i in ids(events) if i != "ev-asad-undated"]
    assert ids(apply_filters(events, Filters(include_undated=False))) == dated


def test_actor_matches_actor1_actor2_and_associated(events):
    out = apply_filters(events, Filters(actors=("Kataib Hezbollah",)))
    # actor1 (kirkuk, jurf), actor2 (qaim, abukamal), assoc_actors (storming, soleimani)
    assert ids(out) == ["ev-kirkuk", "ev-qaim", "ev-abukamal", "ev-storming", "ev-soleimani", "ev-jurf"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(event_types=("Riots", "Protests")), ["ev-storming", "ev-teargas"]),
        (Filters(sub_event_types=("Armed clash",)), ["ev-jurf", "ev-papua"]),
        (Filters(countries=("SY", "KW")), ["ev-abukamal", "ev-kuwait"]),
        (Filters(outlets=("ERA.id",)), ["ev-campaign", "ev-xss", "ev-papua"]),
        (Filters(min_fatalities=2), ["ev-qaim", "ev-soleimani", "ev-jurf", "ev-papua"]),
        (Filters(text="GAS AIR MATA"), ["ev-teargas"]),
        (Filters(text="<img src=x"), ["ev-xss"]),
        (
            Filters(actors=("United States",), min_fatalities=1, countries=("IQ",)),
            ["ev-kirkuk", "ev-qaim", "ev-soleimani"],
        ),
        (Filters(actors=("Nobody",)), []),
    ],
)
def test_filters(events, filters, expected):
    assert ids(apply_filters(events, filters)) == expected


def test_filter_options(events):
    options = filter_options(events)
    assert options.first_day == date(2019, 12, 27)
    assert options.last_day == date(2023, 12, 8)
    assert options.undated == 1
    assert options.max_fatalities == 25
    assert options.countries == ["ID", "IQ", "KW", "SY"]
    assert options.outlets == ["ERA.id", "Islam Times", "Opini", "Tempo (TEMPO.CO)", "Wikipedia (id)"]
    assert "Popular Mobilization Forces" in options.actors  # only ever an associated actor
    assert options.sub_event_types["Battles"] == ["Armed clash"]
    assert options.event_types[0] == "Battles"


def test_query_params_round_trip():
    view = Filters(
        date_from=date(2019, 12, 29), date_to=date(2019, 12, 31), include_undated=False,
        actors=("United States", "Kataib Hezbollah"), event_types=("Riots",), countries=("IQ",),
        outlets=("ERA.id",), min_fatalities=3, text="roket & 'zona'",
    )
    params = to_query_params(view)
    assert params == {
        "from": "2019-12-29", "to": "2019-12-31", "undated": "0",
        "actor": ["Kataib Hezbollah", "United States"], "type": ["Riots"], "country": ["IQ"],
        "outlet": ["ERA.id"], "minfat": "3", "q": "roket & 'zona'",
    }
    restored = from_query_params(params)
    assert restored == Filters(**{**view.__dict__, "actors": ("Kataib Hezbollah", "United States")})


def test_default_filters_make_no_params():
    assert to_query_params(Filters()) == {}
    assert from_query_params({}) == Filters()


def test_bad_query_params_are_ignored(caplog):
    restored = from_query_params({"from": "yesterday", "minfat": "-1", "undated": "false", "type": ["Riots", ""]})
    assert restored == Filters(include_undated=False, event_types=("Riots",))
    assert "yesterday" in caplog.text and "minfat" in caplog.text
