import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLES, ROOT, write_corpus
from detente import CODER_VERSION, api, code_documents, export, read_inputs
from detente.store import EventFilter, open_store
from detente.types import RawDoc


@pytest.fixture(scope="module")
def example_docs(coder):
    return list(code_documents(read_inputs([EXAMPLES]), coder=coder, workers=1))


def _ingest(db, docs):
    with open_store(db) as store:
        return store.ingest(docs, coder_version=CODER_VERSION)


def test_ingest_is_idempotent(tmp_path, example_docs):
    db = tmp_path / "s.duckdb"
    first = _ingest(db, example_docs)
    assert first.articles_added == len(example_docs) and first.events_added > 20
    second = _ingest(db, example_docs)
    assert second.articles_added == 0 and second.unchanged == len(example_docs) and second.events_added == 0
    with open_store(db, read_only=True) as store:
        counts = store.counts()
        assert counts["articles"] == len(example_docs) and counts["events"] == first.events_added
        assert counts["runs"] == 2
        assert {r["coder_version"] for r in store.query("SELECT DISTINCT coder_version FROM events")} == {CODER_VERSION}


def test_changed_article_replaces_its_own_events(tmp_path, coder):
    db = tmp_path / "s.duckdb"
    src = tmp_path / "story.txt"
    src.write_text("Russian jets bombed rebel positions near Idlib on Tuesday, monitors said.\n")
    _ingest(db, code_documents(read_inputs([src], published=None), coder=coder, workers=1))
    src.write_text("Turkey and Russia agreed on a ceasefire in Idlib on Thursday, officials said.\n")
    report = _ingest(db, code_documents(read_inputs([src]), coder=coder, workers=1))
    assert report.articles_replaced == 1
    with open_store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1
        assert [e["event_type"] for e in store.events()] == ["AGREE"]


def test_near_duplicate_is_stored_once_and_linked(tmp_path, coder):
    body = ("Russian jets bombed rebel positions near Idlib on Tuesday, the monitoring group said, in the heaviest "
            "raids on the province since the ceasefire agreed by Moscow and Ankara in March. Turkey condemned the strikes "
            "and urged Russia to respect the truce, while the Kremlin said its forces targeted terrorists only. ") * 3
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(body + "\nAdvertisement\n")
    b.write_text("Syndicated from Example Wire\n\n" + body)
    report = _ingest(tmp_path / "s.duckdb", code_documents(read_inputs([a, b]), coder=coder, workers=1))
    assert report.articles_added == 1 and report.duplicates == 1
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:
        rows = store.query("SELECT doc_id, duplicate_of, n_events FROM articles ORDER BY doc_id")
        assert rows[0]["duplicate_of"] is None and rows[1]["duplicate_of"] is not None and rows[1]["n_events"] == 0


def test_a_near_duplicate_keeps_the_events_of_its_new_sentences_and_is_named(tmp_path, coder):
    body = ("Russian jets bombed rebel positions near Idlib on Tuesday, the monitoring group said, in the heaviest "
            "raids on the province since the ceasefire agreed by Moscow and Ankara in March. The Kremlin said its forces "
            "targeted terrorists only and that the strikes would go on. ") * 3
    update = "Turkey imposed sanctions on Russia on Wednesday over the raids."
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(body)
    b.write_text(body + "\n\n" + update + "\n")
    report = _ingest(tmp_path / "s.duckdb", code_documents(read_inputs([a, b]), coder=coder, workers=1))
    assert report.duplicates == 1
    assert report.skipped and "b.txt" in report.skipped[0] and "1 new kept" in report.skipped[0]
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:
        copy_events = store.query("SELECT e.event_type, e.sentence FROM events e JOIN articles a USING (article_id) "
                                  "WHERE a.duplicate_of IS NOT NULL")
        assert [(r["event_type"], r["sentence"]) for r in copy_events] == [("SANCTION", update)]
        assert integrity_problems(store) == []


def test_queries_and_timeline(tmp_path, example_docs):
    db = tmp_path / "s.duckdb"
    _ingest(db, example_docs)
    with open_store(db, read_only=True) as store:
        dyads = store.dyad_counts()
        assert (dyads[0]["a"], dyads[0]["b"]) == ("RUS", "USA")
        rows = store.events(dyad=("USA", "RUS"))
        assert rows and all({"source", "target", "sentence", "url"} <= set(r) for r in rows)
        assert all(r["event_type"] == "COERCE" for r in store.events(event_type="COERCE"))
        rows = store.dyad_event_rows("USA", "RUS")
        assert rows and {r["src"] for r in rows} == {"USA", "RUS"}
        assert all(r["cluster_id"] and r["article_id"] for r in rows)


