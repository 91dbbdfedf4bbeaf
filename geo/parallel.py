"""Extraction over many processes: N local worker processes, or a dask.distributed cluster.

The same pipeline as the serial :func:`geo.extract.extract_records`, giving the same
rows in the same order, cut into chunks so that memory stays flat however large the
corpus is:

- **local** (``geo extract --workers N``): the parent reads the inputs file by file and
  sends chunks of :data:`CHUNK_ARTICLES` articles to a pool of N spawned processes, with
  at most ``2 * N`` chunks in flight; results are taken in submission order.
- **dask** (``geo extract --dask ADDRESS``): the inputs are cut into partitions of whole
  files (about :data:`PARTITION_BYTES` each); each task reads its files on the worker,
  extracts, and writes its own ``part-NNNNN.parquet``, so neither articles nor events
  pass through the client. Inputs and output must be on storage every worker sees
  under the same path.

Output is one file (``.geojson``, ``.csv``, ``.parquet``: the rows are gathered and
written exactly as the serial run writes them, so every event is held in memory once),
or a folder of ``part-NNNNN.parquet`` files written as results arrive. Reading the parts
in name order gives the serial rows.

Every worker process opens the gazetteer index itself (a read-only SQLite file and a
saved automaton under ``GEO_CACHE_DIR``). The parent builds it before starting workers,
so that processes on this machine find it ready instead of each building it (~30 s).
"""
from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# ``expand_inputs`` is the serial loader's own input order; sharing it keeps both runs' rows in the same order.
from geo.articles import (
    MAX_FILE_BYTES,
    Article,
    expand_inputs,
    parse_file,
    read_metadata,
)
from geo.errors import GeoError, InputError
from geo.schema import EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, LIST_COLUMNS

log = logging.getLogger(__name__)

#: Articles per task sent to a local worker process (small: keeps all workers busy on small inputs).
CHUNK_ARTICLES = 50
#: Events per ``part-NNNNN.parquet`` file (at least) when a local run writes a folder: ~15 MB of rows in memory.
PART_EVENTS = 10_000
#: Input bytes per dask partition (one task, one part file): ~480 articles of 4 KB, a few seconds of work,
#: so that even a few thousand articles keep several workers busy.
PARTITION_BYTES = 2 * 1024 * 1024
PART_GLOB = "part-*.parquet"
#: A short article that makes a fresh worker load the gazetteer, automata and lexicons.
_WARM_UP = Article(id="warm-up", text="Serangan roket menghantam Baghdad pada 3 Januari 2020 dan menewaskan dua orang.")


@dataclass
class ExtractSummary:
    """What a parallel run did: counts, input errors (in input order) and part files written."""

    articles: int = 0
    events: int = 0
    located: int = 0
    errors: list[str] = field(default_factory=list)
    parts: int = 0


@dataclass(frozen=True)
class InputFile:
    """One input file with its ``metadata.csv`` entry, or the error reading its folder's metadata.

    ``path`` is as the user gave it (error messages name it so, as the serial run does);
    ``location`` is absolute, for a worker whose working directory differs.
    """

    path: str
    location: str
    size: int
    metadata: dict[str, dict] | None = None
    metadata_error: str | None = None


@dataclass(frozen=True)
class PartitionResult:
    """What one dask task did (its events are in its part file)."""

    index: int
    articles: int
    events: int
    located: int
    errors: list[str]


def prepare_index() -> None:
    """Build the gazetteer index in this process if the cache does not hold it yet."""
    from geo.gazetteer import get_gazetteer

    get_gazetteer()


def event_schema():
    """The Arrow schema of an events table: fixed, so that every part file has the same columns and types."""
    import pyarrow as pa

    types = {**{c: pa.int64() for c in INT_COLUMNS}, **{c: pa.float64() for c in FLOAT_COLUMNS},
             **{c: pa.list_(pa.string()) for c in LIST_COLUMNS}}
    return pa.schema([(column, types.get(column, pa.string())) for column in EVENT_COLUMNS])


