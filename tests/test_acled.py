"""ACLED interchange: export -> import round trip, real ACLED rows, malformed rows, formulas, re-import."""
from __future__ import annotations

import csv
import io

import pytest

from geo.acled import parse_acled, read_acled
from geo.cli import main
from geo.errors import InputError
from geo.export import ACLED_COLUMNS, event_dicts, records_to_frame, to_acled_csv
from geo.merge import merge_events
from geo.store import EventStore
from test_merge import AL_QAIM, EMBASSY, IRAQ, NOWHERE, report

#: What an ACLED-style CSV carries of an event (the rest - URLs, injuries, the written
#: place of a located event, the other evidence sentences - has no ACLED column).
CARRIED = ("event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2",
           "assoc_actors", "location", "country", "lat", "lon", "geo_precision", "fatalities", "outlets", "evidence")


def carried(event: dict) -> dict:
    values = {c: event[c] for c in CARRIED}
    values["assoc_actors"] = list(values["assoc_actors"])
    values["outlets"] = list(values["outlets"])
    values["fatalities"] = values["fatalities"] or 0  # ACLED has no "unknown" toll
    return values


def _events(store: EventStore) -> dict[str, dict]:
    return {e["event_id"]: carried(e) for e in event_dicts(store.events())}


HAND_MADE = [
    report("day", date="2019-12-29", place=AL_QAIM, fatalities=25, actor2="Kataib Hezbollah",
           assoc_actors=["IRGC", "PMF"]),
    report("month", date="2019-12", place=IRAQ, event_type="Battles", sub_event_type="Armed clash", actor1=None),
    report("year", date="2020", place=EMBASSY, event_type="Riots", sub_event_type="Mob violence", fatalities=0),
    report("undated", date=None, place=NOWHERE, location_as_written="Desa X", event_type="Protests",
           sub_event_type="Peaceful protest", evidence="=HYPERLINK(\"http://evil\")", outlets=["-Outlet", "@home"]),
]


def test_round_trip_of_hand_made_events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(to_acled_csv(records_to_frame(HAND_MADE)), encoding="utf-8")
    with EventStore(tmp_path / "fresh.sqlite") as store:
        result = store.import_acled(path)
        assert (result.added, result.errors) == (4, [])
        assert _events(store) == {r["event_id"]: carried(r) for r in HAND_MADE}
        [undated] = [e for e in event_dicts(store.events()) if e["event_id"] == "undated"]
        assert (undated["location"], undated["location_as_written"], undated["lat"]) == (None, "Desa X", None)
        assert set(store.events()["source_kind"]) == {"acled"}


def test_round_trip_of_the_seed_store(tmp_path, seeds_dir):
    with EventStore(tmp_path / "seeds.sqlite") as source:
        source.ingest([seeds_dir])
        exported = to_acled_csv(source.events())
        original = _events(source)
    path = tmp_path / "seeds_acled.csv"
    path.write_text(exported, encoding="utf-8")
    with EventStore(tmp_path / "fresh.sqlite") as fresh:
        result = fresh.import_acled(path)
        assert result.errors == [] and result.added == len(original)
        assert _events(fresh) == original
        again = fresh.import_acled(path)
        assert (again.added, again.skipped_duplicates, again.updated) == (0, len(original), 0)
        assert fresh.counts()["events_acled"] == len(original)


def test_formula_cells_stay_neutralised_outside_the_store(tmp_path):
    text = to_acled_csv(records_to_frame(HAND_MADE))
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["event_id_cnty"] == "undated")
    assert row["notes"].startswith("'=") and row["source"].startswith("'-")
    [event] = [e for e in parse_acled(text, "x.csv")[0] if e["event_id"] == "undated"]
    assert event["evidence"] == '=HYPERLINK("http://evil")'  # stored as the text it was
    again = to_acled_csv(records_to_frame([event]))
    assert next(csv.DictReader(io.StringIO(again)))["notes"].startswith("'=")  # and neutralised on the way out


def test_an_apostrophe_that_is_not_ours_is_kept():
    rows, errors = parse_acled(_acled_csv({"notes": "'tis the season", "source": "''=x"}), "x.csv")
    assert errors == []
    assert rows[0]["evidence"] == "'tis the season"
    assert rows[0]["outlets"] == ["''=x"]  # not what neutralising makes of anything


def _acled_csv(*overrides: dict) -> str:
    """An ACLED export in ACLED's own style (full dates, country names, numeric iso)."""
    base = {
        "event_id_cnty": "IRQ1", "event_date": "29 December 2019", "year": "2019", "time_precision": "1",
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of the United States (2017-2021)", "assoc_actor_1": "", "actor2": "Kataib Hezbollah",
        "assoc_actor_2": "PMF; Iran", "iso": "368", "country": "Iraq",
        "location": "Al Qaim", "latitude": "34.3888", "longitude": "40.9863", "geo_precision": "2",
        "source": "Reuters; Al Sumaria", "source_scale": "International",
        "notes": "On 29 December 2019, US strikes ...",
        "fatalities": "25", "tags": "",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(base), lineterminator="\n")
    writer.writeheader()
    for number, override in enumerate(overrides or [{}], start=1):
        writer.writerow({**base, "event_id_cnty": f"IRQ{number}", **override})
    return out.getvalue()


