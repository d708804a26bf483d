"""The `detente` command line: each command parses, calls one API function, renders.

Exit status: 0 when every input succeeded, 1 when some input failed (each failure is one line on
stderr naming the input), 2 on usage errors (unknown option, bad option value).
"""

from __future__ import annotations

import csv
import json
import logging
import socket
import sys
import threading
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api, evaluate
from .actors import ActorKB, explain_name, kb_stats
from .analysis import Freq
from .coder.model import ModelFileError
from .codes import UnknownCode
from .pipeline import Coder
from .plot import plot_series
from .settings import Settings, SettingsError, load_settings
from .store import EventFilter, StoreError
from .types import FACTUALITY
from .version import versions
from .watch import IntakeHealth, supervise, watch_once

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
        raise typer.BadParameter(f"{value!r} is not a dyad like USA-RUS or EU-BLR")
    return parts[0], parts[1]


@contextmanager
def _edge():
    """Where the API's named errors become one line and an exit status: 2 for a bad code or
    value (usage), 1 for a store that cannot be used."""
    try:
        yield
    except (UnknownCode, ValueError) as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except StoreError as exc:
        err.print(f"detente: error: {exc}", markup=False)
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        for name, version in versions().items():
            out.print(f"{name} {version}", markup=False)
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Package, coder (with its data files' digest), KB and lexicon versions.")] = False,
):
    """detente: political event data from raw news articles."""


# Shared option bundles.
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML settings file (overrides shipped defaults).")]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=0, help="Worker processes (0 = one per core).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB store file.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="spaCy model package to load.")]
ActorsOpt = Annotated[Optional[Path], typer.Option("--actors", help="Your actor dictionary (TSV, groups.tsv's columns [+ role, start, end]): adds to and overrides the KB.")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Earliest event date YYYY-MM-DD.")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Latest event date YYYY-MM-DD.")]
MinConfOpt = Annotated[Optional[float], typer.Option("--min-confidence", min=0.0, max=1.0, help="Only events at least this confident.")]
FactualityOpt = Annotated[Optional[list[str]], typer.Option("--factuality", help=f"Only events of this factuality (repeatable): {', '.join(FACTUALITY)}.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Also denied and negated events.")]


def _filter(since, until, min_confidence, factuality, include_all: bool) -> EventFilter:
    try:
        return api.event_filter(since=_parse_date(since), until=_parse_date(until), min_confidence=min_confidence,
                                factuality=factuality, include_all=include_all)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--factuality") from None


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


def _date_text(day, precision) -> str:
    """A date with its precision when it is not a day's: '2023-05-08 (week)'."""
    if day is None:
        return ""
    return day.isoformat() if precision in (None, "day") else f"{day.isoformat()} ({precision})"


