"""Extraction quality on the seed gold annotation, with the gold file's matching rules."""
from __future__ import annotations

import pytest

from geo.extract import extract_records
from gold_scoring import score


@pytest.fixture(scope="module")
def seed_rows(seeds_dir):
    rows, errors = extract_records([seeds_dir])
    assert errors == []
    return rows


def test_seed_gold_quality(seed_rows, gold, capsys):
    result = score(seed_rows, gold)
    with capsys.disabled():
        print(f"\nseed gold: {result.summary()}")
        for pred in result.unmatched:
            print(f"  unmatched: {pred['sources'][0][:3]} {pred['event_date']} {pred['event_type']} @ {pred['location']}: "
                  f"{pred['evidence'][:80]}")
    assert result.required_missed == []
    assert result.precision >= 0.85
    assert result.fatality_agreement >= 0.80
    assert result.actor_agreement >= 0.80


def test_undated_event_stays_undated(seed_rows):
    ain_al_asad_003 = [r for r in seed_rows if r["sources"] == ["003_da3b1012a6ad7316.txt"] and r["location"] == "Ain al-Asad Air Base"]
    assert {r["event_date"] for r in ain_al_asad_003} == {None, "2020-01-08"}


def test_dateline_and_related_lines_are_never_event_places(seed_rows):
    places = {r["location_as_written"] for r in seed_rows}
    assert not places & {"Jakarta", "Vietnam", "New York", "Pentagon", "Washington", "Teheran"}
    assert all("Baca Juga" not in r["evidence"] for r in seed_rows)


def test_event_ids_are_stable(seeds_dir, seed_rows):
    again, _ = extract_records([seeds_dir])
    assert [r["event_id"] for r in again] == [r["event_id"] for r in seed_rows]
    assert len({r["event_id"] for r in seed_rows}) == len(seed_rows)


def test_every_event_carries_evidence_and_source(seed_rows):
    for row in seed_rows:
        assert row["evidence"] and row["sources"]
        assert row["evidence"] in row["evidence_all"]
