"""web: the FastAPI dashboard over a store.

    create_app(db_path) -> FastAPI

Every route parses and validates its parameters — each bounded by its type, so a malformed or
out-of-range one is a 422, never a 500 — calls one API function and returns JSON; the page
itself is static HTML and vendored JavaScript that puts all article text into the DOM as text,
never as markup. Reads share one read-only connection while requests are in flight
(`store.ReadPool`), and each response is kept until the store changes (`ResultCache`), so the
dashboard's summaries are computed once per change of the store, not once per request.
"""

from __future__ import annotations

import functools
import html
import json
from contextlib import asynccontextmanager, contextmanager
from datetime import date, timedelta
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

import networkx as nx

from .. import api
from ..analysis import Freq, next_period, period_start
from ..codes import UnknownCode
from ..settings import Settings
from ..store import EventFilter, ReadPool, Store, StoreBusy, StoreError, store_version
from ..types import EARLIEST_DATE, LATEST_DATE, PLOVER_TYPES
from ..version import __version__
from .cache import ResultCache

MAX_PAGE = 500
# Far past the rows of any store, and well inside DuckDB's BIGINT (an offset beyond INT64 used to
# fail inside the query).
MAX_OFFSET = 1_000_000_000
Country = Annotated[str, Query(pattern=r"^[A-Z0-9]{2,12}$",
                                description="ISO 3166-1 alpha-3 code, or an organisation's code (EU, NATO, UN…)")]
