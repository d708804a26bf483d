"""api: detente as a Python library — one function per CLI command, returning typed rows.

    >>> import detente.api as dt
    >>> with dt.open_store(DEMO_DB) as store:                          # doctest: +SKIP
    ...     rows = dt.events(store, country="RUS", min_confidence=0.5)
    ...     frame = rows.to_pandas()

The CLI and the web app call only these functions; errors are named exceptions (UnknownCode,
StoreError), turned into messages and exit codes at those edges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Generic, TypedDict, TypeVar

import pyarrow as pa

from . import analysis
from .codes import UnknownCode, check_code
from .export import FORMATS, write_flat, write_gdelt
from .ingest import read_inputs
from .pipeline import Coder, code_documents
from .scale import ingest_with_ray
from .settings import Settings
from .store import EventFilter, IngestReport, Store, StoreError, open_store
from .types import FACTUALITY, PLOVER_TYPES, CodedDocument
from .version import CODER_VERSION, versions

__all__ = ["Rows", "EventFilter", "UnknownCode", "StoreError", "open_store", "code", "ingest", "events", "dyad_timeline", "counts",
           "alerts", "top_dyads", "export", "aggregate", "graph", "versions", "event_filter", "check_code",
           "check_dyad", "check_type"]

T = TypeVar("T")
# GDELT's layout has no factuality column users read, so by default it holds only the events
# that happened; the other formats carry factuality and hold everything unless filtered.
GDELT_DEFAULT = EventFilter()
FLAT_DEFAULT = EventFilter(include_uncounted=True)
AGGREGATE_BY = ("country-month", "dyad-month")


class Rows(Sequence[T], Generic[T]):
    """Result rows (each a TypedDict), with DataFrame and Arrow views."""

    def __init__(self, rows: list[T]):
        self._rows = rows

    def __getitem__(self, i):
        return self._rows[i]

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"Rows({len(self)} rows)"

    def to_arrow(self) -> pa.Table:
        return pa.Table.from_pylist(list(self._rows))

    def to_pandas(self):
        """A pandas DataFrame (pip install 'detente[pandas]')."""
        return self.to_arrow().to_pandas()


class ActorRow(TypedDict):
    country: str | None
    sector: str | None
    name: str
    kb_id: str | None
    code: str | None


class EventRow(TypedDict, total=False):
    event_id: str
    event_type: str
    cameo: str | None
    quad_class: int
    goldstein: float
    event_date: date | None
    date_precision: str | None
    factuality: str
    confidence: float
    source: list[ActorRow]
    target: list[ActorRow]
    sentence: str
    url: str | None
    place_name: str | None
    place_kind: str | None  # city | admin1 | country | region (None: stored before kinds were kept)
    coder_version: str


class DyadRow(TypedDict):
    a: str
    b: str
    events: int
    q1: int
    q2: int
    q3: int
    q4: int


@dataclass
class Timeline:
    """A dyad's periods (rows of analysis.Period.to_json()), its swing alerts, and how many events
    the frequency left out by date precision (week-dated events are no day's)."""

    a: str
    b: str
    freq: str
    periods: Rows[dict]
    alerts: Rows[dict]
    left_out: dict[str, int]


def event_filter(*, since: date | None = None, until: date | None = None, min_confidence: float | None = None,
                 factuality: Iterable[str] | None = None, include_all: bool = False) -> EventFilter:
    """An EventFilter, its factualities checked (ValueError names the valid ones)."""
    wanted = tuple(f.lower() for f in factuality or ())
    unknown = [f for f in wanted if f not in FACTUALITY]
    if unknown:
        raise ValueError(f"unknown factuality {', '.join(unknown)} (one of {', '.join(FACTUALITY)})")
    return EventFilter(since, until, min_confidence, wanted or None, include_all)


def code(paths: Iterable[str | Path], *, settings: Settings | None = None, published: date | None = None,
         coder: Coder | None = None) -> Iterator[CodedDocument]:
    """Code files, directories or '-' statelessly: one CodedDocument per input document."""
    settings = settings or Settings()
    items = read_inputs(list(paths), max_bytes=settings.max_bytes, published=published)
    return code_documents(items, settings=settings, coder=coder)


def ingest(paths: Iterable[str | Path], *, db: str | Path, settings: Settings | None = None,
           published: date | None = None, engine: str = "local", address: str | None = None,
           on_document: Callable[[CodedDocument], None] | None = None) -> IngestReport:
    """Code inputs and store them in the DuckDB file `db`; engine 'local' (processes) or 'ray'."""
    settings = settings or Settings()
    paths = [str(p) for p in paths]
    with open_store(db, settings=settings) as store:
        if engine == "ray":
            if "-" in paths or published:
                raise ValueError("the ray engine reads files and directories only (no stdin, no published date)")
            return ingest_with_ray(paths, store=store, settings=settings, coder_version=CODER_VERSION,
                                   address=address, on_document=on_document)
        if engine != "local":
            raise ValueError(f"engine must be local or ray, not {engine!r}")
        return store.ingest(code(paths, settings=settings, published=published), coder_version=CODER_VERSION,
                            on_document=on_document)


def check_dyad(dyad: tuple[str, str] | None) -> tuple[str, str] | None:
    """Both codes checked and in capitals (UnknownCode names the nearest valid ones)."""
    return (check_code(dyad[0]), check_code(dyad[1])) if dyad else None


def check_type(event_type: str | None) -> str | None:
    """A PLOVER type in capitals, or ValueError naming the types."""
    if event_type and event_type.upper() not in PLOVER_TYPES:
        raise ValueError(f"{event_type!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return event_type.upper() if event_type else None


def events(store: Store, *, dyad: tuple[str, str] | None = None, country: str | None = None,
           event_type: str | None = None, where: EventFilter = FLAT_DEFAULT, limit: int | None = 100,
           offset: int = 0) -> Rows[EventRow]:
    """Stored events, newest first, with their actors, place and source. `dyad` and `country` take
    ISO3 or organisation codes (UnknownCode otherwise); `where` filters dates, confidence and
    factuality (default: every factuality)."""
    rows = store.events(dyad=check_dyad(dyad), country=check_code(country) if country else None,
                        event_type=check_type(event_type), where=where, limit=limit, offset=offset)
    return Rows(rows)


def dyad_timeline(store: Store, a: str, b: str, *, freq: str = "month", where: EventFilter = FLAT_DEFAULT) -> Timeline:
    """Per period and direction: event clusters per QuadClass, Goldstein, tension; swing alerts.
    Denied and negated events weigh nothing in the tension unless `where.include_uncounted`."""
    a, b = check_dyad((a, b))
    rows = store.dyad_event_rows(a, b, where=where)
    periods = analysis.series_from_rows(rows, a, b, freq, include_all=where.include_uncounted)
    found = analysis.swing_alerts(periods, f"{a}-{b}", rows, freq)
    return Timeline(a, b, freq, Rows([p.to_json() for p in periods]), Rows([al.to_json() for al in found]),
                    analysis.left_out(rows, freq))


def alerts(store: Store, *, dyad: tuple[str, str] | None = None, since: date | None = None,
           freq: str = "month") -> Rows[dict]:
    """Swing alerts for one dyad, or for the most active dyads, each with its evidence events."""
    return Rows([al.to_json() for al in analysis.alerts(store, dyad=check_dyad(dyad), since=since, freq=freq)])


def counts(store: Store) -> dict[str, int]:
    """How many articles, events, actors, places, removed lines and runs the store holds."""
    return store.counts()


def top_dyads(store: Store, *, where: EventFilter = EventFilter(), limit: int = 20, offset: int = 0) -> Rows[DyadRow]:
    """The most active pairs (countries or organisations), with events per QuadClass."""
    return Rows(store.dyad_counts(limit=limit, offset=offset, where=where))


def graph(store: Store, *, where: EventFilter = EventFilter()):
    """The actor graph (networkx DiGraph): actor codes as nodes, edges weighted per QuadClass."""
    return analysis.actor_graph(store.graph_rows(where=where))


def aggregate(store: Store, *, by: str = "country-month", split: str | None = None,
              where: EventFilter = EventFilter()) -> Rows[dict]:
    """Event clusters and mean Goldstein per actor (or ordered dyad) and month, optionally per
    `split` ('quad_class' or 'event_type')."""
    if by not in AGGREGATE_BY:
        raise ValueError(f"by must be one of {', '.join(AGGREGATE_BY)}, not {by!r}")
    if split not in (None, "quad_class", "event_type"):
        raise ValueError(f"split must be quad_class or event_type, not {split!r}")
    return Rows(store.aggregate(by=by, split=split, where=where))


@dataclass
class ExportReport:
    events: int
    rows: int
    # Events of the store the filter left out, by factuality, when the user did not ask for it
    # (GDELT's default leaves out denied and negated events).
    left_out: dict[str, int]


def export(store: Store, out: str | Path, *, fmt: str = "parquet", where: EventFilter | None = None) -> ExportReport:
    """Write events as parquet, csv, jsonl or gdelt (GDELT 2.0 columns, one row per source–target
    pair). By default GDELT leaves out denied and negated events (reported in `left_out`)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    defaulted = where is None
    where = where or (GDELT_DEFAULT if fmt == "gdelt" else FLAT_DEFAULT)
    kb = versions()["kb"]
    rows = store.iter_events(where=where)
    if fmt == "gdelt":
        n_events, n_rows = write_gdelt(rows, out, store.cluster_sizes(), kb)
    else:
        n_events = n_rows = write_flat(rows, out, fmt, kb)
    left_out = {}
    if defaulted and not where.include_uncounted:
        left_out = {f: n for f in ("denied", "negated")
                    if (n := store.count_events(EventFilter(factuality=(f,))))}
    return ExportReport(n_events, n_rows, left_out)