def test_an_acled_export_row():
    [row], errors = parse_acled(_acled_csv({"time_precision": "3"}), "acled.csv")
    assert errors == []
    assert (row["event_id"], row["event_date"], row["date_precision"]) == ("IRQ1", "2019-12", "month")
    assert (row["country"], row["lat"], row["lon"], row["geo_precision"]) == ("IQ", 34.3888, 40.9863, 2)
    assert row["assoc_actors"] == ["PMF", "Iran"] and row["outlets"] == ["Reuters", "Al Sumaria"]
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"]) == (25, 25, 25)
    assert row["sources"] == ["IRQ1"] and row["geo_source"] == "acled"


MALFORMED = [
    ({"event_date": "31/12/2019"}, "event_date '31/12/2019' is not a date"),
    ({"event_date": "2019-13"}, "event_date '2019-13' is not a date"),
    ({"event_type": "Riot"}, "event_type 'Riot' is not an ACLED event type"),
    ({"sub_event_type": "Armed clash"},
     "sub_event_type 'Armed clash' is not a sub-event type of Explosions/Remote violence"),
    ({"latitude": ""}, "latitude and longitude must both be given"),
    ({"latitude": "north"}, "latitude 'north' is not a number"),
    ({"longitude": "200"}, "longitude 200.0 is outside -180..180"),
    ({"fatalities": "-3"}, "fatalities -3 is out of range"),
    ({"fatalities": "many"}, "fatalities 'many' is not a whole number"),
    ({"geo_precision": "4"}, "geo_precision 4 is out of range (1-3)"),
    ({"time_precision": "0"}, "time_precision 0 is out of range (1-3)"),
    ({"event_id_cnty": ""}, "event_id_cnty is empty"),
    ({"event_id_cnty": "IRQ1"}, "event_id_cnty 'IRQ1' repeats line 2"),
]


@pytest.mark.parametrize(("bad", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_a_malformed_row_gets_a_message_and_good_rows_still_load(bad, message):
    text = _acled_csv({}, bad, {"fatalities": "3.0"})
    rows, errors = parse_acled(text, "acled.csv")
    assert [r["event_id"] for r in rows] == ["IRQ1", "IRQ3"]
    assert len(errors) == 1 and errors[0].startswith(f"acled.csv, line 3: {message}")
    assert rows[1]["fatalities"] == 3


def test_line_numbers_count_multi_line_notes_and_extra_cells():
    text = _acled_csv({"notes": "first line\nsecond line"}, {}) + "IRQ9," + ",".join("x" * len(ACLED_COLUMNS)) + "\n"
    rows, errors = parse_acled(text, "acled.csv")
    assert [r["event_id"] for r in rows] == ["IRQ1", "IRQ2"]
    assert errors == ["acled.csv, line 5: more cells than columns"]


def test_a_file_without_acled_columns_is_refused(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("text,title\nhello,world\n", encoding="utf-8")
    with pytest.raises(InputError, match="articles.csv: not an ACLED CSV: missing column"):
        read_acled(path)


def test_a_revised_acled_row_replaces_the_old_one(tmp_path):
    first, revised = tmp_path / "v1.csv", tmp_path / "v2.csv"
    first.write_text(_acled_csv({}, {"fatalities": "1"}), encoding="utf-8")
    revised.write_text(_acled_csv({}, {"fatalities": "4"}), encoding="utf-8")
    with EventStore(tmp_path / "s.sqlite") as store:
        store.import_acled(first)
        result = store.import_acled(revised)
        assert (result.added, result.updated, result.skipped_duplicates) == (0, 1, 1)
        assert store.counts() == {"articles": 2, "raw_events": 2, "events": 2, "events_extracted": 0, "events_acled": 2,
                                  "articles_extracted": 0, "articles_acled": 2}
        assert store.events().set_index("event_id").loc["IRQ2", "fatalities"] == 4


def test_importing_a_store_s_own_export_into_it_changes_nothing(tmp_path):
    from test_store import STORMING, STRIKE, article, fake_extract

    with EventStore(tmp_path / "s.sqlite") as store:
        store.ingest([article("a", STRIKE, STORMING)], extract=fake_extract)
        before = store.counts()
        path = tmp_path / "own.csv"
        path.write_text(to_acled_csv(store.events()), encoding="utf-8")
        result = store.import_acled(path)
        assert (result.added, len(result.errors)) == (0, 2)
        assert "belongs to an event extracted into this store" in result.errors[0]
        assert store.counts() == before


def test_acled_rows_are_not_merged_with_each_other_or_with_extracted_events(tmp_path):
    twins = _acled_csv({}, {"actor1": ""})  # same day, place and type: ACLED says two events, so two
    path = tmp_path / "twins.csv"
    path.write_text(twins, encoding="utf-8")
    with EventStore(tmp_path / "s.sqlite") as store:
        store.import_acled(path)
        assert store.counts()["events_acled"] == 2
        assert len(merge_events(parse_acled(twins, "t.csv")[0])) == 1  # what merging would have done


def test_cli_import(tmp_path, capsys):
    path = tmp_path / "acled.csv"
    path.write_text(_acled_csv({}, {"event_date": "yesterday"}, {}), encoding="utf-8")
    store = str(tmp_path / "s.sqlite")
    assert main(["import", "--format", "acled", str(path), "--store", store]) == 1
    out, err = capsys.readouterr()
    assert "2 ACLED rows added (2 events), 0 already stored" in out
    assert f"{path}, line 3: event_date 'yesterday' is not a date" in err
    assert main(["import", "--format", "acled", str(path), "--store", store]) == 1
    assert "0 ACLED rows added (0 events), 2 already stored" in capsys.readouterr().out
    assert main(["export", "--store", store, "--format", "acled-csv", "--source-kind", "acled", "--country", "iq"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 2  # header and the two rows
