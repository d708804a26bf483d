"""The `detente` command line: each command parses, calls one API function, renders.

Exit status: 0 when every input succeeded, 1 when some input failed (each failure is one line on
stderr naming the input), 2 on usage errors (unknown option, bad option value).
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .coder.model import ModelFileError
from .settings import Settings, SettingsError, load_settings

app = typer.Typer(
    help="detente: political event data from raw news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
# Tables piped to a file or another program get room enough not to wrap every cell.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)


class CodeFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


class RowFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class SeriesFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    gdelt = "gdelt"


class Freq(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a YYYY-MM-DD date") from None


def _parse_dyad(value: Optional[str]) -> Optional[tuple[str, str]]:
    if value is None:
        return None
    parts = value.upper().split("-")
    if len(parts) != 2 or not all(parts):
        raise typer.BadParameter(f"{value!r} is not a dyad like USA-RUS")
    return parts[0], parts[1]


# Shared option bundle.
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML settings file (overrides shipped defaults).")]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=0, help="Worker processes (0 = one per core).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB store file.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="spaCy model package to load.")]
ActorsOpt = Annotated[Optional[Path], typer.Option("--actors", help="Your actor dictionary (TSV, groups.tsv's columns [+ role, start, end]): adds to and overrides the KB.")]


def _settings(config: Optional[Path], **overrides) -> Settings:
    try:
        return load_settings(config).with_(**overrides)
    except SettingsError as exc:
        err.print(f"detente: error: {exc}")
        raise typer.Exit(2) from None


def _report_errors(coded) -> bool:
    for message in coded.errors:
        err.print(f"detente: error: {message}", markup=False)
    return bool(coded.errors) and not coded.ok


class _Progress:
    """A rich progress bar on a terminal's stderr (documents/s, events so far); silent otherwise."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.events = 0
        self.bar = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]:.1f} docs/s · {task.fields[events]} events"),
                                TimeElapsedColumn(), console=err, transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("coding", total=None, rate=0.0, events=0)
        return self

    def advance(self, coded) -> None:
        self.events += len(coded.events)
        if self.bar:
            self.bar.advance(self.task)
            task = self.bar.tasks[0]
            elapsed = task.elapsed or 1e-9
            self.bar.update(self.task, rate=task.completed / elapsed, events=self.events)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)


