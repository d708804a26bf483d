import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from detente.cli import app

runner = CliRunner()
CONTRACT_KEYS = {"id", "input", "url", "outlet", "title", "published", "text", "removed", "events", "errors"}
EVENT_KEYS = {"event_id", "event_type", "mode", "cameo", "quad_class", "goldstein", "source", "target", "date",
              "date_precision", "place", "factuality", "speaker", "confidence", "sentence", "start", "end"}


def _jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_code_prints_the_record_contract(tmp_path):
    result = runner.invoke(app, ["code", str(EXAMPLES / "02_patrol_standoff.txt"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    [record] = _jsonl(result.stdout)
    assert set(record) == CONTRACT_KEYS
    assert record["id"] == "02_patrol_standoff" and record["published"] == "2023-03-14"
    assert record["events"] and all(set(e) == EVENT_KEYS for e in record["events"])
    for e in record["events"]:
        assert record["text"][e["start"]:e["end"]] == e["sentence"]
        assert e["date"] is None or e["date"] <= record["published"]


def test_code_keeps_input_order_with_workers(tmp_path):
    result = runner.invoke(app, ["code", str(EXAMPLES), "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in _jsonl(result.stdout)]
    assert ids[:3] == ["01_deconfliction_talks", "02_patrol_standoff", "03_jets_and_drones"]
    assert ids[-3:] == ["wire-2023-10-19-hotline", "wire-2023-11-30-expulsion", "wire-2023-12-14-prisoners"]


def test_published_option_sets_the_date_of_plain_text(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Russian jets bombed rebel positions near Idlib on Tuesday, monitors said.\n")
    result = runner.invoke(app, ["code", str(f), "--published", "2020-02-14", "--workers", "1"])
    [record] = _jsonl(result.stdout)
    assert record["published"] == "2020-02-14" and record["events"][0]["date"] == "2020-02-11"


def test_failures_give_one_line_each_and_exit_1(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Turkey and Russia agreed on a ceasefire in Idlib on Thursday.\n")
    (tmp_path / "empty.txt").write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "detente.cli", "code", str(tmp_path / "missing.txt"), str(tmp_path / "empty.txt"), str(good), "--workers", "1"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "missing.txt: no such file or directory" in errors[0] and "empty.txt: empty file" in errors[1]
    [record] = _jsonl(proc.stdout)  # JSON on stdout only, never mixed with messages
    assert record["id"] == "good"


@pytest.mark.parametrize(
    "args",
    [
        ["code", "x.txt", "--format", "xml"],
        ["code", "x.txt", "--published", "last week"],
        ["code", "x.txt", "--no-such-option"],
        ["events", "--db", "x.duckdb", "--dyad", "USARUS"],
        ["events", "--db", "x.duckdb", "--type", "HUG"],
        ["timeline", "USA", "RUS", "--db", "x.duckdb", "--freq", "fortnight"],
    ],
)
def test_usage_errors_exit_2(args):
    assert runner.invoke(app, args).exit_code == 2


def test_stdin(tmp_path):
    result = runner.invoke(app, ["code", "-", "--workers", "1"], input="Russia withdrew its troops from Qesirdib on Thursday.\n")
    [record] = _jsonl(result.stdout)
    assert record["id"] == "stdin" and record["events"][0]["event_type"] == "RETREAT"


def test_ingest_then_query_commands(tmp_path):
    db = str(tmp_path / "d.duckdb")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--workers", "1"])
    assert "0 new" in again.stderr and "10 unchanged" in again.stderr
    events = runner.invoke(app, ["events", "--db", db, "--dyad", "USA-RUS", "--format", "jsonl"])
    rows = _jsonl(events.stdout)
    assert rows and all({"USA", "RUS"} & {a["country"] for a in r["source"] + r["target"]} for r in rows)
    csv_out = runner.invoke(app, ["events", "--db", db, "--type", "THREATEN", "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("event_id,")
    tl = runner.invoke(app, ["timeline", "USA", "RUS", "--db", db, "--freq", "month", "--format", "json"])
    series = json.loads(tl.stdout)
    assert {"period", "direction", "q1", "q2", "q3", "q4", "goldstein_mean"} <= set(series[0])
    out = tmp_path / "e.tsv"
    exp = runner.invoke(app, ["export", "--db", db, "--format", "gdelt", "-o", str(out)])
    counted = [r for r in _jsonl(runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--limit", "100000"]).stdout)
               if r["factuality"] not in ("denied", "negated")]
    group_ids = {line.split("\t")[61] for line in out.read_text().splitlines()}
    assert exp.exit_code == 0 and len(group_ids) == len(counted)
    summary = runner.invoke(app, ["summary", "--db", db])
    assert "RUS" in summary.stdout and "timeline" in summary.stdout


def test_query_of_missing_store_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no such store" in result.stderr


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 100
        assert re.search(rf"detente {name}\b", readme), f"'detente {name}' missing from README"


def test_actors_lookup_explains_a_name_and_stats_count_the_kb():
    result = runner.invoke(app, ["actors", "lookup", "Joe Biden", "--date", "2012-01-01", "--format", "jsonl"])
    first = json.loads(result.stdout.splitlines()[0])
    assert result.exit_code == 0 and first["role"] == "vice president" and first["why"].startswith("in office")
    assert runner.invoke(app, ["actors", "lookup", "Qwxyz Zzyx"]).exit_code == 1
    assert runner.invoke(app, ["actors", "lookup", "Putin", "--date", "May 2012"]).exit_code == 2
    stats = runner.invoke(app, ["actors", "stats", "--format", "csv"])
    assert stats.exit_code == 0 and "offices (person × office × term)" in stats.stdout


def test_a_user_actor_dictionary_gives_an_unknown_name_its_country(tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("kb_id\tname\taliases\tcountry\tsector\nzwf\tZuberi Workers Front\tZWF\tKEN\tCVL\n", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("The Zuberi Workers Front accused the Chinese firm of cutting wages on Monday.\n", encoding="utf-8")
    plain = json.loads(runner.invoke(app, ["code", str(story), "--workers", "1"]).stdout)
    mined = json.loads(runner.invoke(app, ["code", str(story), "--workers", "1", "--actors", str(mine)]).stdout)
    sources = lambda record: {a["country"] for e in record["events"] for a in e["source"]}  # noqa: E731
    assert "KEN" not in sources(plain) and "KEN" in sources(mined)


# -- filters, organisations, aggregation, versions ---------------------------------------------

WIRE = {
    "eu.txt": "BRUSSELS, May 9, 2023 (Examplewire) — The European Union imposed sanctions on Belarus on Tuesday over "
              "its support for Russia's war.\n\nNATO condemned Russia on Monday night for the strikes on Kyiv.\n",
    "denial.txt": "MOSCOW, May 12, 2023 (Examplewire) — Russia denied that its jets had bombed a market in Syria.\n\n"
                  "Russian officials met Turkish diplomats in Ankara, the ministry said.\n",
}


@pytest.fixture(scope="module")
def wire_db(tmp_path_factory, coder):
    from detente import CODER_VERSION, code_documents, open_store, read_inputs

    folder = tmp_path_factory.mktemp("wire")
    for name, text in WIRE.items():
        (folder / name).write_text(text)
    db = folder / "wire.duckdb"
    with open_store(db) as store:
        store.ingest(code_documents(read_inputs([folder]), coder=coder, workers=1), coder_version=CODER_VERSION)
    return str(db)


def test_organisations_are_dyad_members_with_their_own_codes(wire_db):
    result = runner.invoke(app, ["timeline", "EU", "BLR", "--db", wire_db, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert any(p["direction"] == "EU->BLR" and p["clusters"] for p in json.loads(result.stdout))
    events = _jsonl(runner.invoke(app, ["events", "--db", wire_db, "--country", "NATO", "--format", "jsonl"]).stdout)
    assert events and all(any(a["code"] == "NATO" for a in e["source"]) for e in events)
    # The coder's own convention is unchanged: the organisation's country stays IGO.
    assert all(a["country"] == "IGO" for e in events for a in e["source"] if a["code"] == "NATO")


@pytest.mark.parametrize("args, suggestion", [
    (["events", "--dyad", "India-China"], "IND"),
    (["timeline", "IND", "ZZZ"], "did you mean"),
    (["events", "--country", "NAT0"], "NATO"),
    (["alerts", "--dyad", "USA-RUZ"], "RUS"),
])
def test_unknown_codes_are_usage_errors_with_the_nearest_codes(wire_db, args, suggestion):
    result = runner.invoke(app, [*args, "--db", wire_db])
    assert result.exit_code == 2 and suggestion in result.stderr, result.output


def test_events_filter_by_factuality_and_confidence(wire_db):
    def rows(*args):
        return _jsonl(runner.invoke(app, ["events", "--db", wire_db, "--format", "jsonl", *args]).stdout)

    everything = rows()
    denied = rows("--factuality", "denied")
    assert denied and all(r["factuality"] == "denied" for r in denied) and len(denied) < len(everything)
    floor = sorted(r["confidence"] for r in everything)[len(everything) // 2]
    confident = rows("--min-confidence", str(floor))
    assert confident and all(r["confidence"] >= floor for r in confident) and len(confident) < len(everything)
    assert runner.invoke(app, ["events", "--db", wire_db, "--factuality", "rumoured"]).exit_code == 2


def test_week_dated_events_are_shown_as_such_and_a_daily_timeline_says_it_left_them_out(wire_db):
    table = runner.invoke(app, ["events", "--db", wire_db, "--dyad", "RUS-TUR"]).stdout
    assert "(week)" in table
    daily = runner.invoke(app, ["timeline", "RUS", "TUR", "--db", wire_db, "--freq", "day"])
    assert daily.exit_code == 0 and "dated only to the week" in daily.stderr
    quarterly = json.loads(runner.invoke(app, ["timeline", "RUS", "TUR", "--db", wire_db, "--freq", "quarter",
                                               "--format", "json"]).stdout)
    assert [p["period"] for p in quarterly if p["direction"] == "both"] == ["2023-04-01"]
    window = runner.invoke(app, ["timeline", "EU", "BLR", "--db", wire_db, "--since", "2024-01-01", "--format", "json"])
    assert json.loads(window.stdout) == []


@pytest.mark.parametrize("by, split, keys", [
    ("country-month", [], {"actor", "month", "events", "goldstein_mean"}),
    ("dyad-month", ["--quad-class"], {"src", "tgt", "month", "quad_class", "events", "goldstein_mean"}),
    ("country-month", ["--type"], {"actor", "month", "event_type", "events", "goldstein_mean"}),
])
def test_aggregate_counts_events_per_actor_or_dyad_and_month(wire_db, by, split, keys):
    result = runner.invoke(app, ["aggregate", "--db", wire_db, "--by", by, *split, "--format", "jsonl"])
    rows = _jsonl(result.stdout)
    assert result.exit_code == 0 and rows and all(set(r) == keys for r in rows)
    if by == "country-month":
        assert {"EU", "BLR", "NATO", "RUS"} <= {r["actor"] for r in rows}


def test_version_names_package_coder_kb_and_lexicon(tmp_path):
    from detente.version import digest

    result = runner.invoke(app, ["--version"])
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert result.exit_code == 0 and set(lines) == {"detente", "coder", "kb", "lexicon"}
    assert lines["coder"].startswith(f"detente-{lines['detente']}+")
    (tmp_path / "verbs.tsv").write_text("# lexicon — version 1\n")
    before = digest(tmp_path)
    (tmp_path / "verbs.tsv").write_text("# lexicon — version 1\nattack\t190\n")
    assert digest(tmp_path) != before  # a changed data file is a new coder version


def test_serve_on_a_busy_port_fails_before_announcing(wire_db):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", wire_db, "--port", str(port)])
    assert result.exit_code == 1 and "in use" in result.stderr and "dashboard on" not in result.output
