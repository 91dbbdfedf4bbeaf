"""The event store: idempotent, atomic ingest (killed mid-batch), re-merging, SQL filters, WAL readers, CLI."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.articles import Article
from geo.cli import main
from geo.errors import StoreError
from geo.export import event_dicts
from geo.merge import MergeSettings, merge_events
from geo.store import EventStore, default_store_path
from test_merge import AL_QAIM, BAGHDAD, EMBASSY, IRAQ, report

TESTS = Path(__file__).resolve().parent


SUB_EVENT_TYPES = {"Explosions/Remote violence": "Air/drone strike", "Riots": "Mob violence",
                   "Protests": "Peaceful protest", "Battles": "Armed clash", "Strategic developments": "Other",
                   "Violence against civilians": "Attack"}


def fake_extract(article: Article) -> list[dict]:
    """Event rows "read" from a hand-made article: its text is ``kind|date|place`` lines."""
    places = {"embassy": EMBASSY, "baghdad": BAGHDAD, "qaim": AL_QAIM, "iraq": IRAQ}
    rows = []
    for number, line in enumerate(article.text.splitlines()):
        event_type, date, place, *rest = line.split("|")
        rows.append(report(f"{article.id}-{number}", event_type=event_type, sub_event_type=SUB_EVENT_TYPES[event_type],
                           date=date or None, place=places[place],
                           source=article.id, fatalities=int(rest[0]) if rest else None,
                           outlets=[article.outlet] if article.outlet else [], article_published=article.published))
    return rows


def article(name: str, *lines: str, outlet: str | None = None) -> Article:
    return Article(id=name, text="\n".join(lines), outlet=outlet or f"Outlet {name}", published="2020-01-02")


STRIKE = "Explosions/Remote violence|2019-12-29|qaim|25"
STRIKE_COUNTRY = "Explosions/Remote violence|2019-12-29|iraq|20"
STORMING = "Riots|2019-12-31|embassy"
TEAR_GAS = "Protests|2020-01-01|embassy"


# -- the seeds --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("store") / "seeds.sqlite"
    store = EventStore(path)
    started = time.perf_counter()
    first = store.ingest([seeds_dir])
    elapsed = time.perf_counter() - started
    print(f"\ningest of the seeds: {elapsed:.2f} s ({first.added} articles, {first.events_added} raw events,"
          f" {store.counts()['events']} merged events)")
    yield store, first
    store.close()


def test_seeds_ingest_twice_holds_the_same_rows(seed_store, seeds_dir):
    store, first = seed_store
    assert (first.added, first.skipped_duplicates, first.errors) == (5, 0, [])
    before = store.counts()
    again = store.ingest([seeds_dir])
    assert (again.added, again.skipped_duplicates, again.events_added) == (0, 5, 0)
    assert store.counts() == before
    assert before["articles"] == 5 and before["raw_events"] == first.events_added


def test_seed_store_holds_the_merged_events(seed_store, seeds_dir):
    from geo.extract import extract_records

    store, _ = seed_store
    rows, _ = extract_records([seeds_dir])
    expected = {e["event_id"]: e for e in merge_events(rows)}
    stored = store.events()
    assert sorted(stored["event_id"]) == sorted(expected)
    assert set(stored["source_kind"]) == {"extracted"}
    strikes = stored[stored["event_id"] == expected_strike_id(expected)].iloc[0]
    assert list(strikes["sources"]) == expected[strikes["event_id"]]["sources"]


def expected_strike_id(events: dict) -> str:
    [event_id] = [i for i, e in events.items()
                  if e["event_date"] == "2019-12-29" and e["event_type"] == "Explosions/Remote violence"]
    return event_id


# -- ingest: idempotent, re-merging ------------------------------------------------------------------


def test_new_reports_are_merged_into_stored_events(tmp_path):
    with EventStore(tmp_path / "s.sqlite") as store:
        store.ingest([article("a", STRIKE, STORMING)], extract=fake_extract)
        assert store.counts()["events"] == 2
        report_b = store.ingest([article("b", STRIKE_COUNTRY, TEAR_GAS)], extract=fake_extract)
        assert (report_b.added, report_b.events_added) == (1, 2)
        events = store.events().set_index("event_id")
        assert store.counts() == {"articles": 2, "raw_events": 4, "events": 3, "events_extracted": 3, "events_acled": 0,
                                  "articles_extracted": 2, "articles_acled": 0}
        strike = events.loc["a-0"]
        assert (strike["article_count"], strike["fatalities_low"], strike["fatalities_high"]) == (2, 20, 25)
        assert list(strike["outlets"]) == ["Outlet a", "Outlet b"]


@pytest.mark.parametrize("settings", [MergeSettings(), MergeSettings(max_days_apart=1)], ids=["by year", "everything"])
def test_re_merging_after_each_batch_equals_merging_everything_at_once(tmp_path, settings):
    batches = [
        [article("a", STRIKE, STORMING)],
        [article("b", "Battles|2018-05-01|iraq", "Riots|2019|embassy", "Protests||baghdad")],
        [article("c", STRIKE_COUNTRY, TEAR_GAS, "Protests||baghdad", "Riots|2019-12-30|embassy")],
    ]
    with EventStore(tmp_path / "s.sqlite", settings=settings) as store:
        for batch in batches:
            store.ingest(batch, extract=fake_extract)
        stored = sorted(event_dicts(store.events()), key=lambda e: e["event_id"])
    everything = [row for batch in batches for a in batch for row in fake_extract(a)]
    assert stored == sorted(merge_events(everything, settings), key=lambda e: e["event_id"])


def test_generation_counts_committed_batches(tmp_path):
    with EventStore(tmp_path / "s.sqlite") as store:
        assert store.generation() == 0
        store.ingest([article("a", STRIKE)], extract=fake_extract)
        store.ingest([article("a", STRIKE)], extract=fake_extract)  # nothing new: nothing committed
        store.ingest([article("b", TEAR_GAS)], extract=fake_extract)
        assert store.generation() == 2
    with EventStore(tmp_path / "s.sqlite", readonly=True) as reader:
        assert reader.generation() == 2


def test_the_same_article_twice_in_one_batch_is_stored_once(tmp_path):
    with EventStore(tmp_path / "s.sqlite") as store:
        result = store.ingest([article("a", STRIKE), article("a", STRIKE)], extract=fake_extract)
        assert (result.added, result.skipped_duplicates) == (1, 1)


def test_input_errors_are_reported_and_good_files_stored(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "ok.txt").write_text(STORMING, encoding="utf-8")
    with EventStore(tmp_path / "s.sqlite") as store:
        result = store.ingest([tmp_path / "in"], extract=fake_extract)
    assert result.added == 1
    assert len(result.errors) == 1 and "empty.txt" in result.errors[0]


# -- atomicity: a batch killed half-way --------------------------------------------------------------

# Runs an ingest whose merge step (inside the write transaction, after the articles and
# raw events are inserted) announces itself and then waits: until killed, or until the
# "go" file appears.
_SLOW_INGEST = """
import sys, time
from pathlib import Path
import geo.store
from geo.store import EventStore
from test_store import article, fake_extract, STRIKE_COUNTRY, TEAR_GAS

