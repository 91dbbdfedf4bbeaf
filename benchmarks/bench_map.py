"""Benchmark the event map: ours against one folium marker per event, at 1k / 10k / 100k events.

Synthetic events are copies of the test fixture's events (tests/fixtures/events_sample.geojson)
with positions, dates, types, fatalities and source articles (~5 events per article)
drawn from ``random.Random(42)`` and an evidence sentence of their own, so every run
measures the same, realistically repetitive input.

Per size it prints one JSON line comparing

* **ours** (geo.mapview): ``MarkerSet`` built once per dataset, the dataset files the app
  publishes (``points.json``, fetched once; card chunks, fetched on hover/click), the
  bytes and Python time of a filter change (the feature group streamlit-folium sends),
  and Chromium's time from navigation to every event drawn (clusters counted by size);
* **naive**: ``folium.Map`` with one ``folium.CircleMarker`` per event, each with its
  popup card and tooltip: build + render time, HTML bytes, and Chromium's time to the
  page's ``load`` plus two painted frames, capped at ``--cap`` seconds (reported as
  ``"> N s"``; a naive build over the cap is not rendered).

Both pages load Leaflet from a local HTTP server (no CDN, no tiles). ``--app N`` also serves
N events with ``streamlit run app.py`` (``GEO_EVENTS_SOURCE``) and times, in headless
Chromium, the first render and the map redraw after filter changes, and the app's memory.

``--seeds`` times the first render of the bundled seeds the same way.

Usage: ``python benchmarks/bench_map.py [--sizes 1000 10000 100000] [--app 10000 100000] [--seeds] [--cap 120]``
(needs /usr/bin/chromium for the browser figures; ``--no-browser`` for Python figures only).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import folium
import pandas as pd
import streamlit_folium

from geo.export import records_to_frame, to_geojson
from geo.filters import Filters, apply_filters
from geo.mapview import (
    OTHER_COLOUR,
    TYPE_COLOURS,
    MarkerSet,
    base_map,
    event_card,
    events_layer,
    radius_for,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "events_sample.geojson"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
# In a page of our map: true once the layer draws `n` events (markers + cluster counts) for the view.
DRAWN_JS = """(n) => {
    const layer = window.geoEventsLayer;
    if (!layer || !layer.loaded || !layer._map || layer.shown.length !== n) return false;
    let drawn = 0;
    layer._group.eachLayer(m => { drawn += m.options.count; });
    return drawn === n;
}"""
# The same without knowing the count: the layer draws every event it shows.
ALL_DRAWN_JS = """() => {
    const layer = window.geoEventsLayer;
    if (!layer || !layer.loaded || !layer._map) return false;
    let drawn = 0;
    layer._group.eachLayer(m => { drawn += m.options.count; });
    return drawn === layer.shown.length && drawn > 0;
}"""
# Two animation frames: what the page had to draw is on screen.
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def synthetic_events(n: int, seed: int = 42) -> pd.DataFrame:
    """``n`` events shaped like the fixture's, deterministic for a given ``seed``."""
    rng = random.Random(seed)
    templates = [f["properties"] for f in json.loads(FIXTURE.read_text(encoding="utf-8"))["features"]]
    types = list(TYPE_COLOURS)
    start = date(2019, 1, 1)
    rows = []
    for i in range(n):
        row = dict(rng.choice(templates))
        row["event_id"] = f"syn-{i:06d}"
        # every real event has its own evidence sentence: no two synthetic ones share one
        row["evidence"] = f"{row['evidence']} (laporan {i}, {rng.choice(templates)['evidence'][:60]})"
        # and comes from one of ~2,000 articles (~5 events each)
        article = rng.randrange(max(1, n // 5))
        row["sources"], row["outlets"] = [f"art-{article:05d}.txt"], [f"Outlet {article % 40}"]
        row["urls"] = [f"https://news.example.org/{article % 40}/{article:05d}"]
        if rng.random() < 0.97:  # a few unresolved ones, like real extraction output
            row["lat"], row["lon"] = round(rng.uniform(-10, 45), 4), round(rng.uniform(30, 140), 4)
            row["geo_precision"] = rng.choice([1, 1, 1, 2, 3])
        else:
            row["lat"] = row["lon"] = row["geo_precision"] = None
        day = start + timedelta(days=rng.randrange(5 * 365))
        row["event_date"] = None if rng.random() < 0.05 else day.isoformat()
        row["date_precision"] = "day" if row["event_date"] else None
        row["event_type"] = rng.choice(types)
        row["fatalities"] = rng.choice([None, 0, 0, 1, 2, 5, 12, 40])
        row["fatalities_low"] = row["fatalities_high"] = row["fatalities"]
        rows.append(row)
    return records_to_frame(rows)


def _median_seconds(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _local_leaflet(fmap: folium.Map, asset_base: str) -> folium.Map:
    fmap.default_js = [("leaflet", f"{asset_base}/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{asset_base}/leaflet/leaflet.css")]
    return fmap


def naive_map(events: pd.DataFrame, asset_base: str = "static") -> folium.Map:
    """The map as folium is usually used: one ``CircleMarker`` with popup card and tooltip per event."""
    fmap = _local_leaflet(folium.Map(location=[20, 90], zoom_start=3, tiles=None), asset_base)
    for event in events[events["lat"].notna()].to_dict("records"):
        colour = TYPE_COLOURS.get(event["event_type"], OTHER_COLOUR)
        folium.CircleMarker(
            [event["lat"], event["lon"]], radius=radius_for(event["fatalities"]), color=colour,
            fill=True, fill_color=colour, popup=folium.Popup(event_card(event), max_width=360),
            tooltip=event_card(event, brief=True),
        ).add_to(fmap)
    return fmap


def _naive_build(n: int, out: str, queue) -> None:
    t0 = time.perf_counter()
    html = naive_map(synthetic_events(n)).get_root().render()
    Path(out).write_text(html, encoding="utf-8")
    queue.put(time.perf_counter() - t0)


def naive_page(n: int, out: Path, cap: float) -> float | None:
    """Build the naive map of ``n`` events into ``out`` in a child process; its seconds, or None past ``cap``."""
    queue = multiprocessing.get_context("fork").Queue()
    proc = multiprocessing.get_context("fork").Process(target=_naive_build, args=(n, str(out), queue))
    proc.start()
    proc.join(cap)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return queue.get()


def ours(events: pd.DataFrame, folder: Path, repeat: int = 3) -> dict:
    """Python figures of our map, and its page (base map + the layer of all events) written to ``folder``."""
    markers: list[MarkerSet] = []
    build = _median_seconds(lambda: markers.append(MarkerSet(events)), repeat)
    markers_ = markers[-1]
    dataset = markers_.publish(folder / "maps")
    fmap = base_map(tiles=False)
    view = Filters(date_from=date(2019, 1, 1), date_to=date(2023, 12, 31))  # keeps ~95%
    sent: list[str] = []

    def redraw() -> None:
        shown = apply_filters(events, view)
        layer = events_layer(markers_, shown["event_id"], source=f"../../app/static/maps/{dataset.name}")
        sent.append(streamlit_folium._get_feature_group_string(layer, map=fmap))

    redraw_s = _median_seconds(redraw, repeat)
    page = base_map(tiles=False, asset_base="static")
    events_layer(markers_, source=f"maps/{dataset.name}").add_to(page)
    html = page.get_root().render()
    (folder / f"ours-{len(events)}.html").write_text(html, encoding="utf-8")
    return {
        "build_s": round(build, 3),
        "page_bytes": len(html.encode()),
        "points_bytes": (dataset / "points.json").stat().st_size,
        "cards_bytes": sum(p.stat().st_size for p in dataset.glob("cards-*.json")),
        "filter_change_s": round(redraw_s, 3),
        "filter_change_bytes": len(sent[-1].encode()),
        "drawn": len(markers_),
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D102
        pass


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def render_ours(browser, url: str, drawn: int, cap: float) -> float | str:
    page = browser.new_page(viewport={"width": 1400, "height": 800})
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(DRAWN_JS, arg=drawn, timeout=cap * 1000, polling=20)
        return round(time.perf_counter() - t0, 2)
    except Exception:  # noqa: BLE001 -- a timeout is a result here
        return f"> {cap:g} s"
    finally:
        page.close()


def render_naive(browser, url: str, cap: float) -> float | str:
    page = browser.new_page(viewport={"width": 1400, "height": 800})
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="load", timeout=cap * 1000)
        page.evaluate(PAINTED_JS)
        elapsed = time.perf_counter() - t0
        return round(elapsed, 2) if elapsed <= cap else f"> {cap:g} s"
    except Exception:  # noqa: BLE001
        return f"> {cap:g} s"
    finally:
        page.close()


def _median_render(times: list[float | str]) -> float | str:
    """The median of render times; a timed-out render (a string) counts as the slowest."""
    ordered = sorted(times, key=lambda t: (isinstance(t, str), t if not isinstance(t, str) else 0))
    return ordered[len(ordered) // 2]


def bench(sizes: list[int], cap: float, browser_on: bool) -> None:
    """Print, per size, ours vs naive: build seconds, bytes, Chromium seconds to rendered."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "static").symlink_to(ROOT / "static")
        server, url = _serve(folder)
        playwright = browser = None
        if browser_on:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for n in sizes:
                events = synthetic_events(n)
                row: dict = {"events": n, "ours": ours(events, folder, repeat=3 if n <= 10_000 else 1)}
                naive_html = folder / f"naive-{n}.html"
                naive_s = naive_page(n, naive_html, cap)
                row["naive"] = {"build_s": round(naive_s, 2) if naive_s is not None else f"> {cap:g} s",
                                "html_bytes": naive_html.stat().st_size if naive_s is not None else None}
                if browser is not None:  # the median of 3 pages (1 for a naive map of more than 10k events)
                    row["ours"]["chromium_s"] = _median_render(
                        [render_ours(browser, f"{url}/ours-{n}.html", row["ours"]["drawn"], cap) for _ in range(3)])
                    row["naive"]["chromium_s"] = _median_render(
                        [render_naive(browser, f"{url}/naive-{n}.html", cap) for _ in range(3 if n <= 10_000 else 1)]
                    ) if naive_s is not None else "not built"
                row["load_1min"] = os.getloadavg()[0]
                print(json.dumps(row), flush=True)
                naive_html.unlink(missing_ok=True)
        finally:
            if browser is not None:
                browser.close()
                playwright.stop()
            server.shutdown()


def _rss_mb(pid: int, field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _start_app(events_file: Path | None) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` on a free port, showing ``events_file`` (None: the bundled seeds)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("GEO_EVENTS_SOURCE", "GEO_STORE")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env | ({"GEO_EVENTS_SOURCE": str(events_file)} if events_file else {}),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def _wait_idle(page) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def bench_seeds(visits: int = 4) -> dict:
    """The bundled seeds: seconds from navigation to every event drawn, for the first visitor
    (extraction runs) and the next ones (server up, events cached)."""
    from playwright.sync_api import sync_playwright

    proc, url = _start_app(None)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            times = []
            for _ in range(visits):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t0 = time.perf_counter()
                page.goto(f"{url}/?tiles=0")
                page.locator(MAP_FRAME).wait_for(timeout=300_000)
                frame = page.locator(MAP_FRAME).element_handle().content_frame()
                frame.wait_for_function(ALL_DRAWN_JS, timeout=300_000, polling=20)
                times.append(round(time.perf_counter() - t0, 2))
                page.close()
            browser.close()
        return {"seeds_first_render_s": times[0], "seeds_next_visitors_s": times[1:],
                "app_rss_mb": _rss_mb(proc.pid, "VmRSS"), "load_1min": os.getloadavg()[0]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_app(n: int) -> dict:
    """Serve ``n`` synthetic events and time, in Chromium, first render and redraws after filter changes."""
    from playwright.sync_api import sync_playwright

    events = synthetic_events(n)
    mappable = events[events["lat"].notna()]
    dated = mappable[mappable["event_date"].notna()]
    with tempfile.TemporaryDirectory() as tmp:
        events_file = Path(tmp) / "events.geojson"
        events_file.write_text(to_geojson(events), encoding="utf-8")
        proc, url = _start_app(events_file)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                result: dict = {"events": n, "drawn": len(mappable)}
                for label in ("first_render_cold_s", "first_render_warm_s"):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    t0 = time.perf_counter()
                    page.goto(f"{url}/?tiles=0")
                    page.locator(MAP_FRAME).wait_for(timeout=300_000)
                    frame = page.locator(MAP_FRAME).element_handle().content_frame()
                    frame.wait_for_function(DRAWN_JS, arg=len(mappable), timeout=300_000, polling=20)
                    result[label] = round(time.perf_counter() - t0, 2)
                    if label == "first_render_cold_s":
                        page.close()
                _wait_idle(page)
                toggles, layer_ms = [], []
                for shown_now in [len(dated), len(mappable)] * 3:  # undated off, on, off, ...: new, new, seen, seen...
                    t0 = time.perf_counter()
                    page.get_by_text("Include undated events").click()
                    frame.wait_for_function(DRAWN_JS, arg=shown_now, timeout=60_000, polling=20)
                    toggles.append(round(time.perf_counter() - t0, 2))
                    layer_ms.append(frame.evaluate("() => window.geoEventsLayer.timings"))
                    _wait_idle(page)
                    time.sleep(0.5)
                result["redraw_undated_toggle_s"] = toggles
                result["layer_ms"] = [{k: round(v) for k, v in t.items()} for t in layer_ms]
                t0 = time.perf_counter()
                page.get_by_label("Search evidence").fill("Kontak tembak")  # the Papua clash's evidence
                page.get_by_label("Search evidence").press("Enter")
                shown = mappable[mappable["evidence"].str.contains("Kontak tembak")]  # undated back on
                frame.wait_for_function(DRAWN_JS, arg=len(shown), timeout=60_000, polling=20)
                result["redraw_search_s"] = round(time.perf_counter() - t0, 2)
                result["drawn_after_search"] = len(shown)
                _wait_idle(page)
                result["app_rss_mb"] = _rss_mb(proc.pid, "VmRSS")
                result["app_peak_rss_mb"] = _rss_mb(proc.pid)
                result["load_1min"] = os.getloadavg()[0]
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return result


def main() -> None:
    """Print one line of figures per size; optionally the app figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--app", type=int, nargs="*", default=[], metavar="N")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds before a naive build or render is cut off")
    parser.add_argument("--seeds", action="store_true", help="time the first render of the bundled seeds")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    if args.sizes:
        bench(args.sizes, args.cap, browser_on=not args.no_browser)
    for n in args.app:
        print(json.dumps(bench_app(n)), flush=True)
    if args.seeds:
        print(json.dumps(bench_seeds()), flush=True)


if __name__ == "__main__":
    main()