@pytest.mark.parametrize("fmt, ext", [("parquet", "parquet"), ("csv", "csv"), ("jsonl", "jsonl")])
def test_flat_exports_hold_every_event_with_its_meaning(tmp_path, example_docs, fmt, ext):
    db = tmp_path / "s.duckdb"
    report = _ingest(db, example_docs)
    out = tmp_path / f"events.{ext}"
    with open_store(db, read_only=True) as store:
        assert api.export(store, out, fmt=fmt).events == report.events_added
    table = {"parquet": lambda: pq.read_table(out), "csv": lambda: pacsv.read_csv(out),
             "jsonl": lambda: pajson.read_json(out)}[fmt]()
    assert table.num_rows == report.events_added
    assert {"factuality", "confidence", "date_precision", "source_codes", "target_codes", "coder_version",
            "kb_version"} <= set(table.column_names)
    assert table.column_names == export.EVENT_SCHEMA.names  # one naming for every format
    if fmt == "parquet":
        assert table.schema.field("event_date").type == pa.date32()
        assert table.schema.field("source_codes").type == pa.list_(pa.string())


def test_gdelt_export_has_a_row_per_source_target_pair_and_no_denied_event_unless_asked(tmp_path, coder):
    text = ("Indian and Chinese troops clashed in the Galwan valley on Monday, killing 20 Indian soldiers.\n\n"
            "Russia denied that its jets had bombed a hospital in Idlib on Tuesday.\n")
    src = tmp_path / "clash.txt"
    src.write_text(text)
    db = tmp_path / "s.duckdb"
    _ingest(db, code_documents(read_inputs([src], published=date(2020, 6, 19)), coder=coder, workers=1))
    out = tmp_path / "e.tsv"
    with open_store(db, read_only=True) as store:
        denied = store.count_events(EventFilter(factuality=("denied", "negated")))
        report = api.export(store, out, fmt="gdelt")
        rows = [line.split("\t") for line in out.read_text().splitlines()]
        assert all(len(r) == len(export.GDELT_COLUMNS) + len(export.EXTRA_GDELT_COLUMNS) for r in rows)
        factuality = len(export.GDELT_COLUMNS) + 1
        assert denied and report.left_out and not any(r[factuality] in ("denied", "negated") for r in rows)
        assert all(r[29] in "1234" and r[26] for r in rows)  # QuadClass, EventCode
        pairs = {(r[7], r[17]) for r in rows}  # Actor1CountryCode, Actor2CountryCode
        assert ("IND", "CHN") in pairs or ("CHN", "IND") in pairs, pairs
        assert report.rows >= report.events and len({r[len(export.GDELT_COLUMNS)] for r in rows}) == report.events
        asked = api.export(store, out, fmt="gdelt", where=EventFilter(include_uncounted=True))
        assert asked.events == report.events + denied and not asked.left_out


KILL_SCRIPT = """
import sys
from detente import CODER_VERSION, Coder, Settings, code_documents, read_inputs
from detente.store import EventFilter, open_store
coder = Coder.load(Settings(workers=1, batch_size=2))
with open_store(sys.argv[1], settings=coder.settings) as store:
    print("ready", flush=True)
    store.ingest(code_documents(read_inputs([sys.argv[2]]), coder=coder, workers=1), coder_version=CODER_VERSION,
                 batch_size=2, on_document=lambda coded: print("stored", flush=True))
"""


@pytest.mark.slow
def test_store_is_consistent_after_a_kill_mid_ingest(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 60, "Report number")
    db = tmp_path / "s.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(corpus)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline().strip() == b"ready"
    # Kill once a few batches are committed and the next one is being coded or written; a fixed
    # sleep was too short on a slow machine.
    for _ in range(4):
        assert proc.stdout.readline().strip() == b"stored"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_store(db) as store:
        bad = store.query("""
            SELECT a.article_id FROM articles a LEFT JOIN events e USING (article_id)
            GROUP BY a.article_id, a.n_events HAVING count(e.event_id) <> a.n_events""")
        orphans = store.query("SELECT count(*) AS n FROM event_actors WHERE event_id NOT IN (SELECT event_id FROM events)")[0]["n"]
        stored = store.counts()["articles"]
    assert not bad and orphans == 0
    assert 0 < stored < 60
    # Restarting finishes the job without duplicates.
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(db), str(corpus)], env=env, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    with open_store(db, read_only=True) as store:
        assert store.counts()["articles"] == 60


