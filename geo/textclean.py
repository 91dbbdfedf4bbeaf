"""Cleaning article text and splitting it into sentences.

Real articles arrive with mojibake, sentences glued together where markup was
stripped ("setempatPara pendemo"), "Baca juga:" related-article lines, citation
marks ("[16]"), bylines and a dateline ("TEMPO.CO, Jakarta -") naming the newsroom,
not the event. :func:`clean_text` handles all of that and keeps the dateline
aside so it can never become an event place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy

# Related-article and byline lines: dropped whole.
_DROP_LINE_RE = re.compile(
    r"^\s*(?:baca\s+juga|simak\s+juga|lihat\s+juga|artikel\s+terkait|berita\s+terkait|read\s+also|see\s+also"
    r"|penulis|editor|reporter|pewarta|penyunting|redaktur|sumber\s+foto|foto|caption|story\s+code)\s*:.*$"
    # Bylines without a colon: "Laporan Wartawan Tribun-Papua.com, Marselino Tadung".
    r"|^\s*laporan\s+(?:wartawan|reporter|koresponden|kontributor)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)
_CITATION_RE = re.compile(r"\[(?:\d{1,3}|[A-Za-z]{1,4}/[A-Za-z]{1,4}|catatan \d+|note \d+)\]")
# Datelines: "TEMPO.CO, Jakarta -", "REPUBLIKA.CO.ID, TEHERAN --", "ERA.id -", "Jakarta, CNN Indonesia --",
# "Baghdad (ANTARA) -", and seed-style "TEMPOCO Jakarta  " where punctuation was lost.
# "TRIBUN-PAPUA.COM"; a brand written in lower case has a domain or an inner capital ("tvOnenews.com", "detikNews").
_OUTLET = (r"(?:[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?(?:\.[A-Za-z]{2,4}){0,3}"
           r"|[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)?(?:\.[A-Za-z]{2,4}){1,3}|[a-z]+[A-Z][A-Za-z0-9]*)")
_CITY = r"[A-Z][A-Za-z'’\-]+(?:\s[A-Z][A-Za-z'’\-]+)?"
_DASH = r"\s*[-–—]{1,2}\s+"
_DATELINE_RES = (
    # (an outlet before the city has a domain or capitals, "TEMPO.CO", "ANTARA": "Jakarta, CNN Indonesia" is the other way)
    # (RRI writes "KBRN, Timika: ...")
    re.compile(rf"^\s*(?=[^\s,]*\.|[A-Z]{{2}})(?P<outlet>{_OUTLET})\s*,\s*(?P<city>{_CITY})(?:{_DASH}|\s*:\s+)"),
    re.compile(rf"^\s*(?P<city>{_CITY})\s*,\s*(?P<outlet>{_OUTLET}(?:\s[A-Z][A-Za-z]+)?){_DASH}"),
    # ("SIMALUNGUN (Waspada.id): ..." with a colon)
    re.compile(rf"^\s*(?P<city>{_CITY})\s*\((?P<outlet>[^)]{{2,30}})\)(?:{_DASH}|\s*:\s+)"),
    re.compile(rf"^\s*(?P<outlet>{_OUTLET}\.(?:[A-Za-z]{{2,4}})){_DASH}"),
    re.compile(r"^\s*(?P<outlet>[A-Z]{3,}(?:CO|COM|ID))\s+(?P<city>[A-Z][a-z]+)\s{2,}"),
    # A bare city: "JAYAPURA - ", "Jakarta - ", "TEHERAN -- ", "WASHINGTON DC - ".
    re.compile(rf"^\s*(?P<city>[A-Z][A-Z'’\-]+(?:\s[A-Z][A-Z'’\-]+){{0,2}}|[A-Z][a-z'’\-]+){_DASH}"),
)
# A lower-case word of 3+ letters (or a year) glued to a capitalised word: a lost sentence break.
# Written from the capital letter back: the engine then only stops at capitals, ~5x faster than
# trying every lower-case letter.
_GLUED_RE = re.compile(r"[A-Z](?=[a-z])(?:(?<=[a-z]{3}[A-Z])|(?<=[a-z]{3}[\"”“’'][A-Z])|(?<=\b\d{4}[A-Z]))")
_MOJIBAKE_HINT_RE = re.compile("[ÃÂâÅÄÐØðÎÏ][\u0080-\u00ff\u0152-\u0192\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]")
_SPACES_RE = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")  # a single space is left alone (it is most of them)
# Sentence ends: . ! ? (optionally closing quotes) then space and an upper-case letter, digit or quote.
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset({"dr", "jl", "no", "st", "mr", "mrs", "ms", "prof", "gen", "jend", "kol", "letjen", "mayjen",
                            "brigjen", "sdr", "bpk", "h", "hj", "ir", "u.s", "a.s", "vs", "dll", "dsb", "sept", "des", "jan",
                            "feb", "okt", "nov", "agt", "tel", "km", "rp"})


@dataclass(frozen=True, slots=True)
class CleanText:
    """Cleaned text, its sentences as ``(start, end)`` offsets, and the dateline if any."""

    text: str
    sentences: tuple[tuple[int, int], ...]
    dateline_city: str | None = None
    dateline_outlet: str | None = None

    def sentence_texts(self) -> list[str]:
        """The sentences as strings."""
        return [self.text[start:end] for start, end in self.sentences]


_LINE_RE = re.compile(r"[^\n]+")
_LAST_WORD_RE = re.compile(r"([A-Za-z.]+)\.$")
_NEWLINES_RE = re.compile(r"\n[ \n]+")  # after spaces are collapsed and " \n" is "\n"


def _split_dateline(text: str) -> tuple[str, str | None, str | None]:
    """Take the dateline off the first paragraph, or off the second when the first is a headline."""
    first, newline, rest = text.partition("\n")
    candidates = [("", text)]
    if newline and len(first.split()) <= 20 and not first.rstrip().endswith("."):
        candidates.append((first + newline, rest.lstrip()))
    for head, body in candidates:
        for pattern in _DATELINE_RES:
            match = pattern.match(body)
            if match:
                groups = match.groupdict()
                return head + body[match.end():], groups.get("city"), groups.get("outlet")
    return text, None, None


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans of ``text``: breaks at line ends and at . ! ? before a capital."""
    spans = []
    for line in _LINE_RE.finditer(text):
        start = line.start()
        line_text = line.group()
        for match in _SENTENCE_END_RE.finditer(line_text):
            stop = match.start() + 1  # just after the . ! or ?
            last_word = _LAST_WORD_RE.search(line_text, max(0, stop - 40), stop)
            if last_word and (last_word.group(1).lower() in _ABBREVIATIONS or len(last_word.group(1)) == 1):
                continue
            end = line.start() + stop
            spans.append((start, end))
            start = line.start() + match.end()
        spans.append((start, line.end()))
    return tuple((s, e) for s, e in spans if text[s:e].strip())


def clean_text(raw: str) -> CleanText:
    """Repair and tidy one article's text; see the module docstring for what is removed.

    Parameters
    ----------
    raw:
        The article as read from its file.
    """
    # ftfy is the slowest step and most articles have no mojibake: only call it when a
    # UTF-8-read-as-Latin-1/cp1252 lead character ("Ã", "Â", "â€") is present.
    text = ftfy.fix_text(raw, uncurl_quotes=False) if _MOJIBAKE_HINT_RE.search(raw) else raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DROP_LINE_RE.sub("", text)
    text = _CITATION_RE.sub("", text)
    text, city, outlet = _split_dateline(text.lstrip())
    text = _GLUED_RE.sub(r". \g<0>", text)
    if "  " in text or "\t" in text or "\u00a0" in text:  # most texts have none: skip the scan
        text = _SPACES_RE.sub(" ", text)
    text = text.replace(" \n", "\n")
    text = _NEWLINES_RE.sub("\n", text).strip()
    return CleanText(text=text, sentences=split_sentences(text), dateline_city=city, dateline_outlet=outlet)
