"""One geocoder interface for every backend, geopy-style.

``geocode(query, countries=...)`` returns a :class:`Location`, or ``None`` for
"not found"; "something broke" raises a :class:`~geo.errors.GeocoderError`.
:class:`GeocoderChain` asks backends in order (curated/GeoNames offline, then an
optional online geopy backend) and turns an online failure into "ask the next
one" / "unresolved": callers of the chain never see an exception.

The online backend is off by default; ``GEO_ONLINE=1`` (or ``online=True``) turns
it on. ``GEO_NOMINATIM_DOMAIN`` / ``GEO_NOMINATIM_SCHEME`` point it at another server.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from geo.errors import GeocoderError, GeocoderServiceError, GeocoderTimedOut
from geo.gazetteer import Gazetteer, Place, cache_dir, get_gazetteer
from geo.normalize import normalize_name

log = logging.getLogger(__name__)

SOURCE_ONLINE = "online"
#: Fields of a location as printed by ``geo geocode --json`` (plus ``query``).
LOCATION_FIELDS = ("name", "lat", "lon", "country", "kind", "geo_precision", "source")


class Location(NamedTuple):
    """A resolved place. ``lat``/``lon`` are WGS84 degrees (GeoJSON order is lon, lat)."""

    query: str
    name: str
    lat: float
    lon: float
    country: str | None
    kind: str
    geo_precision: int
    source: str

    def as_dict(self) -> dict:
        """Plain dict, keys as in :data:`LOCATION_FIELDS` plus ``query``."""
        return self._asdict()


class Geocoder(Protocol):
    """What every backend offers."""

    def geocode(self, query: str, countries: Iterable[str] = ()) -> Location | None:
        """Resolve ``query``; ``None`` if not found; raise GeocoderError if broken."""


_NO_COUNTRIES: frozenset[str] = frozenset()


class OfflineGeocoder:
    """Curated places, countries and GeoNames cities from the compiled gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or get_gazetteer()

    def geocode(self, query: str, countries: Iterable[str] = ()) -> Location | None:
        """Best offline match for ``query`` in the context of ``countries`` (ISO2)."""
        place = self.gazetteer.lookup(query, frozenset(map(str.upper, countries)) if countries else _NO_COUNTRIES)
        return None if place is None else self.location(query, place)

    def location(self, query: str, place: Place) -> Location:
        """A gazetteer entry as the Location answering ``query``."""
        # Positional (query, name, lat, lon, country, kind, geo_precision, source): the hot path of every lookup.
        return Location(query, place.name, place.lat, place.lon, place.country, place.kind,
                        self.gazetteer.geo_precision(place), place.source)

    def country(self, iso2: str) -> Location | None:
        """The country-level location of an ISO2 code."""
        place = self.gazetteer.country_place(iso2)
        return None if place is None else self.location(place.name, place)


