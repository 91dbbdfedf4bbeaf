"""The durable event store: articles, the events read from each, and the merged events, in one SQLite file.

Tables:

* ``articles`` - one row per report source: an article (``source_kind`` "extracted")
  or an imported ACLED row ("acled"), unique by ``content_hash``.
* ``raw_events`` - the events as read from each article (or the ACLED row itself).
* ``events`` - merged events (:mod:`geo.merge`), what the map and exports show, with
  the interval ``date_first``..``date_last`` of the (possibly partial) date for filtering.
* ``event_members`` - which raw events each merged event is made of.

List columns (sources, outlets, ...) are JSON text. The file is in WAL mode, so the
dashboard reads while an ingest writes; every batch is one ``BEGIN IMMEDIATE`` ...
``COMMIT`` transaction, so a crash leaves the store as it was before the batch or
with the whole batch, never half of it. Ingest is idempotent: an article whose
content hash is stored already adds nothing. Extracted events are re-merged in the same
transaction, from the raw events of every year the new reports touch (groups never span
two years; see ``EventStore._remerge``); ACLED rows are ACLED's own events and are not
merged (one row, one event), and a re-imported row with the same ``event_id_cnty``
but new content replaces the old one (ACLED revises its data).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geo.articles import Article, load_articles
from geo.errors import StoreError
from geo.merge import MergeSettings, combine, load_settings, merge_groups
from geo.schema import EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, LIST_COLUMNS

log = logging.getLogger(__name__)

#: Environment variable naming the store file (CLI and dashboard).
STORE_ENV = "GEO_STORE"
#: Store file used when neither ``--store`` nor ``GEO_STORE`` names one (in the current directory).
DEFAULT_STORE_NAME = "geo-events.sqlite"
#: Bump when the table layout changes; a store of another version is refused, not silently misread.
SCHEMA_VERSION = 1
EXTRACTED, ACLED = "extracted", "acled"
SOURCE_KINDS = (EXTRACTED, ACLED)
#: Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_S = 60.0

_COLUMNS = list(EVENT_COLUMNS)
_DATA_COLUMNS = _COLUMNS[1:]  # all but event_id


def _year_sql(table: str = "") -> str:
    """The re-merge block of an event in SQL: its year, '' when undated (the indexes are on this expression)."""
    return f"coalesce(substr({table}event_date, 1, 4), '')"


def _year_of(event_date: str | None) -> str:
    """:func:`_year_sql` in Python."""
    return (event_date or "")[:4]


def _sql_type(column: str) -> str:
    return "INTEGER" if column in INT_COLUMNS else "REAL" if column in FLOAT_COLUMNS else "TEXT"


_EVENT_COLUMNS_DDL = ",\n    ".join(f"{c} {_sql_type(c)}" for c in _DATA_COLUMNS)
_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source_kind TEXT NOT NULL CHECK (source_kind IN {SOURCE_KINDS!r}),
    article_id TEXT NOT NULL,
    title TEXT, outlet TEXT, url TEXT, published TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS raw_events (
    event_id TEXT PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    {_EVENT_COLUMNS_DDL}
);
CREATE INDEX IF NOT EXISTS raw_events_article ON raw_events(article);
CREATE INDEX IF NOT EXISTS raw_events_year ON raw_events({_year_sql()});
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    source_kind TEXT NOT NULL,
    date_first TEXT,
    date_last TEXT,
    {_EVENT_COLUMNS_DDL}
);
CREATE INDEX IF NOT EXISTS events_date ON events(date_first, date_last);
CREATE INDEX IF NOT EXISTS events_type ON events(event_type);
CREATE INDEX IF NOT EXISTS events_country ON events(country);
CREATE INDEX IF NOT EXISTS events_kind ON events(source_kind);
CREATE INDEX IF NOT EXISTS events_year ON events(source_kind, {_year_sql()});
CREATE TABLE IF NOT EXISTS event_members (
    raw_event_id TEXT PRIMARY KEY REFERENCES raw_events(event_id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS event_members_event ON event_members(event_id);
"""


