"""The dashboard's filter state: one frozen dataclass, applying it to an events table, and its URL form.

A :class:`Filters` value is the whole view a user picked (dates, undated toggle,
actors, types, sub-types, countries, outlets, minimum fatalities, evidence text).
:func:`apply_filters` narrows an events table with it; :func:`to_query_params` and
:func:`from_query_params` turn it into URL query parameters and back, so a copied
link reopens the same view. :func:`filter_options` lists what the widgets offer.

Partial dates are intervals: ``2019-12`` is 1-31 December 2019 and ``2020`` is the
whole year. An event is inside a date range when its whole interval is, so a range
of one day keeps exactly the events dated that day.
"""
from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

import pandas as pd

logger = logging.getLogger(__name__)

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: Filters field -> URL query parameter name (short, stable: links get shared).
PARAM_NAMES: dict[str, str] = {
    "date_from": "from",
    "date_to": "to",
    "include_undated": "undated",
    "actors": "actor",
    "event_types": "type",
    "sub_event_types": "sub",
    "countries": "country",
    "outlets": "outlet",
    "min_fatalities": "minfat",
    "text": "q",
}


@dataclass(frozen=True)
class Filters:
    """What the user chose to see; the defaults show everything.

    Empty tuples mean "any". ``date_from``/``date_to`` of ``None`` mean unbounded.
    """

    date_from: date | None = None
    date_to: date | None = None
    include_undated: bool = True
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    min_fatalities: int = 0
    text: str = ""


@dataclass(frozen=True)
class FilterOptions:
    """The choices an events table offers the filter widgets."""

    first_day: date | None
    last_day: date | None
    undated: int
    actors: list[str]
    event_types: list[str]
    sub_event_types: dict[str, list[str]]
    countries: list[str]
    outlets: list[str]
    max_fatalities: int


