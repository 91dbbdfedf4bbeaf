"""Events as tables and files: GeoDataFrame, GeoJSON, CSV, Parquet and ACLED-style CSV.

Every file is written atomically (temporary file, then rename). CSV cells that a
spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``) are neutralised.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from geo.errors import InputError
from geo.schema import EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, LIST_COLUMNS

#: ACLED export columns, in ACLED's order (those we can fill).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "iso", "country", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
)
#: ACLED time_precision: 1 = the day, 2 = within a week, 3 = within a month or longer.
TIME_PRECISION = {"day": 1, "month": 3, "year": 3}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _nullable(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records_to_frame(rows: list[dict]):
    """Rows with :data:`EVENT_COLUMNS` -> GeoDataFrame (EPSG:4326; geometry None when unresolved)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    for column in INT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    for column in FLOAT_COLUMNS:
        frame[column] = frame[column].astype("float64")
    # GeoJSON and shapely take (lon, lat).
    geometry = [Point(lon, lat) if _nullable(lat) is not None and _nullable(lon) is not None else None
                for lat, lon in zip(frame["lat"], frame["lon"])]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _plain(value):
    """A JSON-safe Python value (numpy/pandas scalars and NA -> plain types / None)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    # Lists first: a list column read back from Parquet is a numpy array, which also has .item().
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) >= 1:
        return [_plain(v) for v in list(value)]
    if hasattr(value, "item"):
        return value.item()
    return value


def event_dicts(events) -> list[dict]:
    """Rows of an events table as plain dicts with the schema's columns."""
    return [{col: _plain(row.get(col)) for col in EVENT_COLUMNS} for row in events.to_dict("records")]


def to_geojson(events) -> str:
    """A GeoJSON FeatureCollection: one Point feature per event (geometry null when unresolved)."""
    features = []
    for row in event_dicts(events):
        geometry = None
        if row["lat"] is not None and row["lon"] is not None:
            geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}  # GeoJSON is lon, lat
        properties = {k: v for k, v in row.items() if k not in FLOAT_COLUMNS}
        features.append({"type": "Feature", "id": row["event_id"], "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def neutralise_formula(value):
    """Prefix a text cell that a spreadsheet would evaluate (=, +, -, @) with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_frame(rows: list[dict], columns):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    for column in frame.columns:
        if column in INT_COLUMNS or column in {"year", "time_precision", "iso"}:
            frame[column] = frame[column].astype("Int64")
            continue
        # pandas 3 gives text columns the "str" dtype, not object: test for "not a number" instead.
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda v: neutralise_formula("; ".join(str(x) for x in v) if isinstance(v, list) else v))
    return frame


def to_csv(events) -> str:
    """Events as CSV with the schema's columns; lists joined with "; "."""
    return _csv_frame(event_dicts(events), EVENT_COLUMNS).to_csv(index=False)


@lru_cache(maxsize=512)
def country_name(iso2: str | None) -> tuple[str | None, int | None]:
    """(English name, ISO numeric) for an ISO2 code, via pycountry."""
    if not iso2:
        return None, None
    import pycountry

    country = pycountry.countries.get(alpha_2=iso2.upper())
    if country is None:
        return iso2, None
    return getattr(country, "common_name", country.name), int(country.numeric)


def acled_row(row: dict) -> dict:
    """One event in ACLED's columns."""
    name, numeric = country_name(row["country"])
    assoc = row["assoc_actors"] or []
    return {
        "event_id_cnty": row["event_id"],
        "event_date": row["event_date"],
        "year": int(row["event_date"][:4]) if row["event_date"] else None,
        "time_precision": TIME_PRECISION.get(row["date_precision"]),
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "assoc_actor_1": "; ".join(assoc),
        "actor2": row["actor2"],
        "assoc_actor_2": None,
        "iso": numeric,
        "country": name,
        "location": row["location"] or row["location_as_written"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "geo_precision": row["geo_precision"],
        "source": "; ".join(row["outlets"] or row["sources"] or []),
        "source_scale": None,
        "notes": row["evidence"],
        "fatalities": row["fatalities"] if row["fatalities"] is not None else 0,
        "tags": "; ".join(row["sources"] or []),
    }


def to_acled_csv(events) -> str:
    """Events as an ACLED-style CSV (ACLED's column names; formulas neutralised)."""
    return _csv_frame([acled_row(r) for r in event_dicts(events)], ACLED_COLUMNS).to_csv(index=False)


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` then rename onto ``path``: readers never see half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_parquet(events, path: Path) -> None:
    frame = events.copy()
    for column in LIST_COLUMNS:
        frame[column] = frame[column].map(lambda v: list(v) if isinstance(v, (list, tuple)) else [])
    frame.drop(columns="geometry").to_parquet(path, index=False)


WRITERS: dict[str, Callable] = {
    ".geojson": lambda events, path: path.write_text(to_geojson(events), encoding="utf-8"),
    ".csv": lambda events, path: path.write_text(to_csv(events), encoding="utf-8"),
    ".parquet": _write_parquet,
}


def write_events(events, path: str | Path) -> None:
    """Write events to ``path``; the format comes from the extension (.geojson, .csv, .parquet)."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise InputError(f"{path}: unknown output format {suffix or '(none)'}; use {', '.join(WRITERS)}")
    write_atomic(path, lambda tmp: WRITERS[suffix](events, tmp))

