"""store: the DuckDB event store (the only module that imports duckdb).

Content-addressed: an article's id is the hash of its normalised text, an event's the hash of
its article, offsets, type and dyad. Re-ingesting the same input adds nothing; a changed version
of a document (same input key, new text) replaces its old article and events. Each batch of
documents is written in one transaction, so an interrupted ingest never leaves half an article.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from .dedupe import NearDuplicateIndex, cluster_key, minhash, minhash_from_bytes, signature_bytes
from .settings import Settings
from .types import Actor, CodedDocument, Event

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
# DuckDB admits one writing process. Another process waits this long for the lock, retrying,
# before giving up with StoreBusy (short write transactions keep real waits far below it).
LOCK_TIMEOUT_SECONDS = 10.0
LOCK_RETRY_SECONDS = 0.2
FACTUALITY_NOT_COUNTED = ("denied", "negated")


class StoreError(RuntimeError):
    """The store file cannot be used."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock."""


@dataclass
class IngestReport:
    documents: int = 0
    articles_added: int = 0
    articles_replaced: int = 0
    duplicates: int = 0
    unchanged: int = 0
    events_added: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=list)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def connect(path: str | Path, *, read_only: bool, timeout: float = LOCK_TIMEOUT_SECONDS) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"{path}: cannot open store: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreBusy(f"{path}: store busy (another process is writing); try again shortly") from exc
            time.sleep(LOCK_RETRY_SECONDS)
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open store: {exc}") from exc


def open_store(path: str | Path, *, read_only: bool = False, settings: Settings | None = None) -> "Store":
    path = Path(path)
    settings = settings or Settings()
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such store (run 'detente ingest … --db {path}' first)")
    con = connect(path, read_only=read_only, timeout=settings.lock_timeout)
    store = Store(con, path, settings, read_only)
    if not read_only:
        store.init_schema()
    return store


def _doc_key(coded: CodedDocument) -> str:
    """Which document this is, across versions of its text: its file (without a JSONL line
    number) or URL, plus its id."""
    art = coded.article
    assert art is not None
    where = re.sub(r":\d+$", "", art.input) if art.input else (art.url or "")
    return f"{where}#{art.doc_id}"


def _place_key(event: Event) -> str | None:
    if not event.place:
        return None
    p = event.place
    return str(p.geonameid) if p.geonameid else f"{p.name}|{p.country}"


