"""Benchmark the event store: ingest of the seeds, then batches of synthetic articles as the store grows.

Each ingest re-merges every extracted raw event in its transaction, so a batch costs more
as the store grows; this measures how much. Synthetic articles carry 3 event rows each,
drawn from ``random.Random(42)`` (30 places, 2 years of days, the ACLED types), so
about a third of the rows are reports of an incident already stored. Extraction is
replaced by a function that returns those rows: this times the store, not the extractor.

Usage: ``python benchmarks/bench_store.py [--batches 10] [--batch-size 500] [--store PATH]``
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from geo.articles import Article
from geo.schema import EVENT_COLUMNS
from geo.store import EventStore

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
         ("Protests", "Peaceful protest"), ("Riots", "Mob violence"), ("Violence against civilians", "Attack")]
ACTORS = ["United States", "Kataib Hezbollah", "IRGC", "Iraqi security forces", None]


def synthetic_rows(article: Article) -> list[dict]:
    """Three event rows for a synthetic article, deterministic in its id."""
    rng = random.Random(article.id)
    rows = []
    for number in range(3):
        event_type, sub_event_type = rng.choice(TYPES)
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(730))
        site = rng.randrange(30)
        row = dict.fromkeys(EVENT_COLUMNS)
        row.update({
            "event_id": f"{article.id}-{number}", "event_date": day.isoformat(), "date_precision": "day",
            "event_type": event_type, "sub_event_type": sub_event_type, "actor1": rng.choice(ACTORS),
            "assoc_actors": [],
            "location": f"Site {site}", "location_as_written": f"Site {site}", "country": "IQ",
            "lat": 30 + site * 0.3, "lon": 40 + site * 0.2, "geo_precision": 1, "geo_source": "curated",
            "fatalities": rng.choice([None, 0, 1, 5]), "sources": [article.id], "outlets": ["Synthetic"], "urls": [],
            "evidence": f"Sentence {number} of {article.id}.", "evidence_all": [f"Sentence {number} of {article.id}."],
            "article_count": 1, "article_published": day.isoformat(), "published_from": "metadata",
        })
        row["fatalities_low"] = row["fatalities_high"] = row["fatalities"]
        rows.append(row)
    return rows


def main() -> None:
    """Run the benchmark and print one line per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=500, help="articles per ingest (3 events each)")
    parser.add_argument("--store", type=Path, help="store file (default: a temporary one)")
    args = parser.parse_args()
    path = args.store or Path(tempfile.mkdtemp()) / "bench.sqlite"

    with EventStore(path) as store:
        started = time.perf_counter()
        seeds = store.ingest([SEEDS])
        print(f"seeds: {seeds.added} articles, {seeds.events_added} raw events -> {store.counts()['events']} events"
              f" in {time.perf_counter() - started:.2f} s (extraction included, first run loads the gazetteer)")
        for batch in range(args.batches):
            articles = [Article(id=f"syn-{batch:03d}-{i:05d}", text=f"synthetic {batch} {i}")
                        for i in range(args.batch_size)]
            started = time.perf_counter()
            result = store.ingest(articles, extract=synthetic_rows)
            elapsed = time.perf_counter() - started
            counts = store.counts()
            print(f"batch {batch + 1}: +{result.added} articles in {elapsed:.2f} s;"
                  f" store {counts['raw_events']} raw -> {counts['events']} merged events")
        started = time.perf_counter()
        everything = store.events()
        read_all = time.perf_counter() - started
        started = time.perf_counter()
        some = store.events(since="2019-06-01", until="2019-06-30", event_types=["Battles"])
        read_some = time.perf_counter() - started
        print(f"events(): all {len(everything)} in {read_all:.2f} s;"
              f" one type, one month ({len(some)}) in {read_some * 1000:.0f} ms")
    print(f"store: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
