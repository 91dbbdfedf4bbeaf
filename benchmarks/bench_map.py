"""Benchmark the event map: build + render time and HTML size of ``build_map`` at 1k and 10k events.

Synthetic events are copies of the test fixture's events (tests/fixtures/events_sample.geojson)
with positions, dates, types and fatalities drawn from ``random.Random(42)``, so every
run measures the same input. ``--write N PATH`` also saves N such events as a GeoJSON
events file, which the app loads with ``GEO_EVENTS_SOURCE=PATH`` (browser timing).

Usage: ``python benchmarks/bench_map.py [--sizes 1000 10000] [--write 10000 out.geojson]``
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit_folium

from geo.export import records_to_frame, to_geojson
from geo.filters import Filters, apply_filters
from geo.mapview import TYPE_COLOURS, base_map, build_map, events_layer, marker_rows

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "events_sample.geojson"


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
        if rng.random() < 0.97:  # a few unresolved ones, like real extraction output
            row["lat"], row["lon"] = round(rng.uniform(-10, 45), 4), round(rng.uniform(30, 140), 4)
            row["geo_precision"] = rng.choice([1, 1, 1, 2, 3])
        else:
            row["lat"] = row["lon"] = row["geo_precision"] = None
        row["event_date"] = None if rng.random() < 0.05 else (start + timedelta(days=rng.randrange(5 * 365))).isoformat()
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

    ``build_render_s``: ``build_map`` rendered to HTML (cards included). ``cards_s``:
    ``marker_rows`` (done once per loaded events table in the app). ``redraw_s``: what a
    filter change costs in Python -- filter, pick the subset's rows, and turn the layer
    into the string streamlit-folium sends (``_get_feature_group_string``).
    """
    events = synthetic_events(n)
    html: list[str] = []
    full = _median_seconds(lambda: html.append(build_map(events).get_root().render()), repeat)
    cards = _median_seconds(lambda: marker_rows(events), repeat)
    rows = marker_rows(events)
    fmap = base_map()
    view = Filters(date_from=date(2019, 1, 1), date_to=date(2023, 12, 31))  # keeps ~95%
    sent: list[str] = []

    def redraw() -> None:
        shown = apply_filters(events, view)
        layer = events_layer([rows[i] for i in shown["event_id"] if i in rows])
        sent.append(streamlit_folium._get_feature_group_string(layer, map=fmap))

    return {
        "events": n,
        "build_render_s": round(full, 3),
        "html_bytes": len(html[-1].encode()),
        "cards_s": round(cards, 3),
        "redraw_s": round(_median_seconds(redraw, repeat), 3),
        "redraw_bytes": len(sent[-1].encode()),
    }


def main() -> None:
    """Print one line of figures per size; optionally write a synthetic events file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--write", nargs=2, metavar=("N", "PATH"))
    args = parser.parse_args()
    for n in args.sizes:
        print(json.dumps(bench(n)))
    if args.write:
        n, path = int(args.write[0]), Path(args.write[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_geojson(synthetic_events(n)), encoding="utf-8")
        print(f"wrote {n} events to {path}")


if __name__ == "__main__":
    main()
