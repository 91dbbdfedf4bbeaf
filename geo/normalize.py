"""Place-name normalisation: the one place that decides when two written names are "the same".

Two forms are produced:

* :func:`normalize_name` - the lookup key of a name: case-folded, diacritics and
  apostrophes removed, hyphens and punctuation to spaces, Arabic articles
  (``al-``, ``el-``, ``ash-`` ...) dropped. ``"al-Qā’im"``, ``"Al Qaim"`` and
  ``"AL-QA'IM"`` all become ``"qaim"``.
* :func:`scan_form` - a character-for-character (same length) folding of running
  text, so that matches found in it map back to offsets in the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Apostrophe-like characters (ASCII, curly, modifier letters, ayn/hamza marks, backtick, acute).
APOSTROPHES = "'’‘ʼʻʿʾ`´′"
#: Transliterated Arabic definite articles, dropped when another word follows.
ARABIC_ARTICLES = frozenset({"al", "el", "al'", "ash", "as", "ad", "an", "ar", "at", "az", "ath", "adh", "ed", "es", "ez", "en", "et", "er"})

_APOSTROPHE_RE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")
# "AlMuhandis", "alShaabi": an article glued to a capitalised name.
_GLUED_ARTICLE_RE = re.compile(r"\b([Aa]l|[Ee]l)(?=[A-Z][a-z])")


def strip_diacritics(text: str) -> str:
    """Remove combining marks after NFKD decomposition (``"Qā"`` -> ``"Qa"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Return the lookup key of a place or actor name.

    Parameters
    ----------
    name:
        A name as written, e.g. ``"Pangkalan Udara Ain al-Assad"``.

    Returns
    -------
    str
        Lower-case ASCII-ish words separated by single spaces; ``""`` for a name
        with no letters or digits. The function is idempotent.
    """
    text = _GLUED_ARTICLE_RE.sub(r"\1 ", name)
    # Apostrophes go first: NFKD turns some of them (the acute accent) into a space.
    text = _APOSTROPHE_RE.sub("", text)
    text = text.lower() if text.isascii() else strip_diacritics(text).casefold()
    text = _NON_WORD_RE.sub(" ", text)
    words = text.split()
    # An article is dropped only when a word follows it: "AS" (the US) stays "as".
    kept = [w for i, w in enumerate(words) if not (w in ARABIC_ARTICLES and i < len(words) - 1)]
    return " ".join(kept)


class _ScanTable(dict):
    """``str.translate`` table that computes and remembers each character's folding."""

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        if ch in APOSTROPHES:
            folded = "'"
        else:
            base = strip_diacritics(ch).casefold()
            folded = base if len(base) == 1 and base.isalnum() else " "
        self[codepoint] = folded
        return folded


_SCAN_TABLE = _ScanTable()


def scan_form(text: str) -> str:
    """Fold ``text`` character for character: same length, so offsets carry over.

    Letters are case-folded and stripped of diacritics, apostrophe variants become
    ``'``, and everything that is not a letter, digit or apostrophe becomes a space.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters: fold character by character
        return text.translate(_SCAN_TABLE)
    # Lower-case ASCII letters, digits and spaces stay; only the rest (punctuation, accents, quotes)
    # goes through the table. Much faster than translating every character.
    return _FOLD_RE.sub(_fold_match, lowered)


_FOLD_RE = re.compile(r"[^a-z0-9 ]+")


def _fold_match(match: re.Match) -> str:
    return match.group().translate(_SCAN_TABLE)
