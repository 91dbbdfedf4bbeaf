"""The dashboard script under streamlit.testing.v1.AppTest, on the real seed pipeline.

Expected values come from running geo.articles + geo.extract + geo.merge on the seeds
in the test (what the app must show for a view), checked against the seed gold file
(the 2019-12-29 strike on al-Qa'im and the 2019-12-31 storming of the US embassy in
Baghdad must be among that day's events).
"""
from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.articles import articles_from_upload, load_articles
from geo.dashboard import merged
from geo.extract import extract_events
from geo.filters import date_interval

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLE = ROOT / "tests" / "fixtures" / "events_sample.geojson"
GOLD = {e["id"]: e for e in json.loads((ROOT / "tests" / "seed_gold.json").read_text(encoding="utf-8"))["events"]}
TIMEOUT = 120  # the first run builds the gazetteer and extracts the seeds

GOOD_ARTICLE = (
    b"Jakarta - Pada 5 Januari 2020, dua roket menghantam pangkalan udara Ain al-Asad di Irak. "
    b"Serangan itu menewaskan dua tentara Irak, kata juru bicara militer.\n"
)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def seed_reports() -> pd.DataFrame:
    articles, errors = load_articles([ROOT / "seeds"])
    assert errors == [] and len(articles) == 5
    return extract_events(articles)


@pytest.fixture(scope="module")
def seed_events(seed_reports) -> pd.DataFrame:
    return merged(seed_reports)


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.delenv("GEO_EVENTS_SOURCE", raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return at.run()


def shown_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["event_id"])


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def on_day(events: pd.DataFrame, day: str) -> pd.DataFrame:
    return events[events["event_date"] == day]


def test_starts_on_the_seeds(app, seed_events):
    assert not app.exception
    assert app.error == []
    assert metric(app, "Events") == str(len(seed_events))
    assert metric(app, "Articles") == "5"
    assert sorted(shown_ids(app)) == sorted(seed_events["event_id"])
    undated = int(seed_events["event_date"].isna().sum())
    assert app.toggle(key="f_undated").label == f"Include undated events ({undated})"
    spans = [date_interval(v) for v in seed_events["event_date"] if date_interval(v)]
    assert app.slider(key="f_dates").value == (min(s[0] for s in spans), max(s[1] for s in spans))
    assert dict(app.query_params) == {}  # the default view adds nothing to the link


@pytest.mark.parametrize(
    ("day", "gold_id", "types"),
    [
        ("2019-12-29", "us-strikes-kh", {"Explosions/Remote violence"}),
        ("2019-12-31", "embassy-storming", {"Riots", "Protests"}),
    ],
)
def test_one_day_leaves_exactly_that_days_events(app, seed_events, day, gold_id, types):
    d = date.fromisoformat(day)
    app.slider(key="f_dates").set_value((d, d))
    app.toggle(key="f_undated").set_value(False)
    app.run()
    expected = on_day(seed_events, day)
    assert sorted(shown_ids(app)) == sorted(expected["event_id"])
    assert set(app.dataframe[0].value["event_date"]) == {day}
    # the gold event of that day is among them: right type, within 50 km
    gold = GOLD[gold_id]
    assert any(
        row.event_type in types and pd.notna(row.lat) and km(row.lat, row.lon, gold["lat"], gold["lon"]) <= 50
        for row in expected.itertuples()
    )
    assert app.query_params["from"] == day and app.query_params["to"] == day


def test_actor_filter_matches_any_actor_role(app, seed_events):
    app.multiselect(key="f_actors").set_value(["Kataib Hezbollah"]).run()
    expected = seed_events[
        (seed_events["actor1"] == "Kataib Hezbollah") | (seed_events["actor2"] == "Kataib Hezbollah")
        | seed_events["assoc_actors"].map(lambda actors: "Kataib Hezbollah" in list(actors))
    ]
    assert len(expected) > 0
    assert sorted(shown_ids(app)) == sorted(expected["event_id"])
    assert app.query_params["actor"] == "Kataib Hezbollah"


def test_undated_toggle(app, seed_events):
    undated = seed_events[seed_events["event_date"].isna()]
    assert len(undated) > 0  # the seeds have undated events (gold: ain-al-asad-2024)
    app.toggle(key="f_undated").set_value(False).run()
    assert sorted(shown_ids(app)) == sorted(seed_events["event_id"][seed_events["event_date"].notna()])
    assert metric(app, "Events") == str(len(seed_events) - len(undated))


def test_empty_result_shows_a_message(app):
    app.text_input(key="f_text").set_value("tidak ada kalimat seperti ini").run()
    assert not app.exception
    assert metric(app, "Events") == "0"
    assert [i.value for i in app.info] == [
        "No events match these filters. Widen the date range, include undated events or clear a filter."
    ]
    assert shown_ids(app) == []


