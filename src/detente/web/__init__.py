"""web: the FastAPI dashboard over a read-only store.

    create_app(db_path) -> FastAPI

Every route parses and validates its parameters (a malformed one is a 422, never a 500), opens
the store read-only, calls one API function and returns JSON; the page itself is static HTML and
vendored JavaScript that puts all article text into the DOM as text, never as markup.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .. import analysis
from ..store import Store, StoreBusy, StoreError, open_store
from ..types import PLOVER_TYPES

MAX_PAGE = 500
Country = Annotated[str, Query(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code, or IGO/NGO")]
PloverType = Enum("PloverType", {t: t for t in PLOVER_TYPES}, type=str)


class Freq(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


def _public_event(row: dict) -> dict:
    keep = ("event_id", "event_type", "mode", "cameo", "quad_class", "goldstein", "event_date", "date_precision",
            "factuality", "confidence", "sentence", "url", "title", "outlet", "place_name", "place_country", "lat", "lon",
            "source", "target")
    out = {k: row.get(k) for k in keep}
    out["event_date"] = row["event_date"].isoformat() if row.get("event_date") else None
    return out


def create_app(db_path: str | Path, *, shared: Store | None = None) -> FastAPI:
    """The dashboard app. With `shared` (a store this process holds and also writes through, for
    `serve --watch`) each request reads through its own cursor of it instead of opening the file."""
    db_path = Path(db_path)
    app = FastAPI(title="detente", description="Political event data: dyad timelines, tension, alerts and evidence.",
                  version="0.1.0")
    static = resources.files("detente").joinpath("web/static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def store():
        if shared is not None:
            return shared.cursor(read_only=True)
        try:
            return open_store(db_path, read_only=True)
        except StoreBusy as exc:
            raise HTTPException(503, str(exc)) from None
        except StoreError as exc:
            raise HTTPException(500, str(exc)) from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index():
        return resources.files("detente").joinpath("web/templates/index.html").read_text(encoding="utf-8")

    @app.get("/api/dyads")
    def dyads(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20, offset: Annotated[int, Query(ge=0)] = 0,
              since: date | None = None):
        """The most active country pairs, with event clusters per QuadClass."""
        with store() as s:
            return {"dyads": s.dyad_counts(limit=limit, offset=offset, since=since), "limit": limit, "offset": offset}

    @app.get("/api/timeline")
    def timeline(a: Country, b: Country, freq: Freq = Freq.month, all: bool = False):
        """Per period: clusters per QuadClass, Goldstein, sources, tension; with the dyad's swing alerts."""
        with store() as s:
            rows = s.dyad_event_rows(a, b)
        periods = analysis.series_from_rows(rows, a, b, freq.value, include_all=all)
        alerts = analysis.swing_alerts(periods, f"{a}-{b}", rows, freq.value)
        return {"a": a, "b": b, "freq": freq.value, "periods": [p.to_json() for p in periods],
                "alerts": [al.to_json() for al in alerts]}

    @app.get("/api/events")
    def events(a: Country | None = None, b: Country | None = None, period: date | None = None, freq: Freq = Freq.month,
               type: PloverType | None = None, since: date | None = None, until: date | None = None,
               all: bool = False, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
               offset: Annotated[int, Query(ge=0)] = 0):
        """Events (both directions of a dyad), optionally of one period, with actors, place and source URL."""
        if (a is None) != (b is None):
            raise HTTPException(422, "give both a and b, or neither")
        if period is not None:
            since = analysis.period_start(period, freq.value)
            until = analysis.next_period(since, freq.value) - timedelta(days=1)
        with store() as s:
            rows = s.events(dyad=(a, b) if a else None, event_type=type.value if type else None, since=since,
                            until=until, limit=limit, offset=offset, include_uncounted=all)
        return {"events": [_public_event(r) for r in rows], "limit": limit, "offset": offset}

    @app.get("/api/alerts")
    def alerts(a: Country | None = None, b: Country | None = None, since: date | None = None, freq: Freq = Freq.month):
        """Swing alerts for a dyad, or for the most active dyads."""
        if (a is None) != (b is None):
            raise HTTPException(422, "give both a and b, or neither")
        with store() as s:
            found = analysis.alerts(s, dyad=(a, b) if a else None, since=since, freq=freq.value)
        return {"alerts": [al.to_json() for al in found]}

    @app.get("/api/graph")
    def graph(since: date | None = None, until: date | None = None):
        """The actor graph as node-link JSON: edges weighted per QuadClass."""
        import networkx as nx

        with store() as s:
            g = analysis.actor_graph(s, since=since, until=until)
        return nx.node_link_data(g, edges="links")

    return app


__all__ = ["create_app"]
