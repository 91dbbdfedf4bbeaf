"""Matching a lexicon of words and phrases in text: one Aho-Corasick pass, word boundaries, offsets kept.

Used for event triggers, actors and cue words. Matching is case-insensitive on
:func:`~geo.normalize.scan_form`; entries marked case-sensitive (short upper-case
abbreviations such as "AS" or "KH") must match the original text exactly.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

import ahocorasick

from geo.normalize import scan_form

T = TypeVar("T")
_START = itemgetter(0)


class PhraseMatch(NamedTuple, Generic[T]):
    """A lexicon entry found at ``text[start:end]`` (a named tuple: matches are made by the thousand)."""

    start: int
    end: int
    text: str
    value: T


def padded_scan_form(text: str) -> str:
    """``scan_form`` with one space either side: what every matcher in this package scans."""
    return f" {scan_form(text)} "


def is_abbreviation(phrase: str) -> bool:
    """Short all-capital entries ("AS", "KH", "PMU") only match with the same case."""
    letters = phrase.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 5


class PhraseMatcher(Generic[T]):
    """Find lexicon phrases in text; overlapping matches resolve to the longest, leftmost.

    Parameters
    ----------
    entries:
        ``(phrase, value)`` pairs; a phrase listed twice keeps its first value.
    """

    def __init__(self, entries: Iterable[tuple[str, T]]):
        self._automaton = ahocorasick.Automaton()
        count = 0
        for phrase, value in entries:
            folded = " ".join(scan_form(phrase).split())
            # "Kata'ib" is also written "Kataib": both spellings are keys.
            for variant in {folded, folded.replace("'", "")}:
                key = f" {variant} "
                if not variant or key in self._automaton:
                    continue
                self._automaton.add_word(key, (len(key), phrase, is_abbreviation(phrase), value))
                count += 1
        self.size = count
        if count:
            self._automaton.make_automaton()

    def find(self, text: str, longest: bool = True, prefer: Callable[[PhraseMatch[T]], Any] | None = None,
             folded: str | None = None) -> list[PhraseMatch[T]]:
        """Matches in text order; with ``longest``, overlapping matches keep the preferred one.

        ``prefer`` ranks overlapping matches (higher wins); by default the longer match wins.
        ``folded`` is ``padded_scan_form(text)`` when the caller already has it.
        """
        if not self.size:
            return []
        folded = folded if folded is not None else padded_scan_form(text)
        found = list(self._hits(text, folded))
        if longest:
            rank = prefer or (lambda m: m.end - m.start)
            found.sort(key=lambda m: (rank(m), m.end - m.start, -m.start), reverse=True)
            kept: list[PhraseMatch[T]] = []
            taken = bytearray(len(text))
            for match in found:
                if taken.find(1, match.start, match.end) == -1:
                    kept.append(match)
                    taken[match.start: match.end] = b"\x01" * (match.end - match.start)
            found = kept
        found.sort(key=_START)
        return found

    def occurs(self, text: str, folded: str) -> bool:
        """Whether any entry occurs in ``text`` (``folded``: its :func:`padded_scan_form`); stops at the first."""
        return self.size > 0 and next(self._hits(text, folded), None) is not None

    def _hits(self, text: str, folded: str) -> Iterator[PhraseMatch[T]]:
        """Every match, overlapping ones included, in the order their ends are reached."""
        for end, (key_length, phrase, case_sensitive, value) in self._automaton.iter(folded):
            # The key " phrase " ends at ``end`` in the padded text; see geo.toponyms.
            start, stop = end - key_length + 1, end - 1
            written = text[start:stop]
            if case_sensitive and written.replace(" ", "") != phrase.replace(" ", ""):
                continue
            yield PhraseMatch(start, stop, written, value)
