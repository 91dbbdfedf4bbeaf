"""Dates in Indonesian (and English) news: absolute, partial and relative, with precision.

Cheap regular expressions find date-like spans; words come from ``data/date_words.csv``.
Relative expressions ("pada Rabu", "kemarin", "sehari sebelumnya") resolve against the
publication date or the narrative's current date; what cannot be resolved stays
``None`` - a date is never invented.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from geo.datafiles import read_rows
from geo.phrases import PhraseMatch, PhraseMatcher
from geo.regexscan import gated_finditer, word_gate

DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True, slots=True)
class EventDate:
    """A resolved date: ``value`` is YYYY-MM-DD, YYYY-MM or YYYY per ``precision``; None when undated."""

    value: str | None
    precision: str | None

    @classmethod
    def of(cls, day: dt.date, precision: str) -> "EventDate":
        """Format ``day`` at ``precision``."""
        text = {DAY: day.isoformat(), MONTH: day.isoformat()[:7], YEAR: day.isoformat()[:4]}[precision]
        return cls(text, precision)

    def as_date(self) -> dt.date | None:
        """First day covered by this date, or None."""
        if not self.value:
            return None
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])

    def last_day(self) -> dt.date | None:
        """Last day covered by this date (the 31st for a December month or a year), or None."""
        first = self.as_date()
        if first is None or self.precision == DAY:
            return first
        if self.precision == YEAR:
            return dt.date(first.year, 12, 31)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)


UNDATED = EventDate(None, None)


class DateMention(NamedTuple):
    """A date-like span in a sentence and how to resolve it."""

    start: int
    end: int
    kind: str  # absolute, month_day, partial_month, year, weekday, relative_days, narrative_days, ...
    year: int | None = None
    month: int | None = None
    day: int | None = None
    offset: int = 0
    reporting: bool = False  # dates a report or the start of a period, not an event


@lru_cache(maxsize=1)
def date_words() -> dict[str, dict[str, int | None]]:
    """kind -> {word: value} from ``data/date_words.csv``."""
    table: dict[str, dict[str, int | None]] = {}
    for row in read_rows("date_words.csv", ["word", "kind"], {"value": int}):
        table.setdefault(row["kind"], {})[row["word"].lower()] = int(row["value"]) if row["value"] else None
    return table


def _full_months(month_words) -> list[str]:
    """Full month names only: "Jan", "Mar", "Des" alone are too often names or words."""
    return [w for w in month_words if len(w) >= 5 or w in {"mei", "juni", "juli", "may", "june", "july"}]


#: Words before a year ("pada tahun 2020") and before a weekday ("pada hari Rabu").
_YEAR_BEFORE = ("pada", "tahun", "sejak", "akhir", "awal", "pertengahan", "in", "since")
_WEEKDAY_BEFORE = ("hari", "pada")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: A day of the month that starts a word, written as ``\b\d{1,2}`` would match, but led by a digit
#: so that the regex engine skips ahead to digits (about 3x faster over an article).
_DAY = r"\d(?<!\w\d)\d?"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    words = date_words()
    months_all = _alternation(words["month"])
    months_full = _alternation(_full_months(words["month"]))
    weekdays = _alternation(w.capitalize() for w in words["weekday"])
    i = 0  # these patterns run on ASCII-lower-cased text (see find_dates): no IGNORECASE needed
    return {
        "absolute": re.compile(rf"({_DAY})\s+({months_all})\.?,?\s+(\d{{4}})\b", i),
        "numeric": re.compile(r"(\d(?<![\d/.]\d)\d?)[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b"),
        # "Minggu (28/1)": day and month, the year from the publication date.
        "short_numeric": re.compile(r"\((\d{1,2})/(\d{1,2})\)"),
        "month_year": re.compile(rf"\b({months_full})\s+((?:19|20)\d{{2}})\b", i),
        "month_day": re.compile(rf"({_DAY})\s+({months_all})\b", i),
        "partial_month": re.compile(rf"\b(?:(?:awal|pertengahan|akhir|medio|early|mid|late)\s+|(?:pada|bulan|sejak|since|in)\s+)({months_full})\b"
                                    rf"|\b({months_full})\s+(?:lalu|kemarin)\b", i),  # "Maret lalu"
        "year": re.compile(rf"\b(?:(?:{'|'.join(_YEAR_BEFORE)})\s+)+((?:19|20)\d{{2}})\b(?!\s*[-–/]\s*\d)", i),
        "weekday": re.compile(rf"\b(?:(?:{'|'.join(_WEEKDAY_BEFORE)})\s+)*({weekdays})\b(?!\s*[,(]?\s*\d)(?:\s+(?:pagi|siang|sore|malam|dini hari))?"
                              r"(\s+(?:pekan|minggu)\s+lalu)?"),
    }


@lru_cache(maxsize=1)
def _pattern_gates() -> dict[str, re.Pattern]:
    """Gates (:func:`geo.regexscan.gated_finditer`) for the patterns that start with a word."""
    words = date_words()
    return {
        "month_year": word_gate(map(re.escape, _full_months(words["month"])), then=r"\s"),
        "year": word_gate(_YEAR_BEFORE, then=r"\s"),
        # "pada hari Rabu" or a bare "Rabu"
        "weekday": word_gate([rf"(?:{'|'.join(_WEEKDAY_BEFORE)})\s"] + [w.capitalize() for w in words["weekday"]]),
    }


@lru_cache(maxsize=1)
def _phrase_matcher() -> PhraseMatcher[tuple[str, int | None]]:
    """Relative and vague date phrases ("kemarin", "pekan lalu", "baru-baru ini") -> (kind, value)."""
    return PhraseMatcher((word, (kind, value)) for kind, table in date_words().items()
                         if kind not in {"month", "weekday"} for word, value in table.items())


_REPORTING_BEFORE_RE = re.compile(
    r"\b(?:dikutip|dilansir|melansir|mengutip|seperti dilaporkan|diakses|diperbarui|diterbitkan|kata|ujar|ucap|tulis"
    r"|dihubungi|dikonfirmasi|ditemui|diwawancarai"  # "ujar seorang warga saat dihubungi Kompas.com, Minggu (8/10/2023)"
    r"|konferensi pers|jumpa pers|keterangan pers|siaran pers|keterangan tertulis"  # "dalam konferensi pers di Istana, Senin (17/11)"
    r"|(?:bertambah|meningkat|naik) menjadi)\b(?:[^.]|\.(?=\w)){0,40}$",  # "... bertambah menjadi 14 orang pada Minggu": a toll's update
    re.IGNORECASE)
# "sejak Mei 2019": the start of a period, not the day of an event.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
#: "sejak pertengahan Oktober", "sejak pengumuman kesepakatan pada Rabu": the start of a period.
_STATEMENT_AFTER_RE = re.compile(r"\s*(?:\([\d/]+\))?\s*,\s*(?:mengatakan|menyatakan|menjelaskan|menegaskan|menuturkan|"
                                 r"mengungkapkan|menyebut|menuding|menuduh|menilai|mengklaim|membantah|menyampaikan|kata|ujar|tutur)\b", re.IGNORECASE)
#: A date closing the sentence after "..., kata <who> [dalam konferensi pers di <where>]," dates the statement.
_ATTRIBUTION_TAIL_RE = re.compile(r"[,\"”’]\s*(?:kata|ujar|ucap|tutur|jelas|imbuh|tegas|said)\s[^.,\"”]{0,100},"
                                  r"\s*(?:(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\s*\(?)?$")
_ATTRIBUTION_TAIL_END_RE = re.compile(r"\)?\s*(?:pagi|siang|sore|malam)?\s*[.\"”]*\s*$")
_PERIOD_WORDS = ("sejak", "Sejak", "semenjak", "Semenjak", "since", "Since")
_PERIOD_START_RE = re.compile(r"\b(?:sejak|semenjak|since)\s+(?:[^\s,.;:]+\s+){0,3}$", re.IGNORECASE)


def find_dates(sentence: str, folded: str | None = None) -> list[DateMention]:
    """Every date-like span in ``sentence``, non-overlapping, in text order (``folded``: its
    :func:`geo.phrases.padded_scan_form`, when the caller has it)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months = date_words()["month"]
    weekdays = date_words()["weekday"]

    def add(match, **fields) -> None:
        start, end = (match.start, match.end) if isinstance(match, PhraseMatch) else match.span()
        if any(start < e and s < end for s, e in taken):
            return
        # A date right after "dikutip"/"kata ..." dates the report, not the event; a date
        # further on (another date in between) is the narrative's again.
        window_start = max(0, start - 60)
        cue = _REPORTING_BEFORE_RE.search(sentence[window_start:start])
        reporting = bool(cue) and not any(window_start + cue.start() < s < start for s, _ in taken)
        reporting = reporting or bool(_PERIOD_START_RE.search(sentence[window_start:start])) \
            or sentence.startswith(_PERIOD_WORDS, start) \
            or bool(_STATEMENT_AFTER_RE.match(sentence, end)) \
            or bool(_ATTRIBUTION_TAIL_END_RE.match(sentence, end) and _ATTRIBUTION_TAIL_RE.search(sentence, 0, start))
        # ("di Timika, Sabtu, mengatakan"; "..., kata Faizal saat dikonfirmasi di Jayapura, Kamis (17/10/2024)."):
        # when it was said
        taken.append((start, end))
        found.append(DateMention(start, end, reporting=reporting, **fields))

    pats, gates = _patterns(), _pattern_gates()
    # Lower-case ASCII only, so offsets stay those of the text; far faster than IGNORECASE alternations.
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a character whose lower case is longer ("İ"): keep the offsets
        lowered = sentence.translate(_ASCII_LOWER)
    for m in pats["absolute"].finditer(lowered):
        add(m, kind="absolute", day=int(m.group(1)), month=months[m.group(2).lower()], year=int(m.group(3)))
    for m in pats["numeric"].finditer(lowered):
        add(m, kind="absolute", day=int(m.group(1)), month=int(m.group(2)), year=int(m.group(3)))
    for m in pats["short_numeric"].finditer(lowered):
        if 1 <= int(m.group(2)) <= 12:
            add(m, kind="month_day", day=int(m.group(1)), month=int(m.group(2)))
    for m in gated_finditer(gates["month_year"], pats["month_year"], lowered):
        add(m, kind="month_year", month=months[m.group(1).lower()], year=int(m.group(2)))
    for m in pats["month_day"].finditer(lowered):
        add(m, kind="month_day", day=int(m.group(1)), month=months[m.group(2).lower()])
    for m in pats["partial_month"].finditer(lowered):
        add(m, kind="partial_month", month=months[(m.group(1) or m.group(2)).lower()])
    for m in gated_finditer(gates["year"], pats["year"], lowered):
        add(m, kind="year", year=int(m.group(1)))
    for m in gated_finditer(gates["weekday"], pats["weekday"], sentence):
        word = m.group(1).lower()
        # "Minggu" is also "week": only a weekday after "hari"/"pada" or before a time of day.
        if word == "minggu" and not re.search(r"(hari|pada)\s+minggu|minggu\s+\w", m.group(0), re.IGNORECASE):
            continue
        # "Sabtu pekan lalu": that weekday of the week before.
        add(m, kind="weekday_last_week" if m.group(2) else "weekday", offset=weekdays[word])
    for phrase in _phrase_matcher().find(sentence, folded=folded):
        kind, value = phrase.value
        add(phrase, kind=kind, offset=value or 0)
    found.sort(key=lambda d: d.start)
    return found


