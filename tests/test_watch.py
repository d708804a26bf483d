"""Continuous intake, crash restarts and concurrent readers of one store."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import EXAMPLES, ROOT, write_corpus
from detente.store import open_store
from detente.watch import WatchReport, watch_once

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire feed</title><link>https://www.examplewire.net/</link>
<item><title>Turkey and Russia agree on Idlib patrols</title><link>https://www.examplewire.net/2023/02/02/patrols</link>
<guid>wire-0202</guid><pubDate>Thu, 02 Feb 2023 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Turkey and Russia agreed on Wednesday to resume joint patrols in Idlib, officials said.&lt;/p&gt;</description></item>
<item><title>Empty</title><guid>wire-0203</guid><description></description></item>
</channel></rss>"""


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_watch_codes_new_and_changed_files_once(tmp_path, coder):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "01_deconfliction_talks.txt", folder)
    db = tmp_path / "w.duckdb"
    with open_store(db) as store:
        first = watch_once(folder, store, coder, settle=0)
        assert first.files == 1 and first.documents == 1
        assert watch_once(folder, store, coder, settle=0).files == 0  # nothing new
        shutil.copy(EXAMPLES / "02_patrol_standoff.txt", folder)
        (folder / "01_deconfliction_talks.txt").write_text("Russia and Turkey agreed on a ceasefire in Idlib on Thursday.\n")
        again = watch_once(folder, store, coder, settle=0)
        assert again.files == 2
        assert store.counts()["articles"] == 2  # the changed file replaced its article
        assert len(store.intake_fingerprints()) == 2


def test_feed_entries_become_articles_with_feed_metadata(tmp_path, coder):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.rss").write_text(RSS)
    with open_store(tmp_path / "w.duckdb") as store:
        report = watch_once(folder, store, coder, settle=0)
        [row] = store.query("SELECT doc_id, url, title, outlet, published FROM articles")
        events = store.events()
    assert report.documents == 2 and report.failures == 1 and "no text" in report.errors[0]
    assert row["doc_id"] == "wire-0202" and row["url"].endswith("/patrols") and row["outlet"] == "Example Wire feed"
    assert str(row["published"]) == "2023-02-02"
    assert [e["event_type"] for e in events] == ["AGREE"] and str(events[0]["event_date"]) == "2023-02-01"


@pytest.mark.slow
def test_watch_restart_after_kill_loses_and_duplicates_nothing(tmp_path):
    folder = write_corpus(tmp_path / "in", 40, "Bulletin")
    db = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "detente.cli", "watch", str(folder), "--db", str(db), "--interval", "0.2", "--quiet"]
    proc = subprocess.Popen(cmd, env=_env(), stderr=subprocess.DEVNULL)
    time.sleep(7)  # model loaded, part of the folder coded: kill it mid-pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run(cmd[:-3] + ["--once", "--quiet"], env=_env(), check=True, timeout=300)
    with open_store(db, read_only=True) as store:
        assert len(store.intake_fingerprints()) == 40
        assert store.counts()["articles"] == 40
        assert store.query("SELECT count(*) - count(DISTINCT doc_key) AS d FROM articles")[0]["d"] == 0


# A read waits at most for the batch being written (well under a second here) plus the time it
# takes itself; this bound is generous so that a loaded machine does not fail the test.
MAX_READ_WAIT = 3.0


def _timed(read):
    start = time.monotonic()
    result = read()
    return time.monotonic() - start, result