def _event_table(title: str, events) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("type", "source", "target", "date", "factuality", "conf", "place", "sentence"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(
            e.event_type, ", ".join(a.country or a.name for a in e.source), ", ".join(a.country or a.name for a in e.target),
            _date_text(e.date, e.date_precision), e.factuality, f"{e.confidence:.2f}",
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
    pub = _parse_date(published)
    settings = _settings(config, workers=workers, min_confidence=min_confidence, model=model,
                         actors=str(actors) if actors else None)
    failed = False
    with _Progress(quiet) as progress:
        for coded in api.code(paths, settings=settings, published=pub):
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
    pub = _parse_date(published)
    settings = _settings(config, workers=workers, model=model, actors=str(actors) if actors else None)
    with _Progress(quiet) as progress:
        def seen(coded):
            _report_errors(coded)
            progress.advance(coded)

        with _edge():
            try:
                report = api.ingest(paths, db=db, settings=settings, published=pub, engine=engine.value, address=address,
                                    on_document=seen)
            except (ImportError, OSError, RuntimeError, ConnectionError) as exc:
                if isinstance(exc, StoreError):
                    raise
                err.print(f"detente: error: {engine.value} engine: {type(exc).__name__}: {exc}", markup=False)
                raise typer.Exit(1) from None
    if not quiet:
        err.print(f"{report.documents} documents: {report.articles_added} new, {report.articles_replaced} replaced, "
                  f"{report.unchanged} unchanged, {report.duplicates} near-duplicates, {report.failures} failed; "
                  f"{report.events_added} events stored in {db}")
        for line in report.skipped:
            err.print(f"  {line}", markup=False)
    raise typer.Exit(1 if report.failures else 0)


@contextmanager
def _open_read(db: Path):
    with _edge(), api.open_store(db, read_only=True, settings=_settings(None)) as store:
        yield store


def _render_rows(rows: list[dict], fmt: str, columns: list[str], title: str = "") -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, default=str, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "jsonl":
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
    return ", ".join(f"{a.get('code') or a['country'] or '?'}/{a['sector'] or '-'}" for a in actors)


EVENT_COLUMNS = ["event_date", "date_precision", "event_type", "source_actors", "target_actors", "factuality", "confidence",
                 "place_name", "sentence"]


@app.command()
def events(
    db: DbOpt,
    dyad: Annotated[Optional[str], typer.Option("--dyad", help="Pair of country or organisation codes, e.g. USA-RUS or EU-BLR (both directions).")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="Country or organisation code on either side, e.g. RUS or NATO.")] = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PLOVER event type, e.g. ASSAULT.")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: MinConfOpt = None,
    factuality: FactualityOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many events.")] = 100,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """List stored events, newest first (every factuality unless --factuality)."""
    where = _filter(since, until, min_confidence, factuality, include_all=True)
    with _edge():
        pair, country, type = api.check_dyad(_parse_dyad(dyad)), country and api.check_code(country), api.check_type(type)
    with _open_read(db) as store:
        rows = [dict(r) for r in api.events(store, dyad=pair, country=country, event_type=type, where=where, limit=limit)]
    for row in rows:
        row["source_actors"] = _actors_text(row["source"])
        row["target_actors"] = _actors_text(row["target"])
        if format is RowFormat.table:
            row["event_date"] = _date_text(row["event_date"], row["date_precision"])
        if format is RowFormat.csv:
            row.pop("source"), row.pop("target")
    _render_rows(rows, format.value, EVENT_COLUMNS if format is RowFormat.table or not rows else list(rows[0]), "events")


SERIES_COLUMNS = ["period", "direction", "clusters", "q1", "q2", "q3", "q4", "goldstein_mean", "num_articles",
                  "num_sources", "tension", "tension_smoothed", "sparse"]


def _say_left_out(left_out: dict[str, int], freq: str) -> None:
    if left_out:
        parts = ", ".join(f"{n} dated only to the {p}" if p != "none" else f"{n} undated" for p, n in left_out.items())
        err.print(f"left out of {freq} periods: {parts} (a coarser --freq includes them)")


@app.command()
def timeline(
    a: Annotated[str, typer.Argument(help="First country or organisation code, e.g. USA or EU.")],
    b: Annotated[str, typer.Argument(help="Second country or organisation code, e.g. RUS.")],
    db: DbOpt,
    freq: Annotated[Freq, typer.Option("--freq")] = Freq.month,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: MinConfOpt = None,
    factuality: FactualityOpt = None,
    format: Annotated[SeriesFormat, typer.Option("--format")] = SeriesFormat.table,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw the chart to this PNG file.")] = None,
    all_events: AllOpt = False,
):
    """Per period and direction: event clusters per QuadClass, Goldstein, sources and the tension index."""
    where = _filter(since, until, min_confidence, factuality, include_all=all_events)
    with _edge():
        a, b = api.check_dyad((a, b))
    with _open_read(db) as store:
        found = api.dyad_timeline(store, a, b, freq=freq.value, where=where)
    _render_rows(list(found.periods), format.value, SERIES_COLUMNS, f"{found.a}–{found.b} by {freq.value}")
    _say_left_out(found.left_out, freq.value)
    if plot:
        plot_series(found.periods, found.alerts, f"{found.a}–{found.b}", plot)
        err.print(f"chart written to {plot}")


@app.command()
def alerts(
    db: DbOpt,
    dyad: Annotated[Optional[str], typer.Option("--dyad", help="Pair of codes, e.g. USA-RUS; default: the most active pairs.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only alerts from this date, YYYY-MM-DD.")] = None,
    freq: Annotated[Freq, typer.Option("--freq")] = Freq.month,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """Swing alerts: changes of regime in dyads' tension, with their size and evidence events."""
    with _edge():
        pair = api.check_dyad(_parse_dyad(dyad))
    with _open_read(db) as store:
        rows = [dict(r) for r in api.alerts(store, dyad=pair, since=_parse_date(since), freq=freq.value)]
    for row in rows:
        row["evidence_text"] = " | ".join(f"{e['event_type']} {e['src']}->{e['tgt']}: {e['sentence'][:90]}" for e in row["evidence"])
        if format is RowFormat.csv:
            row.pop("evidence")
    _render_rows(rows, format.value, ["dyad", "period", "direction", "size", "before", "after", "evidence_text"], "swing alerts")


@app.command("top-dyads")
def top_dyads(
    db: DbOpt,
    since: Annotated[Optional[str], typer.Option("--since", help="Count events from this date, YYYY-MM-DD.")] = None,
    min_confidence: MinConfOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """The most active pairs of countries or organisations, with events per QuadClass."""
    where = _filter(since, None, min_confidence, None, include_all=False)
    with _open_read(db) as store:
        rows = list(api.top_dyads(store, where=where, limit=limit))
    _render_rows(rows, format.value, ["a", "b", "events", "q1", "q2", "q3", "q4"], "most active dyads")


class AggregateBy(str, Enum):
    country_month = "country-month"
    dyad_month = "dyad-month"


@app.command()
def aggregate(
    db: DbOpt,
    by: Annotated[AggregateBy, typer.Option("--by", help="country-month (each actor code) or dyad-month (ordered pairs).")] = AggregateBy.country_month,
    quad_class: Annotated[bool, typer.Option("--quad-class", help="One row per QuadClass too.")] = False,
    type: Annotated[bool, typer.Option("--type", help="One row per PLOVER event type too.")] = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: MinConfOpt = None,
    factuality: FactualityOpt = None,
    format: Annotated[RowFormat, typer.Option("--format")] = RowFormat.table,
):
    """Event clusters and mean Goldstein per country (or dyad) and month, the table ICEWS and ACLED users build first."""
    if quad_class and type:
        raise typer.BadParameter("give --quad-class or --type, not both")
    split = "quad_class" if quad_class else "event_type" if type else None
    where = _filter(since, until, min_confidence, factuality, include_all=False)
    with _open_read(db) as store, _edge():
        rows = list(api.aggregate(store, by=by.value, split=split, where=where))
    keys = ["actor"] if by is AggregateBy.country_month else ["src", "tgt"]
    _render_rows(rows, format.value, keys + ["month"] + ([split] if split else []) + ["events", "goldstein_mean"], f"events by {by.value}")


class GraphFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


@app.command()
def graph(
    db: DbOpt,
    format: Annotated[GraphFormat, typer.Option("--format")] = GraphFormat.graphml,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default actors.<format>).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
):
    """The actor graph: countries and organisations as nodes, edges weighted per QuadClass, for Gephi or networkx."""
    target = output or Path(f"actors.{format.value}")
    with _open_read(db) as store:
        g = api.graph(store, where=_filter(since, until, None, None, include_all=False))
    api.analysis.write_graph(g, target, format.value)
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
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="FOLDER")
    settings = _settings(config, workers=1)

    def report(found):
        for message in found.errors or []:
            err.print(f"detente: error: {message}", markup=False)
        if found.files and not quiet:
            err.print(f"{found.files} files: {found.documents} documents, {found.events_added} events, {found.failures} failed")
        for line in found.skipped or []:
            err.print(f"  {line}", markup=False)

    with _edge():
        store = api.open_store(db, settings=settings)
    coder = Coder.load(settings)
    with store:
        if not once:
            try:
                supervise(folder, store, coder, interval=interval, stop=threading.Event(), health=IntakeHealth(str(folder)),
                          feeds=feed or (), on_pass=report)
            except KeyboardInterrupt:
                raise typer.Exit(0) from None
        with _edge():
            found = watch_once(folder, store, coder, feeds=feed or ())
        report(found)
    raise typer.Exit(1 if found.failures else 0)


def _port_free(host: str, port: int) -> bool:
    """Whether this process can bind host:port now (checked before the dashboard is announced)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@app.command()
def serve(
    db: DbOpt,
    host: Annotated[str, typer.Option("--host", help="Interface to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    watch_folder: Annotated[Optional[Path], typer.Option("--watch", help="Also take in new files from this folder.")] = None,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="Seconds between intake passes.")] = 5.0,
    config: ConfigOpt = None,
):
    """The dashboard: dyad timelines, tension, alerts, evidence and a map, over a read-only store.

    With --watch the same process also codes new files into the store: DuckDB admits one writing
    process, so intake and dashboard share it."""
    import uvicorn  # noqa: PLC0415 - the [web] extra: the other commands run without it

    from .web import create_app  # noqa: PLC0415 - (FastAPI, same extra)

    if not watch_folder and not db.exists():
        err.print(f"detente: error: {db}: no such store (run 'detente ingest … --db {db}' first)", markup=False)
        raise typer.Exit(1)
    if not _port_free(host, port):
        err.print(f"detente: error: {host}:{port} is in use (another server?); choose another with --port", markup=False)
        raise typer.Exit(1)
    settings = _settings(config, workers=1)
    shared = stop = health = None
    if watch_folder:
        shared = api.open_store(db, settings=settings, hold=True)
        stop, health = threading.Event(), IntakeHealth(str(watch_folder))
        coder = Coder.load(settings)
        threading.Thread(target=supervise, args=(watch_folder, shared.cursor(read_only=False), coder),
                         kwargs={"interval": interval, "stop": stop, "health": health}, daemon=True).start()
    err.print(f"detente dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(db, settings=settings, shared=shared, intake=health), host=host, port=port, log_level="warning")
    finally:
        if stop:
            stop.set()


@app.command()
def export(
    db: DbOpt,
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.parquet,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default events.<ext>).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_confidence: MinConfOpt = None,
    factuality: FactualityOpt = None,
    all_events: AllOpt = False,
):
    """Export events with factuality, confidence, date precision, all actors and versions: parquet,
    csv, jsonl, or gdelt (GDELT 2.0 columns, one row per source–target pair; denied and negated
    events left out unless --all or --factuality)."""
    ext = {"gdelt": "tsv"}.get(format.value, format.value)
    target = output or Path(f"events.{ext}")
    filtered = since or until or min_confidence is not None or factuality or all_events
    where = _filter(since, until, min_confidence, factuality, include_all=all_events or format is not ExportFormat.gdelt)
    with _open_read(db) as store, _edge():
        report = api.export(store, target, fmt=format.value, where=where if filtered else None)
    err.print(f"{report.events} events ({report.rows} rows) written to {target}")
    if report.left_out:
        left = ", ".join(f"{n} {f}" for f, n in report.left_out.items())
        err.print(f"left out: {left} events (they did not happen); --all or --factuality includes them")


@app.command()
def summary(db: DbOpt, freq: Annotated[Freq, typer.Option("--freq")] = Freq.month):
    """What the store holds: events per dyad, and the timeline of the most active dyad."""
    with _open_read(db) as store:
        counts = api.counts(store)
        dyads = list(api.top_dyads(store, limit=10))
        out.print(f"[bold]{counts['articles']}[/] articles, [bold]{counts['events']}[/] events in {db}")
        _render_rows(dyads, "table", ["a", "b", "events", "q1", "q2", "q3", "q4"], "events per dyad (q1 verbal coop … q4 material conflict)")
        if dyads:
            top = dyads[0]
            found = api.dyad_timeline(store, top["a"], top["b"], freq=freq.value)
            rows = [p for p in found.periods if p["clusters"] or p["direction"] == "both"]
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
        _eval_articles(records, coder, threshold, by_type=by_type, errors=errors, sweep=sweep)
    else:
        _eval_records(records, coder, threshold, by_type=by_type, errors=errors, sweep=sweep)


def _eval_records(records, coder, threshold, *, by_type, errors, sweep) -> None:
    results = evaluate.code_records(records, coder)
    scores = evaluate.score(results, threshold)
    out.print(f"{len(records)} records, {scores.gold} gold events, {scores.emitted} emitted events (confidence ≥ {threshold:.2f})")
    if by_type:
        _render_per_type(scores.per_type, ["type", "gold", "type_recall", "dyad_recall", "emitted", "precision"])
    _render_confusion(scores)
    _render_worst(evaluate.worst_errors(results, errors, threshold))
    if sweep:
        curve = [{"threshold": f"{t:.2f}", "type_recall": f"{s.type_recall:.3f}", "dyad_recall": f"{s.dyad_recall:.3f}",
                  "precision": f"{s.precision:.3f}", "emitted": s.emitted} for t, s in evaluate.sweep(results)]
        _render_rows(curve, "table", ["threshold", "type_recall", "dyad_recall", "precision", "emitted"], "confidence sweep")
    out.print(scores.dyad_split())
    out.print(scores.headline())


def _eval_articles(articles, coder, threshold, *, by_type, errors, sweep) -> None:
    results = evaluate.code_articles(articles, coder)
    for res in results:
        for message in res.errors:
            err.print(f"detente: {message}", markup=False)
    scores = evaluate.score_articles(results, threshold)
    out.print(f"{len(articles)} articles, {scores.sentences} sentences ({scores.no_event_sentences} with no event), "
              f"{scores.gold} gold (sentence, type) pairs, {scores.emitted} emitted (confidence ≥ {threshold:.2f})")
    if by_type:
        _render_per_type(scores.per_type, ["type", "gold", "emitted", "precision", "recall", "f1", "dyad_recall"])
    _render_confusion(scores)
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


def _render_confusion(scores) -> None:
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
