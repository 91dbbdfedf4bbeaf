"""Merging reports of the same incident, within and across articles, into one event.

ACLED's rule is that the same day, place, actors and activity make one event. Two
reports (event rows) are the same incident when all of these hold:

* **Type**: the same ``event_type``, or both in one group of
  ``interchangeable_types`` (outlets disagree whether a crowd was a protest or a riot).
* **Date**: both undated; or both day-precise and at most ``max_days_apart`` days apart;
  or one coarser and containing the other (``2019-12`` contains ``2019-12-29``, ``2019``
  contains both). An undated report merges only with undated ones: "recently" in an
  undated article says nothing about which dated event it is (seed 003's undated
  Ain al-Asad attack is not the dated one of 8 January 2020).
* **Place**: both resolved within ``max_km`` of each other; or both unresolved with the
  same place as written (or none). A place at ``broad_precision`` or coarser (province,
  country) only says which country: such a report merges with one in the same country
  only when the two have the same ``event_type`` and the same date (same value at the
  same precision; both undated counts).
* **Actors**: the same ``actor1``, or one of them unknown; not compared for the
  ``actors_not_compared`` types (crowds, coded one event per place and day).

Grouping is greedy over the reports sorted most precise first (day before month before
year before undated, then finer places), so the result does not depend on input order.
A report joins a group only if it is the same incident as *every* report already in it
(no chains: 31 Dec is never joined to 1 Jan through a report "between" them), and only
if exactly one group fits: a report that fits two groups is ambiguous and stays an
event of its own.

A merged event keeps every report: ``sources``, ``outlets``, ``urls`` and
``evidence_all`` are unions in report order (earliest published first), and
``article_count`` counts distinct sources. Fatalities: ``fatalities_low`` and
``fatalities_high`` are the lowest and highest count any report gave, and the best
value ``fatalities`` is the lower median of the reported counts (20, 25, 31 -> 25;
20, 25 -> 20): one outlier report cannot move it, and between two reports it takes
the lower, as ACLED does with conflicting tolls. Injuries follow the same rule. Date
and place come from the most precise report (curated gazetteer over GeoNames on a
tie, then the place most reports give); type, sub-type and actors are the ones most
reports give (ties: the most precise report's); all other actors named become
``assoc_actors``. The ``event_id`` is the smallest member ``event_id``, so an event
reported once keeps its extraction id.
"""
from __future__ import annotations

import logging
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from geo.datafiles import data_path
from geo.errors import DataFileError
from geo.schema import LIST_COLUMNS

log = logging.getLogger(__name__)

SETTINGS_FILE = "merge_settings.yaml"
#: Mean Earth radius (IUGG), as geopy's great_circle uses.
EARTH_RADIUS_KM = 6371.009
#: Rank of a date precision: lower is more precise.
_DATE_RANK = {"day": 0, "month": 1, "year": 2, None: 3}
#: Rank of a geocoding source: curated places beat GeoNames, which beats online answers.
_GEO_SOURCE_RANK = {"curated": 0, "geonames": 1, "online": 2}
#: Columns describing the place; they are always taken together from one report.
_PLACE_COLUMNS = ("location", "location_as_written", "country", "lat", "lon", "geo_precision", "geo_source")


@dataclass(frozen=True)
class MergeSettings:
    """Thresholds of the same-incident rule (defaults and meaning: ``data/merge_settings.yaml``)."""

    max_days_apart: int = 0
    max_km: float = 10.0
    broad_precision: int = 3
    interchangeable_types: tuple[tuple[str, ...], ...] = (("Riots", "Protests"),)
    actors_not_compared: frozenset[str] = frozenset({"Protests", "Riots"})

    @cached_property
    def _groups_by_type(self) -> dict[str, tuple[str, ...]]:
        return {event_type: group for group in self.interchangeable_types for event_type in group}

    def type_group(self, event_type: str) -> tuple[str, ...]:
        """The interchangeable group of ``event_type`` (itself alone when it has none)."""
        return self._groups_by_type.get(event_type) or (event_type,)


