"""Rebuild src/detente/data/sentence_model.npz from the labelled corpus (train and dev splits).

    .venv/bin/python scripts/train_sentence_model.py [--encoder sparse|tensor] [--compare] [--out FILE]

The rule coder proposes candidates on every sentence of every training article; each sentence's
features (detente.coder.features) are paired with the PLOVER types its labelled sentence carries.
Beside them, the project's one-sentence event examples (training/news_sentences.tsv) are coded
alone. One L2 logistic regression per type is fitted (liblinear, seeded). Each type's two
decision thresholds — where the rules proposed the type in the sentence (keep their candidate),
where they did not (add one) — maximise its F1 on out-of-fold probabilities, calibrated (Platt
scaling, fitted on those same out-of-fold scores) so that a confidence of 0.7 is right about 70% of
the time: FOLDS folds by
article over train and dev, so every article sentence is scored by a model that never saw its
article. The final weights are fitted on everything. The test split is never read.

--compare prints the out-of-fold F1 of both encoders (sparse features alone; with spaCy's mean
sentence tensor) at several C, and writes nothing. Deterministic: the same data give the same file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261207
C = 0.5  # inverse L2 strength; out-of-fold F1 was best at 0.5 among 0.25, 0.5, 1, 2 (re-run --compare)
MIN_COUNT = 2  # a feature seen in fewer training sentences is dropped
FOLDS = 5
# From the shipped min_confidence (0.2) up: an event the model keeps below it would be dropped anyway.
THRESHOLDS = np.round(np.arange(0.20, 0.86, 0.05), 2)
# A type's thresholds are pulled towards the all-type pair in proportion to how few positives it
# has: (n·own + PRIOR_WEIGHT·shared) / (n + PRIOR_WEIGHT).
PRIOR_WEIGHT = 40


@dataclass
class Rows:
    """Sentences as the model sees them: features, tensors, gold types, the rules' proposed
    types, the fold of each, whether it is an article sentence (tuned on), and words parsed."""

    feats: list[list[str]] = field(default_factory=list)
    dense: list[np.ndarray] = field(default_factory=list)
    labels: list[set[str]] = field(default_factory=list)
    proposed: list[set[str]] = field(default_factory=list)
    folds: list[int] = field(default_factory=list)
    in_article: list[bool] = field(default_factory=list)
    words: int = 0

    def add(self, view, labels: set[str], fold: int, in_article: bool) -> None:
        from detente.coder.features import sentence_features
        from detente.coder.model import sentence_tensor

        self.feats.append(sentence_features(view))
        self.dense.append(sentence_tensor(view.sent))
        self.labels.append(labels)
        self.proposed.append({c.event.event_type for c in view.candidates})
        self.folds.append(fold)
        self.in_article.append(in_article)


def article_rows(rows: Rows, split: str, coder) -> None:
    """Every coder sentence of a corpus split, labelled with its labelled sentence's types."""
    from detente.actors import ArticleContext
    from detente.corpus import SentenceAligner
    from detente.evaluate import load_articles
    from detente.types import RawDoc

    for article in load_articles(ROOT / "corpus" / f"{split}.jsonl"):
        prepared = coder.prepare(RawDoc(id=article.id, input=article.id, text=article.text, published=article.published))
        doc = coder.nlp(prepared.text)
        rows.words += len(doc)
        aligner = SentenceAligner(article)
        fold = zlib.crc32(article.id.encode()) % FOLDS
        for view in coder.propose(prepared, doc, coder.finder.mentions(doc), ArticleContext()):
            gold = article.sentences[aligner.index(view.sent.text)]
            rows.add(view, {e.event_type for e in gold.events}, fold, True)


def news_sentence_rows(rows: Rows, coder) -> None:
    """The project's one-sentence event examples, each coded alone and labelled with its one
    type: they teach the model that a lone news sentence reporting an act is an event."""
    from detente.actors import ArticleContext
    from detente.types import RawDoc

    lines = [l for l in (ROOT / "training" / "news_sentences.tsv").read_text(encoding="utf-8").splitlines()
             if l.strip() and not l.startswith("#")]
    for n, (label, text) in enumerate(csv.reader(lines[1:], delimiter="\t")):
        prepared = coder.prepare(RawDoc(id=f"s{n}", input=None, text=text))
        doc = coder.nlp(prepared.text)
        rows.words += len(doc)
        for view in coder.propose(prepared, doc, coder.finder.mentions(doc), ArticleContext()):
            rows.add(view, {label}, n % FOLDS, False)


