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
    extract.add_argument("--out", required=True, help="output file: .geojson, .csv or .parquet")
    extract.set_defaults(func=_cmd_extract)
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
