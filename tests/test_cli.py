"""The ``geo`` command line, run as a user would."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

GEOCODE_KEYS = ["query", "name", "lat", "lon", "country", "kind", "geo_precision", "source"]


def run_geo(*args, check=True):
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, check=check, timeout=300)


def test_geocode_json_lines_with_exact_keys():
    result = run_geo("geocode", "--json", "Taji", "Qqqxyz", "bandara Baghdad")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(line) for line in lines] == [GEOCODE_KEYS] * 3
    assert lines[0]["country"] == "IQ" and lines[0]["source"] == "curated"
    assert lines[1]["lat"] is None and lines[1]["lon"] is None
    assert lines[2]["kind"] == "airport"
    assert result.returncode == 0


def test_geocode_plain_with_country_context():
    result = run_geo("geocode", "--country", "LB", "Tripoli")
    assert "\tLB\t" in result.stdout


def test_extract_writes_all_three_formats(tmp_path, seeds_dir):
    frames = {}
    for suffix in ("geojson", "csv", "parquet"):
        out = tmp_path / f"events.{suffix}"
        result = run_geo("extract", str(seeds_dir), "--out", str(out))
        assert "events" in result.stderr
        frames[suffix] = out
    features = json.loads(frames["geojson"].read_text(encoding="utf-8"))["features"]
    csv_rows = pd.read_csv(frames["csv"])
    parquet_rows = pd.read_parquet(frames["parquet"])
    assert len(features) == len(csv_rows) == len(parquet_rows) > 10
    assert list(csv_rows.columns) == [c for c in parquet_rows.columns]
    assert features[0]["geometry"]["type"] == "Point"


def test_extract_reports_bad_files_and_keeps_going(tmp_path):
    (tmp_path / "good.txt").write_text("Pada 2 Maret 2024 roket menghantam pangkalan Ain al-Asad di Irak.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    out = tmp_path / "o.geojson"
    result = run_geo("extract", str(tmp_path), "--out", str(out))
    assert "bad.txt" in result.stderr and "empty" in result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) == 1


def test_unknown_output_format_is_a_clear_error(tmp_path, seeds_dir):
    result = run_geo("extract", str(seeds_dir), "--out", str(tmp_path / "x.xlsx"), check=False)
    assert result.returncode == 1 and "unknown output format" in result.stderr
