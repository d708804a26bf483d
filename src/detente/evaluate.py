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

from .corpus import LabelledArticle, LabelledEvent, SentenceAligner, attach_texts, read_labels
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
    # dyad recall (hits, gold) of records whose gold has the same country on both sides, and of the rest
    domestic: tuple[int, int] = (0, 0)
    other: tuple[int, int] = (0, 0)

    def headline(self) -> str:
        return f"type recall {self.type_recall:.3f}; dyad recall {self.dyad_recall:.3f}; precision {self.precision:.3f}"

    def dyad_split(self) -> str:
        share = lambda hits, n: f"{hits / n:.3f} ({hits}/{n})" if n else "n/a"  # noqa: E731
        return f"dyad recall, domestic (same country on both sides) {share(*self.domestic)}; others {share(*self.other)}"


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
    split = Counter()
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
            kind = "domestic" if g.source and g.source == g.target else "other"
            split[kind] += 1
            split[f"{kind}_hits"] += dyad
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
        domestic=(split["domestic_hits"], split["domestic"]),
        other=(split["other_hits"], split["other"]),
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


# ---------------------------------------------------------------------------------------------
# Whole articles, sentence by sentence (corpus/, ../shared/eval/ANNOTATION.md)
#
# Each article's text is coded as the tool would read it; every emitted event is placed on the
# labelled sentence its own sentence overlaps most, and scored per (sentence, type):
# precision, recall and F1, dyad recall (type + source and target countries), the share of
# no-event sentences that get an event, factuality agreement and a calibration table.

CALIBRATION_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


@dataclass
class ArticleResult:
    article: LabelledArticle
    placed: dict[int, list[Event]]  # sentence index → events emitted on it
    errors: tuple[str, ...] = ()


@dataclass
class ArticleScores:
    precision: float
    recall: float
    f1: float
    dyad_recall: float
    spurious_rate: float
    factuality_agreement: float
    gold: int
    emitted: int
    sentences: int
    no_event_sentences: int
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, Counter] = field(default_factory=dict)
    calibration: list[dict] = field(default_factory=list)

    def headline(self) -> str:
        return (f"event (sentence, type) precision {self.precision:.3f}; recall {self.recall:.3f}; "
                f"F1 {self.f1:.3f}; dyad recall {self.dyad_recall:.3f}; events on no-event sentences "
                f"{self.spurious_rate:.3f}")


