"""The dashboard's data: the events of a source, read and prepared once per content and shared
by every session (``st.cache_resource``).

Kept out of ``app.py`` so that one function object serves both the server's warm-up (which
imports this module before the first visitor) and the script runs (which execute ``app.py``
anew as ``__main__``): Streamlit keys its caches by the function's module and name, so a
cache filled by the warm-up is the one the first visitor reads.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.articles import Article, articles_from_upload, load_articles
from geo.errors import InputError
from geo.export import event_dicts, records_to_frame
from geo.extract import extract_events
from geo.filters import FilterOptions, filter_options
from geo.mapview import MarkerSet, safe_url
from geo.merge import merge_events
from geo.store import STORE_ENV, EventStore

#: The environment variable naming the dashboard's source: a folder of articles or a ``.geojson`` file.
SOURCE_ENV = "GEO_EVENTS_SOURCE"


def source_fingerprint(source: Path) -> str:
    """SHA-256 over the names and bytes of ``source`` (a file, or every file under a folder).

    Files are read again only when their size or modification time changes: every
    rerun asks, and hashing a 100k-event file takes longer than the rest of a rerun.
    """
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
    signature = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _fingerprint(source, signature)


@st.cache_data(max_entries=16, show_spinner=False)
def _fingerprint(source: Path, signature: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in signature:
        path = Path(name)
        digest.update(str(path.relative_to(source) if source.is_dir() else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _events_from_geojson(path: Path) -> pd.DataFrame:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    rows = []
    for feature in features:
        row = dict(feature["properties"])
        coordinates = (feature.get("geometry") or {}).get("coordinates")
        row["lon"], row["lat"] = coordinates if coordinates else (None, None)  # GeoJSON is lon, lat
        rows.append(row)
    del features
    events = records_to_frame(rows)
    del rows
    _release_memory()
    return events


def _release_memory() -> None:
    """Hand memory freed after parsing a big file back to the OS (glibc keeps it otherwise: ~150 MB at 100k)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def merged(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per incident: reports of the same incident, within and across articles, merged (geo.merge)."""
    return records_to_frame(merge_events(event_dicts(reports)))


@st.cache_resource(show_spinner="Reading the articles and extracting events…", max_entries=4)
def load_events(source: str, fingerprint: str) -> tuple[pd.DataFrame, list[str], int]:
    """Events, input errors and article count from ``source``; ``fingerprint`` (its content hash) keys the cache.

    ``source`` is a folder or file of articles (extracted here) or a ``.geojson`` events
    file. This is the seam for other event sources (the SQLite store of issue 6).
    A shared resource, never modified: ``st.cache_data`` would keep a pickled copy and
    unpickle another for every new session (1.5 s and ~150 MB at 100k events).
    """
    path = Path(source)
    if path.suffix.lower() == ".geojson":
        events = _events_from_geojson(path)
        return events, [], len({s for cell in events["sources"] for s in cell})
    articles, errors = load_articles([path])
    return merged(extract_events(articles)), errors, len(articles)


@st.cache_resource(show_spinner="Reading the event store…", max_entries=4)
def events_from_store(path: str, generation: int) -> tuple[pd.DataFrame, list[str], int]:
    """Merged events, no errors, and article count of the store at ``path``; ``generation`` keys the cache.

    The store's generation grows with every committed ``geo ingest`` / ``geo import``, so a new
    batch shows on the next rerun, while a batch still being written is never half-seen.
    """
    with EventStore(path, readonly=True) as store:
        return store.events(), [], store.counts()["articles_extracted"]


def store_generation(path: str) -> int:
    """The store's generation (one cheap query)."""
    with EventStore(path, readonly=True) as store:
        return store.generation()


@st.cache_data(show_spinner="Extracting events from your articles…", max_entries=16)
def events_from_uploads(files: tuple[tuple[str, bytes], ...]) -> pd.DataFrame:
    """Event reports (not yet merged) of uploaded/pasted files (already checked readable), cached by content."""
    articles: list[Article] = [a for name, data in files for a in articles_from_upload(name, data)]
    return extract_events(articles)


@st.cache_data(max_entries=64)
def check_upload(name: str, data: bytes) -> tuple[int, str | None]:
    """(articles, None) for a readable upload, (0, message naming the file) for a bad one."""
    try:
        return len(articles_from_upload(name, data)), None
    except InputError as err:
        return 0, str(err)


def display_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events table as shown: chosen columns, and the first http(s) source link only."""
    table = events[[
        "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "location_as_written",
        "country", "fatalities", "geo_precision", "outlets", "urls", "evidence", "event_id",
    ]].copy()
    # Only http(s) links become clickable; article text may carry any scheme.
    table["urls"] = table["urls"].map(lambda urls: next((u for u in map(safe_url, list(urls)) if u), None))
    return table


@dataclass(frozen=True)
class Loaded:
    """One session's events and everything derived from them once (not per rerun)."""

    key: str
    events: pd.DataFrame
    markers: MarkerSet
    options: FilterOptions
    table: pd.DataFrame
    errors: tuple[str, ...]
    articles: int


@st.cache_resource(max_entries=8, show_spinner=False)
def prepare(key: str, _load: Callable[[], tuple[pd.DataFrame, list[str], int]]) -> Loaded:
    """Events, map markers (with their cards), filter choices and table of one view's data; ``key`` is its content hash.

    ``_load`` (not hashed) reads the events; it runs only when ``key`` is new, so a new
    session on known data copies nothing. A resource, not data: it is shared read-only,
    and copying 100k events and cards for every session (as ``st.cache_data`` would)
    costs more than building the view.
    """
    events, errors, articles = _load()
    events = events.drop_duplicates("event_id", ignore_index=True)
    return Loaded(key, events, MarkerSet(events), filter_options(events), display_table(events), tuple(errors),
                  articles)


def dashboard_source(default: Path) -> tuple[Path, str | None]:
    """The source the dashboard shows (``$GEO_EVENTS_SOURCE``, else ``default``) and the event store
    that replaces it when ``$GEO_STORE`` is set."""
    return Path(os.environ.get(SOURCE_ENV) or default), os.environ.get(STORE_ENV) or None


def load_data(
    source: Path,
    store_path: str | None = None,
    upload_files: tuple[tuple[str, bytes], ...] = (),
    upload_articles: int = 0,
    *,
    memo: Loaded | None = None,
) -> Loaded:
    """The events of ``source`` (or of the store at ``store_path``) plus uploaded files, prepared once per content.

    ``memo`` is what the caller loaded last time: it is returned as it is while the content is the same.
    """
    generation = store_generation(store_path) if store_path else 0
    fingerprint = f"store:{Path(store_path).resolve()}:{generation}" if store_path else source_fingerprint(source)
    # File names are part of the content: article (and so event) ids come from them.
    key = hashlib.sha256(
        fingerprint.encode()
        + b"".join(hashlib.sha256(name.encode() + b"\0" + data).digest() for name, data in upload_files)
    ).hexdigest()
    if memo is not None and memo.key == key:
        return memo

    def load() -> tuple[pd.DataFrame, list[str], int]:
        events, errors, articles = (events_from_store(store_path, generation) if store_path
                                    else load_events(str(source), fingerprint))
        if upload_files:  # an uploaded report of a known incident joins that event; ACLED's events stay as ACLED coded them
            imported = events[events["source_kind"] == "acled"] if "source_kind" in events else events.iloc[:0]
            own = merged(pd.concat([events.drop(imported.index), events_from_uploads(upload_files)], ignore_index=True))
            events = (pd.concat([own.assign(source_kind="extracted"), imported], ignore_index=True) if len(imported)
                      else own)
        return events, errors, articles + upload_articles

    return prepare(key, load)
