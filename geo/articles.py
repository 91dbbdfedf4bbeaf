"""Reading articles: .txt files and folders (with an optional metadata.csv), .csv, .jsonl and .json.

Bad input never stops a batch: each unusable file or row becomes one error message
naming the file (and row), and every good article is still returned.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import InputError

log = logging.getLogger(__name__)

#: Largest input file read, in bytes (``GEO_MAX_FILE_MB`` overrides).
MAX_FILE_BYTES = int(float(os.environ.get("GEO_MAX_FILE_MB", "50")) * 1024 * 1024)
#: Largest single article text, in characters.
MAX_ARTICLE_CHARS = 1_000_000
#: Encodings tried in order for files that are not UTF-8.
FALLBACK_ENCODINGS = ("utf-16", "cp1252", "latin-1")
METADATA_FILE = "metadata.csv"
METADATA_FIELDS = ("title", "outlet", "url", "published")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Article:
    """One news article and what is known about it."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: the identity of an article for de-duplication."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes, name: str) -> str:
    """Decode file content, trying UTF-8 then the likely legacy encodings.

    Raises
    ------
    InputError
        Empty or binary content.
    """
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"{name}: bad UTF-16 text ({err})") from err
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS[1:]:
        try:
            text = data.decode(encoding)
            log.info("%s: not UTF-8, read as %s", name, encoding)
            return text
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode text")  # pragma: no cover - latin-1 decodes anything


def _clean_published(value: object, where: str) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    text = text[:10]
    if not _DATE_RE.match(text):
        raise InputError(f"{where}: 'published' must be YYYY-MM-DD, got {value!r}")
    return text


def _article(record: dict, default_id: str, where: str) -> Article:
    """Build an Article from a record with a ``text`` key; raise InputError naming ``where``."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text'")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"{where}: article text is {len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,}")
    meta = {key: (str(record[key]).strip() or None) if record.get(key) not in (None, "") else None for key in ("title", "outlet", "url")}
    extra = {k: v for k, v in record.items() if k not in {"id", "text", *METADATA_FIELDS}}
    return Article(
        id=str(record.get("id") or default_id).strip(),
        text=text,
        published=_clean_published(record.get("published"), where),
        extra=extra,
        **meta,
    )


def _records_from_csv(text: str, name: str):
    reader = csv.DictReader(io.StringIO(text))
    if "text" not in (reader.fieldnames or []):
        raise InputError(f"{name}: CSV has no 'text' column (columns: {', '.join(reader.fieldnames or [])})")
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as err:
            yield f"{name}, line {reader.line_num}", InputError(f"{name}, line {reader.line_num}: malformed CSV ({err})")
            return
        yield f"{name}, line {reader.line_num}", row


def _records_from_jsonl(text: str, name: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            record = json.loads(line)
        except ValueError as err:
            yield where, InputError(f"{where}: malformed JSON ({err.args[0] if err.args else err})")
            continue
        yield where, record if isinstance(record, dict) else InputError(f"{where}: expected a JSON object")


def _records_from_json(text: str, name: str):
    try:
        data = json.loads(text)
    except ValueError as err:
        raise InputError(f"{name}: malformed JSON ({err})") from err
    items = data if isinstance(data, list) else [data]
    for number, record in enumerate(items, start=1):
        where = f"{name}, item {number}"
        yield where, record if isinstance(record, dict) else InputError(f"{where}: expected a JSON object")


_READERS = {".csv": _records_from_csv, ".jsonl": _records_from_jsonl, ".ndjson": _records_from_jsonl, ".json": _records_from_json}
SUPPORTED_SUFFIXES = (".txt", *_READERS)


def parse_file(name: str, data: bytes, metadata: dict | None = None) -> tuple[list[Article], list[str]]:
    """Articles in one file's content, plus per-row error messages.

    Raises
    ------
    InputError
        The whole file is unusable (too big, empty, binary, unknown type).
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{name}: unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED_SUFFIXES)}")
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name}: {len(data) / 1e6:.1f} MB is over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
    text = decode_bytes(data, name)
    base = Path(name).name
    if suffix == ".txt":
        record = {"id": base, "text": text, **(metadata or {}).get(base, {})}
        return [_article(record, base, name)], []
    articles, errors = [], []
    for number, (where, record) in enumerate(_READERS[suffix](text, name), start=1):
        if isinstance(record, InputError):
            errors.append(str(record))
            continue
        try:
            articles.append(_article(record, f"{base}#{number}", where))
        except InputError as err:
            errors.append(str(err))
    if not articles and not errors:
        errors.append(f"{name}: no articles found")
    return articles, errors


def articles_from_upload(name: str, data: bytes) -> list[Article]:
    """Articles from an uploaded file; raises InputError if nothing in it is usable."""
    articles, errors = parse_file(name, data)
    if errors and not articles:
        raise InputError("; ".join(errors[:5]))
    return articles


def read_metadata(folder: Path) -> dict[str, dict]:
    """``metadata.csv`` beside .txt files: file name -> {title, outlet, url, published}."""
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    reader = csv.DictReader(io.StringIO(decode_bytes(path.read_bytes(), str(path))))
    if "file" not in (reader.fieldnames or []):
        raise InputError(f"{path}: metadata needs a 'file' column")
    return {row["file"].strip(): {k: row.get(k) for k in METADATA_FIELDS if row.get(k)} for row in reader if row.get("file")}


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The input files under ``paths`` (folders recursively, sorted), in the order every loader reads them."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                                and p.name != METADATA_FILE))
        else:
            files.append(path)
    return files


def load_articles(paths: Iterable[str | Path]) -> tuple[list[Article], list[str]]:
    """Read every article under ``paths`` (files or folders).

    Returns
    -------
    (articles, errors)
        All good articles, and one message per unusable file or row.
    """
    articles: list[Article] = []
    errors: list[str] = []
    metadata_by_folder: dict[Path, dict] = {}
    for path in expand_inputs(paths):
        try:
            if path.parent not in metadata_by_folder:
                metadata_by_folder[path.parent] = read_metadata(path.parent)
            if path.stat().st_size > MAX_FILE_BYTES:
                raise InputError(f"{path}: {path.stat().st_size / 1e6:.1f} MB is over the {MAX_FILE_BYTES / 1e6:.0f} MB limit")
            found, problems = parse_file(str(path), path.read_bytes(), metadata_by_folder[path.parent])
        except InputError as err:
            errors.append(str(err))
            continue
        except OSError as err:
            errors.append(f"{path}: cannot read ({err.strerror or err})")
            continue
        articles.extend(found)
        errors.extend(problems)
    for message in errors:
        log.warning("%s", message)
    return articles, errors