store_path, inside, go = sys.argv[1:4]
real_merge = geo.store.merge_groups

def slow_merge(rows, settings):
    Path(inside).touch()
    while not Path(go).exists():
        time.sleep(0.02)
    return real_merge(rows, settings)

geo.store.merge_groups = slow_merge
batch = [article("b", STRIKE_COUNTRY, TEAR_GAS), article("c", TEAR_GAS)]
result = EventStore(store_path).ingest(batch, extract=fake_extract)
print(result.added)
"""


def _start_slow_ingest(tmp_path: Path, store_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    inside, go = tmp_path / "inside", tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-c", _SLOW_INGEST, str(store_path), str(inside), str(go)],
                               cwd=TESTS, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not inside.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the ingest never reached its transaction: {process.communicate()}")
        time.sleep(0.02)
    return process, inside, go


def _snapshot(path: Path) -> tuple[dict, list]:
    with EventStore(path, readonly=True) as store:
        return store.counts(), sorted(store.events()["event_id"])


def test_an_ingest_killed_mid_transaction_leaves_the_store_as_before(tmp_path):
    path = tmp_path / "s.sqlite"
    with EventStore(path) as store:
        store.ingest([article("a", STRIKE, STORMING)], extract=fake_extract)
    before = _snapshot(path)
    process, _, _ = _start_slow_ingest(tmp_path, path)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert _snapshot(path) == before  # none of the batch
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with EventStore(path) as store:  # the store still takes writes, and the batch can be redone whole
        redo = store.ingest([article("b", STRIKE_COUNTRY, TEAR_GAS), article("c", TEAR_GAS)], extract=fake_extract)
        assert (redo.added, store.counts()["articles"]) == (2, 3)


def test_an_exception_mid_batch_rolls_everything_back(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    with EventStore(path) as store:
        store.ingest([article("a", STRIKE)], extract=fake_extract)
        before = store.counts()

        def broken(rows, settings):
            raise sqlite3.OperationalError("disk I/O error (simulated)")

        monkeypatch.setattr("geo.store.merge_groups", broken)
        with pytest.raises(StoreError, match="nothing stored"):
            store.ingest([article("b", STRIKE_COUNTRY), article("c", TEAR_GAS)], extract=fake_extract)
        assert store.counts() == before


# -- WAL: a reader while another process writes --------------------------------------------------


def test_a_reader_reads_while_another_process_writes(tmp_path):
    path = tmp_path / "s.sqlite"
    with EventStore(path) as store:
        store.ingest([article("a", STRIKE, STORMING)], extract=fake_extract)
    before = _snapshot(path)
    process, _, go = _start_slow_ingest(tmp_path, path)
    try:
        started = time.perf_counter()
        during = _snapshot(path)  # the writer holds its transaction open right now
        read_seconds = time.perf_counter() - started
    finally:
        go.touch()
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    print(f"\nread while another process held the write transaction: {read_seconds * 1000:.0f} ms")
    assert during == before  # the last committed state, not half a batch
    assert read_seconds < 5
    after = _snapshot(path)
    assert after[0]["articles"] == before[0]["articles"] + 2


# -- reading with filters ---------------------------------------------------------------------------


@pytest.fixture()
def filter_store(tmp_path):
    with EventStore(tmp_path / "s.sqlite") as store:
        store.ingest([
            article("a", STRIKE, STORMING, TEAR_GAS),
            article("b", "Battles|2019-12|iraq", "Strategic developments||baghdad",
                    "Violence against civilians|2020|embassy"),
        ], extract=fake_extract)
        yield store


@pytest.mark.parametrize(("query", "expected"), [
    ({}, ["b-0", "a-0", "a-1", "a-2", "b-2", "b-1"]),  # by first day (2019-12 is 1 Dec), undated last
    ({"since": "2019-12-31"}, ["a-1", "a-2", "b-2", "b-1"]),
    ({"since": "2019-12-31", "include_undated": False}, ["a-1", "a-2", "b-2"]),
    ({"until": "2019-12-31", "include_undated": False}, ["b-0", "a-0", "a-1"]),  # 2019-12 lies inside
    ({"since": "2019-12-15", "until": "2019-12-31", "include_undated": False}, ["a-0", "a-1"]),  # 2019-12 does not
    ({"event_types": ["Riots", "Protests"]}, ["a-1", "a-2"]),
    ({"countries": ["IQ"], "event_types": ["Battles"]}, ["b-0"]),
    ({"countries": ["SY"]}, []),
    ({"actors": ["United States"], "event_types": ["Battles"]}, ["b-0"]),
    ({"source_kinds": ["acled"]}, []),
])
def test_events_filters_in_sql(filter_store, query, expected):
    assert list(filter_store.events(**query)["event_id"]) == expected


def test_actor_filter_reaches_associated_actors(tmp_path):
    def extract(a):
        return [report("x", assoc_actors=["Kataib Hezbollah"], source=a.id),
                report("y", date="2019-12-01", source=a.id)]

    with EventStore(tmp_path / "s.sqlite") as store:
        store.ingest([article("a", "")], extract=extract)
        assert list(store.events(actors=["Kataib Hezbollah"])["event_id"]) == ["x"]


def test_events_come_back_as_a_geodataframe_with_lists(filter_store):
    events = filter_store.events()
    assert events.crs.to_epsg() == 4326
    row = events.set_index("event_id").loc["a-0"]
    assert (row.geometry.x, row.geometry.y) == (AL_QAIM["lon"], AL_QAIM["lat"])  # shapely is (lon, lat)
    assert list(row["sources"]) == ["a"] and row["fatalities"] == 25


# -- opening ------------------------------------------------------------------------------------------


def test_read_only_store_must_exist_and_cannot_be_written(tmp_path):
    with pytest.raises(StoreError, match="no event store here"):
        EventStore(tmp_path / "missing.sqlite", readonly=True)
    EventStore(tmp_path / "s.sqlite").close()
    with EventStore(tmp_path / "s.sqlite", readonly=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.ingest([article("a", STRIKE)], extract=fake_extract)


def test_not_a_store(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database at all " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="notes.sqlite"):
        EventStore(path)


def test_a_store_of_another_version_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    EventStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="version 99"):
        EventStore(path)


def test_default_store_path(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_STORE", str(tmp_path / "x.sqlite"))
    assert default_store_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("GEO_STORE")
    assert default_store_path() == Path("geo-events.sqlite")


# -- CLI ---------------------------------------------------------------------------------------------


def test_cli_ingest_and_export(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("geo.extract.extract_article", fake_extract)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{STRIKE}\n{STORMING}", encoding="utf-8")
    (folder / "b.txt").write_text(STRIKE_COUNTRY, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("GEO_STORE", str(tmp_path / "env.sqlite"))
    assert main(["ingest", str(folder)]) == 1  # one file could not be read
    out, err = capsys.readouterr()
    assert "2 articles added (3 events), 0 already stored" in out and "env.sqlite holds 2 events from 2 sources" in out
    assert "bad.txt" in err
    assert main(["ingest", str(folder / "a.txt"), str(folder / "b.txt")]) == 0
    assert "0 articles added (0 events), 2 already stored" in capsys.readouterr().out

    assert main(["export", "--format", "geojson", "--type", "Riots"]) == 0
    out, err = capsys.readouterr()
    assert out.count('"Feature"') == 1 and "1 events -> stdout" in err
    target = tmp_path / "out" / "events.parquet"
    day = ["--since", "2019-12-29", "--until", "2019-12-29"]
    assert main(["export", "--format", "parquet", "--out", str(target), *day]) == 0
    import pandas as pd

    assert len(pd.read_parquet(target)) == 1
    assert main(["export", "--format", "parquet"]) == 2
    assert main(["export", "--store", str(tmp_path / "none.sqlite"), "--format", "geojson"]) == 1
    assert "no event store here" in capsys.readouterr().err
