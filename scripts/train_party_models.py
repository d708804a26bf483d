"""Rebuild src/detente/data/source_model.npz and target_model.npz from the labelled corpus.

    .venv/bin/python scripts/train_party_models.py [--splits train dev] [--out-dir DIR] [--curve]

The learned coder codes every training article twice: first with neither party model, for the
source model; then with that source model, for the target model (which then sees the sources it
will see in use). Each event left without a source (or target) whose labelled sentence has a gold
event of its type gives one example per candidate country (detente.coder.parties.party_candidates):
positive when the gold event names that country on that side. An event whose gold leaves the side
empty teaches the model to leave it so. One L2 logistic regression per role (liblinear, seeded)
scores the candidates; the threshold is the lowest at which the top candidate of an event is right
at least MIN_PRECISION of the time, out of fold (FOLDS folds by article). The final weights are
fitted on everything. The test split is never read. Deterministic: the same corpus and shipped
sentence model give the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261207
C = 0.15  # out-of-fold recall at the precision floor: 0.15 > 0.5 > 1.5 (train split, --curve)
MIN_COUNT = 2
FOLDS = 5
# A party given should be the right one at least this often (out of fold).
MIN_PRECISION = 0.75
THRESHOLDS = np.round(np.arange(0.10, 0.91, 0.025), 3)


@dataclass
class Examples:
    """Candidates grouped by event: features, label, the event's group and fold, and whether
    the gold event has any party on the side the candidates could hit."""

    feats: list[tuple[str, ...]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    folds: list[int] = field(default_factory=list)
    gold_parties: list[bool] = field(default_factory=list)  # per group


class Recorder:
    """Stands in for a party model while coding: keeps each event's candidates, chooses none."""

    def __init__(self):
        self.seen = []

    def choose(self, event, candidates, *, filling=False):
        self.seen.append((event, candidates))
        return ()


def article_examples(examples: Examples, split: str, coder, role: str) -> None:
    from detente.corpus import SentenceAligner
    from detente.evaluate import load_articles
    from detente.types import RawDoc

    for article in load_articles(ROOT / "corpus" / f"{split}.jsonl"):
        recorder = Recorder()
        setattr(coder, f"{role}_model", recorder)
        coder.code_batch([RawDoc(id=article.id, input=article.id, text=article.text, published=article.published)])
        aligner = SentenceAligner(article)
        fold = zlib.crc32(article.id.encode()) % FOLDS
        for event, candidates in recorder.seen:
            gold = [g for g in article.sentences[aligner.index(event.sentence)].events if g.event_type == event.event_type]
            if not gold:
                continue  # an event of a type the sentence does not report has no right party
            parties = set().union(*(g.target_countries if role == "target" else g.source_countries for g in gold))
            group = len(examples.gold_parties)
            examples.gold_parties.append(bool(parties))
            for cand in candidates:
                examples.feats.append(cand.features)
                examples.labels.append(cand.country in parties)
                examples.group.append(group)
                examples.folds.append(fold)


def fit(examples: Examples, index, c: float):
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for i in index:
        for f in set(examples.feats[i]):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: n for n, f in enumerate(sorted(f for f, k in counts.items() if k >= MIN_COUNT))}

    def design(rows):
        r, cidx = [], []
        for n, i in enumerate(rows):
            cols = sorted({vocab[f] for f in examples.feats[i] if f in vocab})
            r += [n] * len(cols)
            cidx += cols
        return csr_matrix((np.ones(len(r), dtype=np.float32), (r, cidx)), shape=(len(rows), len(vocab)))

    y = np.array([examples.labels[i] for i in index])
    model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=2000).fit(design(list(index)), y)
    return vocab, model.coef_[0].astype(np.float32), float(model.intercept_[0]), lambda rows: model.predict_proba(design(rows))[:, 1]


def out_of_fold(examples: Examples, c: float) -> np.ndarray:
    probs = np.zeros(len(examples.feats))
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(examples.folds) if f != fold]
        held = [i for i, f in enumerate(examples.folds) if f == fold]
        if held:
            probs[held] = fit(examples, train, c)[3](held)
    return probs


def choices(examples: Examples, probs: np.ndarray) -> list[tuple[float, bool, bool]]:
    """Per event given a new party (not a role-named source's country): (top candidate's
    probability, whether it is right, whether gold has a party on that side)."""
    best: dict[int, tuple[float, bool]] = {}
    filling = {g for i, g in enumerate(examples.group) if "fill" in examples.feats[i]}
    for i, g in enumerate(examples.group):
        if g not in best or probs[i] > best[g][0]:
            best[g] = (probs[i], examples.labels[i])
    return [(*best.get(g, (0.0, False)), has) for g, has in enumerate(examples.gold_parties) if g not in filling]


def baseline(examples: Examples, pick) -> tuple[int, int]:
    """(right, given) when each event given a new party takes the first candidate `pick(features)` accepts, in
    candidate order (sentence mentions nearest the trigger first, then earlier sentences, then
    the story's most named)."""
    first: dict[int, bool] = {}
    for i, g in enumerate(examples.group):
        if g not in first and "fill" not in examples.feats[i] and pick(examples.feats[i]):
            first[g] = examples.labels[i]
    return sum(first.values()), len(first)


