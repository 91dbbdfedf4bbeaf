"""Tests for geo.mapview: the escaped event card, the map dataset and its masks, and a map that loads nothing from a CDN."""
from __future__ import annotations

import base64
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit_folium

from geo.mapview import (
    MAX_RADIUS,
    MIN_RADIUS,
    OSM_TILES,
    TYPE_COLOURS,
    MarkerSet,
    base_map,
    build_map,
    date_label,
    decode_mask,
    encode_mask,
    event_card,
    events_layer,
    fatalities_label,
    legend_html,
    marker_rows,
    radius_for,
    script_json,
    world_outline,
)

STATIC = Path(__file__).parent.parent / "static"


def row(events, event_id: str) -> dict:
    return events[events["event_id"] == event_id].iloc[0].to_dict()


def test_card_escapes_every_field(events):
    card = event_card(row(events, "ev-xss"))
    assert "<img" not in card and "<b>" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "&quot;kompleks&quot; &amp; &#x27;zona hijau&#x27; &#96;Baghdad&#96;" in card
    assert "Kedubes AS &lt;b&gt;Baghdad&lt;/b&gt;" in card
    # its only URL is javascript:, so the source is listed without a link
    assert "javascript:" not in card and "<a " not in card
    assert "<li>ERA.id <span class='ge-id'>002</span></li>" in card


@pytest.mark.parametrize(
    "field", ["event_type", "sub_event_type", "actor1", "actor2", "location", "country", "evidence"]
)
def test_card_escapes_hostile_text_in_any_field(events, field):
    event = row(events, "ev-qaim") | {field: "\"'`<script>alert(1)</script>&"}
    card = event_card(event)
    assert "<script>" not in card
    assert "&quot;&#x27;&#96;&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in card


def test_card_lists_each_source_with_its_link(events):
    card = event_card(row(events, "ev-qaim"))
    assert card.count("<a href=") == 3
    assert "<a href='https://www.tempo.co/internasional/serangan-kedubes-as-di-baghdad' target='_blank' " \
           "rel='noopener noreferrer'>Tempo (TEMPO.CO) <span class='ge-id'>000</span></a>" in card
    assert "<div class='ge-date'>2019-12-29</div>" in card
    assert "<td>Explosions/Remote violence / Air/drone strike</td>" in card
    assert "<td>United States → Kataib Hezbollah</td>" in card
    assert "<td>Popular Mobilization Forces</td>" in card
    assert "al-Qa&#x27;im → Al-Qa&#x27;im, IQ" in card and "(near a town / district)" in card
    assert "<td>20–31 (best 25)</td>" in card and "<th>Injuries</th><td>55</td>" in card
    assert "menewaskan 25 orang." in card


@pytest.mark.parametrize(
    ("lists", "items"),
    [
        # articles without URLs (like the seeds): outlet names still pair with sources
        ({"sources": ["a.txt", "b.txt"], "outlets": ["Tempo", "ERA.id"], "urls": []},
         ["Tempo <span class='ge-id'>a.txt</span>", "ERA.id <span class='ge-id'>b.txt</span>"]),
        # a merge left fewer outlets than sources: all shown, unpaired
        ({"sources": ["a.txt", "b.txt"], "outlets": ["Tempo"], "urls": ["https://x.org/1", "ftp://x.org/2"]},
         ["<a href='https://x.org/1' target='_blank' rel='noopener noreferrer'>a.txt</a>", "b.txt",
          "Outlets: Tempo"]),
        ({"sources": ["a.txt"], "outlets": [], "urls": ["https://x.org/1", "https://x.org/2"]},
         ["a.txt", "<a href='https://x.org/1' target='_blank' rel='noopener noreferrer'>https://x.org/1</a>",
          "<a href='https://x.org/2' target='_blank' rel='noopener noreferrer'>https://x.org/2</a>"]),
    ],
)
def test_sources_pair_outlets_and_links_when_they_line_up(lists, items):
    card = event_card(lists)
    assert card.split("<ul>")[1].split("</ul>")[0] == "".join(f"<li>{i}</li>" for i in items)


