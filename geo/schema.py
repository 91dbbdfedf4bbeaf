"""The event record: column names, types and meaning, shared by extraction, merging, store, map and exports.

An events table is a ``geopandas.GeoDataFrame`` (CRS EPSG:4326) with one row per
event, the columns below, and a ``geometry`` column of Points (lon, lat) or
``None`` when no place resolved.
"""
from __future__ import annotations

#: Column -> meaning. Order is the order of every export.
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "stable id: the same input gives the same id on every run",
    "event_date": "YYYY-MM-DD, YYYY-MM, YYYY or null (undated)",
    "date_precision": "day, month, year or null",
    "event_type": "ACLED event type",
    "sub_event_type": "ACLED sub-event type",
    "actor1": "who acted (canonical name) or null",
    "actor2": "who was targeted (canonical name) or null",
    "assoc_actors": "list of other actors named with the event",
    "location": "canonical place name, or null when unresolved",
    "location_as_written": "the place as the article wrote it (kept even when unresolved)",
    "country": "ISO 3166-1 alpha-2 of the place, or null",
    "lat": "WGS84 latitude or null",
    "lon": "WGS84 longitude or null",
    "geo_precision": "ACLED geo-precision: 1 site/town, 2 district, 3 province/country; null when unresolved",
    "geo_source": "curated, geonames, online, or acled (imported ACLED rows); null when unresolved",
    "fatalities": "best count of people killed (int) or null when not reported",
    "fatalities_low": "lowest count any report gave",
    "fatalities_high": "highest count any report gave",
    "injuries": "people injured (int) or null",
    "sources": "list of article ids",
    "outlets": "list of outlets",
    "urls": "list of article URLs",
    "evidence": "the sentence the event was read from (the first report's, when merged)",
    "evidence_all": "list of evidence sentences, one per report",
    "article_count": "number of distinct articles reporting the event",
    "article_published": "publication date of the (first) reporting article, YYYY-MM-DD or null",
    "published_from": "how that date was obtained: metadata, text or null",
}

LIST_COLUMNS = ("assoc_actors", "sources", "outlets", "urls", "evidence_all")
INT_COLUMNS = ("geo_precision", "fatalities", "fatalities_low", "fatalities_high", "injuries", "article_count")
FLOAT_COLUMNS = ("lat", "lon")
