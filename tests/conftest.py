"""Shared fixtures: the bundled seeds, the gold annotation, a per-session cache directory."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD_PATH = Path(__file__).with_name("seed_gold.json")
SAMPLE_EVENTS = Path(__file__).parent / "fixtures" / "events_sample.geojson"


@pytest.fixture(scope="session")
def gold() -> dict:
    """The seed gold annotation."""
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def events():
    """The hand-made events fixture (tests/fixtures/events_sample.geojson) as an events table."""
    import geopandas as gpd

    from geo.schema import EVENT_COLUMNS, INT_COLUMNS

    features = json.loads(SAMPLE_EVENTS.read_text(encoding="utf-8"))["features"]
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    frame = frame.astype({c: "Int64" for c in INT_COLUMNS})
    return frame[[*EVENT_COLUMNS, "geometry"]]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The bundled sample articles."""
    return SEEDS


def pytest_configure(config):
    # Keep compiled indexes out of the user's home when CI asks for it, but reuse them across runs.
    os.environ.setdefault("GEO_CACHE_DIR", str(ROOT / ".cache"))