def _validated(raw: object, where: str) -> MergeSettings:
    """Settings from a parsed YAML mapping; raise DataFileError naming ``where`` and the key."""
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: expected a mapping of setting -> value")
    known = {f.name for f in fields(MergeSettings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DataFileError(f"{where}: unknown setting(s) {', '.join(map(str, unknown))};"
                            f" known: {', '.join(sorted(known))}")
    from geo.lexicons import acled_taxonomy

    acled_types = {event_type for event_type, _ in acled_taxonomy()}
    values: dict[str, object] = {}
    for key, number_type in (("max_days_apart", int), ("max_km", float), ("broad_precision", int)):
        if key in raw:
            value = raw[key]
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or value < 0 or number_type(value) != value:
                raise DataFileError(f"{where}: {key} must be a non-negative {number_type.__name__}, got {value!r}")
            values[key] = number_type(value)
    groups = raw.get("interchangeable_types", [list(g) for g in MergeSettings.interchangeable_types])
    uncompared = raw.get("actors_not_compared", sorted(MergeSettings.actors_not_compared))
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise DataFileError(f"{where}: interchangeable_types must be a list of lists of event types")
    if not isinstance(uncompared, list):
        raise DataFileError(f"{where}: actors_not_compared must be a list of event types")
    grouped = [t for g in groups for t in g]
    for name in grouped + uncompared:
        if name not in acled_types:
            raise DataFileError(f"{where}: {name!r} is not an ACLED event type ({', '.join(sorted(acled_types))})")
    if len(grouped) != len(set(grouped)):
        raise DataFileError(f"{where}: an event type is in more than one interchangeable_types group")
    values["interchangeable_types"] = tuple(tuple(g) for g in groups)
    values["actors_not_compared"] = frozenset(uncompared)
    return MergeSettings(**values)


def load_settings(path: str | Path | None = None) -> MergeSettings:
    """Read merge settings from a YAML file (default: the bundled ``data/merge_settings.yaml``).

    Parameters
    ----------
    path
        A YAML file with any of the :class:`MergeSettings` fields; missing ones keep their defaults.

    Returns
    -------
    MergeSettings

    Raises
    ------
    DataFileError
        The file is missing, not YAML, or has an unknown key or a bad value.
    """
    if path is None:
        return _bundled_settings()
    return _parse_settings(Path(path).read_text(encoding="utf-8") if Path(path).exists() else None, str(path))


@lru_cache(maxsize=1)
def _bundled_settings() -> MergeSettings:
    resource = data_path(SETTINGS_FILE)
    text = resource.read_text(encoding="utf-8") if resource.is_file() else None
    return _parse_settings(text, f"data/{SETTINGS_FILE}")


def _parse_settings(text: str | None, where: str) -> MergeSettings:
    if text is None:
        raise DataFileError(f"{where}: settings file is missing")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise DataFileError(f"{where}: not valid YAML ({err})") from err
    return _validated(raw or {}, where)


# -- the same-incident rule ---------------------------------------------------------------


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres between two WGS84 points.

    Written out rather than geopy's ``great_circle``: grouping calls it for every pair of
    candidate reports, and building geopy ``Point`` objects made it 50 times slower.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (math.sin((phi2 - phi1) / 2) ** 2
                  + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half_chord)))


def _is_broad(row: dict, settings: MergeSettings) -> bool:
    return row.get("geo_precision") is not None and row["geo_precision"] >= settings.broad_precision


def _located(row: dict) -> bool:
    return row.get("lat") is not None and row.get("lon") is not None


def _dates_compatible(a: str | None, b: str | None, settings: MergeSettings) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if len(a) == len(b) == 10:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= settings.max_days_apart
    shorter, longer = sorted((a, b), key=len)
    return longer.startswith(shorter)


def _places_compatible(a: dict, b: dict, settings: MergeSettings) -> bool:
    if not (_located(a) and _located(b)):
        written = [(r.get("location_as_written") or "").casefold() for r in (a, b)]
        return not _located(a) and not _located(b) and written[0] == written[1]
    if _is_broad(a, settings) or _is_broad(b, settings):
        return (a.get("country") is not None and a.get("country") == b.get("country")
                and a["event_type"] == b["event_type"] and a.get("event_date") == b.get("event_date"))
    return km_between(a["lat"], a["lon"], b["lat"], b["lon"]) <= settings.max_km


