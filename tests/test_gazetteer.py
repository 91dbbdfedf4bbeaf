"""The compiled index's shortcuts give the answers of the plain ranking they replace."""
from __future__ import annotations

import pytest

from geo.gazetteer import (
    BROAD_KINDS,
    FACILITY_KINDS,
    Place,
    _prefixes_by_first_word,
    generic_prefixes,
    get_gazetteer,
    place_kinds,
    rank_key,
)
from geo.normalize import normalize_name

#: Names with many candidates in several countries, curated entries among them.
AMBIGUOUS = ["Tripoli", "San Jose", "Santa Cruz", "Pokrovsk", "Taji", "Springfield", "Alexandria", "Kirkuk",
             "Georgia", "Jordan", "Victoria", "Hamilton", "Al Qaim", "Sidon", "Rafah", "Kharkiv"]
CONTEXTS = [frozenset(), frozenset({"LB"}), frozenset({"LY"}), frozenset({"US"}), frozenset({"IQ", "SY"}),
            frozenset({"UA", "RU"}), frozenset({"CR", "BO"}), frozenset({"ID"})]


@pytest.fixture(scope="module")
def gazetteer():
    return get_gazetteer()


def plain_lookup(gazetteer, name: str, countries: frozenset[str]) -> Place | None:
    """The lookup as a plain loop: candidates of each attempt, filtered, then min() of the full rank key."""
    kinds = place_kinds()
    hits = []
    for attempt, hint in gazetteer._attempts(normalize_name(name)):
        found = gazetteer.candidates(attempt)
        if hint in FACILITY_KINDS:
            found = tuple(p for p in found if p.kind not in BROAD_KINDS and (not countries or p.country in countries))
        best = min(found, key=lambda place: rank_key(place, countries, hint, kinds)) if found else None
        if hits or best is not None:
            hits.append(best)
        if len(hits) == 2 or (hits and (best.source != "geonames" or attempt != normalize_name(name))):
            break
    if len(hits) == 2 and hits[1] is not None and hits[1].source != "geonames" and hits[1].country == hits[0].country:
        return hits[1]  # a GeoNames alias as written ("Kota Malang") yields to the curated name after the prefix
    return hits[0] if hits else None


def test_a_generic_word_before_a_curated_name_finds_the_curated_entry(gazetteer):
    assert gazetteer.lookup("Kota Malang").source == "curated"
    assert gazetteer.lookup("Kota Malang") == gazetteer.lookup("Malang")


@pytest.mark.parametrize("name", AMBIGUOUS)
def test_candidates_are_stored_in_context_free_rank_order(gazetteer, name):
    found = gazetteer.candidates(normalize_name(name))
    assert len(found) >= 1
    keys = [rank_key(place, frozenset(), None, place_kinds()) for place in found]
    assert keys == sorted(keys)


@pytest.mark.parametrize("name", [*AMBIGUOUS, *(f"{word} {name}" for word in ("Kota", "Bandara", "Pangkalan Udara",
                                                                           "Kedubes Rusia di", "Provinsi")
                                               for name in AMBIGUOUS[:6]), "Kota", "Qqzx Xyzzy", ""])
def test_lookup_equals_the_plain_ranking_in_every_context(gazetteer, name):
    for countries in CONTEXTS:
        assert gazetteer.lookup(name, countries) == plain_lookup(gazetteer, name, countries), (name, countries)


def test_context_picks_the_first_candidate_in_it(gazetteer):
    assert gazetteer.lookup("Tripoli", frozenset({"LB"})).country == "LB"
    assert gazetteer.lookup("Tripoli").country == "LY"


def test_prefixes_grouped_by_first_word_match_like_the_full_list():
    names = [normalize_name(f"{prefix} Xyz") for prefix, _ in generic_prefixes()]
    names += ["kota", "kotabaru", "pangkalan udara militer xyz", "ibu kota negara xyz", "kota tua jakarta"]
    for name in names:
        linear = next(((p, h) for p, h in generic_prefixes() if name.startswith(p + " ")), None)
        grouped = next(((p, h) for p, h in _prefixes_by_first_word().get(name.split(" ", 1)[0], ())
                        if name.startswith(p + " ")), None)
        assert grouped == linear, name


def test_a_direction_word_left_over_is_no_place(gazetteer):
    # The last word alone is tried ("Pangkalan Udara Mushaf Sargodha" -> Sargodha), but "Utara" is "north",
    # not the village Utara in East Java.
    assert gazetteer.lookup("Distrik Waziristan Utara").name == "North Waziristan District"
    assert gazetteer.lookup("Distrik Lembah Entah Utara") is None
    assert gazetteer.lookup("Pangkalan Udara Mushaf Sargodha").country == "PK"


@pytest.mark.parametrize("written, country", [
    ("Negara Bagian Borno", "NG"), ("Jigawa", "NG"), ("Provinsi Ituri", "CD"), ("Kivu Utara", "CD"),
    ("Darfur Tengah", "SD"), ("Jonglei", "SS"), ("Tigray", "ET"), ("Shabelle Hilir", "SO"),
    ("Cabo Delgado", "MZ"), ("Lanao del Sur", "PH"), ("Negara Bagian Kachin", "MM"), ("Artibonite", "HT"),
])
def test_states_and_provinces_of_conflict_zones_are_known(gazetteer, written, country):
    """First-level regions written as the news writes them, not a namesake village elsewhere ("Borno" is no Borna, DE)."""
    place = gazetteer.lookup(written)
    assert place is not None and place.country == country and place.kind in {"province", "region"}


@pytest.mark.parametrize("written, name", [("Alun-alun Pati", "Pati"), ("Kantor Bupati Pati", "Pati"), ("Pulau Haruku", "Haruku Island")])
def test_a_square_or_a_regent_office_is_found_by_its_town(gazetteer, written, name):
    place = gazetteer.lookup(written)
    assert place is not None and place.name == name and place.country == "ID"
