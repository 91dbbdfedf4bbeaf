"""Scanning long text with a regular expression that starts with one of several words.

Python's regex engine tries such a pattern (``\\b(?:di|ke|dekat)\\s+...``) at every
character of the text. :func:`gated_finditer` lets a cheap *gate* - a plain alternation of
the words the pattern can start with - find the candidate positions, and tries the full
pattern only there: the same matches as ``pattern.finditer`` (measured 1.5-3x faster
over an article), provided the gate matches wherever the pattern can start.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def word_gate(words: Iterable[str], then: str = "") -> re.Pattern:
    """A gate for patterns that start with one of ``words`` (regex sources, case as written),
    followed by ``then`` (e.g. ``\\s`` when the pattern needs a space after the word: far fewer
    candidates than "in" inside every "ingin")."""
    return re.compile(f"(?:{'|'.join(words)}){then}")


def gated_finditer(gate: re.Pattern, pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, trying ``pattern`` only where ``gate`` matches.

    ``gate`` must match at every position where ``pattern`` can match (it may match
    elsewhere too); lookbehinds and ``\\b`` in ``pattern`` still see the text before.
    """
    pos = 0
    while (candidate := gate.search(text, pos)) is not None:
        start = candidate.start()
        found = pattern.match(text, start)
        if found is None:
            pos = start + 1
            continue
        yield found
        pos = found.end() if found.end() > start else start + 1