def default_store_path() -> Path:
    """``$GEO_STORE``, else ``geo-events.sqlite`` in the current directory."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE_NAME)


@dataclass
class IngestReport:
    """What one ingest or import batch did."""

    added: int = 0
    """Articles (or ACLED rows) stored."""
    skipped_duplicates: int = 0
    """Articles (or rows) already in the store, by content hash, or repeated in the batch."""
    errors: list[str] = field(default_factory=list)
    """One message per unusable file or row (naming it); the rest of the batch is still stored."""
    events_added: int = 0
    """Raw events stored (before merging)."""
    updated: int = 0
    """ACLED rows that replaced an earlier version of the same ``event_id_cnty``."""


@dataclass(frozen=True)
class SourceRecord:
    """One report source ready to store: an article or an ACLED row, and the event rows read from it."""

    content_hash: str
    article_id: str
    rows: list[dict]
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None

    @classmethod
    def from_article(cls, article: Article, rows: list[dict]) -> SourceRecord:
        """An article and its extracted event rows."""
        return cls(article.content_hash, article.id, rows, article.title, article.outlet, article.url,
                   article.published)

    @classmethod
    def from_acled_row(cls, row: dict) -> SourceRecord:
        """One imported ACLED event; its identity is the hash of its content."""
        content = json.dumps({c: row.get(c) for c in _COLUMNS}, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(b"acled\0" + content.encode("utf-8")).hexdigest()
        return cls(digest, row["event_id"], [row], outlet="; ".join(row.get("outlets") or []) or None)


def _date_interval(value: str | None) -> tuple[str | None, str | None]:
    from geo.filters import date_interval

    span = date_interval(value)
    return (span[0].isoformat(), span[1].isoformat()) if span else (None, None)


def _encode(row: dict) -> list:
    """An event row as SQL values in :data:`EVENT_COLUMNS` order (lists as JSON text)."""
    return [json.dumps(list(row.get(c) or []), ensure_ascii=False) if c in LIST_COLUMNS else row.get(c)
            for c in _COLUMNS]


def _decode(values: Sequence) -> dict:
    """SQL values in :data:`EVENT_COLUMNS` order -> an event row."""
    return {c: json.loads(v) if c in LIST_COLUMNS else v for c, v in zip(_COLUMNS, values, strict=True)}


def _in(column: str, values: Sequence[str]) -> tuple[str, list]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


class EventStore:
    """A SQLite event store (WAL mode): ingest articles, import ACLED rows, read merged events.

    Parameters
    ----------
    path
        The store file; created (with its tables) unless ``readonly``.
    readonly
        Open for reading only (the dashboard): never creates or changes the file.
    settings
        Merge thresholds; the bundled ``data/merge_settings.yaml`` by default.

    Raises
    ------
    StoreError
        The file is missing (read-only), not a SQLite file, or a store of another version.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, settings: MergeSettings | None = None):
        self.path = Path(path)
        self.readonly = readonly
        self.settings = settings or load_settings()
        try:
            self._conn = self._connect()
            self._check_schema()
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open the event store ({err})") from err

    def _connect(self) -> sqlite3.Connection:
        if self.readonly:
            if not self.path.is_file():
                raise StoreError(f"{self.path}: no event store here (create one with `geo ingest`)")
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            # WAL: readers never wait for a writer. FULL: a committed batch survives a power cut too.
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _check_schema(self) -> None:
        if not self.readonly:
            with self._transaction() as conn:
                for statement in filter(str.strip, _DDL.split(";")):
                    conn.execute(statement)
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0')")
        found = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None or found[0] != str(SCHEMA_VERSION):
            raise StoreError(f"{self.path}: event store version {found[0] if found else '?'};"
                             f" this program reads version {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection (the file stays consistent whether or not this is called)."""
        self._conn.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front, so it cannot fail half-way for it."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------

    def ingest(self, inputs: Iterable[Article | str | Path],
               extract: Callable[[Article], list[dict]] | None = None) -> IngestReport:
        """Add articles (or files/folders of them) and their events, and re-merge; one transaction.

        Parameters
        ----------
        inputs
            :class:`~geo.articles.Article` objects and/or paths to .txt/.csv/.jsonl files or folders.
        extract
            Article -> event rows; :func:`geo.extract.extract_article` by default.

        Returns
        -------
        IngestReport
            Articles added and skipped (already stored, by content hash), and the input errors.
        """
        if extract is None:
            from geo.extract import extract_article as extract
        articles: list[Article] = []
        paths: list[str | Path] = []
        for item in inputs:
            (articles if isinstance(item, Article) else paths).append(item)
        report = IngestReport()
        if paths:
            loaded, report.errors = load_articles(paths)
            articles.extend(loaded)
        # Extraction is slow and needs no lock: it runs before the write transaction.
        records = [SourceRecord.from_article(a, extract(a)) for a in self._unseen(articles, report)]
        self._write(EXTRACTED, records, report)
        return report

    def import_acled(self, path: str | Path) -> IngestReport:
        """Load an ACLED-style CSV as events of source kind "acled"; one transaction.

        Malformed rows are reported (file and line) and left out; good rows still load.
        Re-importing the same file adds nothing.

        Parameters
        ----------
        path
            An ACLED export, or a file written by ``geo export --format acled-csv``.

        Returns
        -------
        IngestReport
        """
        from geo.acled import read_acled

        rows, errors = read_acled(path)
        report = IngestReport(errors=errors)
        self._write(ACLED, self._unseen([SourceRecord.from_acled_row(r) for r in rows], report), report)
        return report

    def _unseen(self, items: list, report: IngestReport) -> list:
        """The articles or records (anything with a ``content_hash``) not stored yet, each once; counts the others."""
        stored = self._stored_hashes([item.content_hash for item in items])
        fresh: dict[str, object] = {}
        for item in items:
            if item.content_hash in stored or item.content_hash in fresh:
                report.skipped_duplicates += 1
            else:
                fresh[item.content_hash] = item
        return list(fresh.values())

    def _stored_hashes(self, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(hashes), 500):  # SQLite's limit on bound parameters
            chunk = hashes[start: start + 500]
            clause, params = _in("content_hash", chunk)
            found.update(h for (h,) in self._conn.execute(f"SELECT content_hash FROM articles WHERE {clause}", params))
        return found

    def _write(self, kind: str, records: list[SourceRecord], report: IngestReport) -> None:
        """Store ``records`` and re-merge, all in one transaction (all or nothing)."""
        if not records:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            with self._transaction() as conn:
                # Another process may have stored some of these since we looked.
                stored = self._stored_hashes([r.content_hash for r in records])
                new_raw: list[dict] = []
                for record in records:
                    if record.content_hash in stored:
                        report.skipped_duplicates += 1
                        continue
                    slot = self._acled_slot(conn, record.article_id) if kind == ACLED else "new"
                    if slot == "taken":
                        report.errors.append(f"ACLED event {record.article_id}: this id belongs to an event extracted"
                                             " into this store (is the file this store's own export?); not imported")
                        continue
                    cursor = conn.execute(
                        "INSERT INTO articles (content_hash, source_kind, article_id, title, outlet, url, published,"
                        " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (record.content_hash, kind, record.article_id, record.title, record.outlet, record.url,
                         record.published, now))
                    conn.executemany(
                        f"INSERT INTO raw_events (article, {', '.join(_COLUMNS)})"
                        f" VALUES (?, {', '.join('?' * len(_COLUMNS))})",
                        [[cursor.lastrowid, *_encode(row)] for row in record.rows])
                    report.updated += int(slot == "replaced")
                    report.added += int(slot == "new")
                    report.events_added += len(record.rows)
                    new_raw.extend(record.rows)
                conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
                if kind == EXTRACTED:
                    self._remerge(conn, new_raw)
                else:
                    self._insert_events(conn, ACLED, [[row] for row in new_raw])
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: ingest failed, nothing stored ({err})") from err

    @staticmethod
    def _acled_slot(conn: sqlite3.Connection, event_id: str) -> str:
        """Make room for an ACLED event: "new", "replaced" (older version deleted) or "taken" (by an extracted one)."""
        owner = conn.execute("SELECT a.id, a.source_kind FROM raw_events r JOIN articles a ON a.id = r.article"
                             " WHERE r.event_id = ?", (event_id,)).fetchone()
        if owner is None:
            return "new"
        if owner[1] != ACLED:
            return "taken"
        conn.execute("DELETE FROM events WHERE event_id IN"
                     " (SELECT event_id FROM event_members WHERE raw_event_id = ?)", (event_id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (owner[0],))  # cascades to its raw event and membership
        return "replaced"

    def _remerge(self, conn: sqlite3.Connection, new_rows: list[dict]) -> None:
        """Re-compute the merged extracted events that ``new_rows`` can change.

        With ``max_days_apart`` 0 (the default) no group spans two calendar years: a day
        report meets only reports of its day, a month or year report only those inside
        its month or year, undated reports only undated ones. Re-merging the years of the
        new reports (the undated block counts as one) therefore gives exactly what
        re-merging the whole store would. With a day tolerance everything is re-merged.
        """
        years: list[str] = []
        if self.settings.max_days_apart == 0:
            years = sorted({_year_of(row.get("event_date")) for row in new_rows})
            if not years:
                return

        def in_block(table: str = "") -> str:
            return f" AND {_year_sql(table)} IN ({', '.join('?' * len(years))})" if years else ""

        cursor = conn.execute(
            f"SELECT {', '.join('r.' + c for c in _COLUMNS)} FROM raw_events r JOIN articles a ON a.id = r.article"
            f" WHERE a.source_kind = ?{in_block('r.')}", [EXTRACTED, *years])
        groups = {min(row["event_id"] for row in group): group
                  for group in merge_groups(map(_decode, cursor), self.settings)}
        stored: dict[str, set[str]] = {}
        for event_id, raw_event_id in conn.execute(
                "SELECT e.event_id, m.raw_event_id FROM events e JOIN event_members m ON m.event_id = e.event_id"
                f" WHERE e.source_kind = ?{in_block('e.')}", [EXTRACTED, *years]):
            stored.setdefault(event_id, set()).add(raw_event_id)
        # An event whose reports did not change is left as it is (combining is deterministic).
        unchanged = {event_id for event_id, members in stored.items()
                     if event_id in groups and members == {row["event_id"] for row in groups[event_id]}}
        conn.executemany("DELETE FROM events WHERE event_id = ?", [(e,) for e in stored.keys() - unchanged])
        self._insert_events(conn, EXTRACTED, [group for event_id, group in groups.items() if event_id not in unchanged])

    def _insert_events(self, conn: sqlite3.Connection, kind: str, groups: list[list[dict]]) -> None:
        events, members = [], []
        for group in groups:
            event = combine(group, self.settings) if len(group) > 1 else group[0]
            events.append([kind, *_date_interval(event["event_date"]), *_encode(event)])
            members.extend((row["event_id"], event["event_id"]) for row in group)
        conn.executemany(
            f"INSERT INTO events (source_kind, date_first, date_last, {', '.join(_COLUMNS)})"
            f" VALUES (?, ?, ?, {', '.join('?' * len(_COLUMNS))})", events)
        conn.executemany("INSERT INTO event_members (raw_event_id, event_id) VALUES (?, ?)", members)

    # -- reading -------------------------------------------------------------------------------

    def events(self, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
               include_undated: bool = True, event_types: Sequence[str] = (), countries: Sequence[str] = (),
               actors: Sequence[str] = (), source_kinds: Sequence[str] = ()):
        """Merged events, filtered in SQL, as a GeoDataFrame.

        Parameters
        ----------
        since, until
            Keep dated events whose whole date interval lies in ``[since, until]``
            (``2019-12`` is 1-31 December), as the dashboard's date filter does.
        include_undated
            Also keep undated events (they have no interval to test).
        event_types, countries, actors, source_kinds
            Keep events of these types, ISO2 countries, actors (actor 1, actor 2 or an
            associated actor) and source kinds ("extracted", "acled"); empty means any.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns of :data:`geo.schema.EVENT_COLUMNS` plus ``source_kind``, ordered by
            date (undated last) then ``event_id``.
        """
        from geo.export import records_to_frame

        clauses, params = [], []
        dated = ["date_first IS NOT NULL"]
        if since:
            dated.append("date_first >= ?")
            params.append(str(since))
        if until:
            dated.append("date_last <= ?")
            params.append(str(until))
        in_range = f"({' AND '.join(dated)})"
        clauses.append(f"({in_range} OR date_first IS NULL)" if include_undated else in_range)
        for column, values in (("event_type", event_types), ("country", countries), ("source_kind", source_kinds)):
            if values:
                clause, values_params = _in(column, list(values))
                clauses.append(clause)
                params.extend(values_params)
        if actors:
            marks = ", ".join("?" * len(actors))
            clauses.append(f"(actor1 IN ({marks}) OR actor2 IN ({marks})"
                           f" OR EXISTS (SELECT 1 FROM json_each(events.assoc_actors) WHERE value IN ({marks})))")
            params.extend(list(actors) * 3)
        query = (f"SELECT source_kind, {', '.join(_COLUMNS)} FROM events WHERE {' AND '.join(clauses)}"
                 " ORDER BY date_first IS NULL, date_first, event_id")
        try:
            fetched = self._conn.execute(query, params).fetchall()
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot read events ({err})") from err
        frame = records_to_frame([_decode(values[1:]) for values in fetched])
        frame["source_kind"] = [values[0] for values in fetched]
        return frame

    def generation(self) -> int:
        """A number that grows with every committed batch: a cheap cache key for readers (the dashboard)."""
        found = self._conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(found[0]) if found else 0

    def counts(self) -> dict[str, int]:
        """Rows per table (articles, raw_events, events), and articles and events per source kind."""
        result = {table: self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                  for table in ("articles", "raw_events", "events")}
        for table in ("articles", "events"):
            for kind in SOURCE_KINDS:
                result[f"{table}_{kind}"] = self._conn.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE source_kind = ?", (kind,)).fetchone()[0]
        return result
