"""Tests for geo.timeline: weekly counts by type and the chart spec."""
from __future__ import annotations

import pandas as pd

from geo.mapview import OTHER_COLOUR, TYPE_COLOURS
from geo.timeline import timeline_spec, weekly_counts


def frame(rows: list[tuple[str | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["event_date", "event_type"])


def test_weekly_counts_by_monday_and_type():
    counts, left_out = weekly_counts(frame([
        ("2019-12-29", "Explosions/Remote violence"),  # a Sunday: week of Monday 23 Dec
        ("2019-12-31", "Riots"),                       # Tuesday: week of 30 Dec
        ("2020-01-01", "Riots"),
        ("2020-01-03", "Explosions/Remote violence"),
        ("2020-01-03", "Looting"),                     # not an ACLED type: "other"
        ("2023-10", "Explosions/Remote violence"),     # month only: left out
        ("2020", "Strategic developments"),            # year only: left out
        (None, "Battles"),                             # undated: neither counted nor "left out"
    ]))
    assert counts.to_dict("records") == [
        {"week": "2019-12-23", "event_type": "Explosions/Remote violence", "events": 1},
        {"week": "2019-12-30", "event_type": "Explosions/Remote violence", "events": 1},
        {"week": "2019-12-30", "event_type": "Riots", "events": 2},
        {"week": "2019-12-30", "event_type": "other", "events": 1},
    ]
    assert left_out == 2


def test_weekly_counts_of_nothing():
    counts, left_out = weekly_counts(frame([(None, "Battles")]))
    assert counts.empty and left_out == 0


def test_spec_colours_match_the_map():
    counts, _ = weekly_counts(frame([("2020-01-03", "Riots"), ("2020-01-03", "Looting"), ("2020-01-04", "Battles")]))
    spec = timeline_spec(counts)
    assert spec["encoding"]["color"]["scale"] == {
        "domain": ["Battles", "Riots", "other"],
        "range": [TYPE_COLOURS["Battles"], TYPE_COLOURS["Riots"], OTHER_COLOUR],
    }
    assert spec["encoding"]["x"]["timeUnit"] == "yearweek" and spec["encoding"]["y"]["aggregate"] == "sum"