def write_part(rows: list[dict], out_dir: Path, index: int) -> Path:
    """Write event rows to ``out_dir/part-{index:05d}.parquet`` (atomically); returns the path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.export import write_atomic

    path = Path(out_dir) / f"part-{index:05d}.parquet"
    table = pa.Table.from_pylist(rows, schema=event_schema())
    write_atomic(path, lambda tmp: pq.write_table(table, tmp))
    return path


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[InputFile]:
    """Input files in the serial loader's order, each with its folder's metadata (read once per folder)."""
    folders: dict[Path, dict[str, dict]] = {}
    for path in expand_inputs(paths):
        location = str(path.resolve())
        if path.parent not in folders:
            try:
                folders[path.parent] = read_metadata(path.parent)
            except (InputError, OSError) as err:
                # Not cached: like the serial loader, retry (and report) for every file of the folder.
                message = str(err) if isinstance(err, InputError) else f"{path}: cannot read ({err.strerror or err})"
                yield InputFile(str(path), location, 0, metadata_error=message)
                continue
        metadata = folders[path.parent]
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # reported when the file is read
        mine = {path.name: metadata[path.name]} if path.name in metadata else {}
        yield InputFile(str(path), location, size, metadata=mine)


def read_input(item: InputFile) -> tuple[list[Article], list[str]]:
    """The articles of one input file and its error messages, exactly as :func:`~geo.articles.load_articles` gives them."""
    path, location = item.path, Path(item.location)
    try:
        if item.metadata_error:
            raise InputError(item.metadata_error)
        if location.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {location.stat().st_size / 1e6:.1f} MB is over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
        articles, errors = parse_file(path, location.read_bytes(), item.metadata)
    except InputError as err:
        articles, errors = [], [str(err)]
    except OSError as err:
        articles, errors = [], [f"{path}: cannot read ({err.strerror or err})"]
    for message in errors:
        log.warning("%s", message)
    return articles, errors


def article_chunks(paths: Iterable[str | Path], errors: list[str], size: int = CHUNK_ARTICLES) -> Iterator[list[Article]]:
    """Articles under ``paths`` in chunks of ``size``, read one file at a time.

    Parameters
    ----------
    paths:
        Files or folders, as for ``geo extract``.
    errors:
        Receives one message per unusable file or row, in input order.
    size:
        Articles per chunk (the last chunk may be shorter).
    """
    chunk: list[Article] = []
    for item in iter_inputs(paths):
        articles, problems = read_input(item)
        errors.extend(problems)
        for article in articles:
            chunk.append(article)
            if len(chunk) == size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def extract_chunk(articles: list[Article]) -> list[dict]:
    """Event rows of a list of articles, in order (what one task does)."""
    from geo.extract import extract_article

    return [row for article in articles for row in extract_article(article)]


def _warm_worker() -> None:
    """Pool initializer: open the index and build the matchers before the first chunk arrives."""
    extract_chunk([_WARM_UP])


def extract_chunks(chunks: Iterable[list[Article]], workers: int) -> Iterator[list[dict]]:
    """Rows of each chunk, in the chunks' order, computed by ``workers`` spawned processes.

    At most ``2 * workers`` chunks are in flight, so only those are held in memory; the
    input iterable is consumed as results are taken.
    """
    prepare_index()
    # spawn, not fork: a forked child would share the parent's SQLite handle and threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_worker) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(extract_chunk, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _is_folder_output(out: Path) -> bool:
    return out.is_dir() or not out.suffix


def _clear_parts(out_dir: Path) -> None:
    """Remove the part files of an earlier run, so that the folder holds this run's events only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = sorted(out_dir.glob(PART_GLOB))
    if stale:
        log.info("removing %d part files of an earlier run from %s", len(stale), out_dir)
    for path in stale:
        path.unlink()


def _count(summary: ExtractSummary, rows: list[dict]) -> None:
    summary.events += len(rows)
    summary.located += sum(1 for row in rows if row["lat"] is not None)


def run_local(paths: Iterable[str | Path], out: str | Path, workers: int,
              chunk_size: int = CHUNK_ARTICLES, part_events: int = PART_EVENTS) -> ExtractSummary:
    """Extract with ``workers`` local processes into a file, or into a folder of part files.

    Parameters
    ----------
    paths:
        Input files or folders.
    out:
        ``.geojson`` / ``.csv`` / ``.parquet`` file (written as the serial run writes it),
        or a folder (an existing one, or a path without extension) for ``part-NNNNN.parquet``
        files of at least ``part_events`` events each (the last may hold fewer).
    workers:
        Number of processes.
    chunk_size:
        Articles per task.
    part_events:
        Events per part file, for a folder output.
    """
    out = Path(out)
    summary = ExtractSummary()

    def counted(chunks: Iterator[list[Article]]) -> Iterator[list[Article]]:
        for chunk in chunks:
            summary.articles += len(chunk)
            yield chunk

    results = extract_chunks(counted(article_chunks(paths, summary.errors, chunk_size)), workers)
    if not _is_folder_output(out):
        from geo.export import records_to_frame, write_events

        rows = [row for chunk_rows in results for row in chunk_rows]
        _count(summary, rows)
        write_events(records_to_frame(rows), out)
        return summary
    _clear_parts(out)
    buffered: list[dict] = []
    for chunk_rows in results:
        buffered.extend(chunk_rows)
        if len(buffered) >= part_events:
            _flush(buffered, out, summary)
            buffered = []
    if buffered or summary.parts == 0:
        _flush(buffered, out, summary)
    return summary


def _flush(rows: list[dict], out_dir: Path, summary: ExtractSummary) -> None:
    write_part(rows, out_dir, summary.parts)
    summary.parts += 1
    _count(summary, rows)


