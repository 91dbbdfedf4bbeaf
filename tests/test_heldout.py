"""Extraction quality on the held-out set (tests/heldout): twelve articles the rules were not written for.

The held-out articles imitate twelve Indonesian outlets (Kompas, detik, CNN Indonesia, Republika,
ANTARA, Tempo, Liputan6, SINDOnews, VOA, BBC Indonesia, Tribun, kumparan) and report other events
than the seeds. Their gold (tests/heldout/gold.json) was annotated before the extractor was run and
is scored with the seed gold's matching rules (tests/gold_scoring.py).

Two more sets were written later by helpers who had not seen the extractor's rules, each scored
once before any rule changed:

* tests/heldout2 (ten articles: Rempang/Batam, South Lebanon, Jenin, Yahukimo, Sagaing, Aleppo/Idlib,
  Erbil/Kerman, Quetta, Somali piracy, the August 2025 DPR riots): first run recall 0.81 (21/26),
  precision 0.59 (45/76);
* tests/heldout3 (ten articles: al-Mawasi, Houthi drone on Tel Aviv / Hodeidah, Hezbollah-Israel,
  the May 2019 Jakarta riots, Ali Kalora in Parigi Moutong, Intan Jaya, Kyiv, Bamako, Kalsu/Isfahan,
  Bangladesh quota protests): first run recall 0.80 (24/30), precision 0.45 (35/77);
* tests/heldout4 (eight articles: Beit Lahia, Tulkarm/Nur Shams, the Hezbollah pagers, the 2019 Wamena
  riot, Beoga, Kariu-Ori on Haruku, Pont-Sonde in Haiti, the Kabul Haqqani bombing), written and scored
  after the rules for the first three: first run recall 0.90 (19/21), precision 0.62 (28/45);
* tests/heldout5 (eight articles: the Al-Tabi'in school, the Damascus consulate, Sanaa airport, Nduga,
  Dago Elos, Seruyan, the El Fasher hospital, the Kurram convoy), written and scored after the rules
  for the first four: first run recall 0.65 (17/26), precision 0.61 (33/54);
* tests/heldout6 (eight articles: the Makassar Pilkada-bill protests, TPNPB in Puncak Jaya, Seram Utara
  village clashes, Ramree/Kyaukphyu, Kharkiv Epicentr, Sabreen market in Omdurman, the Kenyan
  parliament, the Rohingya at the BMA in Banda Aceh), written by a helper blind to the rules and scored
  after the rules for the first five: first run recall 0.92 (24/26), precision 0.78 (45/58);
* tests/heldout7 (eight articles: M23 in Bukavu, the Jaffar Express hijack, Sinjil settlers, the ojol
  protest at the DIY DPRD, TPNPB in Oksibil, the Narathiwat bomb, the Medan ormas clash, the Port Sudan
  drones), written by a helper blind to the rules and scored after the rules for the first six:
  first run recall 0.81 (21/26), precision 0.65 (34/52);
* tests/heldout8 (eight articles: Poonch shelling and Operation Sindoor, a firefight at Banti in Mimika,
  the US strike on Ras Isa, gangs taking Mirebalais, the anti-TNI-law protests in Surabaya and Malang,
  May Day in Semarang, a tawuran in Makassar, the Damanyo suicide bombing in Mogadishu), written by a
  helper blind to the rules and scored after the rules for the first seven: first run recall 0.80 (20/25),
  precision 0.78 (49/63), fatalities 0.67, actor1 0.78;
* tests/heldout9 (eight articles: the Syrian coast killings of March 2025, a DPRA riot in Banda Aceh,
  the Inbate border clash in Timor Tengah Utara, the ELN in Catatumbo, a bandit attack on a mosque in
  Katsina, KKB shootings of traders in Lanny Jaya, Israeli fire on returning residents in south Lebanon,
  the ADF attack on the Komanda church), written by a helper blind to the rules and scored after the
  rules for the first eight: first run recall 0.81 (22/27), precision 0.56 (27/48), fatalities 0.81,
  actor1 0.56;
* tests/heldout10 (eight articles: a Toba Pulp Lestari clash at Sihaporas, a KKB ambush in Tolikara, the
  DPRD NTB fire in Mataram, JNIM in Djibo, a paramotor bombing at Chaung-U, the Sumy missile strike, the
  Gen Z protests and the Uruapan mayor in Mexico, the Pakistan-Afghanistan border fighting), written by a
  helper blind to the rules and scored after the rules for the first nine: first run recall 0.85 (22/26),
  precision 0.62 (40/64), fatalities 0.88, actor1 0.82;
* tests/heldout11 (eight articles: a Kailolo-Kabauw clash on Haruku, the Pati protest against Bupati Sudewo, a
  riot in Elelim (Yalimo), an RSF drone on a funeral near El Obeid, the Thailand-Cambodia border fighting, the
  Gen Z protests in Nepal, the US strike on Ras Isa (an event heldout8 also reports, in another outlet's words),
  the Yelwata massacre in Benue), written by a helper blind to the rules and scored after the rules for the first
  ten: first run recall 0.82 (23/28), precision 0.58 (41/71), fatalities 0.88, actor1 0.73. (The gazetteer's
  first-level regions - Kordofan, Nigeria's states - were added just before, for the same list of conflict
  zones the helper was offered, though not from these texts.)

Rules were then revised with the sets in view (the test prints today's figures). None of the
sets is unseen any more; the heldout4 to heldout11 first runs are the honest estimate for new text, and the
release scoring on other outlets' articles is the real test. The assertions are the measured
figures minus a margin: they catch regressions.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.extract import extract_records
from gold_scoring import score

TESTS = Path(__file__).parent
HELDOUT = TESTS / "heldout"
#: Release targets on unseen text (the issue's aim).
TARGET_RECALL, TARGET_PRECISION = 0.8, 0.8
#: Per set: the measured (recall, precision) minus a small margin.
FLOORS = {"heldout": (0.9, 0.86), "heldout2": (0.88, 0.86), "heldout3": (0.9, 0.76), "heldout4": (0.94, 0.74),
          "heldout5": (0.68, 0.68), "heldout6": (0.88, 0.74),
          "heldout7": (0.9, 0.84), "heldout8": (0.86, 0.82),
          "heldout9": (0.9, 0.72), "heldout10": (0.84, 0.72), "heldout11": (0.85, 0.66)}


def _gold(name: str) -> dict:
    return json.loads((TESTS / name / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def heldout_rows():
    rows, errors = extract_records([HELDOUT / "articles"])
    assert errors == []
    return rows


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_heldout_articles_and_gold_agree(name):
    gold = _gold(name)
    files = {p.name for p in (TESTS / name / "articles").glob("*.txt")}
    assert set(gold["articles"]) == files
    assert {s for e in gold["events"] for s in e["sources"]} <= files


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_heldout_quality(name, capsys):
    rows, errors = extract_records([TESTS / name / "articles"])
    assert errors == []
    result = score(rows, _gold(name))
    FLOOR_RECALL, FLOOR_PRECISION = FLOORS[name]
    with capsys.disabled():
        print(f"\n{name} gold: {result.summary()}")
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