# -- versions and near-duplicates: every kind of re-ingest leaves a consistent store -----------

STORY = """ANKARA, May 9, 2023 (Examplewire) — Turkey and Russia agreed on Monday to resume joint patrols
along the M4 highway in Idlib, two months after the last convoy was attacked, the Turkish defence
ministry said.

Turkish Defence Minister Hulusi Akar met his Russian counterpart Sergei Shoigu in Moscow, where the
two men discussed the ceasefire that both governments brokered in March 2020.

Syrian government forces shelled villages south of the highway on Sunday, according to a monitoring
group, and rebels fired rockets at a government position near Saraqib in response.

Russia accused Turkey of failing to separate moderate rebels from jihadist groups in the province.
Ankara rejected the accusation and urged Moscow to restrain the Syrian army.

The United Nations called on all sides to protect civilians and to allow aid convoys to reach the
camps along the Turkish border, where nearly a million people live in tents.
"""
CORRECTION = "\nThis story was updated to correct the date of the ceasefire.\n"
OTHER_STORY = """WASHINGTON, May 10, 2023 (Examplewire) — The United States imposed sanctions on Tuesday on three
Iranian companies accused of supplying drones to Russia, the Treasury Department said.

Iran denied that it had sent weapons to Russia for use in Ukraine and summoned the Swiss ambassador,
who represents American interests in Tehran, to protest against the measures.
"""


def integrity_problems(store) -> list[str]:
    """Everything that must hold after any ingest, as readable problems."""
    checks = {
        "duplicate_of names a missing article": "SELECT article_id FROM articles WHERE duplicate_of IS NOT NULL "
                                                "AND duplicate_of NOT IN (SELECT article_id FROM articles)",
        "duplicate_of names a copy, not an original": "SELECT c.article_id FROM articles c JOIN articles o "
                                                      "ON c.duplicate_of = o.article_id WHERE o.duplicate_of IS NOT NULL",
        "n_events disagrees with the events stored": "SELECT a.article_id FROM articles a LEFT JOIN events e USING (article_id) "
                                                     "GROUP BY a.article_id, a.n_events HAVING count(e.event_id) <> coalesce(a.n_events, 0)",
        "a copy repeats its original's events": "SELECT e.event_id FROM events e JOIN articles c USING (article_id) "
                                                "JOIN articles o ON c.duplicate_of = o.article_id "
                                                "WHERE contains(o.text, e.sentence)",
        "an event has no article": "SELECT event_id FROM events WHERE article_id NOT IN (SELECT article_id FROM articles)",
        "an actor has no event": "SELECT event_id FROM event_actors WHERE event_id NOT IN (SELECT event_id FROM events)",
        "a removed line has no article": "SELECT article_id FROM removed WHERE article_id NOT IN (SELECT article_id FROM articles)",
        "a document has two versions": "SELECT doc_key FROM articles GROUP BY doc_key HAVING count(*) > 1",
    }
    return [f"{problem}: {rows}" for problem, sql in checks.items() if (rows := store.query(sql))]


def _ingest_files(db, coder, *paths):
    with open_store(db) as store:
        report = store.ingest(code_documents(read_inputs(list(paths)), coder=coder, workers=1), coder_version=CODER_VERSION)
        assert integrity_problems(store) == []
    return report


def _stored(db) -> dict[str, dict]:
    with open_store(db, read_only=True) as store:
        return {r["doc_id"]: r for r in store.query("SELECT doc_id, article_id, duplicate_of, n_events FROM articles")}


def _events_of(coder, text) -> int:
    [coded] = coder.code_batch([RawDoc(id="x", input="x.txt", text=text)])
    return len(coded.events)


def test_an_edited_article_keeps_all_its_events(tmp_path, coder):
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    _ingest_files(tmp_path / "s.duckdb", coder, story)
    story.write_text(STORY + CORRECTION)
    report = _ingest_files(tmp_path / "s.duckdb", coder, story)
    row = _stored(tmp_path / "s.duckdb")["story"]
    assert report.articles_replaced == 1 and report.duplicates == 0
    assert row["duplicate_of"] is None and row["n_events"] == _events_of(coder, STORY + CORRECTION) > 3


SYNDICATED = "Syndicated from Examplewire\n\n" + STORY