def test_card_of_undated_and_unresolved_events(events):
    assert "<div class='ge-date'>undated</div>" in event_card(row(events, "ev-asad-undated"))
    assert "<td>not reported</td>" in event_card(row(events, "ev-asad-undated"))
    assert "Jurf al-Nasr → not resolved" in event_card(row(events, "ev-jurf"))


def test_brief_card_is_one_escaped_line(events):
    assert event_card(row(events, "ev-xss"), brief=True) == (
        "2023-12-08 · Explosions/Remote violence · US Embassy, Baghdad"
    )
    assert event_card(row(events, "ev-jurf"), brief=True) == "2020-01-05 · Battles · Jurf al-Nasr"
    assert event_card({"event_type": "<b>x</b>"}, brief=True) == "undated · &lt;b&gt;x&lt;/b&gt;"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"event_date": "2019-12-29", "date_precision": "day"}, "2019-12-29"),
        ({"event_date": "2023-10", "date_precision": "month"}, "2023-10 (month)"),
        ({"event_date": None}, "undated"),
    ],
)
def test_date_label(event, expected):
    assert date_label(event) == expected


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"fatalities": 25, "fatalities_low": 20, "fatalities_high": 31}, "20–31 (best 25)"),
        ({"fatalities": 2, "fatalities_low": 2, "fatalities_high": 2}, "2"),
        ({"fatalities": 0}, "0"),
        ({"fatalities": None, "fatalities_low": None}, "not reported"),
    ],
)
def test_fatalities_label(event, expected):
    assert fatalities_label(event) == expected


@pytest.mark.parametrize(
    ("fatalities", "radius"),
    [(None, MIN_RADIUS), (0, MIN_RADIUS), (1, 8.5), (25, 18.5), (10_000, MAX_RADIUS)],
)
def test_radius_grows_with_fatalities(fatalities, radius):
    assert radius_for(fatalities) == radius


def test_marker_rows_skip_unresolved_and_keep_style(events):
    rows = marker_rows(events)
    assert len(rows) == 14 and "ev-jurf" not in rows  # 15 events, one without a place
    assert rows["ev-qaim"][:5] == [34.39, 40.99, TYPE_COLOURS["Explosions/Remote violence"], 18.5, 2]
    assert rows["ev-qaim"][6] == "2019-12-29 · Explosions/Remote violence · Al-Qa&#x27;im"
    assert "".join(rows["ev-qaim"][5]) == event_card(row(events, "ev-qaim"))
    assert rows["ev-kuwait"][2:5] == [TYPE_COLOURS["Strategic developments"], MIN_RADIUS, 3]


def test_marker_rows_drop_out_of_range_positions(events, caplog):
    bad = events.head(2).copy()
    bad.loc[bad.index[0], "lat"] = 123.0
    assert list(marker_rows(bad)) == ["ev-qaim"]
    assert "ev-kirkuk has an invalid position" in caplog.text


def _cards(markers: MarkerSet) -> list[tuple[str, str]]:
    """(card, tooltip) of every event of ``markers``, decoded from its chunks as layer.js does."""
    out = []
    for chunk in map(json.loads, markers.chunks):
        strings = chunk["strings"]
        assert len(strings) == len(set(strings))  # each distinct text once per chunk
        out += [("".join(strings[i] for i in fragments), strings[tip]) for fragments, tip in chunk["cards"]]
    return out


def test_dataset_points_and_cards_match_the_rows(events):
    rows = marker_rows(events)
    markers = MarkerSet(events)
    points = json.loads(markers.points_json)
    assert points["n"] == len(markers) == 14 and markers.event_ids == list(rows)
    assert "ev-qaim" in markers and "ev-jurf" not in markers
    cards = _cards(markers)
    for k, (lat, lon, colour, radius, precision, fragments, tooltip) in enumerate(rows.values()):
        assert [points[f][k] for f in ("lat", "lon", "radius", "prec")] == [lat, lon, radius, precision]
        assert points["colours"][points["type"][k]] == colour
        assert cards[k] == ("".join(fragments), tooltip)
    # 4 events at the US embassy, each written differently: 4 place rows; 4 events cite Islam Times,
    # three of them alone (one sources fragment) and one with the opinion piece (another)
    strings = json.loads(markers.chunks[0])["strings"]
    place_rows = [s for s in strings if s.startswith("<tr><th>Place</th>") and "US Embassy, Baghdad" in s]
    assert len(place_rows) == 4
    assert sum("Islam Times" in s for s in strings) == 2


