"""evaluate: score the coder against gold event records (DESIGN.md §4).

Each gold record is one sentence with its gold events (PLOVER type, source/target country codes).
The record is coded like any article (with its publication date), then:

- type recall: share of gold events whose type is among the record's emitted events;
- dyad recall: share of gold events matched by an emitted event of the same type whose source
  and target countries include the gold ones (a side the gold leaves empty is not checked);
- precision: share of emitted events whose type is a gold type of their record.

Gold sets are for measuring only: nothing here learns from them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .types import PLOVER_TYPES, Event, RawDoc

NONE = "NONE"


@dataclass(frozen=True)
class GoldEvent:
    event_type: str
    source: frozenset[str]
    target: frozenset[str]


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    published: date | None
    gold: tuple[GoldEvent, ...]


@dataclass
class RecordResult:
    record: GoldRecord
    events: tuple[Event, ...]


@dataclass
class Scores:
    type_recall: float
    dyad_recall: float
    precision: float
    gold: int
    emitted: int
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, Counter] = field(default_factory=dict)

    def headline(self) -> str:
        return f"type recall {self.type_recall:.3f}; dyad recall {self.dyad_recall:.3f}; precision {self.precision:.3f}"


def load_gold(path: str | Path) -> list[GoldRecord]:
    records = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            gold = tuple(
                GoldEvent(
                    g["event_type"],
                    frozenset(a["code"] for a in g.get("source") or [] if a.get("code")),
                    frozenset(a["code"] for a in g.get("target") or [] if a.get("code")),
                )
                for g in raw["gold"]
            )
            published = date.fromisoformat(raw["published"]) if raw.get("published") else None
            records.append(GoldRecord(str(raw["id"]), raw["text"], published, gold))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{lineno}: not a gold record ({exc})") from exc
    return records


def code_records(records: list[GoldRecord], coder) -> list[RecordResult]:
    raws = [RawDoc(id=r.id, input=r.id, text=r.text, published=r.published) for r in records]
    results = []
    for start in range(0, len(raws), 64):
        for record, coded in zip(records[start:start + 64], coder.code_batch(raws[start:start + 64])):
            results.append(RecordResult(record, coded.events if coded.ok else ()))
    return results


def dyad_matches(gold: GoldEvent, event: Event) -> bool:
    if event.event_type != gold.event_type:
        return False
    src = {a.country for a in event.source}
    tgt = {a.country for a in event.target}
    # Collective acts ("Jordan and Britain agreed") may list a party on either side.
    both = src | tgt
    return (gold.source <= src or (not gold.target and gold.source <= both)) and gold.target <= (tgt or both)


def score(results: list[RecordResult], min_confidence: float = 0.0) -> Scores:
    gold_n = emitted_n = type_hits = dyad_hits = correct = 0
    per_type: dict[str, Counter] = defaultdict(Counter)
    confusion: dict[str, Counter] = defaultdict(Counter)
    for res in results:
        events = [e for e in res.events if e.confidence >= min_confidence]
        gold_types = {g.event_type for g in res.record.gold}
        emitted_types = [e.event_type for e in events]
        emitted_n += len(events)
        correct += sum(t in gold_types for t in emitted_types)
        for t in emitted_types:
            per_type[t]["emitted"] += 1
            per_type[t]["correct"] += t in gold_types
        for g in res.record.gold:
            gold_n += 1
            per_type[g.event_type]["gold"] += 1
            hit = g.event_type in emitted_types
            dyad = any(dyad_matches(g, e) for e in events)
            type_hits += hit
            dyad_hits += dyad
            per_type[g.event_type]["type_hits"] += hit
            per_type[g.event_type]["dyad_hits"] += dyad
            if hit:
                confusion[g.event_type][g.event_type] += 1
            else:
                for t in set(emitted_types) or {NONE}:
                    confusion[g.event_type][t] += 1
    table = {
        t: {
            "gold": c["gold"],
            "type_recall": c["type_hits"] / c["gold"] if c["gold"] else float("nan"),
            "dyad_recall": c["dyad_hits"] / c["gold"] if c["gold"] else float("nan"),
            "precision": c["correct"] / c["emitted"] if c["emitted"] else float("nan"),
            "emitted": c["emitted"],
        }
        for t, c in per_type.items()
    }
    return Scores(
        type_recall=type_hits / gold_n if gold_n else 0.0,
        dyad_recall=dyad_hits / gold_n if gold_n else 0.0,
        precision=correct / emitted_n if emitted_n else 0.0,
        gold=gold_n,
        emitted=emitted_n,
        per_type=table,
        confusion=dict(confusion),
    )


def worst_errors(results: list[RecordResult], n: int, min_confidence: float = 0.0) -> list[dict]:
    """Records with the most missed gold events and spurious emitted events."""
    rows = []
    for res in results:
        events = [e for e in res.events if e.confidence >= min_confidence]
        gold_types = {g.event_type for g in res.record.gold}
        missed = sum(g.event_type not in {e.event_type for e in events} for g in res.record.gold)
        spurious = sum(e.event_type not in gold_types for e in events)
        wrong_dyad = sum(not any(dyad_matches(g, e) for e in events) for g in res.record.gold)
        badness = 2 * missed + spurious + wrong_dyad
        if badness:
            rows.append({
                "id": res.record.id, "badness": badness, "sentence": res.record.text,
                "gold": [f"{g.event_type} {','.join(sorted(g.source)) or '-'}→{','.join(sorted(g.target)) or '-'}" for g in res.record.gold],
                "output": [f"{e.event_type} {','.join(a.country or '?' for a in e.source) or '-'}→{','.join(a.country or '?' for a in e.target) or '-'} ({e.factuality}, {e.confidence:.2f})" for e in events],
            })
    rows.sort(key=lambda r: (-r["badness"], r["id"]))
    return rows[:n]


def sweep(results: list[RecordResult], thresholds=None) -> list[tuple[float, Scores]]:
    thresholds = thresholds or [round(0.05 * i, 2) for i in range(0, 19)]
    return [(t, score(results, t)) for t in thresholds]


def confusion_types(scores: Scores) -> list[str]:
    seen = {t for row in scores.confusion.values() for t in row} | set(scores.confusion)
    return [t for t in (*PLOVER_TYPES, NONE) if t in seen]
