"""Extraction quality on the held-out set (tests/heldout): twelve articles the rules were not written for.

The held-out articles imitate twelve Indonesian outlets (Kompas, detik, CNN Indonesia, Republika,
ANTARA, Tempo, Liputan6, SINDOnews, VOA, BBC Indonesia, Tribun, kumparan) and report other events
than the seeds. Their gold (tests/heldout/gold.json) was annotated before the extractor was run and
is scored with the seed gold's matching rules (tests/gold_scoring.py).

The release targets are recall >= 0.8 and precision >= 0.8 on unseen text (the issue's aim). When
the set was written the extractor reached recall 0.75 (27/36 required events) and precision 0.46;
after the audit's date, place, clause and actor fixes it reaches recall 0.92-0.97 (33-35/36) and
precision 0.66-0.69 (the range: two Papua places whose coordinates the gold and the gazetteer
disagree on by ~55 km). The precision target is NOT met yet. The assertions are the measured figures minus a
small margin: they catch regressions, they do not certify the precision target. Note the rules were
revised after looking at these articles, so this set is no longer strictly unseen.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.extract import extract_records
from gold_scoring import score

HELDOUT = Path(__file__).with_name("heldout")
#: Release targets (not yet reached; see the module docstring).
TARGET_RECALL, TARGET_PRECISION = 0.8, 0.8
#: Measured (recall 0.92, precision 0.66), minus a small margin.
FLOOR_RECALL, FLOOR_PRECISION = 0.88, 0.62


@pytest.fixture(scope="module")
def heldout_gold() -> dict:
    return json.loads((HELDOUT / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def heldout_rows():
    rows, errors = extract_records([HELDOUT / "articles"])
    assert errors == []
    return rows


def test_heldout_articles_and_gold_agree(heldout_gold):
    files = {p.name for p in (HELDOUT / "articles").glob("*.txt")}
    assert set(heldout_gold["articles"]) == files
    assert {s for e in heldout_gold["events"] for s in e["sources"]} <= files


def test_heldout_quality(heldout_rows, heldout_gold, capsys):
    result = score(heldout_rows, heldout_gold)
    with capsys.disabled():
        print(f"\nheld-out gold: {result.summary()}")
        print(f"  targets recall>={TARGET_RECALL} precision>={TARGET_PRECISION}; "
              f"asserted floor recall>={FLOOR_RECALL} precision>={FLOOR_PRECISION}")
        print(f"  required missed: {result.required_missed}")
        for pred in result.unmatched:
            print(f"  unmatched: {pred['sources'][0][:3]} {pred['event_date']} {pred['event_type']} @ {pred['location']}: "
                  f"{pred['evidence'][:80]}")
    assert result.recall >= FLOOR_RECALL
    assert result.precision >= FLOOR_PRECISION


def test_heldout_datelines_are_not_event_places(heldout_rows):
    """Newsroom datelines recognised by the cleaner never become event places."""
    by_source = {(r["sources"][0], r["location_as_written"]) for r in heldout_rows}
    assert ("h06_tempo_as_inggris_yaman.txt", "Jakarta") not in by_source
    assert ("h03_cnn_rafah.txt", "Jakarta") not in by_source