def _event_table(title: str, events) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("type", "source", "target", "date", "factuality", "conf", "place", "sentence"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(
            e.event_type, ", ".join(a.country or a.name for a in e.source), ", ".join(a.country or a.name for a in e.target),
            e.date.isoformat() if e.date else "", e.factuality, f"{e.confidence:.2f}",
            e.place.name if e.place else "", e.sentence[:120],
        )
    return table


@app.command()
def code(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for standard input.")],
    format: Annotated[CodeFormat, typer.Option("--format", help="jsonl (the record contract) or table.")] = CodeFormat.jsonl,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD for plain text.")] = None,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop events below this confidence.")] = None,
    config: ConfigOpt = None,
    workers: WorkersOpt = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    quiet: QuietOpt = False,
):
    """Code articles statelessly: one JSON object per input document on stdout."""
    from .ingest import read_inputs
    from .pipeline import code_documents

    pub = _parse_date(published)
    settings = _settings(config, workers=workers, min_confidence=min_confidence, model=model,
                         actors=str(actors) if actors else None)
    failed = False
    items = read_inputs(paths, max_bytes=settings.max_bytes, published=pub)
    with _Progress(quiet) as progress:
        for coded in code_documents(items, settings=settings):
            failed |= _report_errors(coded)
            progress.advance(coded)
            if not coded.ok:
                continue
            if format is CodeFormat.jsonl:
                sys.stdout.write(json.dumps(coded.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                art = coded.article
                out.print(_event_table(f"{art.doc_id} — {art.title or ''} ({art.published or 'date unknown'})", coded.events))
    raise typer.Exit(1 if failed else 0)


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or - for standard input.")],
    db: DbOpt,
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD for plain text.")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local processes, or a Ray cluster (pip install detente[ray]).")] = Engine.local,
    address: Annotated[Optional[str], typer.Option("--address", help="Ray cluster address (e.g. auto); default: a local Ray.")] = None,
    config: ConfigOpt = None,
    workers: WorkersOpt = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    quiet: QuietOpt = False,
):
    """Code articles and store articles, events, actors and places in a DuckDB file."""
    from .ingest import read_inputs
    from .pipeline import CODER_VERSION, code_documents
    from .store import StoreError, open_store

    pub = _parse_date(published)
    settings = _settings(config, workers=workers, model=model, actors=str(actors) if actors else None)
    try:
        store = open_store(db, settings=settings)
    except StoreError as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(1) from None
    with store, _Progress(quiet) as progress:
        def seen(coded):
            _report_errors(coded)
            progress.advance(coded)

        try:
            if engine is Engine.ray:
                if "-" in paths or pub:
                    raise typer.BadParameter("the ray engine reads files and directories only (no stdin, no --published)")
                from .scale import ingest_with_ray

                try:
                    report = ingest_with_ray(paths, store=store, settings=settings, coder_version=CODER_VERSION,
                                             address=address, on_document=seen)
                except (ImportError, OSError, RuntimeError, ConnectionError) as exc:
                    err.print(f"detente: error: ray engine: {type(exc).__name__}: {exc}", markup=False)
                    raise typer.Exit(1) from None
            else:
                coded_docs = code_documents(read_inputs(paths, max_bytes=settings.max_bytes, published=pub), settings=settings)
                report = store.ingest(coded_docs, coder_version=CODER_VERSION, on_document=seen)
        except StoreError as exc:
            err.print(f"detente: error: {exc}", markup=False)
            raise typer.Exit(1) from None
    if not quiet:
        err.print(f"{report.documents} documents: {report.articles_added} new, {report.articles_replaced} replaced, "
                  f"{report.unchanged} unchanged, {report.duplicates} near-duplicates, {report.failures} failed; "
                  f"{report.events_added} events stored in {db}")
    raise typer.Exit(1 if report.failures else 0)


def _open_read(db: Path):
    from .store import StoreError, open_store

    try:
        return open_store(db, read_only=True, settings=_settings(None))
    except StoreError as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(1) from None


def _render_rows(rows: list[dict], fmt: str, columns: list[str], title: str = "") -> None:
    if fmt == "jsonl" or fmt == "json":
        if fmt == "json":
            sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1) + "\n")
        else:
            for row in rows:
                sys.stdout.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=title or None)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        out.print(table)


def _actors_text(actors: list[dict]) -> str:
    return ", ".join(f"{a['country'] or '?'}/{a['sector'] or '-'}" for a in actors)


