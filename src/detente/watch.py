"""watch: continuous intake of a folder (and feeds) into the store.

Each pass lists the article and feed files under the folder, fingerprints those left unmodified
for the settle time (`watch_settle`: a file still being written is not coded half-way) and codes
those whose fingerprint the store's `intake` table does not hold yet — new or changed files. A
file's documents and its intake row are written in one transaction, so after a crash a file is
either stored and marked or neither: it is never coded twice and never skipped. A file that fails
is marked too, with its error, and is tried again only when it changes. A changed file replaces
its own earlier articles (content-addressed store). Polling keeps it dependency-free and works on
network folders where inotify does not.

`supervise` keeps the loop alive for `serve --watch`: an error restarts it, and `IntakeHealth`
tells the dashboard when it last ran and what failed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

from .ingest import article_files, feed_entries, read_file
from .pipeline import CODER_VERSION, Coder
from .store import IngestReport, Store, StoreError
from .types import Rejection

log = logging.getLogger(__name__)

# Seconds between passes over the folder.
DEFAULT_INTERVAL = 5.0


@dataclass
class WatchReport(IngestReport):
    """An IngestReport summed over the files (and feeds) of one or more passes."""

    files: int = 0
    unsettled: int = 0  # files modified within the settle time, left for a later pass

    def add(self, other: IngestReport) -> None:
        for f in fields(IngestReport):
            if f.name != "errors":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.errors.extend(other.errors)
        self.files += other.files if isinstance(other, WatchReport) else 1
        self.unsettled += other.unsettled if isinstance(other, WatchReport) else 0


def fingerprint(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pending(store: Store, folder: Path, *, settle: float, report: WatchReport) -> list[tuple[Path, str]]:
    """Files that are new, or changed since they were coded, and unmodified for `settle` seconds."""
    done = store.intake_fingerprints()
    out = []
    for path in article_files(folder):
        if isinstance(path, Rejection):
            log.warning("%s", path.message())
            continue
        try:
            if time.time() - path.stat().st_mtime < settle:
                report.unsettled += 1
                continue
            fp = fingerprint(path)
        except OSError as exc:  # vanished or unreadable between listing and reading
            log.warning("%s: %s", path, exc)
            continue
        if done.get(str(path)) != fp:
            out.append((path, fp))
    return out


def code_file(path: Path, fp: str, store: Store, coder: Coder) -> IngestReport:
    """Code and store one file with its intake row. Whatever fails in it is this file's failure,
    recorded so that it is not tried again until it changes; only the store failing stops the pass."""
    try:
        coded = coder.code_batch(list(read_file(path, max_bytes=coder.settings.max_bytes)))
        return store.ingest_file(coded, coder_version=CODER_VERSION, path=str(path), fingerprint=fp)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - one file must never stop the intake
        log.exception("coding %s failed", path)
        message = f"{path}: {type(exc).__name__}: {exc}"
        store.record_intake_failure(str(path), fp, message)
        return IngestReport(documents=1, failures=1, errors=[message])


def watch_once(folder: Path, store: Store, coder: Coder, *, feeds: Iterable[str] = (),
               settle: float | None = None) -> WatchReport:
    """One pass: code every pending file (and feed URL) and record it. `settle` defaults to the
    `watch_settle` setting."""
    report = WatchReport()
    settle = coder.settings.watch_settle if settle is None else settle
    for path, fp in pending(store, folder, settle=settle, report=report):
        report.add(code_file(path, fp, store, coder))
    for url in feeds:
        report_feed(url, store, coder, report)
    return report


def report_feed(url: str, store: Store, coder: Coder, report: WatchReport) -> None:
    """A feed fetched by URL (where the network allows); its fingerprint is its entries' ids."""
    import feedparser

    parsed = feedparser.parse(url)
    entries = list(feed_entries(parsed, name=url))
    fp = hashlib.sha1("|".join(getattr(e, "id", "") or getattr(e, "input", "") for e in entries).encode()).hexdigest()
    if store.intake_fingerprints().get(url) == fp:
        return
    report.add(store.ingest_file(coder.code_batch(entries), coder_version=CODER_VERSION, path=url, fingerprint=fp))


def watch(folder: Path, store: Store, coder: Coder, *, interval: float = DEFAULT_INTERVAL, stop: threading.Event,
          feeds: Iterable[str] = (), on_pass=None) -> None:
    """Pass over the folder every `interval` seconds until `stop` is set."""
    while True:
        found = watch_once(folder, store, coder, feeds=feeds)
        if on_pass:
            on_pass(found)
        if stop.wait(interval):
            return


# Seconds before a failed intake loop starts again (at least its interval).
RESTART_DELAY = 5.0
RECENT_ERRORS = 20


@dataclass
class IntakeHealth:
    """How the intake loop of `serve --watch` is doing, read by the dashboard's thread."""

    folder: str
    state: str = "starting"  # running, or restarting after an error
    last_pass: datetime | None = None
    passes: int = 0
    totals: WatchReport = field(default_factory=WatchReport)
    recent_errors: deque = field(default_factory=lambda: deque(maxlen=RECENT_ERRORS))
    restarts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, found: WatchReport) -> None:
        with self._lock:
            self.state, self.last_pass, self.passes = "running", datetime.now(timezone.utc), self.passes + 1
            self.totals.add(found)
            self.totals.errors.clear()  # the recent ones are kept below, not all of them
            self.recent_errors.extend(found.errors)

    def crashed(self, exc: Exception) -> None:
        with self._lock:
            self.state, self.restarts = "restarting", self.restarts + 1
            self.recent_errors.append(f"intake loop: {type(exc).__name__}: {exc}")

    def to_json(self) -> dict:
        with self._lock:
            t = self.totals
            return {"watching": self.folder, "state": self.state, "passes": self.passes, "restarts": self.restarts,
                    "last_pass": self.last_pass.isoformat(timespec="seconds") if self.last_pass else None,
                    "files": t.files, "documents": t.documents, "events": t.events_added, "failures": t.failures,
                    "unsettled": t.unsettled, "recent_errors": list(self.recent_errors)}


def supervise(folder: Path, store: Store, coder: Coder, *, interval: float, stop: threading.Event,
              health: IntakeHealth, feeds: Iterable[str] = (), on_pass=None) -> None:
    """Run the watch loop until `stop` is set; after an error, record it and start it again."""
    def passed(found: WatchReport) -> None:
        health.record(found)
        if on_pass:
            on_pass(found)

    while not stop.is_set():
        delay = max(interval, RESTART_DELAY)
        try:
            watch(folder, store, coder, interval=interval, stop=stop, feeds=feeds, on_pass=passed)
        except StoreError as exc:  # busy or failing store: say so in one line and try again
            log.error("%s; the intake starts again in %.0f s", exc, delay)
            health.crashed(exc)
        except Exception as exc:  # noqa: BLE001 - the intake must outlive any one error
            log.exception("the intake loop failed; it starts again in %.0f s", delay)
            health.crashed(exc)
        stop.wait(delay)
