"""Benchmark extraction: articles/s, MB/s and peak RSS at 1k, 10k and 100k articles.

Single process (the default): each corpus size runs in a fresh Python process so that
its peak RSS (``resource.getrusage``) is its own. The corpus comes from
``benchmarks/corpus.py`` in chunks of ``--chunk`` articles, generated just before they
are extracted (generation is timed apart); each chunk's events go straight into one
Parquet file through a ``pyarrow.parquet.ParquetWriter``. No run holds more than one
chunk of articles or events, so memory should stay flat while time grows linearly.
Peak RSS is reported after the warm-up (index and lexicons loaded), after the first 10%
of the corpus and at the end.

``--workers N``: the product's parallel path, end to end. The corpus is first written to
.jsonl shards (not timed); then ``geo.parallel.run_local`` reads them in the parent,
extracts in N spawned processes and writes part files, timed from start (including
worker start-up) to the last part written.

``--profile N``: cProfile (top functions) or, with ``--profiler pyinstrument``, a sampled
call tree over N articles after the warm-up.

Throughput is given per wall-clock second and per CPU second of the extracting
process(es): on a shared machine the CPU figure is the steadier one. The load average
before and after each run is printed; measure on a quiet machine when you can.

Usage::

    python benchmarks/bench_extract.py                           # 1k, 10k, 100k, one process each
    python benchmarks/bench_extract.py --sizes 10000 --workers 2
    python benchmarks/bench_extract.py --profile 1000 --top 40
    python benchmarks/bench_extract.py --profile 1000 --profiler pyinstrument
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

from geo.parallel import event_schema, extract_chunk, run_local


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _warm_up() -> float:
    """Seconds to load the gazetteer index, automata and lexicons (first article)."""
    started = time.perf_counter()
    extract_chunk(list(corpus.articles(1, seed=0)))
    return time.perf_counter() - started


def run_single(n: int, seed: int, chunk: int) -> dict:
    """Extract ``n`` generated articles in this process, streaming; return the measurements."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    warm_up = _warm_up()
    peak_warm = _peak_mb()
    peak_tenth = None
    generate = extract = write = cpu = 0.0
    nbytes = events = 0
    schema = event_schema()
    with tempfile.TemporaryDirectory() as tmp, pq.ParquetWriter(Path(tmp) / "events.parquet", schema) as writer:
        for start in range(0, n, chunk):
            began = time.perf_counter()
            articles = list(corpus.articles(min(chunk, n - start), seed, start))
            nbytes += sum(len(article.text.encode("utf-8")) for article in articles)
            generated = time.perf_counter()
            cpu_before = time.process_time()
            rows = extract_chunk(articles)
            cpu += time.process_time() - cpu_before
            extracted = time.perf_counter()
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            events += len(rows)
            done = time.perf_counter()
            generate, extract, write = generate + generated - began, extract + extracted - generated, write + done - extracted
            if peak_tenth is None and start + chunk >= n / 10:
                peak_tenth = _peak_mb()
        size_on_disk = (Path(tmp) / "events.parquet").stat().st_size if n else 0
    return {"mode": "single", "articles": n, "mb": nbytes / 1e6, "events": events, "warm_up_s": warm_up,
            "generate_s": generate, "extract_s": extract, "extract_cpu_s": cpu, "write_s": write,
            "parquet_mb": size_on_disk / 1e6, "peak_warm_mb": peak_warm, "peak_tenth_mb": peak_tenth,
            "peak_mb": _peak_mb()}


def run_workers(n: int, seed: int, workers: int) -> dict:
    """``geo.parallel.run_local`` over ``n`` articles written to .jsonl shards first; return the measurements."""
    with tempfile.TemporaryDirectory() as tmp:
        shards = Path(tmp) / "corpus"
        began = time.perf_counter()
        corpus.write_jsonl_shards(n, seed, shards)
        written = time.perf_counter()
        nbytes = sum(len(json.loads(line)["text"].encode("utf-8"))
                     for path in sorted(shards.glob("*.jsonl")) for line in path.open(encoding="utf-8"))
        started, cpu_before = time.perf_counter(), _cpu_seconds(resource.RUSAGE_CHILDREN)
        summary = run_local([shards], Path(tmp) / "events", workers)
        elapsed = time.perf_counter() - started
    return {"mode": f"workers={workers}", "articles": summary.articles, "mb": nbytes / 1e6, "events": summary.events,
            "corpus_write_s": written - began, "extract_s": elapsed,
            "extract_cpu_s": _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before, "parts": summary.parts,
            "peak_mb": _peak_mb(), "peak_worker_mb": _peak_mb(resource.RUSAGE_CHILDREN)}


def profile(n: int, seed: int, top: int, sampler: str) -> None:
    """Print where the time goes over ``n`` articles (after the warm-up): a pyinstrument call tree or cProfile's top."""
    _warm_up()
    articles = list(corpus.articles(n, seed))
    if sampler == "pyinstrument":
        from pyinstrument import Profiler  # optional: pip install pyinstrument

        sampling = Profiler(interval=0.0005)
        sampling.start()
        extract_chunk(articles)
        sampling.stop()
        print(sampling.output_text(unicode=False, color=False))
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    extract_chunk(articles)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{n} articles in {elapsed:.1f} s under cProfile ({n / elapsed:.0f} articles/s, slowed by profiling)")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def _report(result: dict, load: tuple[float, float]) -> str:
    per_s = result["articles"] / result["extract_s"]
    per_cpu_s = result["articles"] / result["extract_cpu_s"] if result["extract_cpu_s"] else float("nan")
    mb_s = result["mb"] / result["extract_s"]
    if result["mode"] == "single":
        memory = (f"peak RSS {result['peak_mb']:.0f} MB (after warm-up {result['peak_warm_mb']:.0f},"
                  f" after 10% {result['peak_tenth_mb']:.0f}); warm-up {result['warm_up_s']:.1f} s,"
                  f" generation {result['generate_s']:.1f} s, Parquet write {result['write_s']:.1f} s")
    else:
        memory = (f"peak RSS parent {result['peak_mb']:.0f} MB, largest worker {result['peak_worker_mb']:.0f} MB;"
                  f" {result['parts']} part files; corpus written in {result['corpus_write_s']:.1f} s (not timed)")
    return (f"{result['mode']:>10} {result['articles']:>7} articles {result['mb']:7.1f} MB {result['events']:>8} events |"
            f" {result['extract_s']:7.1f} s  {per_s:6.0f} art/s  {mb_s:5.2f} MB/s | {per_cpu_s:6.0f} art/CPU-s |"
            f" load {load[0]:.2f}->{load[1]:.2f} | {memory}")


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--chunk", type=int, default=500, help="articles per chunk (single-process runs)")
    parser.add_argument("--workers", type=int, help="run geo.parallel.run_local with N processes instead")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N articles and print the hotspots")
    parser.add_argument("--profiler", choices=["cprofile", "pyinstrument"], default="cprofile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size in this process
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile, args.seed, args.top, args.profiler)
        return 0
    if args.one is not None:
        result = run_workers(args.one, args.seed, args.workers) if args.workers else run_single(args.one, args.seed, args.chunk)
        print(json.dumps(result))
        return 0
    print(f"{os.cpu_count()} CPUs; GEO_CACHE_DIR={os.environ.get('GEO_CACHE_DIR', '(default)')}", flush=True)
    for size in args.sizes:
        before = os.getloadavg()[0]
        command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed), "--chunk", str(args.chunk)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        child = subprocess.run(command, check=True, capture_output=True, text=True)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        print(_report(result, (before, os.getloadavg()[0])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
