"""analysis: how a pair of countries moves between conflict and cooperation.

Pure aggregation over rows read from the store: per-period series with deduplicated event
clusters, a tension index, swing alerts from change-point detection, and an actor graph.

Tension index, per period, in [-1, 1] (positive = conflict):

    tension = Σ w·(−goldstein/10) / Σ w      over the period's event clusters, both directions
    w       = confidence × FACTUALITY_WEIGHT[factuality]

A cluster is one real-world event (same dyad, type, day and place) however many articles report
it; its Goldstein is the mean of its reports, its weight the largest. Periods with fewer than
MIN_CLUSTERS clusters are marked `sparse` and get no tension (None) rather than a guess; the
smoothed line is an exponentially weighted mean over the non-sparse periods.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import Enum

# Denied and negated acts did not happen: they do not count unless asked for (`include_all`).
# Claims count with their confidence, discounted for being one party's word or a promise.
FACTUALITY_WEIGHT = {"asserted": 1.0, "reported": 0.8, "alleged": 0.6, "intent": 0.5, "conditional": 0.5,
                     "denied": 0.0, "negated": 0.0}
# Fewer clusters than this in a period: too few to say how tense it was.
MIN_CLUSTERS = 2
# Exponential smoothing weight of the newest period (0.5 halves the weight of each older one).
SMOOTHING_ALPHA = 0.5
# Change-point detection (ruptures PELT, l2 cost) over the non-sparse tension values, chosen over a
# rolling z-score because news series are short and a z-score needs a long quiet history first.
# Calibrated on synthetic 12-period series (tests/test_analysis.py): a 0.6 break under noise
# σ=0.1 was found 200/200 times, pure noise alerted 0/200 times.
CHANGE_PENALTY = 0.2
MIN_SEGMENT = 2
MIN_SWING = 0.25
EVIDENCE_PER_ALERT = 3


class Freq(str, Enum):
    """The periods a timeline is counted in (the CLI's and the web app's one list)."""

    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


# The finest period an event of each date precision can be placed in: a week-precision event
# (the publication date of an article with no time expression) is no event of a given day.
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
FREQ_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 2, "year": 3}


def period_start(day: date, freq: str) -> date:
    if freq == "day":
        return day
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if freq == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"freq must be one of {', '.join(f.value for f in Freq)}, not {freq!r}")


def event_weight(row: dict, include_all: bool = False) -> float:
    factor = 1.0 if include_all else FACTUALITY_WEIGHT.get(row["factuality"], 1.0)
    return float(row["confidence"]) * factor


@dataclass
class Cluster:
    cluster_id: str
    event_type: str
    quad_class: int
    goldstein: float
    weight: float
    articles: set = field(default_factory=set)
    sources: set = field(default_factory=set)
    event_ids: list = field(default_factory=list)


@dataclass
class Period:
    period: date
    direction: str  # "A->B", "B->A" or "both"
    clusters: int = 0
    events: int = 0
    q1: int = 0
    q2: int = 0
    q3: int = 0
    q4: int = 0
    goldstein_mean: float | None = None
    goldstein_sum: float = 0.0
    num_articles: int = 0
    num_sources: int = 0
    tension: float | None = None
    tension_smoothed: float | None = None
    sparse: bool = True

    def to_json(self) -> dict:
        out = asdict(self)
        out["period"] = self.period.isoformat()
        return out


def cluster_rows(rows: list[dict], include_all: bool = False) -> list[Cluster]:
    """Event rows (one per event and direction) → one Cluster per real-world event."""
    clusters: dict[str, Cluster] = {}
    goldsteins: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        key = row["cluster_id"]
        c = clusters.get(key)
        if c is None:
            c = clusters[key] = Cluster(key, row["event_type"], row["quad_class"], 0.0, 0.0)
        if row["event_id"] not in c.event_ids:
            c.event_ids.append(row["event_id"])
            goldsteins[key].append(float(row["goldstein"]))
        c.weight = max(c.weight, event_weight(row, include_all))
        c.articles.add(row["article_id"])
        c.sources.add(row.get("outlet") or row["article_id"])
    for key, c in clusters.items():
        c.goldstein = sum(goldsteins[key]) / len(goldsteins[key])
    return list(clusters.values())


def summarize(period: date, direction: str, rows: list[dict], include_all: bool = False) -> Period:
    clusters = [c for c in cluster_rows(rows, include_all) if c.weight > 0]
    p = Period(period, direction, clusters=len(clusters), events=len({r["event_id"] for r in rows}))
    for c in clusters:
        setattr(p, f"q{c.quad_class}", getattr(p, f"q{c.quad_class}") + 1)
    if clusters:
        p.goldstein_mean = round(sum(c.goldstein for c in clusters) / len(clusters), 3)
        p.goldstein_sum = round(sum(c.goldstein for c in clusters), 3)
        p.num_articles = len(set().union(*(c.articles for c in clusters)))
        p.num_sources = len(set().union(*(c.sources for c in clusters)))
        total = sum(c.weight for c in clusters)
        p.sparse = len(clusters) < MIN_CLUSTERS
        if not p.sparse and total > 0:
            p.tension = round(sum(c.weight * -c.goldstein / 10 for c in clusters) / total, 3)
    return p


def placeable(row: dict, freq: str) -> bool:
    """An event dated only to the year ("since 2015") cannot be placed in a month: left out."""
    if row["event_date"] is None:
        return False
    return PRECISION_RANK.get(row.get("date_precision") or "day", 0) <= FREQ_RANK[freq]


def left_out(rows: list[dict], freq: str) -> dict[str, int]:
    """How many events a series at `freq` leaves out, by their date precision ('none' when undated)."""
    counts = Counter((row.get("date_precision") or "none") for row in {r["event_id"]: r for r in rows}.values()
                     if not placeable(row, freq))
    return dict(sorted(counts.items()))


def series_from_rows(rows: list[dict], a: str, b: str, freq: str = "month", include_all: bool = False) -> list[Period]:
    """Per period: one row per direction (A->B, B->A) and a combined 'both' row with the tension."""
    by_key: dict[tuple[date, str], list[dict]] = defaultdict(list)
    for row in rows:
        if not placeable(row, freq):
            continue
        start = period_start(row["event_date"], freq)
        by_key[(start, f"{row['src']}->{row['tgt']}")].append(row)
        by_key[(start, "both")].append(row)
    periods = sorted({k[0] for k in by_key})
    if periods:
        periods = full_range(periods[0], periods[-1], freq)
    out: list[Period] = []
    smoothed = None
    for start in periods:
        for direction in (f"{a}->{b}", f"{b}->{a}", "both"):
            p = summarize(start, direction, by_key.get((start, direction), []), include_all)
            if direction == "both":
                if p.tension is not None:
                    smoothed = p.tension if smoothed is None else SMOOTHING_ALPHA * p.tension + (1 - SMOOTHING_ALPHA) * smoothed
                p.tension_smoothed = round(smoothed, 3) if smoothed is not None else None
            out.append(p)
    return out


def next_period(start: date, freq: str) -> date:
    if freq == "day":
        return start + timedelta(days=1)
    if freq == "week":
        return start + timedelta(days=7)
    if freq == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if freq == "quarter":
        return (start.replace(day=28) + timedelta(days=63)).replace(day=1)
    return start.replace(year=start.year + 1)


def full_range(first: date, last: date, freq: str) -> list[date]:
    """Every period from first to last, so quiet periods show as empty rather than vanish."""
    out, cur = [], first
    while cur <= last:
        out.append(cur)
        cur = next_period(cur, freq)
    return out


# --- swing alerts ---------------------------------------------------------------------------


@dataclass
class Alert:
    dyad: str
    period: date
    direction: str  # "toward conflict" | "toward cooperation"
    size: float  # mean tension after the change minus before
    before: float
    after: float
    evidence: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        out = asdict(self)
        out["period"] = self.period.isoformat()
        return out


def change_points(values: list[float], penalty: float = CHANGE_PENALTY, min_size: int = MIN_SEGMENT) -> list[int]:
    """Indices where a new regime starts (PELT with an l2 cost, ruptures)."""
    import numpy as np  # noqa: PLC0415 - ruptures and numpy take 0.7 s to import: only when a series is cut
    import ruptures  # noqa: PLC0415

    if len(values) < 2 * min_size:
        return []
    algo = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(np.asarray(values, dtype=float).reshape(-1, 1))
    return [i for i in algo.predict(pen=penalty) if i < len(values)]


def swing_alerts(periods: list[Period], dyad: str, rows: list[dict] | None = None, freq: str = "month") -> list[Alert]:
    """Changes of regime in a dyad's tension series, each with its size and evidence events."""
    points = [p for p in periods if p.direction == "both" and p.tension is not None]
    values = [p.tension for p in points]
    alerts = []
    bounds = [0, *change_points(values), len(values)]
    for k in range(1, len(bounds) - 1):
        before = values[bounds[k - 1]: bounds[k]]
        after = values[bounds[k]: bounds[k + 1]]
        mean_before, mean_after = sum(before) / len(before), sum(after) / len(after)
        size = mean_after - mean_before
        if abs(size) < MIN_SWING:
            continue
        start = points[bounds[k]].period
        alert = Alert(dyad, start, "toward conflict" if size > 0 else "toward cooperation", round(size, 3),
                      round(mean_before, 3), round(mean_after, 3))
        if rows:
            alert.evidence = evidence_for(rows, start, freq, conflict=size > 0)
        alerts.append(alert)
    return alerts