def _safe_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month or 1, day or 1) if year else None
    except ValueError:
        return None


def resolve(mention: DateMention, published: dt.date | None, narrative: dt.date | None) -> EventDate:
    """Turn a mention into a date, using the publication date and the narrative's current date.

    Weekdays and "kemarin"-style words count back from the publication date (or the
    narrative date if the article is undated); "sehari sebelumnya" counts from the
    narrative date. Anything unanchored is :data:`UNDATED`.
    """
    anchor = published or narrative
    kind = mention.kind
    if kind == "absolute":
        day = _safe_date(mention.year, mention.month, mention.day)
        return EventDate.of(day, DAY) if day else UNDATED
    if kind == "month_year":
        day = _safe_date(mention.year, mention.month, 1)
        return EventDate.of(day, MONTH) if day else UNDATED
    if kind == "year":
        return EventDate.of(dt.date(mention.year, 1, 1), YEAR) if mention.year else UNDATED
    if kind in {"month_day", "partial_month"}:
        if anchor is None:
            return UNDATED
        year = anchor.year if (mention.month, mention.day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
        day = _safe_date(year, mention.month, mention.day)
        if day is None:
            return UNDATED
        return EventDate.of(day, DAY if kind == "month_day" else MONTH)
    if kind in {"weekday", "weekday_last_week"} and anchor is not None:
        if kind == "weekday_last_week":
            # "Sabtu pekan lalu": that weekday in the previous Monday-to-Sunday week.
            last_monday = anchor - dt.timedelta(days=anchor.weekday() + 7)
            return EventDate.of(last_monday + dt.timedelta(days=mention.offset), DAY)
        return EventDate.of(anchor - dt.timedelta(days=(anchor.weekday() - mention.offset) % 7), DAY)
    if kind == "weekend" and anchor is not None:
        # The weekend before the anchor: its Sunday (or the anchor itself if it is a Sunday).
        return EventDate.of(anchor - dt.timedelta(days=(anchor.weekday() - 6) % 7), DAY)
    if kind == "relative_days" and anchor is not None:
        return EventDate.of(anchor + dt.timedelta(days=mention.offset), DAY)
    if kind == "narrative_days" and (narrative or published) is not None:
        return EventDate.of((narrative or published) + dt.timedelta(days=mention.offset), DAY)
    if kind == "sequence" and narrative is not None:
        # "dalam hitungan hari", "berikutnya": some days after the narrative's date; the day is unknown.
        return EventDate.of(narrative, MONTH)
    if kind == "relative_week" and anchor is not None:
        return EventDate.of(anchor + dt.timedelta(days=mention.offset), MONTH)
    if kind == "relative_month" and anchor is not None:
        month_index = anchor.year * 12 + anchor.month - 1 + mention.offset
        return EventDate.of(dt.date(month_index // 12, month_index % 12 + 1, 1), MONTH)
    if kind == "relative_year" and anchor is not None:
        return EventDate.of(dt.date(anchor.year + mention.offset, 1, 1), YEAR)
    return UNDATED


_REPORTED_ON = r"(?:dikutip|dilansir|melansir|mengutip|diakses|diperbarui|diterbitkan|published|updated)"
_PUBLISHED_RES = (
    # "dikutip dari AFP, Kamis (16/1/2025)", "dilansir Reuters 2 Januari 2020": the report's own date.
    # (These two run on lower-cased text: ten times faster than IGNORECASE.)
    (re.compile(_REPORTED_ON + r"[^.\n]{0,40}?\((\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\)"), True),
    (re.compile(_REPORTED_ON + r"[^.\n]{0,40}?\b(\d{1,2})\s+([a-z]+)\.?\s+((?:19|20)\d{2})"), True),
    (re.compile(r"\((\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\)"), False),
    (re.compile(r"\b(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu),?\s+(\d{1,2})\s+([A-Za-z]+)\.?\s+((?:19|20)\d{2})\b(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT))?"), False),
)


def infer_published(text: str) -> dt.date | None:
    """Publication date stated in the text.

    In order: a date right after "dikutip"/"dilansir" ("dikutip dari AFP, Kamis (16/1/2025)",
    "dikutip 2 Januari 2020"); else the latest "(8/12/2023)"-style date; else a "Rabu 08 Jan 2020
    09:46 WIB" timestamp.
    """
    months = date_words()["month"]
    lowered = text.lower()  # only the groups are used, so a change of length does not matter
    for pattern, on_lowered in _PUBLISHED_RES:
        found = []
        for match in pattern.finditer(lowered if on_lowered else text):
            day, month, year = match.groups()
            month_number = int(month) if month.isdigit() else months.get(month.lower())
            date = _safe_date(int(year), month_number, int(day)) if month_number else None
            if date:
                found.append(date)
        if found:
            return max(found)
    return None


def parse_published(value: str | None) -> dt.date | None:
    """A metadata publication date in any common format (ISO first, then dateparser), or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(value, languages=["id", "en"], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None