# -- dask.distributed -----------------------------------------------------------


def plan_partitions(items: Iterable[InputFile], target_bytes: int = PARTITION_BYTES) -> Iterator[list[InputFile]]:
    """Consecutive input files grouped into partitions of about ``target_bytes`` (a bigger file stands alone)."""
    partition: list[InputFile] = []
    size = 0
    for item in items:
        if partition and size + item.size > target_bytes:
            yield partition
            partition, size = [], 0
        partition.append(item)
        size += item.size
    if partition:
        yield partition


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Package version plus a hash of every bundled data file: equal on client and workers, or outputs differ."""
    from geo import __version__
    from geo.datafiles import data_files, data_fingerprint

    return f"{__version__}-{data_fingerprint(data_files())}"


def extract_partition(index: int, items: list[InputFile], out_dir: str, fingerprint: str) -> PartitionResult:
    """One dask task: read ``items``, extract, write ``part-{index:05d}.parquet`` into ``out_dir``.

    Raises
    ------
    GeoError
        This worker runs other geo-events code or data than the client.
    """
    if code_fingerprint() != fingerprint:
        raise GeoError(f"this worker runs geo-events {code_fingerprint()}, the client {fingerprint}: "
                       "install the same version (and data) on every machine")
    rows: list[dict] = []
    errors: list[str] = []
    articles = 0
    for item in items:
        found, problems = read_input(item)
        errors.extend(problems)
        articles += len(found)
        rows.extend(extract_chunk(found))
    write_part(rows, Path(out_dir), index)
    return PartitionResult(index, articles, len(rows), sum(1 for row in rows if row["lat"] is not None), errors)


def _client(address: str | None):
    """A dask.distributed Client for ``address``.

    ``tcp://HOST:PORT`` (or ``tls://``), a scheduler file (``.json``), or None for the
    ``scheduler-address`` of the Dask configuration (``DASK_SCHEDULER_ADDRESS``,
    ``~/.config/dask/*.yaml``).
    """
    try:
        import dask
        from distributed import Client
    except ImportError as err:
        raise GeoError("--dask needs dask.distributed: pip install 'distributed'") from err
    if address and address.endswith(".json"):
        return Client(scheduler_file=address)
    if not address and not dask.config.get("scheduler-address", None):
        raise GeoError("no Dask scheduler: pass --dask tcp://HOST:PORT, or set DASK_SCHEDULER_ADDRESS "
                       "(or scheduler-address in ~/.config/dask/distributed.yaml)")
    return Client(address or None)


def run_dask(paths: Iterable[str | Path], out_dir: str | Path, address: str | None = None,
             partition_bytes: int = PARTITION_BYTES) -> ExtractSummary:
    """Extract on a dask.distributed cluster into a folder of ``part-NNNNN.parquet`` files.

    Parameters
    ----------
    paths:
        Input files or folders; every worker must see them under the same path.
    out_dir:
        Output folder (created; part files of an earlier run are removed); every worker
        must be able to write it under the same path.
    address:
        Scheduler address (``tcp://HOST:8786``, ``tls://...``), a scheduler file
        (``.json``), or None for the Dask configuration's ``scheduler-address``.
    partition_bytes:
        Input bytes per task (one part file per task).

    Raises
    ------
    GeoError
        No scheduler, or a worker runs different code or data.
    """
    from distributed import as_completed

    out_dir = Path(out_dir).resolve()
    _clear_parts(out_dir)
    fingerprint = code_fingerprint()
    results: dict[int, PartitionResult] = {}
    with _client(address) as client:
        _prepare_hosts(client)
        window = max(4, 2 * sum(client.nthreads().values()))
        running = as_completed()
        for index, partition in enumerate(plan_partitions(iter_inputs(paths), partition_bytes)):
            running.add(client.submit(extract_partition, index, partition, str(out_dir), fingerprint, pure=False))
            if running.count() >= window:
                _collect(next(running), results)
        for future in running:
            _collect(future, results)
    summary = ExtractSummary(parts=len(results))
    for index in sorted(results):
        result = results[index]
        summary.articles += result.articles
        summary.events += result.events
        summary.located += result.located
        summary.errors.extend(result.errors)
    return summary


def _prepare_hosts(client) -> None:
    """Build the gazetteer index once per host, in one of its workers, before the host's other workers need it.

    Workers of one host share the cache directory (the same user's, or ``GEO_CACHE_DIR``);
    without this, each of them would build the index at the same time on its first task.
    """
    one_per_host: dict[str, str] = {}
    for address, info in client.scheduler_info()["workers"].items():
        one_per_host.setdefault(info["host"], address)
    client.run(prepare_index, workers=list(one_per_host.values()))


def _collect(future, results: dict[int, PartitionResult]) -> None:
    result = future.result()
    results[result.index] = result
    log.info("partition %d: %d articles, %d events", result.index, result.articles, result.events)