class Store:
    def __init__(self, con, path: Path, settings: Settings, read_only: bool):
        self.con = con
        self.path = path
        self.settings = settings
        self.read_only = read_only
        self._dupes: NearDuplicateIndex | None = None

    def close(self) -> None:
        self.con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def init_schema(self) -> None:
        self.con.execute(resources.files("detente").joinpath("schema.sql").read_text())
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    # -- writing -----------------------------------------------------------------------------

    def _near_duplicates(self) -> NearDuplicateIndex:
        if self._dupes is None:
            s = self.settings
            self._dupes = NearDuplicateIndex(s.dedupe_threshold, s.dedupe_permutations)
            rows = self.con.execute("SELECT article_id, minhash FROM articles WHERE duplicate_of IS NULL AND minhash IS NOT NULL").fetchall()
            for article_id, blob in rows:
                self._dupes.add(article_id, minhash_from_bytes(blob, s.dedupe_permutations))
        return self._dupes

    def ingest_file(self, coded_docs: list[CodedDocument], *, coder_version: str, path: str, fingerprint: str) -> IngestReport:
        """Store one input file's documents and mark the file done, in one transaction: after a
        crash a file is either fully stored and marked, or neither (so it is coded again)."""
        report = IngestReport()
        self._write_batch(coded_docs, self._run_id(coder_version), coder_version, report,
                          intake=(path, fingerprint, len(coded_docs), report))
        return report

    def intake_fingerprints(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT path, fingerprint FROM intake").fetchall())

    def _run_id(self, coder_version: str) -> str:
        if not getattr(self, "_watch_run", None):
            self._watch_run = uuid.uuid4().hex[:12]
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            self.con.execute("INSERT INTO runs (run_id, started, coder_version, settings) VALUES (?,?,?,?)",
                             [self._watch_run, now, coder_version, json.dumps(asdict(self.settings))])
        return self._watch_run

    def ingest(self, coded_docs: Iterable[CodedDocument], *, coder_version: str, batch_size: int | None = None,
               on_document=None) -> IngestReport:
        """Store coded documents, one transaction per batch; failures are counted, not raised."""
        from .pipeline import batched

        report = IngestReport()
        run_id = uuid.uuid4().hex[:12]
        started = datetime.now(timezone.utc).replace(tzinfo=None)
        for batch in batched(coded_docs, batch_size or self.settings.batch_size):
            self._write_batch(batch, run_id, coder_version, report)
            if on_document:
                for coded in batch:
                    on_document(coded)
        finished = datetime.now(timezone.utc).replace(tzinfo=None)
        self.con.execute(
            "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [run_id, started, finished, coder_version, json.dumps(asdict(self.settings)), report.documents,
             report.articles_added, report.articles_replaced, report.duplicates, report.unchanged,
             report.events_added, report.failures],
        )
        return report

    def _write_batch(self, batch: list[CodedDocument], run_id: str, coder_version: str, report: IngestReport,
                     intake: tuple | None = None) -> None:
        rows = _Rows()
        index = self._near_duplicates()
        for coded in batch:
            report.documents += 1
            if not coded.ok:
                report.failures += 1
                report.errors.extend(coded.errors)
                continue
            art = coded.article
            assert art is not None
            if self.con.execute("SELECT 1 FROM articles WHERE article_id = ?", [art.id]).fetchone() or art.id in rows.article_ids:
                report.unchanged += 1
                continue
            key = _doc_key(coded)
            old = self.con.execute("SELECT article_id FROM articles WHERE doc_key = ?", [key]).fetchall()
            if old:
                rows.replaced.extend(r[0] for r in old)
                report.articles_replaced += 1
            mh = minhash(art.text, self.settings.dedupe_permutations)
            duplicate_of = index.find(mh)
            if duplicate_of is None:
                index.add(art.id, mh)
                report.articles_added += 1
                events = coded.events
            else:
                report.duplicates += 1
                events = ()  # a near-copy's events are its original's: count them once
            rows.add_article(coded, key, signature_bytes(mh), duplicate_of, len(events), run_id, coder_version)
            for event in events:
                rows.add_event(art.id, event, run_id, coder_version)
            report.events_added += len(events)
        try:
            self.con.execute("BEGIN TRANSACTION")
            rows.write(self.con)
            if intake:
                path, fingerprint, documents, file_report = intake
                self.con.execute("INSERT OR REPLACE INTO intake VALUES (?, ?, ?, ?, ?, ?)",
                                 [path, fingerprint, documents, file_report.events_added, file_report.failures,
                                  datetime.now(timezone.utc).replace(tzinfo=None)])
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            self._dupes = None  # the index held this batch's articles: rebuild it from the store
            raise StoreError(f"{self.path}: writing a batch failed, nothing of it was stored: {exc}") from exc

    # -- reading -----------------------------------------------------------------------------

    def query(self, sql: str, params: list | None = None) -> list[dict]:
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def events(self, *, dyad: tuple[str, str] | None = None, event_type: str | None = None,
               since: date | None = None, until: date | None = None, limit: int | None = None,
               offset: int = 0, include_uncounted: bool = True) -> list[dict]:
        """Events with their actors and place, newest first, filtered."""
        where, params = _date_filters("e.", since, until, counted_only=not include_uncounted)
        if dyad:
            where.append("e.event_id IN (SELECT event_id FROM dyad_events WHERE (src = ? AND tgt = ?) OR (src = ? AND tgt = ?))")
            params += [dyad[0], dyad[1], dyad[1], dyad[0]]
        if event_type:
            where.append("e.event_type = ?")
            params.append(event_type)
        sql = f"""
            SELECT e.*, a.url, a.title, a.outlet, a.published, p.name AS place_name, p.country AS place_country,
                   p.admin1 AS place_admin1, p.lat, p.lon, p.geonameid
            FROM events e JOIN articles a USING (article_id) LEFT JOIN places p USING (place_key)
            WHERE {' AND '.join(where)}
            ORDER BY e.event_date DESC NULLS LAST, e.event_id
            LIMIT ? OFFSET ?"""
        rows = self.query(sql, params + [limit if limit is not None else 2**62, offset])
        actors = self._actors([r["event_id"] for r in rows])
        for row in rows:
            row["source"] = actors.get((row["event_id"], "source"), [])
            row["target"] = actors.get((row["event_id"], "target"), [])
        return rows

    def _actors(self, event_ids: list[str]) -> dict[tuple[str, str], list[dict]]:
        if not event_ids:
            return {}
        out: dict[tuple[str, str], list[dict]] = {}
        rel = self.con.execute(
            "SELECT event_id, role, country, sector, name, kb_id FROM event_actors WHERE event_id IN (SELECT UNNEST(?)) ORDER BY idx",
            [event_ids],
        ).fetchall()
        for event_id, role, country, sector, name, kb_id in rel:
            out.setdefault((event_id, role), []).append({"country": country, "sector": sector, "name": name, "kb_id": kb_id})
        return out

    def counts(self) -> dict[str, int]:
        return {
            table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "events", "event_actors", "places", "removed", "runs")
        }

    def dyad_counts(self, *, limit: int = 20, offset: int = 0, since: date | None = None,
                    include_uncounted: bool = False) -> list[dict]:
        """Most active country pairs (unordered), with event counts per QuadClass."""
        conditions = [] if include_uncounted else [f"factuality NOT IN {FACTUALITY_NOT_COUNTED}"]
        params: list = []
        if since:
            conditions.append("event_date >= ?")
            params.append(since)
        flt = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return self.query(f"""
            SELECT least(src, tgt) AS a, greatest(src, tgt) AS b, count(DISTINCT event_id) AS events,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 1) AS q1,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 2) AS q2,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 3) AS q3,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 4) AS q4
            FROM dyad_events {flt} GROUP BY 1, 2 ORDER BY events DESC, a, b LIMIT ? OFFSET ?""", params + [limit, offset])

    def dyad_event_rows(self, a: str, b: str) -> list[dict]:
        """One row per event and direction between two countries, with its article and outlet."""
        return self.query("""
            SELECT d.event_id, d.src, d.tgt, d.event_type, d.quad_class, d.goldstein, d.confidence, d.factuality,
                   d.event_date, d.date_precision, d.cluster_id, d.article_id, d.sentence, a.outlet, a.url
            FROM dyad_events d JOIN articles a USING (article_id)
            WHERE (d.src = ? AND d.tgt = ?) OR (d.src = ? AND d.tgt = ?)
            ORDER BY d.event_date, d.event_id""", [a, b, b, a])

    def graph_rows(self, *, since: date | None = None, until: date | None = None, include_all: bool = False) -> list[dict]:
        where, params = _date_filters("", since, until, counted_only=not include_all)
        return self.query(f"""
            SELECT src, tgt, count(DISTINCT cluster_id) AS events,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 1) AS q1,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 2) AS q2,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 3) AS q3,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 4) AS q4,
                   round(avg(goldstein), 3) AS goldstein_mean
            FROM dyad_events WHERE {' AND '.join(where)} GROUP BY 1, 2 ORDER BY 1, 2""", params)

    def export(self, out: str | Path, fmt: str) -> int:
        """Write all events (actors flattened) as parquet, csv, jsonl or a GDELT 2.0 event table."""
        from .export import write_export

        return write_export(self, Path(out), fmt)


