"""A deterministic benchmark corpus: Indonesian-style conflict news built from the real lexicons.

Every article is assembled from sentence templates filled with the aliases of
``data/places.csv`` and ``data/countries.csv`` (with Indonesian generic words such as
"Kota", "Provinsi", "Pangkalan Udara" in front), the actors of ``data/actors.csv``,
the trigger phrases of ``data/triggers.csv``, Indonesian number words
("dua puluh lima", "puluhan", "sedikitnya") and the date forms Indonesian outlets
write ("29 Desember 2019", "Jumat (8/12/2023)", "pada Rabu", "pekan lalu"). Articles
are 1-8 KB and carry what real scraped text carries: datelines ("TEMPO.CO, Jakarta -"),
"Baca juga:" lines, quotes in curly quotes, bylines, some mojibake (UTF-8 read as
cp1252) and some sentences glued together without punctuation.

The text is grammatical enough to exercise every stage of the extractor, but the
events are random: use the corpus to measure speed and memory, never accuracy.

Article ``i`` depends only on ``(seed, i)`` (its own ``random.Random``), so any slice
of a corpus can be generated alone, in any order, and is identical every time.

Usage::

    python benchmarks/corpus.py --n 10000 --out DIR --seed 42             # DIR/bench-*.txt + DIR/metadata.csv
    python benchmarks/corpus.py --n 10000 --out corpus.jsonl --seed 42    # one JSON object per line
    python benchmarks/corpus.py --n 100000 --out DIR --format jsonl       # DIR/corpus-00000.jsonl, ... (shards)
"""
from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.articles import Article
from geo.datafiles import read_rows, split_list

#: Smallest and largest article, in UTF-8 bytes; the mode is where most articles fall.
MIN_BYTES, MODE_BYTES, MAX_BYTES = 1000, 2500, 8000
#: Share of articles with mojibake, with glued sentences, and with a publication date in the metadata.
MOJIBAKE_SHARE, GLUED_SHARE, METADATA_DATE_SHARE = 0.04, 0.15, 0.75
#: Articles per .jsonl shard: ~22 MB, under the loader's 50 MB file limit.
SHARD_ARTICLES = 5000
FIRST_DAY, DAYS = dt.date(2019, 1, 1), 6 * 365

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
RELATIVE_DATES = ("kemarin", "pekan lalu", "sehari sebelumnya", "akhir pekan lalu", "dua hari lalu", "tadi malam",
                  "baru-baru ini")
PARTIAL_DATES = ("pertengahan {month}", "awal {month} {year}", "akhir {month} {year}", "pada tahun {year}",
                 "{month} {year}")
#: (outlet, dateline format, domain): how each newsroom opens its stories.
OUTLETS = (
    ("Tempo", "TEMPO.CO, {city} - ", "tempo.co"),
    ("Republika", "REPUBLIKA.CO.ID, {CITY} -- ", "republika.co.id"),
    ("Kompas", "{CITY}, KOMPAS.com - ", "kompas.com"),
    ("Detik", "detikNews - ", "detik.com"),
    ("Liputan6", "Liputan6.com, {city} - ", "liputan6.com"),
    ("Antara", "{city} (ANTARA) - ", "antaranews.com"),
    ("CNN Indonesia", "", "cnnindonesia.com"),
    ("Sindonews", "{CITY} - ", "sindonews.com"),
)
NEWSROOM_CITIES = ("Jakarta", "Baghdad", "Teheran", "Beirut", "Gaza", "Damaskus", "Kairo", "Washington")
SOURCES = ("Reuters", "AFP", "Al Jazeera", "kantor berita IRNA", "Associated Press", "BBC", "media lokal",
           "seorang pejabat keamanan", "saksi mata")
BYLINES = ("(Reuters/AFP)", "Editor: Rizky Ramadhan", "Penulis: Dewi Anggraini | Editor: Bagus Prasetyo",
           "Sumber: Reuters, Al Jazeera", "(ant/dil)")

