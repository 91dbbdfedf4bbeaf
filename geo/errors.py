"""The package's exceptions: one root, subclasses that also inherit a builtin.

"Not found" is never an exception (lookups return ``None``); these mean
"something broke" or "this input cannot be used".
"""
from __future__ import annotations


class GeoError(Exception):
    """Root of every error this package raises on purpose."""


class DataFileError(GeoError, ValueError):
    """A bundled data file (CSV/YAML) is malformed; the message names file and row."""


class InputError(GeoError, ValueError):
    """An input article or file cannot be read; the message names the file (and row)."""


class GeocoderError(GeoError):
    """Base class for geocoder failures."""


class GeocoderServiceError(GeocoderError, ConnectionError):
    """An online geocoding service failed (HTTP error, bad answer, unreachable)."""


class GeocoderTimedOut(GeocoderServiceError, TimeoutError):
    """An online geocoding service did not answer in time."""


class StoreError(GeoError, RuntimeError):
    """The event store cannot be opened or written."""