def _date_filters(prefix: str, since: date | None, until: date | None, *, counted_only: bool) -> tuple[list[str], list]:
    """WHERE conditions (and their parameters) for a date window and the counted factualities."""
    where, params = ["1=1"], []
    if counted_only:
        where.append(f"{prefix}factuality NOT IN {FACTUALITY_NOT_COUNTED}")
    if since:
        where.append(f"{prefix}event_date >= ?")
        params.append(since)
    if until:
        where.append(f"{prefix}event_date <= ?")
        params.append(until)
    return where, params


class _Rows:
    """Column buffers for one batch, written with Arrow in a single transaction."""

    def __init__(self):
        self.articles: list[tuple] = []
        self.removed: list[tuple] = []
        self.events: list[tuple] = []
        self.actors: list[tuple] = []
        self.places: dict[str, tuple] = {}
        self.replaced: list[str] = []
        self.article_ids: set[str] = set()

    def add_article(self, coded: CodedDocument, key, mh: bytes, duplicate_of, n_events, run_id, coder_version):
        art = coded.article
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        self.article_ids.add(art.id)
        self.articles.append((art.id, key, art.doc_id, art.input, art.url, art.outlet, art.title, art.published,
                              art.text, mh, duplicate_of, n_events, run_id, coder_version, now))
        self.removed.extend((art.id, i, text) for i, text in enumerate(art.removed))

    def add_event(self, article_id: str, e: Event, run_id: str, coder_version: str):
        place_key = _place_key(e)
        if place_key and e.place:
            p = e.place
            self.places[place_key] = (place_key, p.name, p.country, p.admin1, p.lat, p.lon, p.geonameid)
        sp = e.speaker or Actor(None, None, "")
        self.events.append((e.event_id, article_id, e.event_type, e.mode, e.cameo, e.quad_class, e.goldstein,
                            e.date, e.date_precision, place_key, e.factuality, sp.country, sp.sector,
                            sp.name or None, sp.kb_id, e.confidence, e.sentence, e.start, e.end,
                            cluster_key(e), coder_version, run_id))
        for role, actors in (("source", e.source), ("target", e.target)):
            for i, a in enumerate(actors):
                self.actors.append((e.event_id, role, i, a.country, a.sector, a.name, a.kb_id))

    def write(self, con) -> None:
        for article_id in self.replaced:
            con.execute("DELETE FROM event_actors WHERE event_id IN (SELECT event_id FROM events WHERE article_id = ?)", [article_id])
            con.execute("DELETE FROM events WHERE article_id = ?", [article_id])
            con.execute("DELETE FROM removed WHERE article_id = ?", [article_id])
            con.execute("DELETE FROM articles WHERE article_id = ?", [article_id])
        _insert(con, "articles", self.articles)
        _insert(con, "removed", self.removed)
        if self.places:
            _insert(con, "places", list(self.places.values()), ignore_existing=True)
        _insert(con, "events", self.events, ignore_existing=True)
        _insert(con, "event_actors", self.actors)


def _insert(con, table: str, rows: list[tuple], *, ignore_existing: bool = False) -> None:
    if not rows:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    arrow = pa.table({c: [row[i] for row in rows] for i, c in enumerate(cols)})
    con.register("_batch", arrow)
    try:
        verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
        con.execute(f"{verb} INTO {table} SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def iter_event_rows(store: Store, batch: int = 5000) -> Iterator[dict]:
    offset = 0
    while True:
        rows = store.events(limit=batch, offset=offset)
        if not rows:
            return
        yield from rows
        offset += batch