@app.command()
def events(
    db: DbOpt,
    dyad: Annotated[Optional[str], typer.Option("--dyad", help="Country pair, e.g. USA-RUS (both directions).")] = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PLOVER event type, e.g. ASSAULT.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Latest event date YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many events.")] = 100,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """List stored events, newest first."""
    from .types import PLOVER_TYPES

    if type and type.upper() not in PLOVER_TYPES:
        raise typer.BadParameter(f"{type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})", param_hint="--type")
    pair, start, end = _parse_dyad(dyad), _parse_date(since), _parse_date(until)
    with _open_read(db) as store:
        rows = store.events(dyad=pair, event_type=type.upper() if type else None, since=start, until=end, limit=limit)
    for row in rows:
        row["source_actors"] = _actors_text(row["source"])
        row["target_actors"] = _actors_text(row["target"])
    if format is RowFormat.csv:
        for row in rows:
            row.pop("source"), row.pop("target")
    cols = ["event_date", "event_type", "source_actors", "target_actors", "factuality", "confidence", "place_name", "sentence"]
    _render_rows(rows, format.value, cols if format is RowFormat.table else list(rows[0]) if rows else cols, "events")


SERIES_COLUMNS = ["period", "direction", "clusters", "q1", "q2", "q3", "q4", "goldstein_mean", "num_articles",
                  "num_sources", "tension", "tension_smoothed", "sparse"]


@app.command()
def timeline(
    a: Annotated[str, typer.Argument(help="First country (ISO3), e.g. USA.")],
    b: Annotated[str, typer.Argument(help="Second country (ISO3), e.g. RUS.")],
    db: DbOpt,
    freq: Annotated[Freq, typer.Option("--freq")] = Freq.month,
    format: Annotated[SeriesFormat, typer.Option("--format")] = SeriesFormat.table,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw the chart to this PNG file.")] = None,
    all_events: Annotated[bool, typer.Option("--all", help="Also count denied and negated events.")] = False,
):
    """Per period and direction: event clusters per QuadClass, Goldstein, sources and the tension index."""
    from . import analysis

    a, b = _country(a), _country(b)
    with _open_read(db) as store:
        rows = store.dyad_event_rows(a, b)
    periods = analysis.series_from_rows(rows, a, b, freq.value, include_all=all_events)
    alerts = analysis.swing_alerts(periods, f"{a}-{b}", rows, freq.value)
    _render_rows([p.to_json() for p in periods], format.value, SERIES_COLUMNS, f"{a}–{b} by {freq.value}")
    if plot:
        from .plot import plot_series

        plot_series(periods, alerts, f"{a}–{b}", plot)
        err.print(f"chart written to {plot}")


def _country(code: str) -> str:
    code = code.upper()
    if len(code) != 3 or not code.isalpha():
        raise typer.BadParameter(f"{code!r} is not an ISO 3166-1 alpha-3 code (or IGO/NGO)")
    return code


@app.command()
def alerts(
    db: DbOpt,
    dyad: Annotated[Optional[str], typer.Option("--dyad", help="Country pair, e.g. USA-RUS; default: the most active pairs.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only alerts from this date, YYYY-MM-DD.")] = None,
    freq: Annotated[Freq, typer.Option("--freq")] = Freq.month,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """Swing alerts: changes of regime in dyads' tension, with their size and evidence events."""
    from . import analysis

    pair, start = _parse_dyad(dyad), _parse_date(since)
    with _open_read(db) as store:
        found = analysis.alerts(store, dyad=pair, since=start, freq=freq.value)
    rows = [a.to_json() for a in found]
    for row in rows:
        row["evidence_text"] = " | ".join(f"{e['event_type']} {e['src']}->{e['tgt']}: {e['sentence'][:90]}" for e in row["evidence"])
    if format is RowFormat.csv:
        for row in rows:
            row.pop("evidence")
    _render_rows(rows, format.value, ["dyad", "period", "direction", "size", "before", "after", "evidence_text"], "swing alerts")


@app.command("top-dyads")
def top_dyads(
    db: DbOpt,
    since: Annotated[Optional[str], typer.Option("--since", help="Count events from this date, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """The most active country pairs, with event clusters per QuadClass."""
    start = _parse_date(since)
    with _open_read(db) as store:
        rows = store.dyad_counts(limit=limit, since=start)
    _render_rows(rows, format.value, ["a", "b", "events", "q1", "q2", "q3", "q4"], "most active dyads")


class GraphFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


@app.command()
def graph(
    db: DbOpt,
    format: Annotated[GraphFormat, typer.Option("--format")] = GraphFormat.graphml,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default actors.<format>).")] = None,
    since: Annotated[Optional[str], typer.Option("--since")] = None,
    until: Annotated[Optional[str], typer.Option("--until")] = None,
):
    """The actor graph: countries as nodes, edges weighted per QuadClass, for Gephi or networkx."""
    from . import analysis

    start, end = _parse_date(since), _parse_date(until)
    target = output or Path(f"actors.{format.value}")
    with _open_read(db) as store:
        g = analysis.actor_graph(store, since=start, until=end)
    analysis.write_graph(g, target, format.value)
    err.print(f"{g.number_of_nodes()} actors, {g.number_of_edges()} edges written to {target}")


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="Folder of article and feed files (.txt .html .jsonl .rss .atom .xml).")],
    db: DbOpt,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="Seconds between passes.")] = 5.0,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    feed: Annotated[Optional[list[str]], typer.Option("--feed", help="RSS/Atom URL to poll too (repeatable).")] = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
):
    """Code new or changed files as they appear; restart-safe (no file coded twice or skipped).
    A failing file is reported once and recorded; a store error restarts the loop after a pause."""
    import threading

    from .pipeline import Coder
    from .store import StoreError, open_store
    from .watch import IntakeHealth, supervise, watch_once

    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="FOLDER")
    settings = _settings(config, workers=1)
    try:
        store = open_store(db, settings=settings)
    except StoreError as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(1) from None

    def report(found):
        for message in found.errors or []:
            err.print(f"detente: error: {message}", markup=False)
        if found.files and not quiet:
            err.print(f"{found.files} files: {found.documents} documents, {found.events_added} events, {found.failures} failed")

    coder = Coder.load(settings)
    with store:
        if not once:
            try:
                supervise(folder, store, coder, interval=interval, stop=threading.Event(), health=IntakeHealth(str(folder)),
                          feeds=feed or (), on_pass=report)
            except KeyboardInterrupt:
                raise typer.Exit(0) from None
        try:
            found = watch_once(folder, store, coder, feeds=feed or ())
        except StoreError as exc:
            err.print(f"detente: error: {exc}", markup=False)
            raise typer.Exit(1) from None
        report(found)
    raise typer.Exit(1 if found.failures else 0)


@app.command()
def serve(
    db: DbOpt,
    host: Annotated[str, typer.Option("--host", help="Interface to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    watch_folder: Annotated[Optional[Path], typer.Option("--watch", help="Also take in new files from this folder.")] = None,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="Seconds between intake passes.")] = 5.0,
):
    """The dashboard: dyad timelines, tension, alerts, evidence and a map, over a read-only store.

    With --watch the same process also codes new files into the store: DuckDB admits one writing
    process, so intake and dashboard share it."""
    import threading

    import uvicorn

    from .web import create_app

    if not watch_folder and not db.exists():
        err.print(f"detente: error: {db}: no such store (run 'detente ingest … --db {db}' first)", markup=False)
        raise typer.Exit(1)
    shared = stop = health = None
    if watch_folder:
        from .pipeline import Coder
        from .store import open_store
        from .watch import IntakeHealth, supervise

        settings = _settings(None, workers=1)
        shared = open_store(db, settings=settings, hold=True)
        stop, health = threading.Event(), IntakeHealth(str(watch_folder))
        coder = Coder.load(settings)
        threading.Thread(target=supervise, args=(watch_folder, shared.cursor(read_only=False), coder),
                         kwargs={"interval": interval, "stop": stop, "health": health}, daemon=True).start()
    err.print(f"detente dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(db, shared=shared, intake=health), host=host, port=port, log_level="warning")
    finally:
        if stop:
            stop.set()


@app.command()
def export(
    db: DbOpt,
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.parquet,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default events.<ext>).")] = None,
):
    """Export all events: parquet, csv, jsonl, or gdelt (GDELT 2.0 event table columns, tab-separated)."""
    ext = {"gdelt": "tsv"}.get(format.value, format.value)
    target = output or Path(f"events.{ext}")
    with _open_read(db) as store:
        n = store.export(target, format.value)
    err.print(f"{n} events written to {target}")


@app.command()
def summary(db: DbOpt, freq: Annotated[Freq, typer.Option("--freq")] = Freq.month):
    """What the store holds: events per dyad, and the timeline of the most active dyad."""
    with _open_read(db) as store:
        counts = store.counts()
        dyads = store.dyad_counts(limit=10)
        out.print(f"[bold]{counts['articles']}[/] articles, [bold]{counts['events']}[/] events in {db}")
        _render_rows(dyads, "table", ["a", "b", "events", "q1", "q2", "q3", "q4"], "events per dyad (q1 verbal coop … q4 material conflict)")
        if dyads:
            from . import analysis

            top = dyads[0]
            periods = analysis.dyad_series(store, top["a"], top["b"], freq.value)
            rows = [p.to_json() for p in periods if p.clusters or p.direction == "both"]
            cols = ["period", "direction", "clusters", "q1", "q2", "q3", "q4", "goldstein_mean", "tension"]
            _render_rows(rows, "table", cols, f"timeline {top['a']}–{top['b']} by {freq.value}")


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold records: one-sentence records (id, text, published, gold) or a labelled article corpus (corpus/test.jsonl).")],
    by_type: Annotated[bool, typer.Option("--by-type", help="Scores per PLOVER type.")] = False,
    errors: Annotated[int, typer.Option("--errors", min=0, help="Show the N worst records or sentences.")] = 0,
    sweep: Annotated[bool, typer.Option("--sweep", help="Scores at each confidence threshold.")] = False,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence", min=0.0, max=1.0)] = None,
    texts: Annotated[Optional[Path], typer.Option("--texts", help="Folder of <article>.txt for a corpus (default: articles/ beside it).")] = None,
    config: ConfigOpt = None,
    model: ModelOpt = None,
):
    """Score the coder on gold records: type recall, dyad recall, precision, confusion matrix; on a
    labelled article corpus, (sentence, type) precision, recall and F1 per type, dyad recall, the
    share of no-event sentences given an event, and a calibration table."""
    from . import evaluate
    from .pipeline import Coder

    settings = _settings(config, model=model, workers=1)
    threshold = settings.min_confidence if min_confidence is None else min_confidence
    try:
        articles = evaluate.is_article_corpus(gold)
        records = evaluate.load_articles(gold, texts) if articles else evaluate.load_gold(gold)
    except (OSError, ValueError) as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(1) from None
    coder = Coder.load(settings.with_(min_confidence=0.0))
    if articles:
        _eval_articles(evaluate, records, coder, threshold, by_type=by_type, errors=errors, sweep=sweep)
    else:
        _eval_records(evaluate, records, coder, threshold, by_type=by_type, errors=errors, sweep=sweep)


def _eval_records(evaluate, records, coder, threshold, *, by_type, errors, sweep) -> None:
    results = evaluate.code_records(records, coder)
    scores = evaluate.score(results, threshold)
    out.print(f"{len(records)} records, {scores.gold} gold events, {scores.emitted} emitted events (confidence ≥ {threshold:.2f})")
    if by_type:
        _render_per_type(scores.per_type, ["type", "gold", "type_recall", "dyad_recall", "emitted", "precision"])
    _render_confusion(evaluate, scores)
    _render_worst(evaluate.worst_errors(results, errors, threshold))
    if sweep:
        curve = [{"threshold": f"{t:.2f}", "type_recall": f"{s.type_recall:.3f}", "dyad_recall": f"{s.dyad_recall:.3f}",
                  "precision": f"{s.precision:.3f}", "emitted": s.emitted} for t, s in evaluate.sweep(results)]
        _render_rows(curve, "table", ["threshold", "type_recall", "dyad_recall", "precision", "emitted"], "confidence sweep")
    out.print(scores.headline())


def _eval_articles(evaluate, articles, coder, threshold, *, by_type, errors, sweep) -> None:
    results = evaluate.code_articles(articles, coder)
    for res in results:
        for message in res.errors:
            err.print(f"detente: {message}", markup=False)
    scores = evaluate.score_articles(results, threshold)
    out.print(f"{len(articles)} articles, {scores.sentences} sentences ({scores.no_event_sentences} with no event), "
              f"{scores.gold} gold (sentence, type) pairs, {scores.emitted} emitted (confidence ≥ {threshold:.2f})")
    if by_type:
        _render_per_type(scores.per_type, ["type", "gold", "emitted", "precision", "recall", "f1", "dyad_recall"])
    _render_confusion(evaluate, scores)
    _render_rows([{k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in row.items()} for row in scores.calibration],
                 "table", ["confidence", "emitted", "mean_confidence", "precision"], "calibration")
    _render_worst(evaluate.worst_sentences(results, errors, threshold))
    if sweep:
        curve = [{"threshold": f"{t:.2f}", "precision": f"{s.precision:.3f}", "recall": f"{s.recall:.3f}", "f1": f"{s.f1:.3f}",
                  "dyad_recall": f"{s.dyad_recall:.3f}", "spurious": f"{s.spurious_rate:.3f}"}
                 for t in [round(0.1 * i, 1) for i in range(10)] for s in [evaluate.score_articles(results, t)]]
        _render_rows(curve, "table", ["threshold", "precision", "recall", "f1", "dyad_recall", "spurious"], "confidence sweep")
    out.print(f"factuality agreement on found (sentence, type) pairs {scores.factuality_agreement:.3f}")
    for what, value in evaluate.actor_scores(results, threshold).items():
        out.print(f"{what}: {value:.3f}")
    out.print(scores.headline())


def _render_per_type(per_type: dict, columns: list[str]) -> None:
    rows = [{"type": t, **{k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in per_type[t].items()}}
            for t in sorted(per_type)]
    _render_rows(rows, "table", columns, "per type")


def _render_confusion(evaluate, scores) -> None:
    types = evaluate.confusion_types(scores)
    matrix = Table(title="confusion: gold type (rows) × emitted type (columns) for missed records")
    matrix.add_column("gold")
    for t in types:
        matrix.add_column(t[:4])
    for g in [t for t in types if t in scores.confusion]:
        matrix.add_row(g, *(str(scores.confusion[g].get(t, "")) for t in types))
    out.print(matrix)


def _render_worst(rows: list[dict]) -> None:
    for row in rows:
        out.print(f"[bold]{row['id']}[/]: {row['sentence']}", soft_wrap=True, highlight=False)
        out.print(f"   gold:   {'; '.join(row['gold']) or '(nothing)'}", markup=False)
        out.print(f"   output: {'; '.join(row['output']) or '(nothing)'}", markup=False)


actors_app = typer.Typer(help="The actor knowledge base: how a name resolves, and what the KB covers.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")


@actors_app.command("lookup")
def actors_lookup(
    name: Annotated[str, typer.Argument(help='A name as news writes it: "Joe Biden", "the Kremlin", "senator".')],
    on: Annotated[Optional[str], typer.Option("--date", help="Resolve as of this date (YYYY-MM-DD); default: today's offices.")] = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="Output format.")] = RowFormat.table,
    config: ConfigOpt = None,
    actors: ActorsOpt = None,
):
    """How a name resolves (on a date) and why: the KB entries it names, the one chosen first."""
    from .actors import ActorKB, explain_name

    settings = _settings(config, actors=str(actors) if actors else None)
    try:
        when = date.fromisoformat(on) if on else None
    except ValueError:
        err.print(f"detente: error: --date {on!r} is not YYYY-MM-DD", markup=False)
        raise typer.Exit(2) from None
    kb = ActorKB.load((settings.actors,) if settings.actors else ())
    for problem in kb.problems:
        err.print(f"detente: warning: {problem}", markup=False)
    rows = explain_name(kb, name, when)
    if not rows:
        err.print(f"detente: {name!r} names no actor the KB knows (it may still be resolved from context)", markup=False)
        raise typer.Exit(1)
    _render_rows(rows, fmt.value, ["name", "kb_id", "kind", "country", "sector", "role", "start", "end", "why"], name)


@actors_app.command("stats")
def actors_stats(
    fmt: Annotated[RowFormat, typer.Option("--format", help="Output format.")] = RowFormat.table,
    config: ConfigOpt = None,
    actors: ActorsOpt = None,
):
    """What the actor KB covers: entries by kind, people, offices and countries, people by sector."""
    from .actors import ActorKB, kb_stats

    settings = _settings(config, actors=str(actors) if actors else None)
    _render_rows(kb_stats(ActorKB.load((settings.actors,) if settings.actors else ())), fmt.value, ["what", "count"],
                 "actor KB")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="detente: %(levelname)s: %(message)s")
    try:
        app()
    except ModelFileError as exc:  # a shipped model file missing or corrupt: one line, how to rebuild
        err.print(f"detente: error: {exc}", markup=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
