"""Reading the bundled data files in ``data/`` (installed as ``geo.data``).

Every CSV is validated on load; a bad row raises :class:`~geo.errors.DataFileError`
naming the file and the row, so a broken lexicon never fails silently.
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

from geo.errors import DataFileError

DATA_PACKAGE = "geo.data"


def data_path(name: str):
    """Return a traversable path to the bundled data file ``name``."""
    return resources.files(DATA_PACKAGE) / name


def data_files() -> list[str]:
    """Names of all bundled data files (CSV, YAML, TXT, GeoJSON), sorted."""
    return sorted(
        entry.name
        for entry in resources.files(DATA_PACKAGE).iterdir()
        if entry.name.rsplit(".", 1)[-1] in {"csv", "yaml", "txt", "geojson"}
    )


def data_fingerprint(names: Iterable[str], extra: Iterable[str] = ()) -> str:
    """A short hash of the bundled data files ``names`` plus ``extra`` strings (cache keys)."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode())
        digest.update(data_path(name).read_bytes())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]


def split_list(cell: str | None) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty items."""
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


@lru_cache(maxsize=None)
def _read_text(name: str) -> str:
    try:
        return data_path(name).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataFileError(f"data/{name}: bundled data file is missing") from err
    except UnicodeDecodeError as err:
        raise DataFileError(f"data/{name}: not valid UTF-8 ({err})") from err


def read_rows(
    name: str,
    required: Iterable[str],
    checks: dict[str, Callable[[str], object]] | None = None,
) -> list[dict[str, str]]:
    """Read ``data/<name>`` as a list of dict rows, validating as it goes.

    Parameters
    ----------
    name:
        File name inside ``data/``.
    required:
        Columns that must exist and be non-empty in every row.
    checks:
        Optional ``column -> converter``; a converter that raises ``ValueError`` on
        a non-empty cell makes the row invalid (e.g. ``float`` for ``lat``).

    Raises
    ------
    DataFileError
        Missing columns or an invalid row; the message names file, row and column.
    """
    required = list(required)
    reader = csv.DictReader(io.StringIO(_read_text(name)))
    missing = [col for col in required if col not in (reader.fieldnames or [])]
    if missing:
        raise DataFileError(f"data/{name}: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        where = f"data/{name}, row {reader.line_num}"
        if None in row:
            raise DataFileError(f"{where}: more cells than columns")
        for col in required:
            if not (row.get(col) or "").strip():
                raise DataFileError(f"{where}: column {col!r} is empty")
        for col, convert in (checks or {}).items():
            value = (row.get(col) or "").strip()
            if value:
                try:
                    convert(value)
                except ValueError as err:
                    raise DataFileError(f"{where}: column {col!r} has bad value {value!r} ({err})") from err
        rows.append({key: (value or "").strip() for key, value in row.items()})
    return rows
