"""Benchmark the event map: build + render time and HTML size of ``build_map`` at 1k and 10k events.

Synthetic events are copies of the test fixture's events (tests/fixtures/events_sample.geojson)
with positions, dates, types, fatalities and source articles (~5 events per article)
drawn from ``random.Random(42)`` and an evidence sentence of their own, so every run
measures the same, realistically repetitive input. ``--browser N`` also serves N such events with
``streamlit run app.py`` (``GEO_EVENTS_SOURCE``) and times, in headless Chromium, the
first render and the map redraw after filter changes (needs /usr/bin/chromium).

Usage: ``python benchmarks/bench_map.py [--sizes 1000 10000] [--browser 10000]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit_folium

from geo.export import records_to_frame, to_geojson
from geo.filters import Filters, apply_filters
from geo.mapview import TYPE_COLOURS, MarkerSet, base_map, build_map, events_layer

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "events_sample.geojson"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
# In the map frame: true once the clustered layer holds `n` markers, all accounted for on screen.
DRAWN_JS = """(n) => {
    if (!window.map || !window.L || !L.MarkerClusterGroup) return false;
    let total = 0, shown = 0;
    window.map.eachLayer(l => {
        if (l instanceof L.MarkerClusterGroup) {
            total += l.getLayers().length;
            l._featureGroup.eachLayer(c => { shown += c.getChildCount ? c.getChildCount() : 1; });
        }
    });
    return total === n && shown === n;
}"""


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


def bench(n: int, repeat: int = 3) -> dict[str, float]:
    """Time the map at ``n`` events.

    ``build_render_s``: ``build_map`` rendered to HTML (cards included). ``markers_s``:
    ``MarkerSet`` (cards built and encoded; once per loaded events table in the app).
    ``redraw_s``: what a filter change costs in Python -- filter, then turn the subset's
    layer into the string streamlit-folium sends (``_get_feature_group_string``).
    """
    events = synthetic_events(n)
    html: list[str] = []
    full = _median_seconds(lambda: html.append(build_map(events).get_root().render()), repeat)
    build = _median_seconds(lambda: MarkerSet(events), repeat)
    markers = MarkerSet(events)
    fmap = base_map()
    view = Filters(date_from=date(2019, 1, 1), date_to=date(2023, 12, 31))  # keeps ~95%
    sent: list[str] = []

    def redraw() -> None:
        shown = apply_filters(events, view)
        layer = events_layer(markers, shown["event_id"])
        sent.append(streamlit_folium._get_feature_group_string(layer, map=fmap))

    return {
        "events": n,
        "build_render_s": round(full, 3),
        "html_bytes": len(html[-1].encode()),
        "markers_s": round(build, 3),
        "redraw_s": round(_median_seconds(redraw, repeat), 3),
        "redraw_bytes": len(sent[-1].encode()),
    }


def _rss_mb(pid: int) -> float:
    """Peak resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _start_app(events_file: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=os.environ | {"GEO_EVENTS_SOURCE": str(events_file)},
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


def bench_browser(n: int) -> dict[str, float]:
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
                result: dict[str, float] = {"events": n, "drawn": len(mappable)}
                for label in ("first_render_cold_s", "first_render_warm_s"):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    t0 = time.perf_counter()
                    page.goto(f"{url}/?tiles=0")
                    page.locator(MAP_FRAME).wait_for(timeout=120_000)
                    frame = page.locator(MAP_FRAME).element_handle().content_frame()
                    frame.wait_for_function(DRAWN_JS, arg=len(mappable), timeout=120_000, polling=20)
                    result[label] = round(time.perf_counter() - t0, 2)
                toggles = []
                for shown_now in [len(dated), len(mappable)] * 3:  # undated off, on, off, ...
                    t0 = time.perf_counter()
                    page.get_by_text("Include undated events").click()
                    frame.wait_for_function(DRAWN_JS, arg=shown_now, timeout=60_000, polling=20)
                    toggles.append(time.perf_counter() - t0)
                    time.sleep(0.5)
                result["redraw_undated_toggle_s"] = [round(t, 2) for t in toggles]
                result["redraw_undated_toggle_median_s"] = round(statistics.median(toggles), 2)
                t0 = time.perf_counter()
                page.get_by_label("Search evidence").fill("Kontak tembak")  # the Papua clash's evidence
                page.get_by_label("Search evidence").press("Enter")
                shown = mappable[mappable["evidence"].str.contains("Kontak tembak")]  # undated back on
                frame.wait_for_function(DRAWN_JS, arg=len(shown), timeout=60_000, polling=20)
                result["redraw_search_s"] = round(time.perf_counter() - t0, 2)
                result["drawn_after_search"] = len(shown)
                result["server_rss_mb"] = _rss_mb(proc.pid)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return result


def main() -> None:
    """Print one line of figures per size; optionally the browser figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--browser", type=int, metavar="N")
    args = parser.parse_args()
    for n in args.sizes:
        print(json.dumps(bench(n)))
    if args.browser:
        print(json.dumps(bench_browser(args.browser)))


if __name__ == "__main__":
    main()
