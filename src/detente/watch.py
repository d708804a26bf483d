"""watch: continuous intake of a folder (and feeds) into the store.

Each pass lists the article and feed files under the folder, fingerprints them (SHA-1 of their
bytes) and codes those whose fingerprint the store's `intake` table does not hold yet — new or
changed files. A file's documents and its intake row are written in one transaction, so after a
crash a file is either stored and marked or neither: it is never coded twice and never skipped.
A changed file replaces its own earlier articles (content-addressed store). Polling keeps it
dependency-free and works on network folders where inotify does not.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from .ingest import KNOWN_SUFFIXES, feed_entries, read_file
from .pipeline import CODER_VERSION, Coder
from .store import IngestReport, Store

log = logging.getLogger(__name__)

# Seconds between passes over the folder.
DEFAULT_INTERVAL = 5.0


@dataclass
class WatchReport(IngestReport):
    """An IngestReport summed over the files (and feeds) of one or more passes."""

    files: int = 0

    def add(self, other: IngestReport) -> None:
        for f in fields(IngestReport):
            if f.name != "errors":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.errors.extend(other.errors)
        self.files += other.files if isinstance(other, WatchReport) else 1


def fingerprint(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def candidate_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in KNOWN_SUFFIXES and not path.name.startswith("."):
            yield path


def pending(store: Store, folder: Path) -> list[tuple[Path, str]]:
    """Files that are new, or changed since they were coded."""
    done = store.intake_fingerprints()
    out = []
    for path in candidate_files(folder):
        try:
            fp = fingerprint(path)
        except OSError as exc:  # vanished or unreadable between listing and reading
            log.warning("%s: %s", path, exc)
            continue
        if done.get(str(path)) != fp:
            out.append((path, fp))
    return out


def watch_once(folder: Path, store: Store, coder: Coder, *, feeds: Iterable[str] = ()) -> WatchReport:
    """One pass: code every pending file (and feed URL) and record it."""
    report = WatchReport()
    for path, fp in pending(store, folder):
        items = list(read_file(path, max_bytes=coder.settings.max_bytes))
        coded = coder.code_batch(items)
        report.add(store.ingest_file(coded, coder_version=CODER_VERSION, path=str(path), fingerprint=fp))
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


def watch(folder: Path, store: Store, coder: Coder, *, interval: float = DEFAULT_INTERVAL, once: bool = False,
          feeds: Iterable[str] = (), stop: threading.Event | None = None, on_pass=None) -> WatchReport:
    """Pass over the folder every `interval` seconds until `stop` is set (or once)."""
    stop = stop or threading.Event()
    total = WatchReport()
    while True:
        found = watch_once(folder, store, coder, feeds=feeds)
        total.add(found)
        if on_pass:
            on_pass(found)
        if once or stop.wait(interval):
            return total
