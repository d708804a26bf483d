"""store: the DuckDB event store (the only module that imports duckdb).

Content-addressed: an article's id is the hash of its normalised text, an event's the hash of
its article, offsets, type and dyad. Re-ingesting the same input adds nothing; a changed version
of a document (same input key, new text) replaces its old article and events. Each batch of
documents is written in one transaction, so an interrupted ingest never leaves half an article.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from .batching import batched
from .codes import org_codes, party_code
from .dedupe import NearDuplicateIndex, cluster_key, minhash, minhash_from_bytes, signature_bytes
from .settings import Settings
from .types import Actor, Article, CodedDocument, Event

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
# DuckDB admits one writing process. Another process waits this long for the lock, retrying,
# before giving up with StoreBusy (short write transactions keep real waits far below it).
LOCK_TIMEOUT_SECONDS = 10.0
LOCK_RETRY_SECONDS = 0.05
# A waiting writer touches its marker every LOCK_RETRY_SECONDS; an older marker was left by a
# writer that died waiting and is ignored.
WRITER_MARK_FRESH = 1.0
FACTUALITY_NOT_COUNTED = ("denied", "negated")


@dataclass(frozen=True)
class EventFilter:
    """Which events a query reads: a date window, a confidence floor, factualities. By default
    denied and negated events are left out (they did not happen); `factuality` names exactly
    the ones wanted (denied included when named), `include_uncounted` takes all."""

    since: date | None = None
    until: date | None = None
    min_confidence: float | None = None
    factuality: tuple[str, ...] | None = None
    include_uncounted: bool = False

    def sql(self, prefix: str) -> tuple[list[str], list]:
        """WHERE conditions over an events relation (columns named `prefix`…) and their parameters."""
        where, params = ["1=1"], []
        if self.factuality:
            where.append(f"list_contains(?, {prefix}factuality)")
            params.append(list(self.factuality))
        elif not self.include_uncounted:
            where.append(f"{prefix}factuality NOT IN {FACTUALITY_NOT_COUNTED}")
        for condition, value in ((f"{prefix}event_date >= ?", self.since), (f"{prefix}event_date <= ?", self.until),
                                 (f"{prefix}confidence >= ?", self.min_confidence)):
            if value is not None:
                where.append(condition)
                params.append(value)
        return where, params


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
    # Every article whose events were not all stored, named with why (near-duplicates).
    skipped: list[str] = field(default_factory=list)


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file, or (in this process) a connection in the other mode."""
    text = str(exc).lower()
    return any(sign in text for sign in ("lock", "conflicting", "being used", "different configuration"))


def _write_wanted(path: Path) -> Path:
    """The marker a writer keeps fresh while it waits for the file (see `connect`)."""
    return path.with_name(path.name + ".write-wanted")


def _writer_waiting(path: Path) -> bool:
    try:
        return time.time() - _write_wanted(path).stat().st_mtime < WRITER_MARK_FRESH
    except FileNotFoundError:
        return False