@pytest.mark.parametrize("edit, copy_points_at_new", [(CORRECTION, True), (OTHER_STORY, False)])
def test_copies_of_a_replaced_article_follow_it_or_become_originals(tmp_path, coder, edit, copy_points_at_new):
    story, copy = tmp_path / "story.txt", tmp_path / "copy.txt"
    story.write_text(STORY)
    copy.write_text(SYNDICATED)
    db = tmp_path / "s.duckdb"
    _ingest_files(db, coder, story, copy)
    assert _stored(db)["copy"]["duplicate_of"] == _stored(db)["story"]["article_id"]
    story.write_text(STORY + edit if copy_points_at_new else edit)
    _ingest_files(db, coder, story)
    rows = _stored(db)
    if copy_points_at_new:
        assert rows["copy"]["duplicate_of"] == rows["story"]["article_id"] and rows["story"]["n_events"] > 3
    else:
        # The copy is the story's only report now; its events are coded when it is next ingested.
        assert rows["copy"]["duplicate_of"] is None and rows["copy"]["n_events"] is None
        _ingest_files(db, coder, copy)
        assert _stored(db)["copy"]["n_events"] == _events_of(coder, SYNDICATED) > 3


@pytest.mark.parametrize("steps", [
    ["STORY", "STORY"],                                  # the same file again
    ["STORY", "OTHER_STORY"],                            # rewritten
    ["STORY", "STORY+CORRECTION", "STORY"],              # edited, then reverted
    ["OTHER_STORY", "STORY", "STORY+CORRECTION"],        # turned into a copy of another document, then edited
])
def test_every_sequence_of_versions_leaves_a_consistent_store(tmp_path, coder, steps):
    texts = {"STORY": STORY, "OTHER_STORY": OTHER_STORY, "STORY+CORRECTION": STORY + CORRECTION}
    (tmp_path / "other.txt").write_text("Syndicated from Examplewire\n\n" + STORY)
    _ingest_files(tmp_path / "s.duckdb", coder, tmp_path / "other.txt")
    story = tmp_path / "story.txt"
    for step in steps:
        story.write_text(texts[step])
        _ingest_files(tmp_path / "s.duckdb", coder, story)  # checks integrity after each
    rows = _stored(tmp_path / "s.duckdb")
    if rows["story"]["duplicate_of"] is None:
        assert rows["story"]["n_events"] == _events_of(coder, texts[steps[-1]])


def test_two_versions_in_one_batch_keep_the_later(tmp_path, coder):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "s1", "text": STORY}) + "\n" + json.dumps({"id": "s1", "text": STORY + CORRECTION}) + "\n")
    report = _ingest_files(tmp_path / "s.duckdb", coder, feed)
    [row] = _stored(tmp_path / "s.duckdb").values()
    assert report.articles_replaced == 1 and row["n_events"] == _events_of(coder, STORY + CORRECTION)


def test_a_store_written_before_organisation_codes_gets_them_when_opened(tmp_path, coder):
    db = tmp_path / "old.duckdb"
    doc = RawDoc(id="eu", input="eu.txt", text="The European Union imposed sanctions on Belarus on Tuesday.",
                 published=date(2023, 5, 10))
    _ingest(db, coder.code_batch([doc]))
    with open_store(db) as store, store.transaction() as con:  # as a store of the earlier version stood
        con.execute("UPDATE event_actors SET code = NULL")
        con.execute("UPDATE event_dyads SET src = 'IGO' WHERE src = 'EU'")
        con.execute("DELETE FROM meta WHERE key = 'org_codes'")
    with open_store(db) as store:
        assert [(d["a"], d["b"]) for d in store.dyad_counts()] == [("BLR", "EU")]
        assert integrity_problems(store) == []


PLACED = ("Police arrested dozens of protesters in Idlib on Tuesday.\n\n"
          "Protesters rallied in Texas on Tuesday against the new law.\n")
OLD_PLACES = """CREATE TABLE places (place_key VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR, admin1 VARCHAR,
                                  lat DOUBLE, lon DOUBLE, geonameid BIGINT)"""


def _placed_store(db, coder, text=PLACED, doc_id="placed"):
    _ingest(db, coder.code_batch([RawDoc(id=doc_id, input=f"{doc_id}.txt", text=text, published=date(2023, 5, 10))]))