def same_incident(a: dict, b: dict, settings: MergeSettings | None = None) -> bool:
    """Do two event rows report the same incident (type, date, place and actors agree)?

    Parameters
    ----------
    a, b
        Event rows with the columns of :data:`geo.schema.EVENT_COLUMNS`.
    settings
        Thresholds; the bundled ``data/merge_settings.yaml`` by default.

    Returns
    -------
    bool
        The rule of this module's docstring.
    """
    settings = settings or load_settings()
    if settings.type_group(a["event_type"]) != settings.type_group(b["event_type"]):
        return False
    if not _dates_compatible(a.get("event_date"), b.get("event_date"), settings):
        return False
    if not _places_compatible(a, b, settings):
        return False
    if a["event_type"] in settings.actors_not_compared and b["event_type"] in settings.actors_not_compared:
        return True
    return a.get("actor1") is None or b.get("actor1") is None or a["actor1"] == b["actor1"]


# -- grouping ---------------------------------------------------------------------------------


def _precision_key(row: dict) -> tuple:
    """Most precise first: date precision, place precision, gazetteer source, then id.

    A total order as long as an ``event_id`` names one report, as the schema promises.
    """
    return (
        _DATE_RANK.get(row.get("date_precision"), 3),
        row["geo_precision"] if row.get("geo_precision") is not None else 9,
        _GEO_SOURCE_RANK.get(row.get("geo_source"), 3),
        str(row["event_id"]),
    )


def _date_keys(value: str | None) -> list[str]:
    """Index keys under which a report with this date is found by the reports that could match it."""
    if value is None:
        return ["undated"]
    keys = [f"y:{value[:4]}"]
    if len(value) >= 7:
        keys.append(f"m:{value[:7]}")
    if len(value) == 10:
        keys.append(f"d:{value}")
    return keys


def _lookup_keys(value: str | None, settings: MergeSettings) -> list[str]:
    """Index keys of the groups a report with this date could join.

    Day-precise reports are grouped before any coarser one, so they only meet groups
    of nearby days; a month or year report meets every group inside its month or year.
    """
    if value is None:
        return ["undated"]
    if len(value) == 10:
        day = date.fromisoformat(value)
        span = range(-settings.max_days_apart, settings.max_days_apart + 1)
        return [f"d:{(day + timedelta(days=offset)).isoformat()}" for offset in span]
    return [f"m:{value}"] if len(value) == 7 else [f"y:{value}"]


def merge_groups(rows: Iterable[dict], settings: MergeSettings | None = None) -> list[list[dict]]:
    """Group event rows that report the same incident.

    Parameters
    ----------
    rows
        Event rows (:data:`geo.schema.EVENT_COLUMNS`), from one or many articles.
    settings
        Thresholds; the bundled ``data/merge_settings.yaml`` by default.

    Returns
    -------
    list of list of dict
        Each group most precise report first; groups ordered by their first report.
        The same rows in any order give the same groups.
    """
    settings = settings or load_settings()
    groups: list[list[dict]] = []
    # (date key, type group) -> groups with a member there: the only groups a report can join.
    index: dict[tuple[str, tuple[str, ...]], set[int]] = {}
    for row in sorted(rows, key=_precision_key):
        types = settings.type_group(row["event_type"])
        keys = _lookup_keys(row.get("event_date"), settings)
        candidates = sorted({g for key in keys for g in index.get((key, types), ())})
        fitting = [g for g in candidates if all(same_incident(row, member, settings) for member in groups[g])]
        if len(fitting) == 1:
            target = fitting[0]
            groups[target].append(row)
        else:
            if len(fitting) > 1:
                log.debug("event %s fits %d events; kept on its own", row["event_id"], len(fitting))
            target = len(groups)
            groups.append([row])
        for key in _date_keys(row.get("event_date")):
            index.setdefault((key, types), set()).add(target)
    return groups


# -- combining a group into one event --------------------------------------------------------


def _report_order(row: dict) -> tuple:
    """Earliest published article first; undated articles last."""
    return (row.get("article_published") or "9999", (row.get("sources") or [""])[0], str(row["event_id"]))


def _union(lists: Iterable[Sequence | None]) -> list:
    """Items of all lists in order, each once."""
    return list(dict.fromkeys(item for items in lists for item in (items or []) if item is not None))