@pytest.mark.slow
def test_readers_get_in_between_the_batches_of_a_long_ingest(tmp_path):
    from fastapi.testclient import TestClient

    from detente.web import create_app

    corpus = write_corpus(tmp_path / "corpus", 60, "Dispatch")
    db = tmp_path / "c.duckdb"
    subprocess.run([sys.executable, "-m", "detente.cli", "ingest", str(EXAMPLES), "--db", str(db), "--quiet", "--workers", "1"],
                   env=_env(), check=True, timeout=300)
    cli_read = [sys.executable, "-m", "detente.cli", "events", "--db", str(db), "--format", "jsonl", "--limit", "5"]
    cli_alone, _ = _timed(lambda: subprocess.run(cli_read, env=_env(), capture_output=True, timeout=120))
    writer = subprocess.Popen([sys.executable, "-m", "detente.cli", "ingest", str(corpus), "--db", str(db), "--quiet", "--workers", "1"],
                              env={**_env(), "DETENTE_BATCH_SIZE": "4"}, stderr=subprocess.PIPE)
    dashboard = TestClient(create_app(db))
    waits, seen = [], set()
    cli = None
    try:
        while writer.poll() is None:
            def count():
                with open_store(db, read_only=True) as store:
                    return store.counts()["articles"]

            wait, articles = _timed(count)
            waits.append(wait)
            seen.add(articles)
            wait, response = _timed(lambda: dashboard.get("/api/events", params={"limit": 5}))
            waits.append(wait)
            assert response.status_code == 200 and len(response.json()["events"]) == 5
            if cli is None and articles > 20:
                cli = _timed(lambda: subprocess.run(cli_read, env=_env(), capture_output=True, text=True, timeout=120))
            time.sleep(0.05)
    finally:
        assert writer.wait(timeout=300) == 0, writer.stderr.read()
    assert any(10 < n < 70 for n in seen), seen  # the reads did happen during the ingest
    assert len(waits) > 10 and max(waits) < MAX_READ_WAIT, sorted(waits)[-5:]
    cli_wait, proc = cli
    assert proc.returncode == 0 and proc.stdout.count("\n") == 5 and cli_wait - cli_alone < MAX_READ_WAIT, proc.stderr


def test_serve_with_watch_reads_what_the_intake_thread_writes(tmp_path, coder):
    """`serve --watch`: intake and dashboard in one process share the database (one writer)."""
    from fastapi.testclient import TestClient

    from detente.watch import watch
    from detente.web import create_app

    folder = tmp_path / "in"
    folder.mkdir()
    db = tmp_path / "s.duckdb"
    shared = open_store(db, hold=True)
    client = TestClient(create_app(db, shared=shared))
    assert client.get("/api/dyads").json()["dyads"] == []
    intake = shared.cursor(read_only=False)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(folder, intake, coder), kwargs={"interval": 0.2, "stop": stop}, daemon=True)
    thread.start()
    try:
        shutil.copy(EXAMPLES / "03_jets_and_drones.txt", folder)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.get("/api/dyads").json()["dyads"]:
            time.sleep(0.2)
        dyads = client.get("/api/dyads").json()["dyads"]
        assert ("RUS", "USA") in {(d["a"], d["b"]) for d in dyads}
    finally:
        stop.set()
        thread.join(timeout=30)
        shared.close()


def _coded_events(coder, text) -> int:
    from detente.types import RawDoc

    return len(coder.code_batch([RawDoc(id="x", input="x.txt", text=text)])[0].events)


def test_a_file_being_written_is_coded_once_it_settles_and_again_when_it_changes(tmp_path, coder):
    from test_store import CORRECTION, STORY, integrity_problems

    folder = tmp_path / "in"
    folder.mkdir()
    story = folder / "story.txt"
    settle = 1.0

    def slow_writer():  # a scraper appending one paragraph at a time
        for paragraph in STORY.split("\n\n"):
            with story.open("a") as fh:
                fh.write(paragraph + "\n\n")
            time.sleep(0.3)

    with open_store(tmp_path / "w.duckdb") as store:
        writer = threading.Thread(target=slow_writer)
        writer.start()
        total = WatchReport()
        while writer.is_alive():
            total.add(watch_once(folder, store, coder, settle=settle))
            time.sleep(0.1)
        assert total.files == 0 and total.unsettled > 0  # never coded half-written
        time.sleep(settle + 0.1)
        total.add(watch_once(folder, store, coder, settle=settle))
        [row] = store.query("SELECT n_events, text FROM articles")
        assert total.files == 1 and row["n_events"] == _coded_events(coder, STORY) > 3
        with story.open("a") as fh:
            fh.write(CORRECTION)
        time.sleep(settle + 0.1)
        again = watch_once(folder, store, coder, settle=settle)
        [row] = store.query("SELECT n_events, duplicate_of FROM articles")
        assert again.files == 1 and again.articles_replaced == 1
        assert row["duplicate_of"] is None and row["n_events"] == _coded_events(coder, STORY + CORRECTION)
        assert integrity_problems(store) == []