def test_bad_upload_is_reported_and_good_files_still_load(app, seed_reports):
    good = extract_events(articles_from_upload("ain_al_asad.txt", GOOD_ARTICLE))
    expected = merged(pd.concat([merged(seed_reports), good], ignore_index=True))
    app.file_uploader(key="uploads").set_value([
        ("rusak.txt", b"\x00\x01\x02\x03binary\x00", "text/plain"),
        ("kosong.csv", b"", "text/csv"),
        ("ain_al_asad.txt", GOOD_ARTICLE, "text/plain"),
    ]).run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 2
    assert errors[0].startswith("Could not read **rusak.txt**:")
    assert errors[1].startswith("Could not read **kosong.csv**:")
    assert len(good) > 0
    assert sorted(shown_ids(app)) == sorted(expected["event_id"])
    assert metric(app, "Articles") == "6"


def test_pasted_text_joins_the_map(app, seed_reports):
    pasted = extract_events(articles_from_upload("pasted-1.txt", GOOD_ARTICLE))
    assert len(pasted) > 0
    app.text_area(key="paste_text").set_value(GOOD_ARTICLE.decode())
    app.button[0].click().run()  # the form's "Add text"
    expected = merged(pd.concat([merged(seed_reports), pasted], ignore_index=True))
    assert sorted(shown_ids(app)) == sorted(expected["event_id"])


def test_query_params_restore_a_view(monkeypatch, seed_events):
    monkeypatch.delenv("GEO_EVENTS_SOURCE", raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"from": "2019-12-31", "to": "2019-12-31", "undated": "0", "type": ["Riots"]})
    at.run()
    assert not at.exception
    assert at.slider(key="f_dates").value == (date(2019, 12, 31), date(2019, 12, 31))
    assert at.multiselect(key="f_types").value == ["Riots"]
    assert at.toggle(key="f_undated").value is False
    expected = on_day(seed_events, "2019-12-31")
    expected = expected[expected["event_type"] == "Riots"]
    assert len(expected) > 0
    assert sorted(shown_ids(at)) == sorted(expected["event_id"])


def test_unknown_values_in_a_link_are_dropped(monkeypatch, seed_events):
    monkeypatch.delenv("GEO_EVENTS_SOURCE", raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"actor": ["Nobody at all"], "minfat": "many", "from": "1900-01-01"})
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_actors").value == []
    assert at.number_input(key="f_minfat").value == 0
    first_day = min(date_interval(v)[0] for v in seed_events["event_date"] if date_interval(v))
    assert at.slider(key="f_dates").value[0] == first_day  # clamped to the data