def _vote(values: Sequence, preferred: Sequence = ()) -> object:
    """The most frequent non-null value; ties go to the earliest in ``preferred``, then in ``values``."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    order = list(dict.fromkeys([*preferred, *values]))
    return max(counts, key=lambda v: (counts[v], -order.index(v)))


def _first_known(*values):
    return next((v for v in values if v is not None), None)


def _lower_median(values: Iterable[int | None]) -> int | None:
    reported = [v for v in values if v is not None]
    return statistics.median_low(reported) if reported else None


def combine(group: Sequence[dict], settings: MergeSettings | None = None) -> dict:
    """One event row from the reports of one incident (rules: this module's docstring).

    Parameters
    ----------
    group
        Event rows of one incident, in any order.
    settings
        Used for the tie order of interchangeable types.

    Returns
    -------
    dict
        An event row with the columns of :data:`geo.schema.EVENT_COLUMNS`.
    """
    settings = settings or load_settings()
    precise = sorted(group, key=_precision_key)
    reports = sorted(group, key=_report_order)
    first = reports[0]
    event_type = _vote([r["event_type"] for r in precise], settings.type_group(precise[0]["event_type"]))
    same_type = [r for r in precise if r["event_type"] == event_type]
    dated = min(precise, key=lambda r: (_DATE_RANK.get(r.get("date_precision"), 3),
                                        -sum(o.get("event_date") == r.get("event_date") for o in group)))
    placed = min(precise, key=lambda r: (r["geo_precision"] if r.get("geo_precision") is not None else 9,
                                         _GEO_SOURCE_RANK.get(r.get("geo_source"), 3),
                                         -sum(o.get("location") == r.get("location") for o in group)))
    actor1 = _vote([r.get("actor1") for r in precise])
    actor2 = _vote([r.get("actor2") for r in precise if r.get("actor2") != actor1])
    named = _union([[r.get("actor1"), r.get("actor2"), *(r.get("assoc_actors") or [])] for r in precise])
    # A report that is itself a merged event brings its own range.
    fatalities_low = [_first_known(r.get("fatalities_low"), r.get("fatalities")) for r in group]
    fatalities_high = [_first_known(r.get("fatalities_high"), r.get("fatalities")) for r in group]
    merged = {
        "event_id": min(str(r["event_id"]) for r in group),
        "event_date": dated.get("event_date"),
        "date_precision": dated.get("date_precision"),
        "event_type": event_type,
        "sub_event_type": _vote([r.get("sub_event_type") for r in same_type]),
        "actor1": actor1,
        "actor2": actor2,
        "assoc_actors": sorted(set(named) - {actor1, actor2}),
        **{column: placed.get(column) for column in _PLACE_COLUMNS},
        "fatalities": _lower_median(r.get("fatalities") for r in group),
        "fatalities_low": min((v for v in fatalities_low if v is not None), default=None),
        "fatalities_high": max((v for v in fatalities_high if v is not None), default=None),
        "injuries": _lower_median(r.get("injuries") for r in group),
        "evidence": first.get("evidence"),
        "article_published": first.get("article_published"),
        "published_from": first.get("published_from"),
    }
    for column in LIST_COLUMNS:
        if column != "assoc_actors":
            merged[column] = _union(r.get(column) for r in reports)
    merged["article_count"] = len(merged["sources"])
    return merged


def merge_events(rows: list[dict], settings: MergeSettings | None = None) -> list[dict]:
    """Merge reports of the same incident, within and across articles, into one event each.

    Parameters
    ----------
    rows
        Event rows (:data:`geo.schema.EVENT_COLUMNS`), e.g. from
        :func:`geo.extract.extract_records`.
    settings
        Thresholds; the bundled ``data/merge_settings.yaml`` by default.

    Returns
    -------
    list of dict
        One row per incident with the same columns; the same rows in any order give
        the same result.

    Examples
    --------
    >>> from geo.extract import extract_records
    >>> rows, errors = extract_records(["seeds"])  # doctest: +SKIP
    >>> events = merge_events(rows)  # doctest: +SKIP
    """
    settings = settings or load_settings()
    return [combine(group, settings) for group in merge_groups(rows, settings)]