BASELINES = {
    "the country named nearest the trigger": lambda f: "sent" in f and "other_side" not in f,
    "the story's most named country": lambda f: ("rank:1" in f or "rank:2" in f) and "other_side" not in f,
}


def filling_comparison(examples: Examples, probs: np.ndarray, threshold: float) -> tuple[int, int, int]:
    """For role-named parties ("police"), whose country the party model picks: (events, right by
    the context rule alone — the place's country, else the sentence's —, right by the model with
    that rule as its fallback)."""
    groups: dict[int, list[int]] = {}
    for i, g in enumerate(examples.group):
        if "fill" in examples.feats[i]:
            groups.setdefault(g, []).append(i)
    by_rule = by_model = 0
    for rows in groups.values():
        rule = next((i for i in rows if "ctx:place" in examples.feats[i]), None)
        rule = rule if rule is not None else next((i for i in rows if "ctx:sentence" in examples.feats[i]), None)
        rule_right = rule is not None and examples.labels[rule]
        top = max(rows, key=lambda i: probs[i])
        by_rule += rule_right
        by_model += examples.labels[top] if probs[top] >= threshold else rule_right
    return len(groups), by_rule, by_model


def curve(chosen: list[tuple[float, bool, bool]], threshold: float) -> tuple[int, int, int]:
    """(right parties given, wrong parties given, events whose gold has a party on that side)."""
    right = sum(1 for p, ok, _ in chosen if p >= threshold and ok)
    wrong = sum(1 for p, ok, _ in chosen if p >= threshold and not ok)
    return right, wrong, sum(has for _, _, has in chosen)


def training_data_hash() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl",
                 ROOT / "src" / "detente" / "data" / "sentence_model.npz"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(role: str, coder, args) -> Path:
    from detente.coder.parties import PARTY_FEATURE_VERSION, model_file

    examples = Examples()
    for split in args.splits:
        article_examples(examples, split, coder, role)
    filling = {g for i, g in enumerate(examples.group) if "fill" in examples.feats[i]}
    wanted = sum(has for g, has in enumerate(examples.gold_parties) if g not in filling)
    print(f"{role}: {len(examples.gold_parties) - len(filling)} events of a gold type with no {role} ({wanted} with a "
          f"gold {role}), {len(filling)} with a role-named {role}; {len(examples.feats)} candidates, {sum(examples.labels)} right")
    for name, pick in BASELINES.items():
        right, given = baseline(examples, pick)
        print(f"  baseline, {name}: {right} of {given} given are right; {right} of {wanted} gold found")
    probs = out_of_fold(examples, args.c)
    chosen = choices(examples, probs)
    threshold = float(THRESHOLDS[-1])
    for t in THRESHOLDS:
        right, wrong, _ = curve(chosen, t)
        precision = right / (right + wrong) if right + wrong else 0.0
        if args.curve:
            print(f"  threshold {t:.3f}: given {right + wrong}, right {right} ({precision:.3f}), found {right / max(wanted, 1):.3f}")
        if precision >= MIN_PRECISION and t < threshold:
            threshold = float(t)
    fill_threshold = threshold
    if filling:  # the threshold over the context rule: where the model with it as fallback is right most
        fill_threshold = float(max(THRESHOLDS, key=lambda t: (filling_comparison(examples, probs, t)[2], t)))
        events, by_rule, by_model = filling_comparison(examples, probs, fill_threshold)
        print(f"  role-named {role}s: {events}; country right by the context rule {by_rule}, by the model "
              f"{by_model} (threshold {fill_threshold:.3f})")
    right, wrong, _ = curve(chosen, threshold)
    print(f"  model, threshold {threshold:.3f}: out of fold, {right} of {right + wrong} given are right; "
          f"{right} of {wanted} gold found")
    vocab, coef, intercept, _ = fit(examples, range(len(examples.feats)), args.c)
    meta = {"feature_version": PARTY_FEATURE_VERSION, "role": role, "training_data_sha256": training_data_hash(),
            "script": "scripts/train_party_models.py", "seed": SEED, "C": args.c, "folds": FOLDS,
            "splits": args.splits, "events": len(examples.gold_parties), "min_precision": MIN_PRECISION}
    out = args.out_dir / Path(model_file(role)).name
    np.savez_compressed(out, meta=np.array(json.dumps(meta, sort_keys=True)),
                        vocab=np.array(sorted(vocab, key=vocab.get)), coef=coef,
                        intercept=np.float32(intercept), threshold=np.float32(threshold),
                        fill_threshold=np.float32(fill_threshold))
    print(f"  wrote {out} ({out.stat().st_size / 1e3:.0f} kB; {len(vocab)} features)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=["train", "dev"])
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--curve", action="store_true", help="print the out-of-fold precision and recall per threshold")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "src" / "detente" / "data")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from detente.coder.model import SentenceModel
    from detente.coder.parties import PartyModel
    from detente.pipeline import Coder
    from detente.settings import Settings

    # The learned coder, loaded without the party models this script builds.
    coder = Coder.load(Settings(workers=1, coder="rules"))
    coder.sentence_model = SentenceModel.load()
    coder.source_model = PartyModel.load("source", build("source", coder, args))
    build("target", coder, args)


if __name__ == "__main__":
    main()
