"""Counting people: Indonesian (and English) number expressions and casualty figures.

"sedikitnya dua puluh orang tewas", "menewaskan 25 anggota milisi", "55 luka-luka",
"puluhan orang", "tidak ada korban jiwa" (= 0). Words come from ``data/number_words.csv``
and cue words from ``data/cues.csv``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from geo.lexicons import find_cues, number_words
from geo.phrases import PhraseMatch

_TOKEN_RE = re.compile(r"\d[\d.,]*\d|\d|[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# Numbers followed by these are times, distances, ages or years, not people.
_NOT_PEOPLE = frozenset({"jam", "pukul", "menit", "detik", "hari", "minggu", "pekan", "bulan", "tahun", "persen", "km",
                         "kilometer", "meter", "mil", "kali", "lokasi", "posisi", "rudal", "roket", "drone", "unit",
                         "kendaraan", "hours", "days", "years", "percent", "miles", "times", "rockets", "missiles"})
# Numbers after these are names or labels ("Batalion 26", "Mile 50", "Pos 9", "Pasal 170"), not people.
_LABEL_WORDS = frozenset({"batalion", "batalyon", "yonif", "brigade", "divisi", "resimen", "kompi", "skuadron", "mile",
                          "pos", "blok", "pasal", "ayat", "nomor", "no", "rt", "rw", "lantai", "gerbang", "pintu", "jalur",
                          "tahun", "angkatan", "gate", "battalion", "division", "article"})
# Ages: "Oktovianus Rayo (42)" (a bracketed number right after a name) and "berusia 20-an".
_AGE_IN_BRACKETS_RE = re.compile(r"\(\d{1,3}(?:\s*tahun)?\)", re.IGNORECASE)
_AGE_WORDS_RE = re.compile(r"\b(?:berusia|berumur|usia|umur|aged)\s+(?:sekitar\s+|sekira\s+)?\d{1,3}(?:-an|an)?",
                           re.IGNORECASE)
#: ", Kecamatan Seruyan Raya, Kabupaten Seruyan, Kalimantan Tengah," between a count and its cue.
_APPOSITION_RE = re.compile(r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)+(?=\s*,)")
#: "Oktovianus Rayo (42), ditembak mati", "Ahmad (20) dan Budi (25) tewas": named victims with their ages.
_NAME_AGE = r"(?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’-]*\s*\(\d{1,3}(?:\s*tahun)?\)"
_NAMED_VICTIMS_BEFORE_RE = re.compile(rf"{_NAME_AGE}(?:\s*(?:,|dan|serta)\s*{_NAME_AGE})*\s*,?\s*(?:(?:yang|juga|pun|telah|sudah)\s+)*$")
_NAMED_VICTIMS_AFTER_RE = re.compile(rf"\s*(?:[a-z]+\s+){{0,3}}?{_NAME_AGE}(?:\s*(?:,|dan|serta)\s*{_NAME_AGE})*")
_AND_WORDS = frozenset({"dan", "serta", "and"})
_SUBSET_WORDS = frozenset({"termasuk", "diantaranya", "antaranya", "including", "among"})
#: How far (in words) a number may stand from its casualty cue.
WINDOW_BEFORE, WINDOW_AFTER = 6, 4
#: "Jumlah korban tewas akibat serangan itu bertambah menjadi 14 orang": a toll noun's count comes after
#: one of these words, up to TOLL_REACH words further on.
_TOLL_VERBS = frozenset({"menjadi", "mencapai", "berjumlah", "reached", "rose"})
TOLL_REACH = 25


class Token(NamedTuple):
    """A word or number with its character offsets (a named tuple: made by the thousand)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words and digit groups with offsets (punctuation dropped)."""
    return [Token(m.start(), m.end(), m.group().lower()) for m in _TOKEN_RE.finditer(text)]


def _digits_value(text: str) -> int | None:
    # Indonesian writes 2.500 for 2,500 and 1,5 for 1.5.
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return int(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return int(text.replace(",", ""))
    if text.isdigit():
        value = int(text)
        return None if 1900 <= value <= 2100 and len(text) == 4 else value
    return None


def parse_count(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """Read a number starting at ``tokens[index]``: ``(value, tokens used)`` or None."""
    words = number_words()
    units, multipliers, vague = words["unit"], words["multiplier"], words["vague"]
    first = tokens[index].text
    if first == "satu" and index > 0 and tokens[index - 1].text == "salah":
        return None  # "salah satu": "one of", not a count
    if first[0].isdigit() and index > 0 and tokens[index - 1].text.lower() in _LABEL_WORDS:
        return None  # "komandan Batalion 26, dibunuh": a unit's number
    if first in vague:
        if index + 1 < len(tokens) and tokens[index + 1].text in _NOT_PEOPLE:
            return None  # "beberapa jam", "puluhan rudal"
        return vague[first], 1
    total = group = small = 0
    used = 0
    for token in tokens[index:]:
        text = token.text
        if used == 0 and text[0].isdigit():
            value = _digits_value(text)
            if value is None:
                return None
            small, used = value, 1
            continue
        if text in units and (used == 0 or not tokens[index].text[0].isdigit()):
            value = units[text] or 0
            if value >= 1000:
                total += value
            elif value >= 10:
                group += value
            else:
                small += value
        elif text in multipliers and used:
            factor = multipliers[text] or 1
            if factor == 10 and text == "belas":
                group += small + 10
            elif factor >= 1000:
                total += (group + small or 1) * factor
                group = 0
            else:
                group += (small or 1) * factor
            small = 0
        else:
            break
        used += 1
    if not used:
        return None
    value = total + group + small
    if index + used < len(tokens) and tokens[index + used].text in _NOT_PEOPLE:
        return None
    return value, used


@dataclass(frozen=True, slots=True)
class Casualties:
    """Counts read from a sentence; None where the sentence says nothing."""

    fatalities: int | None
    injuries: int | None


NO_CASUALTIES = Casualties(None, None)


def _count_near(tokens: list[Token], cue_start: int, cue_end: int, transitive: bool) -> int | None:
    """The count a casualty cue refers to.

    "25 pejuang tewas": the nearest count within WINDOW_BEFORE words before the cue.
    "menewaskan 25 orang" (a transitive verb): the first count within WINDOW_AFTER words after
    it, else one before ("25 people were killed").
    """
    cue_first = next((i for i, t in enumerate(tokens) if t.end > cue_start), len(tokens))
    cue_last = next((i for i, t in enumerate(tokens) if t.start >= cue_end), len(tokens))
    qualifiers = number_words()["qualifier"]

    def after() -> int | None:
        for i in range(cue_last, min(len(tokens), cue_last + WINDOW_AFTER)):
            if tokens[i].text in qualifiers:
                continue
            parsed = parse_count(tokens, i)
            if parsed:
                return parsed[0]
        return None

    def before() -> int | None:
        best: tuple[int, int, int] | None = None
        for i in range(max(0, cue_first - WINDOW_BEFORE), cue_first):
            if i > 0 and tokens[i - 1].text in _SUBSET_WORDS:
                continue  # "100 orang, termasuk 35 anak-anak, tewas": the 35 are among the 100
            parsed = parse_count(tokens, i)
            if parsed and i + parsed[1] <= cue_first:
                distance = cue_first - (i + parsed[1])
                if best is None or distance <= best[0]:
                    best = (distance, parsed[0], i)
        if best is None:
            return None
        return best[1] + _counted_before_and(best[2])

    def _counted_before_and(index: int) -> int:
        """"Tiga warga sipil dan seorang anggota TNI tewas": the count joined by "dan" before is added."""
        if index < 2 or tokens[index - 1].text not in _AND_WORDS:
            return 0
        for j in range(max(0, index - 5), index - 1):
            parsed = parse_count(tokens, j)
            if parsed and j + parsed[1] < index - 1 and not (j > 0 and tokens[j - 1].text in _SUBSET_WORDS):
                return parsed[0]
        return 0

    def after_toll_verb() -> int | None:
        """"korban tewas ... bertambah menjadi 14 orang": the count right after the toll verb."""
        for i in range(cue_last, min(len(tokens) - 1, cue_last + TOLL_REACH)):
            if tokens[i].text in _TOLL_VERBS:
                following = i + 1 + (tokens[i + 1].text in qualifiers)
                parsed = parse_count(tokens, following) if following < len(tokens) else None
                return parsed[0] if parsed else None
        return None

    if transitive:
        counted = after()
        return counted if counted is not None else before()
    counted = before()
    return counted if counted is not None else after_toll_verb()


def read_casualties(sentence: str, cues: dict[str, list[PhraseMatch]] | None = None) -> Casualties:
    """Fatalities and injuries stated in one sentence (the lowest figure when several are given).

    ``cues`` are the sentence's cue matches if already found (:func:`geo.lexicons.find_cues`).
    """
    cues = cues if cues is not None else find_cues(sentence)
    found: dict[str, list[int]] = {"fatality": [], "injury": []}
    tokens = tokenize(_blank_asides(sentence)) if cues["fatality"] or cues["injury"] else []
    for kind in found:
        for match in cues[kind]:
            transitive = match.text.lower().startswith(("me", "kill", "wound", "injur"))
            count = _count_near(tokens, match.start, match.end, transitive)
            if count is None and "(" in sentence:
                count = _named_victims(sentence, match.start, match.end, transitive)
            if count is not None:
                found[kind].append(count)
    if not found["fatality"] and _says_no_victims(sentence):
        found["fatality"].append(0)
    return Casualties(min(found["fatality"], default=None), min(found["injury"], default=None))


def _named_victims(sentence: str, cue_start: int, cue_end: int, transitive: bool) -> int | None:
    """How many people named with their ages stand right before the cue (or right after a transitive one)."""
    named = _NAMED_VICTIMS_BEFORE_RE.search(sentence, max(0, cue_start - 120), cue_start)
    if named is None and transitive:
        named = _NAMED_VICTIMS_AFTER_RE.match(sentence, cue_end)
    return named.group().count("(") if named else None


def _blank_asides(sentence: str) -> str:
    """The sentence with ages ("Rayo (42)", "berusia 20-an") and capitalised appositions ("Seorang warga Desa
    Bangkal, Kecamatan Seruyan Raya, Kabupaten Seruyan, tewas") blanked to spaces, so offsets hold."""
    def blank(match: re.Match) -> str:
        return " " * len(match.group())

    def blank_after_name(match: re.Match) -> str:
        before = sentence[:match.start()].rstrip()
        return blank(match) if before and (before[-1].isalnum() or before[-1] == "_") else match.group()

    if "(" in sentence:
        sentence = _AGE_IN_BRACKETS_RE.sub(blank_after_name, sentence)
    if ", " in sentence:
        counts = _count_words()
        sentence = _APPOSITION_RE.sub(
            lambda m: m.group() if any(w.strip(",").lower() in counts for w in m.group().split()) else blank(m), sentence)
    return _AGE_WORDS_RE.sub(blank, sentence)


@lru_cache(maxsize=1)
def _count_words() -> frozenset[str]:
    """Every word that can be part of a count ("Tiga", "puluhan", "seorang")."""
    return frozenset(word for kind, table in number_words().items() if kind != "none" for word in table)


def _says_no_victims(sentence: str) -> bool:
    """"tidak ada korban", "tanpa korban jiwa": nobody was killed."""
    return bool(_no_victims_re().search(sentence.lower()))


@lru_cache(maxsize=1)
def _no_victims_re() -> re.Pattern:
    phrases = sorted(number_words()["none"], key=len, reverse=True)
    # Matched on lower-cased text: far faster than an IGNORECASE alternation.
    return re.compile("|".join(re.escape(p.lower()) for p in phrases))