#: Sentences that report an event ({date} carries its own preposition: "pada Rabu", "kemarin").
EVENT_TEMPLATES = (
    "{actor} {active} {target} di {place} {date}.",
    "{target} {passive} oleh {actor} di {place} {date}, menewaskan {count} orang.",
    "{Nominal} di {place} {date} menewaskan {count} orang dan melukai {count2} lainnya.",
    "{count} orang tewas ketika {actor} {active} {place} {date}.",
    "Menurut {source}, {nominal} itu terjadi di dekat {place} sekitar pukul {hh}.{mm} waktu setempat.",
    "{crowd} menggelar unjuk rasa di depan {place} {date} menuntut penarikan pasukan asing.",
    "{actor} mengklaim bertanggung jawab atas {nominal} terhadap {target} di {place}.",
    "{Date}, {actor} {active} posisi {target} di {place}, kata {source}.",
    "{Nominal} kembali mengguncang {place} {date}; {count} orang dilaporkan luka-luka.",
)
#: Threats, plans, denials, conditionals: not events, but the extractor has to read them.
MODAL_TEMPLATES = (
    "{actor} mengancam akan {active} {target} jika tuntutan mereka tidak dipenuhi.",
    "{actor} membantah terlibat dalam {nominal} di {place}.",
    "Pemerintah berencana mengerahkan pasukan tambahan ke {place} dalam beberapa pekan mendatang.",
    "Jika perundingan gagal, {actor} akan melancarkan {nominal} baru ke {place}, ujar {source}.",
)
FILLER_TEMPLATES = (
    "Situasi di {place} dilaporkan masih tegang hingga {weekday} malam.",
    "Pejabat setempat belum memberikan keterangan resmi terkait jumlah korban.",
    "\u201cKami akan terus memantau perkembangan di lapangan,\u201d kata juru bicara {actor} kepada wartawan.",
    "Ketegangan antara {actor} dan {actor2} meningkat sejak {month} {year}.",
    "Warga {place} mengaku mendengar suara ledakan keras sebelum listrik padam di seluruh kota.",
    "Hingga berita ini diturunkan, {actor} belum menanggapi permintaan konfirmasi.",
    "Dewan Keamanan PBB dijadwalkan menggelar rapat darurat untuk membahas situasi di {place}.",
    "\u201cIni adalah pelanggaran kedaulatan kami,\u201d ujar seorang pejabat {actor} yang enggan disebut namanya.",
    "Harga minyak dunia naik {small}% setelah kabar tersebut tersiar, menurut {source}.",
    "Sebagian besar toko di pusat kota {place} tutup sejak {relative}.",
)
HEADLINES = (
    "{Nominal} Guncang {place}, {Count} Orang Tewas",
    "{actor} Kecam {Nominal} di {place}",
    "Ribuan Warga Turun ke Jalan di {place}",
    "{actor} Tarik Pasukan dari {place}",
    "Ketegangan Meningkat, {actor} Siagakan Pasukan",
)
CROWDS = ("ribuan pengunjuk rasa", "puluhan demonstran", "ratusan mahasiswa", "massa pendukung {actor}",
          "sekelompok warga")
QUALIFIERS = ("sedikitnya", "setidaknya", "hampir", "lebih dari", "sekitar", "sekurangnya")
VAGUE_COUNTS = ("puluhan", "belasan", "ratusan", "beberapa", "lusinan")

_ACTIVE_RE = re.compile(r"^(?:me|ber)[a-z]{3,}$")
_PASSIVE_RE = re.compile(r"^(?:di|ter)[a-z]{3,}$")
_NOMINAL_RE = re.compile(r"^(?:serangan|ledakan|bentrok|pe[a-z]{4,}|baku|aksi|bom|rudal|roket)")
# English phrases in the trigger lexicon ("dispersed protesters") would read oddly in Indonesian templates.
_ENGLISH_RE = re.compile(r"(?:ed|ing|ion|ers)\b")