def test_a_file_that_fails_is_recorded_with_its_error_and_not_tried_again(tmp_path, coder, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Turkey and Russia agreed on a ceasefire in Idlib on Thursday.\n")
    (folder / "b.txt").write_text("Russian jets bombed rebel positions near Idlib on Tuesday, monitors said.\n")
    code_batch = coder.code_batch

    def crashes_on_a(items):  # a coder bug that only one file triggers
        if any(str(item.input).endswith("a.txt") for item in items):
            raise RuntimeError("model crashed")
        return code_batch(items)

    monkeypatch.setattr(coder, "code_batch", crashes_on_a)
    with open_store(tmp_path / "w.duckdb") as store:
        report = watch_once(folder, store, coder, settle=0)
        assert report.files == 2 and report.failures == 1 and report.errors == [f"{folder / 'a.txt'}: RuntimeError: model crashed"]
        [row] = store.query("SELECT failures, errors FROM intake WHERE path LIKE '%a.txt'")
        assert row["failures"] == 1 and "model crashed" in row["errors"]
        assert [e["event_type"] for e in store.events()] == ["ASSAULT"]
        assert watch_once(folder, store, coder, settle=0).files == 0  # no loop on the failing file


def test_the_intake_loop_restarts_after_an_error_and_reports_its_health(tmp_path, coder, monkeypatch):
    from fastapi.testclient import TestClient

    from detente import watch as watch_module
    from detente.store import StoreError
    from detente.web import create_app

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "03_jets_and_drones.txt", folder)
    real_pass, passes = watch_module.watch_once, []

    def disk_full_once(*args, **kwargs):
        passes.append(1)
        if len(passes) == 1:
            raise StoreError("w.duckdb: writing a batch failed, nothing of it was stored: disk full")
        return real_pass(*args, **kwargs, settle=0)

    monkeypatch.setattr(watch_module, "watch_once", disk_full_once)
    monkeypatch.setattr(watch_module, "RESTART_DELAY", 0.1)
    db = tmp_path / "w.duckdb"
    shared = open_store(db, hold=True)
    health, stop = watch_module.IntakeHealth(str(folder)), threading.Event()
    thread = threading.Thread(target=watch_module.supervise, args=(folder, shared.cursor(read_only=False), coder),
                              kwargs={"interval": 0.1, "stop": stop, "health": health}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not health.to_json()["files"]:
            time.sleep(0.1)
        status = TestClient(create_app(db, shared=shared, intake=health)).get("/api/intake").json()
    finally:
        stop.set()
        thread.join(timeout=30)
        shared.close()
    assert status["state"] == "running" and status["restarts"] == 1 and status["files"] == 1
    assert "disk full" in status["recent_errors"][0] and status["last_pass"]


@pytest.mark.slow
def test_serve_watch_answers_while_it_ingests(tmp_path, coder):
    from fastapi.testclient import TestClient

    from detente.watch import IntakeHealth, supervise
    from detente.web import create_app

    folder = write_corpus(tmp_path / "in", 40, "Dispatch")
    for path in folder.iterdir():
        os.utime(path, (time.time() - 60, time.time() - 60))  # written a minute ago: settled
    db = tmp_path / "s.duckdb"
    shared = open_store(db, hold=True)
    health, stop = IntakeHealth(str(folder)), threading.Event()
    client = TestClient(create_app(db, shared=shared, intake=health))
    thread = threading.Thread(target=supervise, args=(folder, shared.cursor(read_only=False), coder),
                              kwargs={"interval": 0.1, "stop": stop, "health": health}, daemon=True)
    thread.start()
    waits, seen = [], set()
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and health.to_json()["files"] < 40:
            wait, response = _timed(lambda: client.get("/api/events", params={"limit": 5}))
            waits.append(wait)
            assert response.status_code == 200
            seen.add(len(response.json()["events"]))
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=60)
        shared.close()
    assert health.to_json()["files"] == 40 and {0, 5} <= seen  # answered before, during and after
    assert len(waits) > 10 and max(waits) < MAX_READ_WAIT, sorted(waits)[-5:]