def test_no_events_at_all_says_so(monkeypatch, tmp_path):
    (tmp_path / "empty.geojson").write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    monkeypatch.setenv("GEO_EVENTS_SOURCE", str(tmp_path / "empty.geojson"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [i.value for i in at.info] == ["No events found in these articles yet. Add articles in the sidebar."]


def test_missing_source_is_an_error_not_a_crash(monkeypatch, tmp_path):
    monkeypatch.setenv("GEO_EVENTS_SOURCE", str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Cannot load events from {tmp_path / 'nowhere'}: [Errno 2] No such file or directory: '{tmp_path / 'nowhere'}'"
    ]


def test_events_file_source_and_safe_links(monkeypatch):
    monkeypatch.setenv("GEO_EVENTS_SOURCE", str(SAMPLE))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert metric(at, "Events") == "15" and metric(at, "Fatalities") == "33" and metric(at, "Places") == "10"
    table = at.dataframe[0].value.set_index("event_id")
    assert table.loc["ev-qaim", "urls"] == "https://www.tempo.co/internasional/serangan-kedubes-as-di-baghdad"
    assert pd.isna(table.loc["ev-xss", "urls"])  # its only URL is javascript:
    assert [c.value for c in at.caption if "no resolved place" in c.value] == [
        "1 of these events have no resolved place and are only in the table below."
    ]
    assert [c.value for c in at.caption if "month or year" in c.value] == [
        "2 events dated only to a month or year are not in the weekly timeline."
    ]


def test_reads_a_store_with_an_acled_layer(monkeypatch, tmp_path):
    from geo.store import EventStore

    store_path = tmp_path / "events.sqlite"
    acled = tmp_path / "acled.csv"
    acled.write_text(
        "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,iso,country,location,"
        "latitude,longitude,geo_precision,source,notes,fatalities\n"
        "IRQ1,2020-01-05,1,Protests,Peaceful protest,Protesters (Iraq),,368,Iraq,Basra,30.51,47.78,1,ACLED,Rally,0\n",
        encoding="utf-8")
    with EventStore(store_path) as store:
        store.ingest([ROOT / "seeds"])
        store.import_acled(acled)
        extracted = len(store.events(source_kinds=["extracted"]))
    monkeypatch.setenv("GEO_STORE", str(store_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert metric(at, "Events") == str(extracted + 1)
    at.segmented_control(key="f_layers").set_value(["ACLED"]).run()
    assert metric(at, "Events") == "1"
    at.segmented_control(key="f_layers").set_value(["Extracted"]).run()
    assert metric(at, "Events") == str(extracted)


def test_a_big_table_is_paged(monkeypatch, tmp_path):
    # 2,100 events (the sample's 15, copied 140 times): the table sends one page of 1,000 rows at a time
    features = json.loads(SAMPLE.read_text(encoding="utf-8"))["features"]
    copies = [
        feature | {"id": f"{feature['id']}-{k}", "properties": feature["properties"] | {"event_id": f"{feature['id']}-{k}"}}
        for k in range(140) for feature in features
    ]
    source = tmp_path / "events.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": copies}), encoding="utf-8")
    monkeypatch.setenv("GEO_EVENTS_SOURCE", str(source))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert metric(at, "Events") == "2100"
    first = list(at.dataframe[0].value["event_id"])
    assert len(first) == 1000
    at.number_input(key="table_page").set_value(3).run()
    last = list(at.dataframe[0].value["event_id"])
    assert len(last) == 100 and not set(first) & set(last)
    # a filter leaving fewer pages moves the table to its last page: 11 sample events are in Iraq
    at.multiselect(key="f_countries").set_value(["IQ"]).run()
    assert not at.exception
    assert at.number_input(key="table_page").value == 2 and len(at.dataframe[0].value) == 140 * 11 - 1000
    at.text_input(key="f_text").set_value("pangkalan").run()  # 3 sample events: one page, no page number
    assert len(at.dataframe[0].value) == 140 * 3 and not [n for n in at.number_input if n.key == "table_page"]


def warm_up_in_fresh_process(imports: str = "", setup: str = "", during: str = "pass", after: str = "",
                             env: dict[str, str] | None = None):
    """Run app.py's warm-up once in a fresh Python process (nothing loaded yet) and return the finished process.

    ``imports`` and ``setup`` run before the warm-up (``module`` is app.py as the server imports it),
    ``during`` inside it (the server would be serving), ``after`` once it is done.
    """
    import subprocess
    import sys

    probe = (
        f"import asyncio, importlib\n{imports}"
        f"module = importlib.import_module('app')\n{setup}"
        "async def serve_once():\n"
        "    async with module.warm_up(module.app):\n"
        f"        {during}\n"
        f"asyncio.run(serve_once())\n{after}"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_streamlit_run_serves_app_py_as_an_app_that_warms_up_first():
    """`streamlit run app.py` finds the st.App in app.py; its lifespan loads the lexicons and
    gazetteer before the first visitor (checked in a fresh process, where nothing is loaded yet)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.import_string == "app:app"
    done = warm_up_in_fresh_process(
        imports="from geo.lexicons import trigger_matcher\nfrom geo.toponyms import load_scan_automaton\n",
        setup="assert trigger_matcher.cache_info().currsize == 0 and load_scan_automaton.cache_info().currsize == 0\n",
        after="print(trigger_matcher.cache_info().currsize, load_scan_automaton.cache_info().currsize)\n",
    )
    assert done.stdout.split() == ["1", "1"]


BROKEN = "def broken(*args, **kwargs):\n    raise {error}\n"


def test_a_failed_warm_up_does_not_keep_the_server_from_starting():
    done = warm_up_in_fresh_process(
        imports="import geo.dashboard\n",
        setup=BROKEN.format(error="OSError('seeds unreadable')") + "geo.dashboard.extract_events = broken\n",
        during="print('serving')",
    )
    assert done.stdout.split() == ["serving"]
    assert "warm-up skipped: seeds unreadable" in done.stderr


def test_the_first_visitor_finds_the_warmed_up_seeds_cached(seed_events):
    """The warm-up fills the caches the script runs read: the first visitor's run extracts nothing."""
    done = warm_up_in_fresh_process(
        imports="import geo.dashboard\nfrom streamlit.testing.v1 import AppTest\n",
        after=BROKEN.format(error="AssertionError('extracted again')")
        + "geo.dashboard.extract_events = geo.dashboard.load_articles = broken\n"
        "at = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "print(len(at.exception), at.metric[0].value)\n",
    )
    assert done.stdout.split() == ["0", str(len(seed_events))]


def test_warm_up_of_an_events_file_loads_no_gazetteer():
    """A .geojson source needs no extraction: the warm-up leaves the gazetteer and automata unloaded."""
    import os

    done = warm_up_in_fresh_process(
        imports="from geo.toponyms import load_scan_automaton\n",
        after="print(load_scan_automaton.cache_info().currsize)\n",
        env=os.environ | {"GEO_EVENTS_SOURCE": str(SAMPLE)},
    )
    assert done.stdout.split() == ["0"]