def _mojibake_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) pass through as latin-1, as in scraped text."""
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("bench_latin1_fallback", _mojibake_fallback)


@dataclass(frozen=True)
class Lexicon:
    """The words the templates draw on, read from the project's data files."""

    places: tuple[tuple[str, str], ...]
    prefixes: dict[str, tuple[str, ...]]
    actors: tuple[str, ...]
    active: tuple[str, ...]
    passive: tuple[str, ...]
    nominal: tuple[str, ...]
    units: dict[int, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load places (with their kinds), prefixes by kind, actor aliases, triggers by voice and number words."""
    places = [(alias, row["kind"]) for row in read_rows("places.csv", ["name", "kind"])
              for alias in {row["name"], *split_list(row.get("aliases"))}]
    places += [(alias, "country") for row in read_rows("countries.csv", ["name"])
               for alias in {row["name"], *split_list(row.get("aliases"))}]
    prefixes: dict[str, list[str]] = {}
    for row in read_rows("generic_prefixes.csv", ["prefix"]):
        if row.get("kind_hint"):
            prefixes.setdefault(row["kind_hint"], []).append(row["prefix"])
    actors = [alias for row in read_rows("actors.csv", ["canonical"]) for alias in split_list(row.get("aliases"))]
    voices: dict[str, list[str]] = {"active": [], "passive": [], "nominal": []}
    for row in read_rows("triggers.csv", ["phrase"]):
        phrase = row["phrase"]
        first = phrase.split()[0]
        if _ENGLISH_RE.search(phrase):
            continue
        if _ACTIVE_RE.match(first):
            voices["active"].append(phrase)
        elif _PASSIVE_RE.match(first):
            voices["passive"].append(phrase)
        elif _NOMINAL_RE.match(first):
            voices["nominal"].append(phrase)
    units: dict[int, str] = {}
    for row in read_rows("number_words.csv", ["word", "kind"]):
        if row["kind"] == "unit" and row["value"]:
            units.setdefault(int(row["value"]), row["word"])  # Indonesian words come first in the file
    return Lexicon(
        places=tuple(sorted(set(places))), prefixes={k: tuple(v) for k, v in sorted(prefixes.items())},
        actors=tuple(sorted(set(actors))), active=tuple(sorted(set(voices["active"]))),
        passive=tuple(sorted(set(voices["passive"]))), nominal=tuple(sorted(set(voices["nominal"]))),
        units=units,
    )


def say_number(n: int, units: dict[int, str]) -> str:
    """Indonesian words for ``0 <= n < 2000``: 25 -> "dua puluh lima", 114 -> "seratus empat belas"."""
    if n in units and (n <= 11 or n in (100, 1000)):
        return units[n]
    if n < 20:
        return f"{units[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{units[tens]} puluh" + (f" {units[rest]}" if rest else "")
    big, name, one = (1000, "ribu", "seribu") if n >= 1000 else (100, "ratus", "seratus")
    head, rest = divmod(n, big)
    words = one if head == 1 else f"{say_number(head, units)} {name}"
    return words + (f" {say_number(rest, units)}" if rest else "")


class _ArticleWriter:
    """Fills templates for one article from its own random generator."""

    def __init__(self, rng: random.Random, lex: Lexicon, published: dt.date):
        self.rng = rng
        self.lex = lex
        self.published = published

    def place(self) -> str:
        alias, kind = self.rng.choice(self.lex.places)
        prefixes = self.lex.prefixes.get(kind)
        if prefixes and self.rng.random() < 0.35 and not alias.lower().startswith(prefixes):
            prefix = self.rng.choice(prefixes)
            return f"{prefix.capitalize() if self.rng.random() < 0.6 else prefix} {alias}"
        return alias

    def date(self) -> str:
        """A date as Indonesian outlets write it, with its own preposition ("pada Rabu", "Jumat (8/12/2023)")."""
        day = self.published - dt.timedelta(days=self.rng.choice((0, 1, 1, 2, 3, 5, 9, 30)))
        weekday = WEEKDAYS[day.weekday()]
        form = self.rng.randrange(7)
        if form == 0:
            return f"pada {day.day} {MONTHS[day.month - 1]} {day.year}"
        if form == 1:
            return f"{weekday} ({day.day}/{day.month}/{day.year})"
        if form == 2:
            return f"pada hari {weekday}" if self.rng.random() < 0.5 else f"pada {weekday}"
        if form == 3:
            return f"{weekday} {day.day:02d} {MONTHS_SHORT[day.month - 1]} {day.year}"
        if form == 4:
            return self.rng.choice(RELATIVE_DATES)
        if form == 5:
            return self.rng.choice(PARTIAL_DATES).format(month=MONTHS[day.month - 1], year=day.year)
        return f"pada {day.day}/{day.month}/{day.year}"

    def count(self) -> str:
        """A casualty count: digits, number words, a vague word ("puluhan") or a qualified number."""
        roll = self.rng.random()
        if roll < 0.35:
            return str(self.rng.randint(1, 120))
        if roll < 0.7:
            return say_number(self.rng.choice((2, 3, 5, 7, 11, 14, 25, 38, 55, 114, 250)), self.lex.units)
        if roll < 0.85:
            return self.rng.choice(VAGUE_COUNTS)
        return f"{self.rng.choice(QUALIFIERS)} {say_number(self.rng.randint(2, 60), self.lex.units)}"

    def fill(self, template: str) -> str:
        """The template with every field drawn (only the fields it uses), first letter capitalised."""
        text = template.format_map(_Fields(self))
        return text[:1].upper() + text[1:]


class _Fields(dict):
    """Template fields drawn on first use: a template pays only for the words it contains."""

    def __init__(self, writer: _ArticleWriter):
        super().__init__()
        self.writer = writer

    def __missing__(self, name: str):
        value = _FIELDS[name.lower()](self.writer)
        if name[:1].isupper():
            value = value[:1].upper() + value[1:]
        self[name] = value
        return value


#: Field name (lower case; a capitalised name gives a capitalised value) -> how to draw it.
_FIELDS = {
    "actor": lambda w: w.rng.choice(w.lex.actors),
    "actor2": lambda w: w.rng.choice(w.lex.actors),
    "target": lambda w: w.rng.choice(w.lex.actors),
    "place": _ArticleWriter.place,
    "date": _ArticleWriter.date,
    "count": _ArticleWriter.count,
    "count2": _ArticleWriter.count,
    "active": lambda w: w.rng.choice(w.lex.active),
    "passive": lambda w: w.rng.choice(w.lex.passive),
    "nominal": lambda w: w.rng.choice(w.lex.nominal),
    "crowd": lambda w: w.rng.choice(CROWDS).format(actor=w.rng.choice(w.lex.actors)),
    "source": lambda w: w.rng.choice(SOURCES),
    "hh": lambda w: f"{w.rng.randrange(24):02d}",
    "mm": lambda w: f"{w.rng.randrange(60):02d}",
    "weekday": lambda w: w.rng.choice(WEEKDAYS),
    "month": lambda w: w.rng.choice(MONTHS),
    "year": lambda w: str(w.published.year - w.rng.randrange(3)),
    "relative": lambda w: w.rng.choice(RELATIVE_DATES),
    "small": lambda w: str(w.rng.randint(1, 9)),
}


def _sentence(writer: _ArticleWriter) -> str:
    """An event report (30%), a threat/plan/denial (10%) or context (60%): about as many events per KB as the seeds."""
    roll = writer.rng.random()
    templates = EVENT_TEMPLATES if roll < 0.3 else MODAL_TEMPLATES if roll < 0.4 else FILLER_TEMPLATES
    return writer.fill(writer.rng.choice(templates))


def make_record(index: int, seed: int = 42) -> dict:
    """Article ``index`` of the corpus ``seed`` as a record: id, text, title, outlet, url, published (or None)."""
    rng = random.Random(f"{seed}:{index}")
    lex = lexicon()
    published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    writer = _ArticleWriter(rng, lex, published)
    outlet, dateline, domain = rng.choice(OUTLETS)
    city = rng.choice(NEWSROOM_CITIES)
    glued = rng.random() < GLUED_SHARE
    dated_in_metadata = rng.random() < METADATA_DATE_SHARE
    target = min(MAX_BYTES, max(MIN_BYTES, int(rng.triangular(MIN_BYTES, MAX_BYTES, MODE_BYTES))))

    lines = []
    if not dated_in_metadata:
        weekday = WEEKDAYS[published.weekday()]
        lines.append(f"{weekday} {published.day:02d} {MONTHS_SHORT[published.month - 1]} {published.year} "
                     f"{rng.randrange(24):02d}:{rng.randrange(60):02d} WIB")
    body = dateline.format(city=city, CITY=city.upper()) + writer.fill(rng.choice(EVENT_TEMPLATES))
    size = len(body.encode("utf-8"))
    paragraphs = [body]
    while size < target:
        if rng.random() < 0.12:
            paragraph = "Baca juga: " + writer.fill(rng.choice(HEADLINES))
        else:
            paragraph = _join(writer, glued)
        grown = size + len(paragraph.encode("utf-8")) + 2
        if grown > MAX_BYTES:
            break
        paragraphs.append(paragraph)
        size = grown
    paragraphs.append(rng.choice(BYLINES))
    text = "\n".join(lines + ["\n\n".join(paragraphs)])
    if rng.random() < MOJIBAKE_SHARE:
        text = text.encode("utf-8").decode("cp1252", errors="bench_latin1_fallback")
    return {
        "id": f"bench-{index:07d}",
        "text": text,
        "title": writer.fill(rng.choice(HEADLINES)),
        "outlet": outlet,
        "url": f"https://{domain}/read/{published:%Y/%m/%d}/{index}",
        "published": published.isoformat() if dated_in_metadata else None,
    }


def _join(writer: _ArticleWriter, glued: bool) -> str:
    """A paragraph of 2-4 sentences; in a glued article some joins lose their full stop and space."""
    sentences = [_sentence(writer) for _ in range(writer.rng.randint(2, 4))]
    text = sentences[0]
    for sentence in sentences[1:]:
        if glued and writer.rng.random() < 0.3 and text.endswith("."):
            text = text[:-1] + sentence  # "... sebelumnyaPara pendemo ...": markup dropped by a scraper
        else:
            text += " " + sentence
    return text


def generate(n: int, seed: int = 42, start: int = 0) -> Iterator[dict]:
    """Records ``start`` .. ``start + n - 1`` of the corpus ``seed``, one at a time."""
    for index in range(start, start + n):
        yield make_record(index, seed)


def articles(n: int, seed: int = 42, start: int = 0) -> Iterator[Article]:
    """The same records as :class:`~geo.articles.Article` objects (the .txt id is the record id plus ``.txt``)."""
    for record in generate(n, seed, start):
        yield Article(**record)


def write_txt(records: Iterable[dict], out_dir: Path) -> int:
    """One ``<id>.txt`` per record plus ``metadata.csv``; returns the number written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(out_dir / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        meta = csv.writer(handle)
        meta.writerow(["file", "title", "outlet", "url", "published"])
        for record in records:
            name = f"{record['id']}.txt"
            (out_dir / name).write_text(record["text"], encoding="utf-8")
            meta.writerow([name, record["title"], record["outlet"], record["url"], record["published"] or ""])
            count += 1
    return count


def write_jsonl(records: Iterable[dict], path: Path) -> int:
    """One JSON object per line; returns the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_jsonl_shards(n: int, seed: int, out_dir: Path, per_file: int = SHARD_ARTICLES) -> int:
    """``corpus-00000.jsonl``, ... of ``per_file`` records each; returns the number written."""
    written = 0
    for shard, start in enumerate(range(0, n, per_file)):
        written += write_jsonl(generate(min(per_file, n - start), seed, start), out_dir / f"corpus-{shard:05d}.jsonl")
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write a corpus of ``--n`` articles to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="a folder, or a .jsonl file")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt",
                        help="for a folder: .txt files + metadata.csv (default), or .jsonl shards")
    args = parser.parse_args(argv)
    if args.out.suffix == ".jsonl":
        written = write_jsonl(generate(args.n, args.seed), args.out)
    elif args.format == "jsonl":
        written = write_jsonl_shards(args.n, args.seed, args.out)
    else:
        written = write_txt(generate(args.n, args.seed), args.out)
    print(f"{written} articles -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