class JsonCache:
    """A small persistent dict in one JSON file; a corrupt file is rebuilt, never fatal."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._data = self._load()

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
            log.warning("geocoder cache %s is not a JSON object; starting afresh", self.path)
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as err:
            log.warning("geocoder cache %s is unreadable (%s); starting afresh", self.path, err)
        return {}

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def get(self, key: str):
        """The cached value for ``key`` (``None`` may be a cached "not found")."""
        return self._data.get(key)

    def put(self, key: str, value) -> None:
        """Store ``value`` and write the file atomically."""
        with self._lock:
            self._data[key] = value
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self._data, handle, ensure_ascii=False)
                os.replace(tmp, self.path)
            except OSError as err:
                log.warning("cannot write geocoder cache %s: %s", self.path, err)


class OnlineGeocoder:
    """A geopy geocoder (Nominatim by default), rate-limited, time-limited and cached on disk.

    Parameters
    ----------
    domain, scheme:
        Nominatim server; defaults to ``$GEO_NOMINATIM_DOMAIN`` or nominatim.openstreetmap.org.
    timeout:
        Seconds per request.
    min_delay_seconds:
        Rate limit between requests (Nominatim's policy is 1 request/s).
    cache_path:
        JSON cache keyed by the normalised query and context countries.
    clock, sleep:
        Seams for tests, so rate limiting never really sleeps there.
    """

    def __init__(
        self,
        domain: str | None = None,
        scheme: str | None = None,
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        user_agent: str = "geo-events/0.1 (conflict-event mapping)",
        cache_path: Path | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        try:
            from geopy.geocoders import Nominatim
        except ImportError as err:  # pragma: no cover - geopy is a dependency
            raise GeocoderError("the online geocoder needs geopy: pip install geopy") from err
        import time

        self._geocoder = Nominatim(
            domain=domain or os.environ.get("GEO_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"),
            scheme=scheme or os.environ.get("GEO_NOMINATIM_SCHEME", "https"),
            user_agent=user_agent,
            timeout=timeout,
        )
        self.min_delay_seconds = min_delay_seconds
        self._clock = clock or time.monotonic
        self._sleep = sleep or time.sleep
        self._last_call = None
        self.cache = JsonCache(cache_path or cache_dir() / "online-geocoder.json")

    def _wait_turn(self) -> None:
        now = self._clock()
        if self._last_call is not None:
            wait = self.min_delay_seconds - (now - self._last_call)
            if wait > 0:
                self._sleep(wait)
        self._last_call = self._clock()

    def geocode(self, query: str, countries: Iterable[str] = ()) -> Location | None:
        """Ask the online service (or the cache). Raises GeocoderServiceError/GeocoderTimedOut."""
        from geopy import exc as geopy_exc

        codes = sorted(c.lower() for c in countries)
        key = f"{normalize_name(query)}|{','.join(codes)}"
        if key in self.cache:
            cached = self.cache.get(key)
            return None if cached is None else Location(**{**cached, "query": query})
        self._wait_turn()
        try:
            found = self._geocoder.geocode(query, exactly_one=True, country_codes=codes or None, language="en",
                                           addressdetails=True)
        except (geopy_exc.GeopyError, ValueError, KeyError, TypeError) as err:
            if isinstance(err, geopy_exc.GeocoderTimedOut) or "timed out" in str(err).lower():
                # geopy's requests adapter reports a read timeout as "unavailable"; it is a timeout.
                raise GeocoderTimedOut(f"online geocoder timed out for {query!r}") from err
            raise GeocoderServiceError(f"online geocoder failed for {query!r}: {err}") from err
        location = self._to_location(query, found)
        self.cache.put(key, None if location is None else location.as_dict())
        return location

    @staticmethod
    def _to_location(query: str, found) -> Location | None:
        if found is None:
            return None
        try:
            lat, lon = float(found.latitude), float(found.longitude)
        except (TypeError, ValueError) as err:
            raise GeocoderServiceError(f"online geocoder returned no coordinates for {query!r}") from err
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GeocoderServiceError(f"online geocoder returned out-of-range coordinates ({lat}, {lon})")
        raw = found.raw if isinstance(found.raw, dict) else {}
        address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
        country = (address.get("country_code") or "").upper() or None
        kind = str(raw.get("addresstype") or raw.get("type") or "site")
        precision = 3 if kind in {"country", "state", "region", "province"} else 1
        return Location(query=query, name=str(found.address).split(",")[0], lat=lat, lon=lon, country=country,
                        kind=kind, geo_precision=precision, source=SOURCE_ONLINE)


class GeocoderChain:
    """Ask backends in order; the first location wins. Failures of a backend are logged and skipped."""

    def __init__(self, backends: Sequence[Geocoder]):
        self.backends = list(backends)

    def geocode(self, query: str, countries: Iterable[str] = ()) -> Location | None:
        """First answer from the backends, or ``None`` ("unresolved"). Never raises GeocoderError."""
        countries = tuple(countries)
        for backend in self.backends:
            try:
                location = backend.geocode(query, countries)
            except GeocoderError as err:
                log.warning("%s failed for %r, trying the next backend: %s", type(backend).__name__, query, err)
                continue
            if location is not None:
                return location
        return None


def online_enabled() -> bool:
    """Whether ``GEO_ONLINE`` asks for the online backend."""
    return os.environ.get("GEO_ONLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def default_geocoder(online: bool | None = None) -> GeocoderChain:
    """The standard chain: offline gazetteer, then (if enabled) the online backend."""
    backends: list[Geocoder] = [OfflineGeocoder()]
    if online if online is not None else online_enabled():
        backends.append(OnlineGeocoder())
    return GeocoderChain(backends)
