"""The geocoder chain: gold places, ambiguity, and the online backend against a local stub server."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from geo.errors import GeocoderServiceError, GeocoderTimedOut
from geo.geocoders import (
    GeocoderChain,
    OfflineGeocoder,
    OnlineGeocoder,
    default_geocoder,
)
from geo.merge import km_between


@pytest.fixture(scope="module")
def offline():
    return default_geocoder(online=False)


def gold_forms(gold):
    for place in gold["places"]:
        for written in dict.fromkeys(place["as_written"]):
            yield written, place


def test_every_gold_place_resolves_within_25_km(gold, offline):
    misses = []
    for written, place in gold_forms(gold):
        found = offline.geocode(written)
        if found is None:
            misses.append(f"{written}: unresolved")
            continue
        distance = km_between(found.lat, found.lon, place["lat"], place["lon"])
        if distance > 25:
            misses.append(f"{written}: {found.name} is {distance:.0f} km away")
        if place["country"] and place.get("kind") == "country":
            assert found.country == place["country"], written
    assert not misses, misses


@pytest.mark.parametrize(
    "query, countries, lat, lon, country",
    [
        ("Taji", ["IQ"], 33.52, 44.26, "IQ"),
        ("Taji", [], 33.52, 44.26, "IQ"),  # the well-known place first even without context
        ("Kuwait", [], 29.37, 47.98, "KW"),
        ("Arbil", [], 36.19, 44.01, "IQ"),
        ("Erbil", [], 36.19, 44.01, "IQ"),
        ("Irbil", ["IQ"], 36.19, 44.01, "IQ"),
        ("al-Qa'im", [], 34.39, 40.99, "IQ"),
        ("Al Qaim", [], 34.39, 40.99, "IQ"),
        ("Qā’im", ["IQ"], 34.39, 40.99, "IQ"),
        ("Distrik al-Qa'im", [], 34.39, 40.99, "IQ"),
        ("Ain al-Asad", [], 33.79, 42.44, "IQ"),
        ("Ain al-Assad", [], 33.79, 42.44, "IQ"),
        ("Ayn al Asad", [], 33.79, 42.44, "IQ"),
        ("Pangkalan Udara Ain al-Asad", [], 33.79, 42.44, "IQ"),
        ("bandara Baghdad", [], 33.26, 44.23, "IQ"),
        ("Bandara Internasional Baghdad", [], 33.26, 44.23, "IQ"),
        ("Zona Hijau", ["IQ"], 33.30, 44.39, "IQ"),
        ("Kota Kirkuk", [], 35.47, 44.39, "IQ"),
        ("Teheran", [], 35.69, 51.42, "IR"),
        ("Suriah", [], 35.0, 38.5, "SY"),
        ("Yordania", [], 31.2, 36.5, "JO"),
        ("Arab Saudi", [], 24.0, 45.0, "SA"),
    ],
)
def test_ambiguous_and_variant_names(offline, query, countries, lat, lon, country):
    found = offline.geocode(query, countries)
    assert found is not None, query
    assert found.country == country
    tolerance = 25 if found.kind != "country" else 600
    assert km_between(found.lat, found.lon, lat, lon) <= tolerance, (query, found)


def test_geo_precision_by_kind(offline):
    assert offline.geocode("Irak").geo_precision == 3
    assert offline.geocode("Baghdad").geo_precision == 1
    assert offline.geocode("Ain al-Asad").kind == "air_base"


def test_unknown_name_is_none(offline):
    assert offline.geocode("Xyzzyville Qqq") is None
    assert offline.geocode("") is None


# -- the online backend, against a stub Nominatim on 127.0.0.1 -----------------------------------


class StubNominatim(BaseHTTPRequestHandler):
    """Answers by query text: 'ok ...' found, 'none' empty, 'slow' sleeps, 'boom' 500, 'junk' bad JSON."""

    calls: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        StubNominatim.calls.append(query)
        if query.startswith("slow"):
            time.sleep(1.0)
        if query.startswith("boom"):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"server error")
            return
        if query.startswith("junk"):
            body = b"{not json"
        elif query.startswith("none"):
            body = b"[]"
        else:
            body = json.dumps([{"lat": "36.34", "lon": "43.13", "display_name": "Mosul, Nineveh, Iraq",
                                "addresstype": "city", "address": {"country_code": "iq"}}]).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:  # the client gave up (the timeout case)
            pass


@pytest.fixture()
def stub_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StubNominatim.calls = []
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def online(domain, tmp_path, **kwargs):
    return OnlineGeocoder(domain=domain, scheme="http", timeout=0.3, min_delay_seconds=0,
                          cache_path=tmp_path / "cache.json", sleep=lambda s: None, **kwargs)


def test_online_success_is_cached(stub_server, tmp_path):
    geocoder = online(stub_server, tmp_path)
    found = geocoder.geocode("ok Mosul")
    assert (found.lat, found.lon, found.country, found.source) == (36.34, 43.13, "IQ", "online")
    again = online(stub_server, tmp_path).geocode("OK  mosul")  # same normalised key, new process-like instance
    assert again.lat == 36.34
    assert StubNominatim.calls == ["ok Mosul"]


@pytest.mark.parametrize("query, error", [("slow place", GeocoderTimedOut), ("boom place", GeocoderServiceError),
                                          ("junk place", GeocoderServiceError)])
def test_online_failures_raise_package_errors(stub_server, tmp_path, query, error):
    with pytest.raises(error):
        online(stub_server, tmp_path).geocode(query)


@pytest.mark.parametrize("query", ["slow place", "boom place", "junk place", "none place"])
def test_chain_never_raises_and_falls_back(stub_server, tmp_path, query):
    chain = GeocoderChain([OfflineGeocoder(), online(stub_server, tmp_path)])
    assert chain.geocode(query) is None
    # an offline answer is still given while the online service is broken
    assert chain.geocode("Kirkuk").country == "IQ"


def test_chain_uses_online_after_offline_misses(stub_server, tmp_path):
    chain = GeocoderChain([OfflineGeocoder(), online(stub_server, tmp_path)])
    assert chain.geocode("ok Qqqville").source == "online"


def test_rate_limit_waits_between_calls(stub_server, tmp_path):
    slept = []
    ticks = iter([0.0, 0.0, 0.2, 0.2])
    geocoder = OnlineGeocoder(domain=stub_server, scheme="http", timeout=1, min_delay_seconds=1.0,
                              cache_path=tmp_path / "c.json", clock=lambda: next(ticks), sleep=slept.append)
    geocoder.geocode("ok a")
    geocoder.geocode("ok b")
    assert slept == [pytest.approx(0.8)]


def test_corrupt_cache_is_rebuilt(stub_server, tmp_path):
    (tmp_path / "cache.json").write_text("{garbage", encoding="utf-8")
    geocoder = online(stub_server, tmp_path)
    assert geocoder.geocode("ok Mosul").country == "IQ"
    assert json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))