def _as_before_place_kinds(db) -> None:
    """Give the store the places table as it stood before it kept their kind (its rows kept)."""
    with open_store(db) as store, store.transaction() as con:
        con.execute("CREATE TABLE old_places AS SELECT place_key, name, country, admin1, lat, lon, geonameid FROM places")
        con.execute("DROP TABLE places")
        con.execute(OLD_PLACES)
        con.execute("INSERT INTO places SELECT * FROM old_places")
        con.execute("DROP TABLE old_places")


def _columns(db, table) -> list[str]:
    with open_store(db, read_only=True) as store:
        return [r["column_name"] for r in store.query(f"DESCRIBE {table}")]


def test_events_read_back_from_the_store_keep_their_place_kind(tmp_path, coder):
    db = tmp_path / "s.duckdb"
    _placed_store(db, coder)
    with open_store(db, read_only=True) as store:
        kinds = {r["place_name"]: r["place_kind"] for r in api.events(store)}
    assert kinds == {"Idlib": "city", "Texas": "admin1"}


def test_a_store_written_before_place_kinds_opens_with_every_row_and_gains_them(tmp_path, coder):
    db = tmp_path / "old.duckdb"
    _placed_store(db, coder)
    _as_before_place_kinds(db)
    assert "kind" not in _columns(db, "places")
    with open_store(db, read_only=True) as store:
        before = store.counts()
    with open_store(db) as store:  # opened for writing: migrated
        assert store.counts() == before
        assert integrity_problems(store) == []
        rows = store.events()
    assert "kind" in _columns(db, "places")
    assert {(r["place_name"], r["place_kind"]) for r in rows} == {("Idlib", None), ("Texas", None)}
    # An event coded again at a stored place brings its kind to the old row.
    _placed_store(db, coder, "Soldiers detained two journalists in Idlib on Friday.\n", doc_id="later")
    with open_store(db, read_only=True) as store:
        kinds = {(r["place_name"], r["place_kind"]) for r in store.events()}
    assert ("Idlib", "city") in kinds and ("Idlib", None) not in kinds and ("Texas", None) in kinds


def test_a_failed_migration_leaves_the_old_store_as_it_was(tmp_path, coder, monkeypatch):
    from detente import store as store_module

    db = tmp_path / "old.duckdb"
    _placed_store(db, coder)
    _as_before_place_kinds(db)
    with open_store(db, read_only=True) as store:
        before = store.counts()

    def fail(con, schema):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(store_module, "_recode_organisations", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        open_store(db)
    assert "kind" not in _columns(db, "places")  # the column came in the same transaction: rolled back
    with open_store(db, read_only=True) as store:
        assert store.counts() == before


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_flat_exports_carry_the_place_kind(tmp_path, coder, fmt):
    db = tmp_path / "s.duckdb"
    _placed_store(db, coder)
    out = tmp_path / f"events.{fmt}"
    with open_store(db, read_only=True) as store:
        api.export(store, out, fmt=fmt)
    table = {"parquet": pq.read_table, "csv": pacsv.read_csv, "jsonl": pajson.read_json}[fmt](out)
    rows = table.select(["place_name", "place_kind"]).to_pylist()
    assert {(r["place_name"], r["place_kind"]) for r in rows} == {("Idlib", "city"), ("Texas", "admin1")}


def test_gdelt_geo_type_follows_the_place_kind(tmp_path, coder):
    db = tmp_path / "s.duckdb"
    _placed_store(db, coder)
    out = tmp_path / "e.tsv"
    with open_store(db, read_only=True) as store:
        api.export(store, out, fmt="gdelt")
    geo_type = export.GDELT_COLUMNS.index("ActionGeo_Type")
    name = export.GDELT_COLUMNS.index("ActionGeo_FullName")
    types = {r[name]: r[geo_type] for r in (line.split("\t") for line in out.read_text().splitlines())}
    assert types == {"Idlib": "4", "Texas": "2"}  # a world city; a US state (no longer read as a city)


@pytest.mark.parametrize("kind, country, admin1, expected", [
    ("country", "SYR", None, 1), ("admin1", "USA", "TX", 2), ("city", "USA", "NY", 3), ("city", "SYR", "12", 4),
    ("admin1", "AFG", "Helmand", 5), ("region", "UKR", None, 5), ("region", None, None, ""),
    (None, "SYR", None, 1), (None, "SYR", "12", 4),  # stored before kinds were kept: read as then
])
def test_gdelt_geo_type_of_each_kind(kind, country, admin1, expected):
    row = {"place_name": "X", "place_kind": kind, "place_country": country, "place_admin1": admin1}
    assert export.gdelt_geo_type(row) == expected