def connect(path: str | Path, *, read_only: bool, timeout: float = LOCK_TIMEOUT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting up to `timeout` for another process to let go of it. A writer that
    has to wait says so in a marker file that it keeps fresh, and readers hold back while it does:
    a steady stream of short reads could otherwise keep the file from it for ever."""
    path = Path(path)
    deadline = time.monotonic() + timeout
    marker = None
    try:
        while True:
            if read_only and _writer_waiting(path) and time.monotonic() < deadline:
                time.sleep(LOCK_RETRY_SECONDS)
                continue
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except (duckdb.IOException, duckdb.ConnectionException) as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"{path}: cannot open store: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"{path}: store busy (another process is writing); try again shortly") from exc
            except duckdb.Error as exc:
                raise StoreError(f"{path}: cannot open store: {exc}") from exc
            if not read_only:
                marker = _write_wanted(path)
                marker.touch()
            time.sleep(LOCK_RETRY_SECONDS)
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def open_store(path: str | Path, *, read_only: bool = False, settings: Settings | None = None,
               hold: bool = False) -> "Store":
    """The store in the DuckDB file at `path`. A read-only store holds its connection until closed
    (a reader is one command or one web request). A writable store holds none unless `hold`: it
    opens the file for each batch's transaction and closes it after, so that other processes read
    in between. `hold` keeps the file for this process (`serve --watch`, whose threads read and
    write through `cursor()`s of the one connection)."""
    path = Path(path)
    settings = settings or Settings()
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such store (run 'detente ingest … --db {path}' first)")
    held = connect(path, read_only=read_only, timeout=settings.lock_timeout) if read_only or hold else None
    store = Store(path, settings, read_only=read_only, con=held)
    if not read_only:
        with store.transaction() as con:
            schema = resources.files("detente").joinpath("schema.sql").read_text()
            con.execute(schema)
            _recode_organisations(con, schema)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    return store


def _recode_organisations(con, schema: str) -> None:
    """Give the actors of a store written with other organisation codes (or none: before they
    existed) today's, and rebuild its dyads from them, so that 'EU' timelines cover old events too."""
    stamp = hashlib.sha1(json.dumps(sorted(org_codes().items())).encode()).hexdigest()[:16]
    if con.execute("SELECT value FROM meta WHERE key = 'org_codes'").fetchone() == (stamp,):
        return
    con.register("_org_codes", pa.table({"kb_id": list(org_codes()), "code": list(org_codes().values())}))
    try:
        con.execute("UPDATE event_actors SET code = coalesce((SELECT o.code FROM _org_codes o "
                    "WHERE o.kb_id = event_actors.kb_id), country)")
    finally:
        con.unregister("_org_codes")
    con.execute("DELETE FROM event_dyads")
    con.execute(schema)  # its last statement fills an empty event_dyads from the actors' codes
    con.execute("INSERT OR REPLACE INTO meta VALUES ('org_codes', ?)", [stamp])


def store_version(path: Path) -> tuple:
    """Changes whenever anything is committed to the store: every commit appends to the
    write-ahead log and every checkpoint rewrites the file (size and modification time of both)."""
    def stamp(p: Path):
        try:
            st = p.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    return stamp(path), stamp(path.with_name(path.name + ".wal"))


class ReadPool:
    """Read-only access to a store file for the concurrent requests of one process: one
    connection while requests read (each through its own cursor), closed about LINGER seconds
    after the last one, so that a writing process gets the file between bursts of reads."""

    LINGER = 0.5

    def __init__(self, path: Path, settings: Settings):
        self.path, self.settings = Path(path), settings
        self._lock = threading.Lock()
        self._con = None
        self._users = 0
        self._closing = False
        atexit.register(self.close)  # an open connection at exit makes DuckDB's bindings complain

    @contextmanager
    def store(self) -> Iterator["Store"]:
        deadline = time.monotonic() + self.settings.lock_timeout
        while _writer_waiting(self.path) and time.monotonic() < deadline:
            time.sleep(LOCK_RETRY_SECONDS)  # let the requests in flight finish and the writer in
        with self._lock:
            if self._con is None:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such store (run 'detente ingest … --db {self.path}' first)")
                self._con = connect(self.path, read_only=True, timeout=self.settings.lock_timeout)
            self._users += 1
            cursor = self._con.cursor()
        try:
            yield Store(self.path, self.settings, read_only=True, con=cursor)
        finally:
            cursor.close()
            with self._lock:
                self._users -= 1
                schedule = not self._users and not self._closing
                self._closing |= schedule
            if schedule:
                closer = threading.Timer(0 if _writer_waiting(self.path) else self.LINGER, self._close_if_idle)
                closer.daemon = True
                closer.start()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def _close_if_idle(self) -> None:
        with self._lock:
            self._closing = False
            if self._con is not None and not self._users:
                self._con.close()
                self._con = None


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


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _latest_versions(batch: list[CodedDocument], report: IngestReport) -> list[CodedDocument]:
    """The documents of a batch to store: failures are counted and reported, and of two versions
    of one document (same input and id) only the later is kept."""
    latest: dict[str, CodedDocument] = {}
    for coded in batch:
        report.documents += 1
        if not coded.ok:
            report.failures += 1
            report.errors.extend(coded.errors)
            continue
        key = _doc_key(coded)
        if latest.pop(key, None) is not None:
            report.articles_replaced += 1
        latest[key] = coded
    return list(latest.values())


class Store:
    def __init__(self, path: Path, settings: Settings, *, read_only: bool, con=None):
        self.path = Path(path)
        self.settings = settings
        self.read_only = read_only
        self._held = con
        self._local = threading.local()
        self._dupes: NearDuplicateIndex | None = None
        self._dupes_generation: str | None = None
        self._watch_run: str | None = None

    def close(self) -> None:
        if self._held is not None:
            self._held.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def cursor(self, *, read_only: bool) -> "Store":
        """A store over a new cursor of this store's held connection, for another thread."""
        assert self._held is not None, "cursor() needs a store opened with hold=True"
        return Store(self.path, self.settings, read_only=read_only, con=self._held.cursor())

    @contextmanager
    def connection(self):
        """The held connection, else the one this thread already has open, else a new one that
        is closed (releasing the file to other processes) when the outermost block ends."""
        con = self._held or getattr(self._local, "con", None)
        if con is not None:
            yield con
            return
        con = self._local.con = connect(self.path, read_only=self.read_only, timeout=self.settings.lock_timeout)
        try:
            yield con
        finally:
            self._local.con = None
            con.close()

    @contextmanager
    def transaction(self):
        """One write transaction: all of it is stored, or none of it."""
        with self.connection() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException as exc:
                con.execute("ROLLBACK")
                self._dupes = None  # it may hold this transaction's articles: rebuild it from the store
                if isinstance(exc, duckdb.Error):
                    raise StoreError(f"{self.path}: writing a batch failed, nothing of it was stored: {exc}") from exc
                raise

    # -- writing -----------------------------------------------------------------------------

    def _near_duplicates(self, con) -> NearDuplicateIndex:
        """The index of original articles, rebuilt when another writer changed the store since."""
        generation = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        generation = generation[0] if generation else "0"
        if self._dupes is None or generation != self._dupes_generation:
            s = self.settings
            self._dupes = NearDuplicateIndex(s.dedupe_threshold, s.dedupe_permutations)
            rows = con.execute("SELECT article_id, minhash FROM articles WHERE duplicate_of IS NULL AND minhash IS NOT NULL").fetchall()
            for article_id, blob in rows:
                self._dupes.add(article_id, minhash_from_bytes(blob, s.dedupe_permutations))
        self._dupes_generation = str(int(generation) + 1)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", [self._dupes_generation])
        return self._dupes

    def ingest_file(self, coded_docs: list[CodedDocument], *, coder_version: str, path: str, fingerprint: str) -> IngestReport:
        """Store one input file's documents and mark the file done, in one transaction: after a
        crash a file is either fully stored and marked, or neither (so it is coded again)."""
        report = IngestReport()
        with self.transaction() as con:
            self._write_batch(con, coded_docs, self._run_id(con, coder_version), coder_version, report)
            _mark_intake(con, path, fingerprint, len(coded_docs), report.events_added, report.errors)
        return report

    def record_intake_failure(self, path: str, fingerprint: str, error: str) -> None:
        """Mark a file that could not be coded at all as done and failed, so that it is not tried
        again until it changes."""
        with self.transaction() as con:
            _mark_intake(con, path, fingerprint, 0, 0, [error])

    def intake_fingerprints(self) -> dict[str, str]:
        return {r["path"]: r["fingerprint"] for r in self.query("SELECT path, fingerprint FROM intake")}

    def _run_id(self, con, coder_version: str) -> str:
        if not self._watch_run:
            self._watch_run = uuid.uuid4().hex[:12]
            con.execute("INSERT INTO runs (run_id, started, coder_version, settings) VALUES (?,?,?,?)",
                        [self._watch_run, _now(), coder_version, json.dumps(asdict(self.settings))])
        return self._watch_run

    def ingest(self, coded_docs: Iterable[CodedDocument], *, coder_version: str, batch_size: int | None = None,
               on_document=None) -> IngestReport:
        """Store coded documents, one transaction per batch; failures are counted, not raised."""
        report = IngestReport()
        run_id = uuid.uuid4().hex[:12]
        started = _now()
        for batch in batched(coded_docs, batch_size or self.settings.batch_size):
            with self.transaction() as con:
                self._write_batch(con, batch, run_id, coder_version, report)
            if on_document:
                for coded in batch:
                    on_document(coded)
        with self.transaction() as con:
            con.execute(
                "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [run_id, started, _now(), coder_version, json.dumps(asdict(self.settings)), report.documents,
                 report.articles_added, report.articles_replaced, report.duplicates, report.unchanged,
                 report.events_added, report.failures],
            )
        return report

    def _write_batch(self, con, batch: list[CodedDocument], run_id: str, coder_version: str, report: IngestReport) -> None:
        """Stage a batch inside the caller's transaction: articles row by row (each sees the ones
        before it), their events, actors and places in bulk at the end."""
        rows = _Rows(run_id, coder_version)
        index = self._near_duplicates(con)
        for coded in _latest_versions(batch, report):
            self._write_document(con, coded, index, rows, report)
        rows.write(con)

    def _write_document(self, con, coded: CodedDocument, index: NearDuplicateIndex, rows: "_Rows", report: IngestReport) -> None:
        art = coded.article
        key = _doc_key(coded)
        # Earlier versions of this document go first, from the index too: the new version is no
        # copy of the text it replaces.
        old = [r[0] for r in con.execute("SELECT article_id FROM articles WHERE doc_key = ? AND article_id <> ?",
                                         [key, art.id]).fetchall()]
        stored = con.execute("SELECT n_events FROM articles WHERE article_id = ?", [art.id]).fetchone()
        if stored is not None and stored[0] is None:
            old.append(art.id)  # a promoted copy whose events were never stored (see _rehome_copies)
        _delete_articles(con, old)
        for article_id in old:
            index.remove(article_id)
        if stored is not None and stored[0] is not None:
            report.unchanged += 1
            self._rehome_copies(con, old, index)
            return
        report.articles_replaced += any(a != art.id for a in old)
        mh = minhash(art.text, self.settings.dedupe_permutations)
        duplicate_of = index.find(mh)
        if duplicate_of is None:
            index.add(art.id, mh)
            report.articles_added += 1
            events = coded.events
        else:
            report.duplicates += 1
            events = _new_events(con, coded.events, duplicate_of)
            report.skipped.append(f"{art.input or art.doc_id}: near-duplicate of {_article_name(con, duplicate_of)}, "
                                  f"{len(coded.events) - len(events)} of its {len(coded.events)} events are the original's"
                                  f"{f'; {len(events)} new kept' if events else ''}")
        con.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [art.id, key, art.doc_id, art.input, art.url, art.outlet, art.title, art.published, art.text,
                     signature_bytes(mh), duplicate_of, len(events), rows.run_id, rows.coder_version, _now()])
        rows.add_article(art, events)
        report.events_added += len(events)
        self._rehome_copies(con, old, index)

    def _rehome_copies(self, con, gone: list[str], index: NearDuplicateIndex) -> None:
        """Copies of deleted versions point at the original they are now nearest to; a copy with
        none becomes an original. Its events were never stored (they were its original's), so
        it keeps n_events NULL — 'not coded' — and the next ingest of its input codes it."""
        if not gone:
            return
        copies = con.execute("SELECT article_id, minhash, input FROM articles WHERE list_contains(?, duplicate_of)",
                             [gone]).fetchall()
        for copy_id, blob, source in copies:
            mh = minhash_from_bytes(blob, self.settings.dedupe_permutations)
            original = index.find(mh)
            if original is None:
                index.add(copy_id, mh)
                log.warning("%s: its original was replaced and it is an original now; its events are coded on its next ingest", source)
                con.execute("DELETE FROM intake WHERE path = ?", [re.sub(r"(:\d+|#\d+)$", "", source or "")])
                _delete_events(con, [copy_id])  # its new sentences' events go too: it is coded whole next time
            con.execute("UPDATE articles SET duplicate_of = ?, n_events = CASE WHEN ? IS NULL THEN NULL ELSE n_events END "
                        "WHERE article_id = ?", [original, original, copy_id])

    # -- reading -----------------------------------------------------------------------------

    def query(self, sql: str, params: list | None = None) -> list[dict]:
        with self.connection() as con:
            cur = con.execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row)) for row in cur.fetchall()]

    def events(self, *, dyad: tuple[str, str] | None = None, country: str | None = None, event_type: str | None = None,
               where: EventFilter = EventFilter(include_uncounted=True), limit: int | None = None,
               offset: int = 0) -> list[dict]:
        """Events with their actors and place, newest first: of a dyad (both directions), of an
        actor code (either side), of a type, within `where`."""
        conditions, params = where.sql("e.")
        if dyad:
            conditions.append("e.event_id IN (SELECT event_id FROM event_dyads WHERE (src = ? AND tgt = ?) OR (src = ? AND tgt = ?))")
            params += [dyad[0], dyad[1], dyad[1], dyad[0]]
        if country:
            conditions.append("e.event_id IN (SELECT event_id FROM event_actors WHERE coalesce(code, country) = ?)")
            params.append(country)
        if event_type:
            conditions.append("e.event_type = ?")
            params.append(event_type)
        sql = f"""
            SELECT e.*, a.url, a.title, a.outlet, a.published, p.name AS place_name, p.country AS place_country,
                   p.admin1 AS place_admin1, p.kind AS place_kind, p.lat, p.lon, p.geonameid
            FROM events e JOIN articles a USING (article_id) LEFT JOIN places p USING (place_key)
            WHERE {' AND '.join(conditions)}
            ORDER BY e.event_date DESC NULLS LAST, e.event_id
            LIMIT ? OFFSET ?"""
        with self.connection():
            rows = self.query(sql, params + [limit if limit is not None else 2**62, offset])
            actors = self._actors([r["event_id"] for r in rows])
        for row in rows:
            row["source"] = actors.get((row["event_id"], "source"), [])
            row["target"] = actors.get((row["event_id"], "target"), [])
        return rows

    def iter_events(self, *, where: EventFilter = EventFilter(include_uncounted=True), batch: int = 5000) -> Iterator[dict]:
        """Every event matching `where`, a page at a time (for exports)."""
        offset = 0
        while rows := self.events(where=where, limit=batch, offset=offset):
            yield from rows
            offset += batch

    def cluster_sizes(self) -> dict[str, tuple[int, int]]:
        """Per event cluster: how many articles and outlets report it (GDELT's NumArticles, NumSources)."""
        rows = self.query("SELECT cluster_id, count(DISTINCT article_id) AS n_art, "
                          "count(DISTINCT coalesce(a.outlet, a.url, a.article_id)) AS n_src "
                          "FROM events e JOIN articles a USING (article_id) GROUP BY 1")
        return {r["cluster_id"]: (r["n_art"], r["n_src"]) for r in rows}

    def count_events(self, where: EventFilter) -> int:
        conditions, params = where.sql("")
        return self.query(f"SELECT count(*) AS n FROM events WHERE {' AND '.join(conditions)}", params)[0]["n"]

    def _actors(self, event_ids: list[str]) -> dict[tuple[str, str], list[dict]]:
        if not event_ids:
            return {}
        out: dict[tuple[str, str], list[dict]] = {}
        rel = self.query(
            "SELECT event_id, role, country, sector, name, kb_id, code FROM event_actors WHERE event_id IN (SELECT UNNEST(?)) ORDER BY idx",
            [event_ids],
        )
        for row in rel:
            out.setdefault((row.pop("event_id"), row.pop("role")), []).append(row)
        return out

    def counts(self) -> dict[str, int]:
        tables = ("articles", "events", "event_actors", "places", "removed", "runs")
        [row] = self.query("SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in tables))
        return row

    def dyad_counts(self, *, limit: int = 20, offset: int = 0, where: EventFilter = EventFilter()) -> list[dict]:
        """Most active pairs (unordered), with event counts per QuadClass."""
        conditions, params = where.sql("")
        return self.query(f"""
            SELECT least(src, tgt) AS a, greatest(src, tgt) AS b, count(DISTINCT event_id) AS events,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 1) AS q1,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 2) AS q2,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 3) AS q3,
                   count(DISTINCT event_id) FILTER (WHERE quad_class = 4) AS q4
            FROM dyad_events WHERE {' AND '.join(conditions)} GROUP BY 1, 2 ORDER BY events DESC, a, b LIMIT ? OFFSET ?""",
            params + [limit, offset])

    def dyad_event_rows(self, a: str, b: str, *, where: EventFilter = EventFilter(include_uncounted=True)) -> list[dict]:
        """One row per event and direction between two actor codes, with its article and outlet."""
        conditions, params = where.sql("d.")
        return self.query(f"""
            SELECT d.event_id, d.src, d.tgt, d.event_type, d.quad_class, d.goldstein, d.confidence, d.factuality,
                   d.event_date, d.date_precision, d.cluster_id, d.article_id, d.sentence, a.outlet, a.url
            FROM dyad_events d JOIN articles a USING (article_id)
            WHERE ((d.src = ? AND d.tgt = ?) OR (d.src = ? AND d.tgt = ?)) AND {' AND '.join(conditions)}
            ORDER BY d.event_date, d.event_id""", [a, b, b, a] + params)

    def graph_rows(self, *, where: EventFilter = EventFilter()) -> list[dict]:
        conditions, params = where.sql("")
        return self.query(f"""
            SELECT src, tgt, count(DISTINCT cluster_id) AS events,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 1) AS q1,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 2) AS q2,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 3) AS q3,
                   count(DISTINCT cluster_id) FILTER (WHERE quad_class = 4) AS q4,
                   round(avg(goldstein), 3) AS goldstein_mean
            FROM dyad_events WHERE {' AND '.join(conditions)} GROUP BY 1, 2 ORDER BY 1, 2""", params)

    def aggregate(self, *, by: str, split: str | None = None, where: EventFilter = EventFilter()) -> list[dict]:
        """Event clusters and mean Goldstein per actor code (or ordered pair) and month, optionally
        per QuadClass or event type: the country-month table ICEWS and ACLED users build first.
        Events dated only to a year have no month and are left out."""
        conditions, params = where.sql("")
        keys = {"country-month": ["actor"], "dyad-month": ["src", "tgt"]}[by]
        actor = "unnest([src, tgt]) AS actor, " if by == "country-month" else ""
        extra = [split] if split else []
        group = ", ".join(keys + ["month"] + extra)
        return self.query(f"""
            WITH r AS (SELECT DISTINCT {actor}src, tgt, date_trunc('month', event_date)::DATE AS month,
                              quad_class, event_type, event_id, cluster_id, goldstein
                       FROM dyad_events WHERE event_date IS NOT NULL AND coalesce(date_precision, 'day') <> 'year'
                       AND {' AND '.join(conditions)})
            SELECT {group}, count(DISTINCT cluster_id) AS events, round(avg(goldstein), 3) AS goldstein_mean
            FROM r GROUP BY {group} ORDER BY {group}""", params)


def dyads(event: Event) -> set[tuple[str, str]]:
    """The directed pairs of actor codes of an event (schema.sql's event_dyads): each source's
    country or organisation with each target's; with no target, each source with each other."""
    def codes(actors):
        return {code for a in actors if (code := party_code(a.country, a.kb_id))}

    sources = codes(event.source)
    targets = codes(event.target) if event.target else sources
    return {(s, t) for s in sources for t in targets if s != t}


def _mark_intake(con, path: str, fingerprint: str, documents: int, events: int, errors: list[str]) -> None:
    con.execute("INSERT OR REPLACE INTO intake (path, fingerprint, documents, events, failures, coded_at, errors) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [path, fingerprint, documents, events, len(errors), _now(), "\n".join(errors) or None])


def _new_events(con, events: tuple[Event, ...], original_id: str) -> tuple[Event, ...]:
    """The events of a near-copy whose sentences its original does not have: what the copy adds
    (an update's new paragraph) is kept against the copy; the rest are the original's."""
    [original_text] = con.execute("SELECT text FROM articles WHERE article_id = ?", [original_id]).fetchone()
    original = " ".join(original_text.split())
    return tuple(e for e in events if " ".join(e.sentence.split()) not in original)


def _article_name(con, article_id: str) -> str:
    row = con.execute("SELECT coalesce(input, url, doc_id) FROM articles WHERE article_id = ?", [article_id]).fetchone()
    return row[0] if row else article_id


def _delete_events(con, article_ids: list[str]) -> None:
    for sql in ("DELETE FROM event_actors WHERE event_id IN (SELECT event_id FROM events WHERE list_contains(?, article_id))",
                "DELETE FROM event_dyads WHERE event_id IN (SELECT event_id FROM events WHERE list_contains(?, article_id))",
                "DELETE FROM events WHERE list_contains(?, article_id)"):
        con.execute(sql, [article_ids])


def _delete_articles(con, article_ids: list[str]) -> None:
    if not article_ids:
        return
    _delete_events(con, article_ids)
    for sql in ("DELETE FROM removed WHERE list_contains(?, article_id)",
                "DELETE FROM articles WHERE list_contains(?, article_id)"):
        con.execute(sql, [article_ids])


class _Rows:
    """Column buffers for one batch's removed lines, events, actors and places, written with
    Arrow in the batch's transaction."""

    def __init__(self, run_id: str, coder_version: str):
        self.run_id = run_id
        self.coder_version = coder_version
        self.removed: list[tuple] = []
        self.events: list[tuple] = []
        self.actors: list[tuple] = []
        self.dyads: list[tuple] = []
        self.places: dict[str, tuple] = {}

    def add_article(self, art: Article, events: tuple[Event, ...]) -> None:
        self.removed.extend((art.id, i, text) for i, text in enumerate(art.removed))
        for event in events:
            self.add_event(art.id, event)

    def add_event(self, article_id: str, e: Event):
        place_key = _place_key(e)
        if place_key and e.place:
            p = e.place
            self.places[place_key] = (place_key, p.name, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.kind)
        sp = e.speaker or Actor(None, None, "")
        self.events.append((e.event_id, article_id, e.event_type, e.mode, e.cameo, e.quad_class, e.goldstein,
                            e.date, e.date_precision, place_key, e.factuality, sp.country, sp.sector,
                            sp.name or None, sp.kb_id, e.confidence, e.sentence, e.start, e.end,
                            cluster_key(e), self.coder_version, self.run_id))
        for role, actors in (("source", e.source), ("target", e.target)):
            for i, a in enumerate(actors):
                self.actors.append((e.event_id, role, i, a.country, a.sector, a.name, a.kb_id, party_code(a.country, a.kb_id)))
        self.dyads.extend((e.event_id, src, tgt) for src, tgt in dyads(e))

    def write(self, con) -> None:
        _insert(con, "removed", self.removed)
        if self.places:
            _insert(con, "places", list(self.places.values()), ignore_existing=True, fill_nulls=("kind",))
        _insert(con, "events", self.events, ignore_existing=True)
        _insert(con, "event_actors", self.actors)
        _insert(con, "event_dyads", self.dyads)


def _insert(con, table: str, rows: list[tuple], *, ignore_existing: bool = False, fill_nulls: tuple[str, ...] = ()) -> None:
    """Append `rows` (in the table's column order); with `ignore_existing`, a row whose key is
    stored already is left out, though it fills the stored row's `fill_nulls` columns that are NULL
    (a place stored before its kind was kept gets it when an event is coded there again)."""
    if not rows:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    arrow = pa.table({c: [row[i] for row in rows] for i, c in enumerate(cols)})
    con.register("_batch", arrow)
    try:
        verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
        key = cols[0]
        for col in fill_nulls:
            con.execute(f"UPDATE {table} SET {col} = b.{col} FROM _batch b "
                        f"WHERE {table}.{key} = b.{key} AND {table}.{col} IS NULL AND b.{col} IS NOT NULL")
        con.execute(f"{verb} INTO {table} SELECT * FROM _batch")
    finally:
        con.unregister("_batch")
