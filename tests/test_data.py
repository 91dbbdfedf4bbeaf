"""Every bundled data file loads and validates; validation errors name file and row."""
from __future__ import annotations

import pytest

from geo import datafiles
from geo.datafiles import data_files, read_rows
from geo.errors import DataFileError
from geo.gazetteer import _curated_entries, generic_prefixes, place_kinds
from geo.lexicons import acled_taxonomy, actor_matcher, cue_words, not_places, number_words, retype_rules, trigger_matcher
from geo.dates import date_words


def test_every_loader_accepts_its_file():
    assert len(place_kinds()) >= 20
    assert len(generic_prefixes()) >= 30
    assert len(list(_curated_entries())) >= 150 + 190
    assert len(acled_taxonomy()) == 25
    assert trigger_matcher().size >= 400
    assert actor_matcher().size >= 500
    assert set(cue_words()) >= {"fatality", "injury", "non_event", "reference"}
    assert number_words()["unit"]["dua"] == 2
    assert len(retype_rules()) >= 5
    assert "Reuters" in not_places()["outlet"]
    assert date_words()["month"]["desember"] == 12


def test_data_files_are_listed():
    names = data_files()
    for required in ("places.csv", "countries.csv", "actors.csv", "triggers.csv", "cues.csv", "number_words.csv"):
        assert required in names


def test_places_have_at_least_150_curated_rows_with_sources():
    rows = read_rows("places.csv", ["id", "name", "kind", "lat", "lon", "coord_source"])
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)


def test_a_bad_row_names_file_row_and_column(monkeypatch):
    monkeypatch.setattr(datafiles, "_read_text", lambda name: "id,lat\nok,1.5\nbad,north\n")
    with pytest.raises(DataFileError, match=r"data/x.csv, row 3: column 'lat' has bad value 'north'"):
        read_rows("x.csv", ["id"], {"lat": float})
    with pytest.raises(DataFileError, match=r"missing column\(s\) name"):
        read_rows("x.csv", ["name"])