def date_interval(value: object) -> tuple[date, date] | None:
    """First and last day covered by ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; ``None`` if undated or unreadable.

    Parameters
    ----------
    value
        An ``event_date`` cell.

    Returns
    -------
    tuple of date or None
        ``(first, last)``; equal for a day-precision date.
    """
    if not isinstance(value, str):
        return None
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None:
            return date(year, month, day), date(year, month, day)
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def date_spans(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`date_interval` of a whole column, vectorised (10k dates in a few ms).

    Parameters
    ----------
    dates
        An ``event_date`` column.

    Returns
    -------
    (first, last)
        ``datetime64`` Series on the same index; ``NaT`` where undated or unreadable,
        equal where the date is a day.
    """
    text = dates.astype(object).where(dates.notna(), None).astype("string")
    length = text.str.len().where(text.str.fullmatch(_DATE_RE.pattern).fillna(False).astype(bool))
    first = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    last = first.copy()
    formats = ((10, "%Y-%m-%d", None), (7, "%Y-%m", pd.offsets.MonthEnd(0)), (4, "%Y", pd.offsets.YearEnd(0)))
    for size, fmt, end in formats:
        rows = length == size
        if rows.any():
            start = pd.to_datetime(text[rows], format=fmt, errors="coerce").astype("datetime64[ns]")
            first[rows] = start
            last[rows] = start if end is None else start + end
    return first, last


def _list_cell(value: object) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        return list(value.tolist())
    return []


def _any_in(column: pd.Series, wanted: set[str]) -> pd.Series:
    """Row mask: the list cell shares an item with ``wanted``."""
    return column.map(lambda cell: any(item in wanted for item in _list_cell(cell))).astype(bool)


def _all_actors(events: pd.DataFrame) -> list[str]:
    names = set(events["actor1"].dropna()) | set(events["actor2"].dropna())
    for cell in events["assoc_actors"]:
        names.update(_list_cell(cell))
    return sorted(n for n in names if isinstance(n, str) and n)


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Return the rows of ``events`` that pass ``filters`` (same type and columns, original order).

    Parameters
    ----------
    events
        An events table with the columns of ``geo.schema.EVENT_COLUMNS``.
    filters
        The view to apply.

    Returns
    -------
    pandas.DataFrame
        A subset of ``events`` (a GeoDataFrame stays a GeoDataFrame).
    """
    mask = pd.Series(True, index=events.index)
    if filters.date_from or filters.date_to or not filters.include_undated:
        first, last = date_spans(events["event_date"])
        dated = first.notna()
        in_range = dated.copy()
        if filters.date_from:
            in_range &= first >= pd.Timestamp(filters.date_from)
        if filters.date_to:
            in_range &= last <= pd.Timestamp(filters.date_to)
        mask &= in_range | (~dated & filters.include_undated)
    if filters.actors:
        wanted = set(filters.actors)
        mask &= events["actor1"].isin(wanted) | events["actor2"].isin(wanted) | _any_in(events["assoc_actors"], wanted)
    if filters.event_types:
        mask &= events["event_type"].isin(set(filters.event_types))
    if filters.sub_event_types:
        mask &= events["sub_event_type"].isin(set(filters.sub_event_types))
    if filters.countries:
        mask &= events["country"].isin(set(filters.countries))
    if filters.outlets:
        mask &= _any_in(events["outlets"], set(filters.outlets))
    if filters.min_fatalities > 0:
        fatalities = pd.to_numeric(events["fatalities"], errors="coerce")
        mask &= (fatalities >= filters.min_fatalities).fillna(False).astype(bool)
    if filters.text.strip():
        needle = filters.text.strip().casefold()
        haystack = events["evidence"].fillna("").astype(str) + "\n" + events["evidence_all"].map(
            lambda cell: "\n".join(map(str, _list_cell(cell)))
        )
        mask &= haystack.map(lambda text: needle in text.casefold()).astype(bool)
    return events[mask]


def filter_options(events: pd.DataFrame) -> FilterOptions:
    """List what the filter widgets can offer for ``events``.

    Parameters
    ----------
    events
        An events table with ``EVENT_COLUMNS``.

    Returns
    -------
    FilterOptions
        Date span (over interval starts and ends), undated count, and sorted choices.
    """
    first, last = date_spans(events["event_date"])
    sub_types: dict[str, list[str]] = {}
    for event_type, sub in events[["event_type", "sub_event_type"]].dropna().drop_duplicates().itertuples(index=False):
        sub_types.setdefault(event_type, []).append(sub)
    outlets = sorted({o for cell in events["outlets"] for o in _list_cell(cell) if isinstance(o, str) and o})
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce")
    return FilterOptions(
        first_day=first.min().date() if first.notna().any() else None,
        last_day=last.max().date() if last.notna().any() else None,
        undated=int(first.isna().sum()),
        actors=_all_actors(events),
        event_types=sorted(events["event_type"].dropna().unique()),
        sub_event_types={k: sorted(v) for k, v in sorted(sub_types.items())},
        countries=sorted(events["country"].dropna().unique()),
        outlets=outlets,
        max_fatalities=int(fatalities.max()) if fatalities.notna().any() else 0,
    )


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """Encode the non-default parts of ``filters`` as URL query parameters.

    Parameters
    ----------
    filters
        The view to encode.

    Returns
    -------
    dict
        Parameter -> value (lists become repeated parameters in ``st.query_params``).
    """
    default = Filters()
    params: dict[str, str | list[str]] = {}
    for field in fields(Filters):
        value = getattr(filters, field.name)
        if value == getattr(default, field.name):
            continue
        name = PARAM_NAMES[field.name]
        if isinstance(value, tuple):
            params[name] = sorted(value)
        elif isinstance(value, bool):
            params[name] = "1" if value else "0"
        elif isinstance(value, date):
            params[name] = value.isoformat()
        else:
            params[name] = str(value)
    return params


def _values(params: Mapping[str, str | Iterable[str]], name: str) -> list[str]:
    raw = params.get(name, [])
    return [raw] if isinstance(raw, str) else [str(v) for v in raw]


def from_query_params(params: Mapping[str, str | Iterable[str]]) -> Filters:
    """Decode URL query parameters into :class:`Filters`; unreadable values are ignored (and logged).

    Parameters
    ----------
    params
        Parameter -> value or list of values (e.g. ``{k: st.query_params.get_all(k) for k in st.query_params}``).

    Returns
    -------
    Filters
        The view the link describes; defaults for whatever it leaves out.
    """
    decoded: dict[str, object] = {}
    for field in fields(Filters):
        values = [v for v in _values(params, PARAM_NAMES[field.name]) if v.strip()]
        if not values:
            continue
        last = values[-1].strip()
        if field.name in {"date_from", "date_to"}:
            try:
                decoded[field.name] = date.fromisoformat(last)
            except ValueError:
                logger.warning("ignoring query parameter %s=%r: not a YYYY-MM-DD date", PARAM_NAMES[field.name], last)
        elif field.name == "include_undated":
            decoded[field.name] = last not in {"0", "false", "no"}
        elif field.name == "min_fatalities":
            if last.isdigit():
                decoded[field.name] = int(last)
            else:
                logger.warning("ignoring query parameter minfat=%r: not a whole number", last)
        elif field.name == "text":
            decoded[field.name] = last
        else:
            decoded[field.name] = tuple(sorted(dict.fromkeys(v.strip() for v in values)))
    return Filters(**decoded)
