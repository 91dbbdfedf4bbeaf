"""Reading ACLED-style CSV (an ACLED export, or ``geo export --format acled-csv``) into event rows.

Writing that format is :func:`geo.export.to_acled_csv`; this module is its inverse, so
an export imported into a fresh store gives the same events in every field ACLED
carries. Mapping (ACLED column -> event column):

* ``event_id_cnty`` -> ``event_id`` (and the row's source id);
* ``event_date`` (``2019-12-29``, ``29 December 2019``, or our ``2019-12`` / ``2019``)
  with ``time_precision`` (1 day, 2 within a week - kept as the day, 3 within a month or
  longer - kept as the month) -> ``event_date`` and ``date_precision``; empty -> undated;
* ``iso`` (numeric) or ``country`` (name) -> ISO2 ``country``;
* ``location`` -> ``location_as_written``, and ``location`` too when coordinates are given;
* ``assoc_actor_1`` and ``assoc_actor_2`` ("; "-separated) -> ``assoc_actors``;
* ``source`` ("; "-separated) -> ``outlets``; ``notes`` -> ``evidence``.

ACLED has no "unknown" toll: ``fatalities`` is a count (our export writes 0 for an
unreported toll). A cell the exporter neutralised against spreadsheet formulas (a
leading apostrophe before ``=``, ``+``, ``-``, ``@``) gets its apostrophe back off: the
value is stored as plain text and every CSV writer neutralises it again, so nothing
reaches a spreadsheet as a formula. A malformed row yields one message naming the file
and line; the other rows still load.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from functools import lru_cache
from pathlib import Path

from geo.articles import decode_bytes
from geo.errors import InputError
from geo.export import ACLED_COLUMNS, neutralise_formula
from geo.schema import EVENT_COLUMNS

log = logging.getLogger(__name__)

#: Columns an ACLED file must have (the others are optional).
REQUIRED_COLUMNS = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "country", "latitude", "longitude",
                    "fatalities")
#: ACLED time_precision -> our date precision for a full date.
TIME_PRECISION_TO_PRECISION = {1: "day", 2: "day", 3: "month"}
#: Partial dates as our export writes them: length -> precision.
_PARTIAL_DATES = {7: ("month", "-01"), 4: ("year", "-01-01")}
_DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y")
_LIST_SEPARATOR = ";"


def _restore_formula(value: str) -> str:
    """Undo :func:`geo.export.neutralise_formula` and only that: "'=x" -> "=x", "'tis" stays."""
    return value[1:] if value.startswith("'") and neutralise_formula(value[1:]) == value else value


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(_LIST_SEPARATOR) if part.strip()]


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, set[str]]:
    from geo.lexicons import acled_taxonomy

    types: dict[str, set[str]] = {}
    for event_type, sub_event_type in acled_taxonomy():
        types.setdefault(event_type, set()).add(sub_event_type)
    return types


def _date(cell: str, time_precision: str) -> tuple[str | None, str | None]:
    """(event_date, date_precision) from ACLED's date and time precision."""
    if not cell:
        return None, None
    problem = ValueError(f"event_date {cell!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or '29 December 2019')")
    if len(cell) in _PARTIAL_DATES:  # our export of a month or year
        precision, padding = _PARTIAL_DATES[len(cell)]
        try:
            dt.date.fromisoformat(cell + padding)
        except ValueError:
            raise problem from None
        return cell, precision
    for fmt in _DAY_FORMATS:
        try:
            day = dt.datetime.strptime(cell, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise problem
    precision = TIME_PRECISION_TO_PRECISION[_int(time_precision, "time_precision", 1, 3)] if time_precision else "day"
    return (day.isoformat() if precision == "day" else day.isoformat()[:7]), precision


def _int(cell: str, column: str, low: int, high: int | None = None) -> int:
    try:
        number = float(cell)  # spreadsheets write 3 as "3.0"
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise ValueError(f"{column} {cell!r} is not a whole number")
    value = int(number)
    if value < low or (high is not None and value > high):
        raise ValueError(f"{column} {value} is out of range ({low}-{high if high is not None else '...'})")
    return value


def _coordinate(cell: str, column: str, limit: float) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{column} {cell!r} is not a number") from None
    if not -limit <= value <= limit:  # also rejects NaN
        raise ValueError(f"{column} {value} is outside -{limit:g}..{limit:g}")
    return value


def _country(iso: str, name: str) -> str | None:
    """ISO2 from ACLED's numeric ``iso`` (preferred) or country name; None if neither is known."""
    import pycountry

    if iso:
        found = pycountry.countries.get(numeric=f"{_int(iso, 'iso', 0, 999):03d}")
        if found is not None:
            return found.alpha_2
    if name:
        try:
            return pycountry.countries.lookup(name).alpha_2
        except LookupError:
            log.info("ACLED country %r not recognised; left empty", name)
    return None


def acled_event(record: dict[str, str]) -> dict:
    """One ACLED row (cells as strings) as an event row.

    Parameters
    ----------
    record
        Column -> cell of one CSV row.

    Returns
    -------
    dict
        An event row with the columns of :data:`geo.schema.EVENT_COLUMNS`.

    Raises
    ------
    ValueError
        A required cell is empty or a cell is malformed; the message names the column.
    """
    cell = {key: _restore_formula((value or "").strip()) for key, value in record.items()}
    event_id = cell.get("event_id_cnty")
    if not event_id:
        raise ValueError("event_id_cnty is empty")
    event_type, sub_event_type = cell.get("event_type", ""), cell.get("sub_event_type", "")
    if event_type not in _taxonomy():
        raise ValueError(f"event_type {event_type!r} is not an ACLED event type")
    if sub_event_type not in _taxonomy()[event_type]:
        raise ValueError(f"sub_event_type {sub_event_type!r} is not a sub-event type of {event_type}")
    event_date, precision = _date(cell.get("event_date", ""), cell.get("time_precision", ""))
    lat_cell, lon_cell = cell.get("latitude", ""), cell.get("longitude", "")
    if bool(lat_cell) != bool(lon_cell):
        raise ValueError("latitude and longitude must both be given or both be empty")
    located = bool(lat_cell)
    written = cell.get("location") or None
    assoc = list(dict.fromkeys(_split(cell.get("assoc_actor_1", "")) + _split(cell.get("assoc_actor_2", ""))))
    fatalities = _int(cell["fatalities"], "fatalities", 0) if cell.get("fatalities") else None
    notes = cell.get("notes") or None
    row = dict.fromkeys(EVENT_COLUMNS)
    row.update({
        "event_id": event_id,
        "event_date": event_date,
        "date_precision": precision,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": cell.get("actor1") or None,
        "actor2": cell.get("actor2") or None,
        "assoc_actors": assoc,
        "location": written if located else None,
        "location_as_written": written,
        "country": _country(cell.get("iso", ""), cell.get("country", "")),
        "lat": _coordinate(lat_cell, "latitude", 90) if located else None,
        "lon": _coordinate(lon_cell, "longitude", 180) if located else None,
        "geo_precision": _int(cell["geo_precision"], "geo_precision", 1, 3) if cell.get("geo_precision") else None,
        "geo_source": "acled" if located else None,
        "fatalities": fatalities,
        "fatalities_low": fatalities,
        "fatalities_high": fatalities,
        "sources": [event_id],
        "outlets": _split(cell.get("source", "")),
        "urls": [],
        "evidence": notes,
        "evidence_all": [notes] if notes else [],
        "article_count": 1,
    })
    return row


def parse_acled(text: str, name: str) -> tuple[list[dict], list[str]]:
    """Event rows of an ACLED-style CSV text, plus one message per malformed row.

    Parameters
    ----------
    text
        The CSV content.
    name
        The file name used in messages ("name, line 7: ...").

    Returns
    -------
    (rows, errors)

    Raises
    ------
    InputError
        The header lacks a required column (nothing in the file can be read).
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{name}: not an ACLED CSV: missing column(s) {', '.join(missing)}"
                         f" (expected ACLED's columns: {', '.join(ACLED_COLUMNS)})")
    rows: list[dict] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    while True:
        line = reader.line_num + 1  # where the next record starts (a quoted note may span lines)
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            errors.append(f"{name}, line {line}: malformed CSV ({err}); the rest of the file is not read")
            break
        where = f"{name}, line {line}"
        if None in record:
            errors.append(f"{where}: more cells than columns")
            continue
        try:
            row = acled_event(record)
        except ValueError as err:
            errors.append(f"{where}: {err}")
            continue
        if row["event_id"] in first_line:
            errors.append(f"{where}: event_id_cnty {row['event_id']!r} repeats line {first_line[row['event_id']]}")
            continue
        first_line[row["event_id"]] = line
        rows.append(row)
    return rows, errors


def read_acled(path: str | Path) -> tuple[list[dict], list[str]]:
    """Event rows of an ACLED-style CSV file, plus one message per malformed row (file and line).

    Raises
    ------
    InputError
        The file cannot be read, is not text, or lacks ACLED's columns.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    rows, errors = parse_acled(decode_bytes(data, str(path)), str(path))
    for message in errors:
        log.warning("%s", message)
    return rows, errors
