"""Finding place names in running text: one Aho-Corasick pass, character offsets kept.

The automaton holds every gazetteer alias in :func:`~geo.normalize.scan_form`
(same-length folding), padded with spaces so matches respect word boundaries.
It is built with the gazetteer index and loaded from the cache directory.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple
from pathlib import Path

import ahocorasick

from geo.datafiles import read_rows
from geo.normalize import ARABIC_ARTICLES, normalize_name, scan_form
from geo.phrases import padded_scan_form


class ToponymMention(NamedTuple):
    """A place name found in a text: ``text[start:end] == written``."""

    start: int
    end: int
    written: str
    norm: str


def _scan_variants(alias: str) -> set[str]:
    """Scan-form keys for one alias: as written, without apostrophes, without a leading article."""
    base = " ".join(scan_form(alias).split())
    variants = {base, base.replace("'", "")}
    words = base.split(" ")
    if len(words) > 1 and words[0] in ARABIC_ARTICLES:
        rest = " ".join(words[1:])
        variants |= {rest, rest.replace("'", "")}
    return {v for v in variants if len(v) >= 2}


def build_scan_automaton(aliases: Iterable[str], path: Path) -> None:
    """Build the scanning automaton over ``aliases`` and save it atomically to ``path``."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    for alias in aliases:
        if not normalize_name(alias):
            continue
        for variant in _scan_variants(alias):
            automaton.add_word(f" {variant} ")
    automaton.make_automaton()
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        # Pickled rather than Automaton.save(): pickle.load takes 0.15 s where ahocorasick.load takes 1.5 s
        # (the dashboard's first visitor waits for it). The file is our own, in the user's cache directory.
        pickle.dump(automaton, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


@lru_cache(maxsize=4)
def load_scan_automaton(path: Path) -> ahocorasick.Automaton:
    """Load a saved scanning automaton (cached per path)."""
    with open(path, "rb") as saved:
        return pickle.load(saved)


@lru_cache(maxsize=1)
def not_place_words() -> frozenset[str]:
    """Normalised words that are never toponyms here: outlets and capitalised common words."""
    rows = read_rows("not_places.csv", ["text", "kind"])
    return frozenset(normalize_name(row["text"]) for row in rows if row["kind"] in {"outlet", "stopword"})


def _has_capital(written: str) -> bool:
    """A capital letter in the name ("bandara Baghdad" yes, "dan" no, "12" no)."""
    return written.lower() != written


def find_toponyms(text: str, automaton: ahocorasick.Automaton | None = None, *, filtered: bool = True,
                  folded: str | None = None) -> list[ToponymMention]:
    """Every toponym mention in ``text``, longest match first, non-overlapping, in text order.

    Parameters
    ----------
    text:
        Running text, as written.
    automaton:
        A scanning automaton; by default the shared gazetteer's.
    filtered:
        Drop mentions with no capitalised word (Indonesian "dan", "di" are villages
        somewhere) and outlet names / common capitalised words from ``data/not_places.csv``.
    folded:
        ``geo.phrases.padded_scan_form(text)`` if the caller already has it.
    """
    if automaton is None:
        from geo.gazetteer import get_gazetteer

        automaton = load_scan_automaton(get_gazetteer().scan_path)
    folded = folded if folded is not None else padded_scan_form(text)
    spans = []
    for end, length in automaton.iter(folded):
        # The key is " alias ": in the padded text it covers [end-length+1, end];
        # shifting by the one pad character gives [start, stop) in ``text``.
        start = end - length + 1
        # Most hits are lower-case words ("dan", "di") that are villages somewhere: drop them first.
        if filtered and text[start:end - 1].islower():
            continue
        spans.append((start, end - 1))
    spans.sort(key=lambda span: (span[0] - span[1], span[0]))
    taken = bytearray(len(text))  # 1 where an accepted (longer) mention already sits
    mentions = []
    blocked = not_place_words() if filtered else frozenset()
    for start, stop in spans:
        if taken.find(1, start, stop) != -1:
            continue
        written = text[start:stop]
        norm = normalize_name(written)
        if filtered and (not _has_capital(written) or norm in blocked):
            continue
        taken[start:stop] = b"\x01" * (stop - start)
        mentions.append(ToponymMention(start, stop, written, norm))
    mentions.sort(key=lambda m: m.start)
    return mentions
