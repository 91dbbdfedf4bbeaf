"""The ``geo`` command line: argument parsing only; the work is done by the library."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence


def _cmd_geocode(args: argparse.Namespace) -> int:
    from geo.geocoders import LOCATION_FIELDS, default_geocoder

    geocoder = default_geocoder(online=True if args.online else None)
    for query in args.names:
        location = geocoder.geocode(query, args.country)
        if args.json:
            record = {"query": query, **dict.fromkeys(LOCATION_FIELDS)}
            if location is not None:
                record.update(location.as_dict())
            print(json.dumps(record, ensure_ascii=False))
        elif location is None:
            print(f"{query}\tunresolved")
        else:
            print(f"{query}\t{location.name}\t{location.lat:.5f}\t{location.lon:.5f}\t{location.country or '-'}"
                  f"\t{location.kind}\tprecision={location.geo_precision}\t{location.source}")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        print(f"geo: error: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    if args.workers or args.dask is not None:
        from geo.parallel import run_dask, run_local

        summary = (run_dask(args.inputs, args.out, args.dask or None) if args.dask is not None
                   else run_local(args.inputs, args.out, args.workers))
        for message in summary.errors:
            print(f"geo: skipped: {message}", file=sys.stderr)
        parts = f" ({summary.parts} part files)" if summary.parts else ""
        print(f"{summary.events} events ({summary.located} located) from {summary.articles} articles -> {args.out}{parts}",
              file=sys.stderr)
        return 0
    from geo.export import records_to_frame, write_events
    from geo.extract import extract_records

    rows, errors = extract_records(args.inputs)
    for message in errors:
        print(f"geo: skipped: {message}", file=sys.stderr)
    events = records_to_frame(rows)
    write_events(events, args.out)
    located = int(events["lat"].notna().sum())
    print(f"{len(events)} events ({located} located) from {len({s for r in rows for s in r['sources']})} articles -> {args.out}",
          file=sys.stderr)
    return 0


def _store_path(args: argparse.Namespace):
    from geo.store import default_store_path

    return args.store or default_store_path()


def _print_report(report, store, what: str) -> int:
    """Per-file/row errors to stderr, a summary line to stdout; exit status 1 if anything was skipped as bad."""
    for message in report.errors:
        print(f"geo: skipped: {message}", file=sys.stderr)
    counts = store.counts()
    updated = f", {report.updated} updated" if report.updated else ""
    print(f"{report.added} {what} added ({report.events_added} events), {report.skipped_duplicates} already stored{updated};"
          f" {store.path} holds {counts['events']} events from {counts['articles']} sources")
    return 1 if report.errors else 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo.store import EventStore

    with EventStore(_store_path(args)) as store:
        return _print_report(store.ingest(args.inputs), store, "articles")


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.store import EventStore

    with EventStore(_store_path(args)) as store:
        return _print_report(store.import_acled(args.file), store, "ACLED rows")


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.export import WRITERS, to_acled_csv, to_geojson, write_atomic
    from geo.store import EventStore

    with EventStore(_store_path(args), readonly=True) as store:
        events = store.events(since=args.since, until=args.until, include_undated=not (args.since or args.until),
                              event_types=args.type, countries=[c.upper() for c in args.country], actors=args.actor,
                              source_kinds=args.source_kind)
    render = {"geojson": to_geojson, "acled-csv": to_acled_csv}.get(args.format)
    if render is None:  # parquet is binary: it needs a file
        if not args.out:
            print("geo: error: --format parquet needs --out FILE", file=sys.stderr)
            return 2
        write_atomic(args.out, lambda tmp: WRITERS[".parquet"](events, tmp))
    elif args.out:
        write_atomic(args.out, lambda tmp: tmp.write_text(render(events), encoding="utf-8"))
    else:
        sys.stdout.write(render(events))
    print(f"{len(events)} events -> {args.out or 'stdout'}", file=sys.stderr)
    return 0


def _add_store_commands(sub) -> None:
    """``ingest``, ``export`` and ``import``: the event store (issue 6)."""
    from datetime import date

    from geo.store import SOURCE_KINDS, STORE_ENV

    store_help = f"store file (default: ${STORE_ENV}, else ./geo-events.sqlite)"
    ingest = sub.add_parser("ingest", help="add articles and their events to the event store (idempotent)",
                            epilog="Exit status 1 when a file or row could not be read; the others are stored.")
    ingest.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.csv/.jsonl files or folders")
    ingest.add_argument("--store", help=store_help)
    ingest.set_defaults(func=_cmd_ingest)

    export = sub.add_parser("export", help="write the store's merged events as GeoJSON, ACLED-style CSV or Parquet")
    export.add_argument("--store", help=store_help)
    export.add_argument("--format", required=True, choices=["geojson", "acled-csv", "parquet"])
    export.add_argument("--out", help="output file (default: stdout; required for parquet)")
    export.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="events dated on or after this day (undated events are left out when --since/--until is given)")
    export.add_argument("--until", type=date.fromisoformat, metavar="YYYY-MM-DD", help="events dated on or before this day")
    export.add_argument("--type", action="append", default=[], metavar="EVENT_TYPE", help="ACLED event type (repeatable)")
    export.add_argument("--country", action="append", default=[], metavar="ISO2", help="country (repeatable)")
    export.add_argument("--actor", action="append", default=[], metavar="NAME",
                        help="actor 1, actor 2 or associated actor (repeatable)")
    export.add_argument("--source-kind", action="append", default=[], choices=SOURCE_KINDS,
                        help="extracted from articles, or imported from ACLED (repeatable)")
    export.set_defaults(func=_cmd_export)

    imported = sub.add_parser("import", help="load an ACLED-style CSV into the store as its own source",
                              epilog="Exit status 1 when some rows were malformed; the good rows are stored.")
    imported.add_argument("--format", required=True, choices=["acled"])
    imported.add_argument("file", metavar="FILE.csv")
    imported.add_argument("--store", help=store_help)
    imported.set_defaults(func=_cmd_import)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``geo`` subcommand."""
    parser = argparse.ArgumentParser(prog="geo", description="Conflict-event mapping from news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    geocode = sub.add_parser("geocode", help="resolve place names offline (optionally online)")
    geocode.add_argument("names", nargs="+", metavar="NAME")
    geocode.add_argument("--country", action="append", default=[], metavar="ISO2",
                         help="context country (repeatable), e.g. --country IQ")
    geocode.add_argument("--json", action="store_true", help="one JSON object per line")
    geocode.add_argument("--online", action="store_true", help="also ask the online geocoder (or set GEO_ONLINE=1)")
    geocode.set_defaults(func=_cmd_geocode)

    extract = sub.add_parser("extract", help="extract events from articles into GeoJSON / CSV / Parquet")
    extract.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.csv/.jsonl files or folders")
    extract.add_argument("--out", required=True,
                         help="output file: .geojson, .csv or .parquet; with --workers or --dask, a folder for part-*.parquet")
    scale = extract.add_mutually_exclusive_group()
    scale.add_argument("--workers", type=int, metavar="N", help="extract in N local processes")
    scale.add_argument("--dask", nargs="?", const="", metavar="ADDRESS",
                       help="extract on a dask.distributed cluster (tcp://HOST:PORT or a scheduler .json file; "
                            "bare --dask uses DASK_SCHEDULER_ADDRESS) into the --out folder")
    extract.set_defaults(func=_cmd_extract)
    _add_store_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``geo`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from geo.errors import GeoError

    try:
        return args.func(args)
    except GeoError as err:
        print(f"geo: error: {err}", file=sys.stderr)
        return 1