def is_article_corpus(path: str | Path) -> bool:
    """True when a JSONL file holds labelled article sentences rather than one-sentence gold records."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                return "sid" in json.loads(line)
    return False


def load_articles(path: str | Path, texts: str | Path | None = None) -> list[LabelledArticle]:
    """Labelled articles with their texts (default: the `articles/` folder beside the file);
    an article with no text file is coded from its labelled sentences, one paragraph each."""
    articles = attach_texts(read_labels(path), texts or Path(path).parent / "articles")
    for article in articles:
        if article.text is None:
            article.text = "\n\n".join(s.text for s in article.sentences)
    return articles


def place_events(article: LabelledArticle, events: tuple[Event, ...]) -> dict[int, list[Event]]:
    """Each event on the labelled sentence its own sentence belongs to (`SentenceAligner`)."""
    aligner = SentenceAligner(article)
    placed: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        placed[aligner.index(event.sentence)].append(event)
    return placed


def code_articles(articles: list[LabelledArticle], coder) -> list[ArticleResult]:
    raws = [RawDoc(id=a.id, input=a.id, text=a.text or "", published=a.published) for a in articles]
    results = []
    for start in range(0, len(raws), 16):
        for article, coded in zip(articles[start:start + 16], coder.code_batch(raws[start:start + 16])):
            events = coded.events if coded.ok else ()
            results.append(ArticleResult(article, place_events(article, events), tuple(coded.errors)))
    return results


def _gold_event(event: LabelledEvent) -> GoldEvent:
    return GoldEvent(event.event_type, event.source_countries, event.target_countries)


def score_articles(results: list[ArticleResult], min_confidence: float = 0.0) -> ArticleScores:
    counts: dict[str, Counter] = defaultdict(Counter)
    confusion: dict[str, Counter] = defaultdict(Counter)
    total = Counter()
    calibration = Counter()
    for res in results:
        for i, sentence in enumerate(res.article.sentences):
            events = [e for e in res.placed.get(i, []) if e.confidence >= min_confidence]
            gold_types = {g.event_type for g in sentence.events}
            best: dict[str, Event] = {}
            for e in events:
                if e.event_type not in best or e.confidence > best[e.event_type].confidence:
                    best[e.event_type] = e
            total["sentences"] += 1
            if not sentence.events:
                total["no_event"] += 1
                total["spurious_sentences"] += bool(best)
            for t, e in best.items():
                counts[t]["emitted"] += 1
                counts[t]["correct"] += t in gold_types
                bin_ = next(k for k in range(len(CALIBRATION_BINS) - 1) if e.confidence < CALIBRATION_BINS[k + 1])
                calibration[(bin_, "n")] += 1
                calibration[(bin_, "correct")] += t in gold_types
                calibration[(bin_, "confidence")] += e.confidence
            for t in gold_types:
                counts[t]["gold"] += 1
                counts[t]["hits"] += t in best
                if t in best:
                    confusion[t][t] += 1
                    golds = [g for g in sentence.events if g.event_type == t]
                    total["factuality_pairs"] += 1
                    total["factuality_agree"] += any(g.factuality == best[t].factuality for g in golds)
                else:
                    for other in (set(best) - gold_types) or {NONE}:
                        confusion[t][other] += 1
            for g in sentence.events:
                counts[g.event_type]["dyad_gold"] += 1
                counts[g.event_type]["dyad_hits"] += any(dyad_matches(_gold_event(g), e) for e in events)
    per_type = {t: _prf(c) for t, c in counts.items()}
    overall = _prf(sum(counts.values(), Counter()))
    return ArticleScores(
        precision=overall["precision"], recall=overall["recall"], f1=overall["f1"],
        dyad_recall=overall["dyad_recall"],
        spurious_rate=total["spurious_sentences"] / total["no_event"] if total["no_event"] else 0.0,
        factuality_agreement=total["factuality_agree"] / total["factuality_pairs"] if total["factuality_pairs"] else 0.0,
        gold=overall["gold"], emitted=overall["emitted"], sentences=total["sentences"],
        no_event_sentences=total["no_event"], per_type=per_type, confusion=dict(confusion),
        calibration=[
            {"confidence": f"{CALIBRATION_BINS[k]:.1f}-{min(CALIBRATION_BINS[k + 1], 1.0):.1f}",
             "emitted": calibration[(k, "n")],
             "mean_confidence": calibration[(k, "confidence")] / calibration[(k, "n")],
             "precision": calibration[(k, "correct")] / calibration[(k, "n")]}
            for k in range(len(CALIBRATION_BINS) - 1) if calibration[(k, "n")]
        ],
    )


def _prf(c: Counter) -> dict[str, float]:
    precision = c["correct"] / c["emitted"] if c["emitted"] else float("nan")
    recall = c["hits"] / c["gold"] if c["gold"] else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if c["emitted"] and c["gold"] and precision + recall else 0.0
    return {"gold": c["gold"], "emitted": c["emitted"], "precision": precision, "recall": recall, "f1": f1,
            "dyad_recall": c["dyad_hits"] / c["dyad_gold"] if c["dyad_gold"] else float("nan")}


def worst_sentences(results: list[ArticleResult], n: int, min_confidence: float = 0.0) -> list[dict]:
    """Sentences with the most missed and spurious (sentence, type) pairs."""
    rows = []
    for res in results:
        for i, sentence in enumerate(res.article.sentences):
            events = [e for e in res.placed.get(i, []) if e.confidence >= min_confidence]
            gold_types = {g.event_type for g in sentence.events}
            emitted = {e.event_type for e in events}
            badness = 2 * len(gold_types - emitted) + len(emitted - gold_types)
            if badness:
                rows.append({
                    "id": sentence.sid, "badness": badness, "sentence": sentence.text,
                    "gold": [_describe(g.event_type, g.source_countries, g.target_countries, g.factuality) for g in sentence.events],
                    "output": [_describe(e.event_type, [a.country or "?" for a in e.source],
                                         [a.country or "?" for a in e.target], f"{e.factuality}, {e.confidence:.2f}") for e in events],
                })
    rows.sort(key=lambda r: (-r["badness"], r["id"]))
    return rows[:n]


def _describe(event_type: str, source, target, note: str) -> str:
    return f"{event_type} {','.join(sorted(source)) or '-'}→{','.join(sorted(target)) or '-'} ({note})"


# The KB's sector codes where the annotation guide names the same thing otherwise.
GUIDE_SECTOR = {"COP": "POL", "SPY": "GOV", "REF": "CVL"}


def actor_scores(results: list[ArticleResult], min_confidence: float = 0.0) -> dict[str, float]:
    """How well events name their parties, on whole articles: the share of emitted events whose
    source has a country; where a found (sentence, type) has a gold target, the share of found
    events that have one; and, over the gold actors of found (sentence, type) pairs, the share
    whose country (and sector) the event gives the same side."""
    n = Counter()
    for res in results:
        for i, sentence in enumerate(res.article.sentences):
            events = [e for e in res.placed.get(i, []) if e.confidence >= min_confidence]
            n["emitted"] += len(events)
            n["source_country"] += sum(any(a.country for a in e.source) for e in events)
            for g in sentence.events:
                found = [e for e in events if e.event_type == g.event_type]
                if not found:
                    continue
                e = max(found, key=lambda x: x.confidence)
                if g.target:
                    n["gold_target"] += 1
                    n["has_target"] += bool(e.target)
                for gold_side, side in ((g.source, e.source), (g.target, e.target)):
                    for actor in gold_side:
                        if actor.country:
                            n["countries"] += 1
                            n["country_right"] += actor.country in {a.country for a in side}
                        if actor.sector:
                            n["sectors"] += 1
                            n["sector_right"] += actor.sector in {GUIDE_SECTOR.get(a.sector, a.sector) for a in side}
    share = lambda a, b: n[a] / n[b] if n[b] else float("nan")  # noqa: E731
    return {"events with a source country": share("source_country", "emitted"),
            "found events with a target where gold has one": share("has_target", "gold_target"),
            "gold actor countries given": share("country_right", "countries"),
            "gold actor sectors given": share("sector_right", "sectors")}