Day = Annotated[date, Query(ge=EARLIEST_DATE, le=LATEST_DATE, description="YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
PloverType = Enum("PloverType", {t: t for t in PLOVER_TYPES}, type=str)


def _public_event(row: dict) -> dict:
    keep = ("event_id", "event_type", "mode", "cameo", "quad_class", "goldstein", "event_date", "date_precision",
            "factuality", "confidence", "sentence", "url", "title", "outlet", "place_name", "place_country", "place_kind", "lat", "lon",
            "source", "target")
    out = {k: row.get(k) for k in keep}
    out["event_date"] = row["event_date"].isoformat() if row.get("event_date") else None
    return out


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def create_app(db_path: str | Path, *, settings: Settings | None = None, shared: Store | None = None,
               intake=None) -> FastAPI:
    """The dashboard app over the user's `settings`. With `shared` (a store this process holds and
    also writes through, for `serve --watch`) each request reads through its own cursor of it
    instead of opening the file; `intake` (a watch.IntakeHealth) is reported at /api/intake."""
    db_path = Path(db_path)
    pool = ReadPool(db_path, settings or Settings())
    cache = ResultCache(lambda: store_version(db_path))

    @asynccontextmanager
    async def lifespan(_app):
        import ruptures  # noqa: F401, PLC0415 - imported before the first requests, not by them all at once (0.7 s)

        yield
        pool.close()

    # /docs is a static page written from the OpenAPI schema: Swagger UI would load its assets
    # from a CDN, and the dashboard works offline.
    app = FastAPI(title="detente", description="Political event data: dyad timelines, tension, alerts and evidence.",
                  version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None)
    static = resources.files("detente").joinpath("web/static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @contextmanager
    def store():
        try:
            with shared.cursor(read_only=True) if shared is not None else pool.store() as s:
                yield s
        except StoreBusy as exc:
            raise HTTPException(503, str(exc)) from None
        except StoreError as exc:
            raise HTTPException(500, str(exc)) from None
        except UnknownCode as exc:
            raise HTTPException(422, str(exc)) from None

    def cached(route):
        """Serve the route's JSON from the cache while the store is unchanged."""
        @functools.wraps(route)
        def serve(**params):
            key = (route.__name__, tuple(sorted(params.items())))
            return Response(cache.get(key, lambda: _json_bytes(route(**params))), media_type="application/json")
        return serve

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index():
        return resources.files("detente").joinpath("web/templates/index.html").read_text(encoding="utf-8")

    @app.get("/api/dyads")
    @cached
    def dyads(limit: Limit = 20, offset: Offset = 0, since: Day | None = None):
        """The most active pairs of countries or organisations, with events per QuadClass."""
        with store() as s:
            rows = api.top_dyads(s, where=EventFilter(since=since), limit=limit, offset=offset)
        return {"dyads": list(rows), "limit": limit, "offset": offset}

    @app.get("/api/timeline")
    @cached
    def timeline(a: Country, b: Country, freq: Freq = Freq.month, all: bool = False):
        """Per period: clusters per QuadClass, Goldstein, sources, tension; with the dyad's swing
        alerts and the events the frequency leaves out, by date precision."""
        with store() as s:
            found = api.dyad_timeline(s, a, b, freq=freq.value, where=EventFilter(include_uncounted=all))
        return {"a": found.a, "b": found.b, "freq": freq.value, "periods": list(found.periods),
                "alerts": list(found.alerts), "left_out": found.left_out}

    @app.get("/api/events")
    @cached
    def events(a: Country | None = None, b: Country | None = None, period: Day | None = None, freq: Freq = Freq.month,
               type: PloverType | None = None, since: Day | None = None, until: Day | None = None,
               all: bool = False, limit: Limit = 50, offset: Offset = 0):
        """Events (both directions of a dyad), optionally of one period, with actors, place, date
        precision and source URL."""
        if (a is None) != (b is None):
            raise HTTPException(422, "give both a and b, or neither")
        if period is not None:
            since = period_start(period, freq.value)
            until = next_period(since, freq.value) - timedelta(days=1)
        with store() as s:
            rows = api.events(s, dyad=(a, b) if a else None, event_type=type.value if type else None, limit=limit,
                              offset=offset, where=EventFilter(since=since, until=until, include_uncounted=all))
        return {"events": [_public_event(r) for r in rows], "limit": limit, "offset": offset}

    @app.get("/api/alerts")
    @cached
    def alerts(a: Country | None = None, b: Country | None = None, since: Day | None = None, freq: Freq = Freq.month):
        """Swing alerts for a dyad, or for the most active dyads."""
        if (a is None) != (b is None):
            raise HTTPException(422, "give both a and b, or neither")
        with store() as s:
            return {"alerts": list(api.alerts(s, dyad=(a, b) if a else None, since=since, freq=freq.value))}

    @app.get("/api/graph")
    @cached
    def graph(since: Day | None = None, until: Day | None = None):
        """The actor graph as node-link JSON: edges weighted per QuadClass."""
        with store() as s:
            g = api.graph(s, where=EventFilter(since=since, until=until))
        return nx.node_link_data(g, edges="links")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs():
        return api_page(app.openapi())

    @app.get("/api/intake")
    def intake_health():
        """The folder intake of `serve --watch`: state, last pass, files, failures and recent errors."""
        return intake.to_json() if intake is not None else {"watching": None}

    return app


def _parameter_text(param: dict) -> str:
    schema = param.get("schema", {})
    options = schema.get("anyOf", [schema])
    kinds = " or ".join(o.get("type") or o.get("$ref", "").rsplit("/", 1)[-1] for o in options if o.get("type") != "null")
    bounds = ", ".join(f"{k} {o[k]}" for o in options for k in ("pattern", "minimum", "maximum", "enum") if k in o)
    return f"{kinds}{' (' + bounds + ')' if bounds else ''}{', required' if param.get('required') else ''}"


def api_page(spec: dict) -> str:
    """The JSON API as one self-contained HTML page: each route, what it returns, its parameters."""
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(spec['info']['title'])} API</title>"
             "<link rel='stylesheet' href='/static/app.css'></head><body><main>",
             f"<h1>{html.escape(spec['info']['title'])} {html.escape(spec['info']['version'])} — JSON API</h1>",
             f"<p>{html.escape(spec['info'].get('description', ''))} The schema: <a href='/openapi.json'>/openapi.json</a>.</p>"]
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            parts.append(f"<section><h2>{method.upper()} <code>{html.escape(path)}</code></h2>"
                         f"<p>{html.escape(op.get('description') or op.get('summary', ''))}</p><ul>")
            parts += [f"<li><code>{html.escape(p['name'])}</code>: {html.escape(_parameter_text(p))}"
                      f"{' — ' + html.escape(p['description']) if p.get('description') else ''}</li>"
                      for p in op.get("parameters", [])]
            parts.append("</ul></section>")
    parts.append("</main></body></html>")
    return "".join(parts)


__all__ = ["create_app"]