def evidence_for(rows: list[dict], start: date, freq: str, *, conflict: bool) -> list[dict]:
    """The events of a period that weigh most in the direction of the swing."""
    chosen = [r for r in rows if r["event_date"] and period_start(r["event_date"], freq) == start and event_weight(r) > 0]
    sign = -1 if conflict else 1
    chosen.sort(key=lambda r: sign * float(r["goldstein"]) * event_weight(r))
    seen, out = set(), []
    for r in chosen:
        if r["event_id"] in seen:
            continue
        seen.add(r["event_id"])
        out.append({k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()
                    if k in ("event_id", "event_type", "src", "tgt", "event_date", "goldstein", "factuality", "confidence", "sentence", "url")})
        if len(out) == EVIDENCE_PER_ALERT:
            break
    return out


def alerts(store, *, dyad: tuple[str, str] | None = None, since: date | None = None, freq: str = "month",
           top: int = 10) -> list[Alert]:
    """Swing alerts for one dyad, or for the most active dyads."""
    pairs = [dyad] if dyad else [(d["a"], d["b"]) for d in store.dyad_counts(limit=top)]
    out = []
    for a, b in pairs:
        rows = store.dyad_event_rows(a, b)
        for alert in swing_alerts(series_from_rows(rows, a, b, freq), f"{a}-{b}", rows, freq):
            if since is None or alert.period >= since:
                out.append(alert)
    return sorted(out, key=lambda al: (al.period, al.dyad))


# --- actor graph ----------------------------------------------------------------------------


def actor_graph(rows: list[dict]):
    """Directed graph of actor codes from the store's graph rows; each edge carries event counts
    per QuadClass and mean Goldstein."""
    import networkx as nx  # noqa: PLC0415 - a slow import, needed by the graph commands only

    graph = nx.DiGraph()
    for row in rows:
        src, tgt = row["src"], row["tgt"]
        for node in (src, tgt):
            if node not in graph:
                graph.add_node(node, label=node)
        graph.add_edge(src, tgt, weight=int(row["events"]), q1=int(row["q1"]), q2=int(row["q2"]),
                       q3=int(row["q3"]), q4=int(row["q4"]), goldstein_mean=float(row["goldstein_mean"]))
    return graph


def write_graph(graph, out, fmt: str) -> None:
    import networkx as nx  # noqa: PLC0415 - see actor_graph

    if fmt == "graphml":
        nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    elif fmt == "json":
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(nx.node_link_data(graph, edges="links"), fh, indent=1)
    else:
        raise ValueError(f"graph format must be graphml, gexf or json, not {fmt!r}")
