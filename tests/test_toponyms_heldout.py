"""Held-out toponyms as Indonesian conflict reporting writes them: offline geocoding within 25 km.

``tests/toponyms_heldout.csv`` was written independently of ``data/places.csv``
(ground truth from reference coordinates, cross-checked with GeoNames where it has
the place). Columns: ``written`` (the name as printed, with Indonesian generic
words and spellings), ``context`` (``|``-separated ISO2 countries the article makes
obvious, may be empty), ``lat``/``lon`` (expected point), ``country``, ``note``.
"""
from __future__ import annotations

import csv
from pathlib import Path

from geo.geocoders import default_geocoder
from geo.merge import km_between

HELDOUT = Path(__file__).with_name("toponyms_heldout.csv")
MAX_KM = 25.0
TARGET = 0.95



def load_rows() -> list[dict]:
    with HELDOUT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["countries"] = [c.strip().upper() for c in row["context"].split("|") if c.strip()]
        row["lat"], row["lon"] = float(row["lat"]), float(row["lon"])
    return rows


def evaluate(geocoder, rows):
    """(hits, misses) where each miss is a readable line."""
    hits, misses = 0, []
    for row in rows:
        found = geocoder.geocode(row["written"], row["countries"])
        where = f"{row['written']!r} [{row['context'] or '-'}]"
        if found is None:
            misses.append(f"{where}: unresolved")
            continue
        distance = km_between(found.lat, found.lon, row["lat"], row["lon"])
        if distance > MAX_KM:
            misses.append(f"{where}: {found.name} ({found.country}, {found.kind}) is {distance:.0f} km away")
        else:
            hits += 1
    return hits, misses


def test_heldout_file_is_well_formed():
    rows = load_rows()
    assert len(rows) >= 250
    keys = [(row["written"], row["context"]) for row in rows]
    assert len(keys) == len(set(keys)), "duplicate (written, context) rows"
    for row in rows:
        assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180, row["written"]
        assert all(len(code) == 2 for code in row["countries"]), row["written"]


def test_heldout_toponyms_resolve_within_25_km():
    rows = load_rows()
    hits, misses = evaluate(default_geocoder(online=False), rows)
    share = hits / len(rows)
    print(f"\nheld-out toponyms within {MAX_KM:.0f} km: {hits}/{len(rows)} = {share:.1%}")
    for miss in misses:
        print("  MISS", miss)
    assert share >= TARGET, f"{share:.1%} < {TARGET:.0%} within {MAX_KM:.0f} km; misses:\n" + "\n".join(misses)
