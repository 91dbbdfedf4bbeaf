"""geo-events: extract conflict events from news, geocode them offline, merge and map them.

Heavy imports (pandas, geopandas) happen only when the names that need them are used.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract_events", "default_geocoder", "Location", "find_toponyms"]


def __getattr__(name: str):
    if name == "extract_events":
        from geo.extract import extract_events

        return extract_events
    if name in {"default_geocoder", "Location"}:
        from geo import geocoders

        return getattr(geocoders, name)
    if name == "find_toponyms":
        from geo.toponyms import find_toponyms

        return find_toponyms
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