def test_cards_come_in_chunks_of_500(monkeypatch, events):
    import geo.mapview

    monkeypatch.setattr(geo.mapview, "CHUNK_EVENTS", 4)
    markers = MarkerSet(events)
    assert [len(json.loads(c)["cards"]) for c in markers.chunks] == [4, 4, 4, 2]
    assert json.loads(markers.points_json)["chunk"] == 4
    assert [c for c, _ in _cards(markers)] == ["".join(r[5]) for r in marker_rows(events).values()]


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 100_003])
def test_mask_round_trips(n):
    rng = random.Random(n)
    picked = sorted(rng.sample(range(n), k=n // 3)) if n else []
    mask = encode_mask(picked, n)
    assert len(base64.b64decode(mask)) == -(-n // 8)
    assert decode_mask(mask, n) == picked
    assert decode_mask(encode_mask(range(n), n), n) == list(range(n))


def test_mask_of_a_subset_skips_unknown_ids(events):
    markers = MarkerSet(events)
    mask = markers.mask(["ev-kuwait", "ev-jurf", "no-such-event"])
    assert [markers.event_ids[i] for i in decode_mask(mask, len(markers))] == ["ev-kuwait"]
    assert decode_mask(markers.mask(), len(markers)) == list(range(14))
    assert decode_mask(markers.mask([]), len(markers)) == []
    # the bits follow the dataset order whatever order the ids come in
    assert markers.mask(["ev-kuwait", "ev-qaim"]) == markers.mask(["ev-qaim", "ev-kuwait"])


def test_a_filter_change_sends_only_the_mask(events):
    markers = MarkerSet(events)
    layer = events_layer(markers, ["ev-qaim"], source="../../app/static/maps/abc")
    script = streamlit_folium._get_feature_group_string(layer, map=base_map())
    assert "ev-qaim" not in script and "<td>" not in script  # no cards, no ids
    assert f'"mask":"{markers.mask(["ev-qaim"])}"' in script and '"src":"../../app/static/maps/abc"' in script


def test_publish_writes_the_dataset_once_atomically(tmp_path, events):
    markers = MarkerSet(events)
    folder = markers.publish(tmp_path)
    assert folder == tmp_path / markers.digest
    assert sorted(p.name for p in folder.iterdir()) == ["cards-0.json", "points.json"]
    assert (folder / "points.json").read_text(encoding="utf-8") == markers.points_json
    assert (folder / "cards-0.json").read_text(encoding="utf-8") == markers.chunks[0]
    stamp = (folder / "points.json").stat().st_mtime_ns
    assert markers.publish(tmp_path) == folder and (folder / "points.json").stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [markers.digest]  # no temporary folder left


def test_published_cards_are_escaped_html(tmp_path, events):
    chunk = (MarkerSet(events).publish(tmp_path) / "cards-0.json").read_text(encoding="utf-8")
    assert "<img" not in chunk and "<b>" not in chunk and "javascript:" not in chunk
    cards = [card for card, _ in _cards(MarkerSet(events))]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in card for card in cards)
    assert any("Kedubes AS &lt;b&gt;Baghdad&lt;/b&gt;" in card for card in cards)


def test_publish_keeps_only_the_newest_datasets(tmp_path, events):
    import geo.mapview

    mapped = events[events["lat"].notna()]
    published = [MarkerSet(mapped.iloc[: 3 + k]).publish(tmp_path) for k in range(geo.mapview.KEEP_DATASETS + 2)]
    assert len(set(published)) == geo.mapview.KEEP_DATASETS + 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in published[-geo.mapview.KEEP_DATASETS:])


def test_layer_payload_stays_small_at_100k_events():
    # 100k events at 10k places: the dataset is ~30 bytes an event, a filter change ~17 KB
    rng = random.Random(7)
    n = 100_000
    events = pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)],
        "lat": [round(rng.uniform(-10, 10), 4) for _ in range(n)],
        "lon": [round(rng.uniform(95, 140), 4) for _ in range(n)],
        "event_type": [rng.choice(list(TYPE_COLOURS)) for _ in range(n)],
        "fatalities": [rng.choice([None, 0, 3, 40]) for _ in range(n)],
        "geo_precision": [rng.choice([1, 2, 3]) for _ in range(n)],
        "evidence": [f"Kalimat bukti nomor {i}." for i in range(n)],
    })
    markers = MarkerSet(events)
    assert len(markers) == n and len(markers.chunks) == n // 500
    assert len(markers.points_json) < 40 * n
    script = streamlit_folium._get_feature_group_string(
        events_layer(markers, events["event_id"][::2], source="../../app/static/maps/x"), map=base_map()
    )
    assert len(script) < 20_000


