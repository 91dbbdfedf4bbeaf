"""Parallel and distributed extraction give the serial run's rows, in the serial order.

Inputs: the seeds plus a small corpus from ``benchmarks/corpus.py`` (as .txt files with
metadata.csv and as a .jsonl file) plus one unusable file, so that input errors are
compared too. Runs: ``geo extract`` serial, ``--workers 2`` (file and folder output),
and ``--dask`` against a ``distributed.LocalCluster`` of two processes on 127.0.0.1.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from geo.articles import load_articles
from geo.cli import main
from geo.errors import GeoError
from geo.parallel import InputFile, extract_partition, plan_partitions, run_dask
from geo.schema import EVENT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def _corpus_module():
    """``benchmarks/corpus.py`` (a script folder, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def read_rows(path: Path) -> list[dict]:
    """Event rows of a Parquet file, or of a folder's part files in name order, as plain Python values."""
    files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
    return [row for file in files for row in pq.read_table(file).select(list(EVENT_COLUMNS)).to_pylist()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, seeds_dir) -> list[str]:
    """Seeds, 30 generated .txt articles with metadata, 12 in a .jsonl, and an empty file."""
    corpus = _corpus_module()
    base = tmp_path_factory.mktemp("corpus")
    corpus.write_txt(corpus.generate(30, seed=7), base / "txt")
    corpus.write_jsonl(corpus.generate(12, seed=7, start=30), base / "more" / "articles.jsonl")
    (base / "more" / "empty.txt").write_text("")
    return [str(seeds_dir), str(base / "txt"), str(base / "more")]


@pytest.fixture(scope="module")
def serial(inputs, tmp_path_factory) -> tuple[list[dict], Path]:
    """Rows and file of the serial ``geo extract`` run."""
    out = tmp_path_factory.mktemp("serial") / "events.parquet"
    assert main(["extract", *inputs, "--out", str(out)]) == 0
    rows = read_rows(out)
    assert len(rows) > 100 and len({row["sources"][0] for row in rows}) > 30
    return rows, out


def test_workers_equal_serial_row_for_row(inputs, serial, tmp_path, capsys):
    rows, serial_file = serial
    serial_errors = [f"geo: skipped: {message}" for message in load_articles(inputs)[1]]
    assert len(serial_errors) == 1 and "empty.txt" in serial_errors[0]

    assert main(["extract", *inputs, "--out", str(tmp_path / "w2.parquet"), "--workers", "2"]) == 0
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("geo: skipped:")] == serial_errors
    assert read_rows(tmp_path / "w2.parquet") == rows
    # The same writer as the serial run: the file itself is identical.
    assert (tmp_path / "w2.parquet").read_bytes() == serial_file.read_bytes()

    assert main(["extract", *inputs, "--out", str(tmp_path / "w2-parts"), "--workers", "2"]) == 0
    assert read_rows(tmp_path / "w2-parts") == rows


def test_workers_must_be_positive(inputs, tmp_path, capsys):
    assert main(["extract", *inputs, "--out", str(tmp_path / "x.parquet"), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def test_dask_cli_equals_serial_row_for_row(inputs, serial, cluster, tmp_path, capsys):
    rows, _ = serial
    out = tmp_path / "dask-out"
    out.mkdir()
    (out / "part-00099.parquet").write_bytes(b"stale part of an earlier run")
    assert main(["extract", *inputs, "--out", str(out), "--dask", cluster.scheduler_address]) == 0
    assert "(1 part files)" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.parquet"]
    assert read_rows(out) == rows


def test_dask_many_partitions_equal_serial(inputs, serial, cluster, tmp_path):
    rows, _ = serial
    summary = run_dask(inputs, tmp_path / "parts", cluster.scheduler_address, partition_bytes=40_000)
    assert summary.parts > 3
    assert summary.events == len(rows)
    assert len(summary.errors) == 1 and "empty.txt" in summary.errors[0]
    assert read_rows(tmp_path / "parts") == rows


def test_dask_needs_a_scheduler(inputs, tmp_path, monkeypatch):
    import dask

    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    with dask.config.set({"scheduler-address": None}):
        with pytest.raises(GeoError, match="no Dask scheduler"):
            run_dask(inputs, tmp_path / "out")


def test_worker_with_other_code_refuses(tmp_path):
    with pytest.raises(GeoError, match="same version"):
        extract_partition(0, [], str(tmp_path), "0.0.0-other")


@pytest.mark.parametrize(("sizes", "target", "expected"), [
    ([5, 5, 5], 10, [[5, 5], [5]]),
    ([30, 1, 1], 10, [[30], [1, 1]]),
    ([1, 30, 1], 10, [[1], [30], [1]]),
    ([], 10, []),
])
def test_plan_partitions_keeps_file_order(sizes, target, expected):
    items = [InputFile(f"f{i}.txt", f"/in/f{i}.txt", size) for i, size in enumerate(sizes)]
    planned = list(plan_partitions(items, target))
    assert [[item.size for item in part] for part in planned] == expected
    assert [item for part in planned for item in part] == items