def design(rows: Rows, vocab: dict[str, int], with_dense: bool, index=None):
    from scipy.sparse import csr_matrix, hstack

    index = range(len(rows.feats)) if index is None else index
    r_idx, c_idx = [], []
    for r, i in enumerate(index):
        for name in rows.feats[i]:
            if name in vocab:
                r_idx.append(r)
                c_idx.append(vocab[name])
    X = csr_matrix((np.ones(len(r_idx), dtype=np.float32), (r_idx, c_idx)), shape=(len(index), len(vocab)))
    return hstack([X, csr_matrix(np.vstack([rows.dense[i] for i in index]))]).tocsr() if with_dense else X


def vocabulary(rows: Rows, index) -> dict[str, int]:
    counts = Counter(f for i in index for f in rows.feats[i])
    return {name: k for k, name in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}


def fit(rows: Rows, index, classes, with_dense: bool, c: float):
    """Weights per type on the rows in `index`: (vocabulary, coef, intercept, predict)."""
    from sklearn.linear_model import LogisticRegression

    vocab = vocabulary(rows, index)
    X = design(rows, vocab, with_dense, index)
    models = [LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000)
              .fit(X, np.array([t in rows.labels[i] for i in index])) for t in classes]

    def predict(other) -> np.ndarray:
        Xo = design(rows, vocab, with_dense, other)
        return np.array([m.predict_proba(Xo)[:, 1] for m in models])

    coef = np.array([m.coef_[0] for m in models], dtype=np.float32)
    intercept = np.array([m.intercept_[0] for m in models], dtype=np.float32)
    return vocab, coef, intercept, predict


def out_of_fold(rows: Rows, classes, with_dense: bool, c: float) -> np.ndarray:
    """classes × rows probabilities, each row scored by a model fitted without its fold."""
    probs = np.zeros((len(classes), len(rows.feats)))
    folds = np.array(rows.folds)
    for k in range(FOLDS):
        held = np.flatnonzero(folds == k)
        _, _, _, predict = fit(rows, np.flatnonzero(folds != k), classes, with_dense, c)
        probs[:, held] = predict(held)
    return probs