def test_map_loads_only_local_assets(events):
    html = build_map(events).get_root().render()
    linked = set(re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html))
    assert linked == {
        "../../app/static/leaflet/leaflet.js",
        "../../app/static/leaflet/leaflet.css",
        "../../app/static/geoevents/layer.js",
    }
    for url in linked:  # every asset the map asks for is vendored
        assert (STATIC / url.removeprefix("../../app/static/")).is_file()
    # the only remote URLs are the tile template, its attribution and event source links
    remote = set(re.findall(r"https?://[a-z0-9.-]+", html))
    assert remote == {
        "https://tile.openstreetmap.org", "https://www.openstreetmap.org", "https://www.tempo.co",
        "https://id.wikipedia.org", "https://example.org", "https://www.islamtimes.org", "https://era.id",
    }


def test_map_without_tiles_has_no_remote_url_but_sources():
    html = base_map(tiles=False).get_root().render()
    assert OSM_TILES not in html and re.findall(r"https?://", html) == []
    assert '"outline"' in html and "createPane" in html
    assert '"maxZoom": 16' in html  # no tile layer sets one


def test_map_escapes_event_text_inside_the_script(events):
    html = build_map(events).get_root().render()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_script_json_cannot_close_the_script():
    assert script_json(["</script><script>alert(1)</script>", "<!--"]) == (
        '["<\\/script><script>alert(1)<\\/script>","<\\!--"]'
    )


def test_base_map_is_independent_of_events(events):
    # streamlit-folium keeps the map mounted while its script is unchanged; only the
    # feature group changes with filters.
    one, two = base_map(), base_map()
    strip = lambda m: re.sub(r"_[0-9a-f]{32}", "", m.get_root().render())  # noqa: E731
    assert strip(one) == strip(two)


def test_world_outline_is_bundled_and_small():
    outline = world_outline()
    names = {f["properties"]["name"] for f in outline["features"]}
    assert {"Indonesia", "Iraq", "Syria", "Kuwait"} <= names and len(names) > 170
    assert (Path(__file__).parent.parent / "data" / "world_outline.geojson").stat().st_size < 2_000_000


def test_legend_names_every_type_and_precision():
    legend = legend_html()
    for name in TYPE_COLOURS:
        assert f"{name}</" in legend or f"{name}<br>" in legend
    assert "exact site or town" in legend and "province or country only" in legend
    assert "stroke-dasharray='5 4'" in legend


def test_vendored_assets_carry_their_licences():
    assert (STATIC / "leaflet" / "LICENSE").read_text().startswith("BSD 2-Clause License")
    assert (STATIC / "leaflet" / "VERSION").read_text() == "leaflet@1.9.4\n"
    assert "Natural Earth" in (Path(__file__).parent.parent / "data" / "LICENSE.world_outline").read_text()
