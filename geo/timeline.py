"""The dashboard timeline: events per week by event type, and its Vega-Lite chart spec.

Only events dated to the day are counted: an event known only to its month or year
has no week, and spreading it over one would invent a date. The caller shows how
many were left out (:func:`weekly_counts` returns that number).
"""
from __future__ import annotations

import pandas as pd

from geo.filters import date_spans
from geo.mapview import OTHER_COLOUR, TYPE_COLOURS

OTHER_TYPE = "other"


def weekly_counts(events: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Count day-dated events per ISO week (starting Monday) and event type.

    Parameters
    ----------
    events
        An events table with ``event_date`` and ``event_type``.

    Returns
    -------
    (counts, left_out)
        ``counts`` has columns ``week`` (ISO date string of the Monday), ``event_type``
        and ``events``, sorted by week and type; ``left_out`` is the number of dated
        events whose date is only a month or a year.
    """
    first, last = date_spans(events["event_date"])
    day = first.notna() & (first == last)
    left_out = int((first.notna() & ~day).sum())
    frame = pd.DataFrame({
        "week": (first[day] - pd.to_timedelta(first[day].dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d"),
        "event_type": events["event_type"][day].where(events["event_type"][day].isin(list(TYPE_COLOURS)), OTHER_TYPE),
    }).astype(object)
    counts = frame.groupby(["week", "event_type"]).size().rename("events").reset_index()
    return counts.sort_values(["week", "event_type"], ignore_index=True), left_out


def timeline_spec(counts: pd.DataFrame) -> dict:
    """A Vega-Lite spec of stacked weekly bars, coloured like the map.

    Parameters
    ----------
    counts
        The first value returned by :func:`weekly_counts`.

    Returns
    -------
    dict
        Spec for ``st.vega_lite_chart(counts, spec)`` (the data is passed separately).
    """
    present = set(counts["event_type"])
    domain = [t for t in (*TYPE_COLOURS, OTHER_TYPE) if t in present]
    colours = [TYPE_COLOURS.get(t, OTHER_COLOUR) for t in domain]
    return {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "week", "type": "temporal", "timeUnit": "yearweek", "title": "week"},
            "y": {"field": "events", "type": "quantitative", "aggregate": "sum", "title": "events"},
            "color": {
                "field": "event_type", "type": "nominal", "title": "event type",
                "scale": {"domain": domain, "range": colours},
            },
        },
        "height": 220,
    }