def platt(probs: np.ndarray, rows: Rows, classes) -> tuple[float, float]:
    """(a, b) of calibrated = sigmoid(a · logit(p) + b), fitted on the article rows' out-of-fold
    probabilities pooled over types: a linear model's scores are sharper than its hit rate."""
    from sklearn.linear_model import LogisticRegression

    tuned = np.array(rows.in_article)
    p = np.clip(probs[:, tuned].ravel(), 1e-6, 1 - 1e-6)
    y = np.array([[t in rows.labels[i] for i in range(len(rows.labels))] for t in classes])[:, tuned].ravel()
    model = LogisticRegression(C=1e6, solver="lbfgs").fit(np.log(p / (1 - p)).reshape(-1, 1), y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def decisions(probs: np.ndarray, ruled: np.ndarray, keep: float, add: float) -> np.ndarray:
    return np.where(ruled, probs >= keep, probs >= add)


def f1(predicted: np.ndarray, y: np.ndarray) -> float:
    tp = float((predicted & y).sum())
    return 2 * tp / (predicted.sum() + y.sum()) if predicted.sum() + y.sum() else 0.0


def best_pair(probs: np.ndarray, y: np.ndarray, ruled: np.ndarray) -> tuple[float, float]:
    grid = [(k, a) for k in THRESHOLDS for a in THRESHOLDS if a >= k]
    scores = [f1(decisions(probs, ruled, k, a), y) for k, a in grid]
    return grid[int(np.argmax(scores))]


def tuned_thresholds(probs: np.ndarray, rows: Rows, classes) -> np.ndarray:
    """Per type (keep, add) on the article rows' out-of-fold probabilities, shrunk towards the
    pair that is best over all types."""
    tuned = np.array(rows.in_article)
    gold = np.array([[t in rows.labels[i] for i in range(len(rows.labels))] for t in classes])[:, tuned]
    ruled = np.array([[t in rows.proposed[i] for i in range(len(rows.proposed))] for t in classes])[:, tuned]
    p = probs[:, tuned]
    shared = np.array(best_pair(p.ravel(), gold.ravel(), ruled.ravel()))
    out = []
    for k in range(len(classes)):
        n = gold[k].sum()
        own = np.array(best_pair(p[k], gold[k], ruled[k]))
        out.append(np.round((n * own + PRIOR_WEIGHT * shared) / (n + PRIOR_WEIGHT), 3))
    return np.array(out)


def scored_f1(probs: np.ndarray, thresholds: np.ndarray, rows: Rows, classes) -> float:
    """(sentence, type) F1 of the decisions on the article rows."""
    tuned = np.array(rows.in_article)
    tp = fp = fn = 0
    for k, t in enumerate(classes):
        y = np.array([t in g for g in rows.labels])[tuned]
        ruled = np.array([t in p for p in rows.proposed])[tuned]
        predicted = decisions(probs[k][tuned], ruled, *thresholds[k])
        tp += int((predicted & y).sum())
        fp += int((predicted & ~y).sum())
        fn += int((~predicted & y).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def training_data_hash() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl", ROOT / "training" / "news_sentences.tsv"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=("sparse", "tensor"), default="sparse")
    parser.add_argument("--c", type=float, default=C, help=f"inverse L2 strength (default {C}; for experiments)")
    parser.add_argument("--compare", action="store_true", help="out-of-fold F1 of both encoders at several C; write nothing")
    parser.add_argument("--splits", nargs="+", default=["train", "dev"],
                        help="corpus splits to train on (train alone leaves dev for trying the coder around the model)")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "detente" / "data" / "sentence_model.npz")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from detente.coder.features import FEATURE_VERSION
    from detente.coder.model import calibrated
    from detente.pipeline import Coder
    from detente.settings import Settings
    from detente.types import PLOVER_TYPES

    coder = Coder.load(Settings(workers=1, coder="rules"))
    started = time.perf_counter()
    rows = Rows()
    for split in args.splits:
        article_rows(rows, split, coder)
    news_sentence_rows(rows, coder)
    classes = list(PLOVER_TYPES)
    print(f"{sum(rows.in_article)} article sentences, {len(rows.feats) - sum(rows.in_article)} lone sentences; "
          f"parse + rules + features {rows.words / (time.perf_counter() - started):,.0f} words/s")
    if args.compare:
        for encoder in ("sparse", "tensor"):
            for c in (0.25, 0.5, 1.0, 2.0):
                probs = out_of_fold(rows, classes, encoder == "tensor", c)
                probs = calibrated(probs, *platt(probs, rows, classes))
                thresholds = tuned_thresholds(probs, rows, classes)
                print(f"encoder {encoder:6} C={c:<4}: out-of-fold (sentence, type) F1 {scored_f1(probs, thresholds, rows, classes):.3f}")
        return
    with_dense = args.encoder == "tensor"
    raw = out_of_fold(rows, classes, with_dense, args.c)
    calibration = platt(raw, rows, classes)
    probs = calibrated(raw, *calibration)
    thresholds = tuned_thresholds(probs, rows, classes)
    print(f"out-of-fold (sentence, type) F1 {scored_f1(probs, thresholds, rows, classes):.3f}")
    vocab, coef, intercept, _ = fit(rows, range(len(rows.feats)), classes, with_dense, args.c)
    meta = {"feature_version": FEATURE_VERSION, "dense": "tensor" if with_dense else None,
            "dense_dim": len(rows.dense[0]) if with_dense else 0, "training_data_sha256": training_data_hash(),
            "script": "scripts/train_sentence_model.py", "seed": SEED, "C": args.c, "folds": FOLDS,
            "sentences": len(rows.feats), "calibration": calibration}
    np.savez_compressed(args.out, meta=np.array(json.dumps(meta, sort_keys=True)), classes=np.array(classes),
                        vocab=np.array(sorted(vocab, key=vocab.get)), coef=coef, intercept=intercept,
                        thresholds=thresholds.astype(np.float32))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB; {len(vocab)} features); thresholds "
          + " ".join(f"{t}={keep:.2f}/{add:.2f}" for t, (keep, add) in zip(classes, thresholds)))


if __name__ == "__main__":
    main()
