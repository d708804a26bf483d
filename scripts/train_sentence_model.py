"""Rebuild src/detente/data/sentence_model.npz from the labelled corpus (corpus/train.jsonl).

    .venv/bin/python scripts/train_sentence_model.py [--encoder sparse|tensor] [--compare]

The rule coder proposes candidates on every sentence of every training article; each sentence's
features (detente.coder.features) are paired with the PLOVER types its labelled sentence
carries; one L2 logistic regression per type is fitted (liblinear, seeded), and each type's two
decision thresholds (where the rules proposed the type, where they did not) are those that
maximise its F1 on corpus/dev.jsonl. The test split is never
read. --compare fits both encoders (sparse features alone; with spaCy's sentence tensor) and
prints their dev scores and coding speed. Deterministic: the same corpus gives the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261207
C = 0.5  # inverse L2 strength; chosen on the dev split among 0.25, 0.5, 1, 2 (re-run --compare)
MIN_COUNT = 2  # a feature seen in fewer training sentences is dropped
THRESHOLDS = np.round(np.arange(0.15, 0.86, 0.05), 2)
FALLBACK_THRESHOLD = 0.5  # for a type with too few dev sentences to tune on
MIN_DEV_POSITIVES = 5


def sentence_rows(split: str, coder) -> tuple:
    """Features, tensors, gold types and the rules' proposed types of every coder sentence of a
    corpus split; and its word count."""
    from detente.actors import ArticleContext
    from detente.coder.features import sentence_features
    from detente.coder.model import sentence_tensor
    from detente.corpus import SentenceAligner
    from detente.evaluate import load_articles
    from detente.types import RawDoc

    feats, dense, labels, proposed, words = [], [], [], [], 0
    for article in load_articles(ROOT / "corpus" / f"{split}.jsonl"):
        prepared = coder.prepare(RawDoc(id=article.id, input=article.id, text=article.text, published=article.published))
        doc = coder.nlp(prepared.text)
        words += len(doc)
        mentions = coder.finder.mentions(doc)
        aligner = SentenceAligner(article)
        for view in coder.propose(prepared, doc, mentions, ArticleContext()):
            gold = article.sentences[aligner.index(view.sent.text)]
            feats.append(sentence_features(view))
            dense.append(sentence_tensor(view.sent))
            labels.append({e.event_type for e in gold.events})
            proposed.append({c.event.event_type for c in view.candidates})
    return feats, dense, labels, proposed, words


def news_sentence_rows(coder) -> tuple:
    """The project's one-sentence event examples (training/news_sentences.tsv), each coded alone
    as a one-sentence article and labelled with its one type: they teach the model that a lone
    news sentence reporting an act is an event, as the labelled articles' leads do."""
    import csv

    from detente.actors import ArticleContext
    from detente.coder.features import sentence_features
    from detente.coder.model import sentence_tensor
    from detente.types import RawDoc

    lines = [l for l in (ROOT / "training" / "news_sentences.tsv").read_text(encoding="utf-8").splitlines()
             if l.strip() and not l.startswith("#")]
    feats, dense, labels, proposed, words = [], [], [], [], 0
    for n, (label, text) in enumerate(list(csv.reader(lines[1:], delimiter="\t"))):
        prepared = coder.prepare(RawDoc(id=f"s{n}", input=None, text=text))
        doc = coder.nlp(prepared.text)
        words += len(doc)
        for view in coder.propose(prepared, doc, coder.finder.mentions(doc), ArticleContext()):
            feats.append(sentence_features(view))
            dense.append(sentence_tensor(view.sent))
            labels.append({label})
            proposed.append({c.event.event_type for c in view.candidates})
    return feats, dense, labels, proposed, words


def design(feats, dense, vocab: dict[str, int], with_dense: bool):
    from scipy.sparse import csr_matrix, hstack

    rows, cols = [], []
    for r, names in enumerate(feats):
        for name in names:
            if name in vocab:
                rows.append(r)
                cols.append(vocab[name])
    X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(feats), len(vocab)))
    return hstack([X, csr_matrix(np.vstack(dense))]).tocsr() if with_dense else X


def fit(train, dev, classes, with_dense: bool, c: float = C):
    """Weights per type on train; per type two thresholds tuned on dev: one where the rules
    proposed the type in the sentence (keep), one where they did not (add)."""
    from collections import Counter

    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for names in train[0] for f in names)
    vocab = {name: i for i, name in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    X, Xd = design(train[0], train[1], vocab, with_dense), design(dev[0], dev[1], vocab, with_dense)
    coef, intercept, thresholds, dev_probs = [], [], [], []
    for t in classes:
        y = np.array([t in gold for gold in train[2]])
        model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000).fit(X, y)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
        probs = model.predict_proba(Xd)[:, 1]
        dev_probs.append(probs)
        gold = np.array([t in g for g in dev[2]])
        ruled = np.array([t in p for p in dev[3]])
        thresholds.append(best_thresholds(probs, gold, ruled))
    return vocab, np.array(coef, dtype=np.float32), np.array(intercept, dtype=np.float32), np.array(thresholds), np.array(dev_probs)


def decisions(probs: np.ndarray, ruled: np.ndarray, keep: float, add: float) -> np.ndarray:
    return np.where(ruled, probs >= keep, probs >= add)


def f1(predicted: np.ndarray, y: np.ndarray) -> float:
    tp = float((predicted & y).sum())
    return 2 * tp / (predicted.sum() + y.sum()) if predicted.sum() + y.sum() else 0.0


def best_thresholds(probs: np.ndarray, y: np.ndarray, ruled: np.ndarray) -> tuple[float, float]:
    """The (keep, add) pair with the best F1 on dev; too few dev positives: the fallback."""
    if y.sum() < MIN_DEV_POSITIVES:
        return FALLBACK_THRESHOLD, FALLBACK_THRESHOLD
    grid = [(k, a) for k in THRESHOLDS for a in THRESHOLDS if a >= k]
    scores = [f1(decisions(probs, ruled, k, a), y) for k, a in grid]
    return tuple(float(v) for v in grid[int(np.argmax(scores))])


def dev_f1(dev_probs: np.ndarray, thresholds: np.ndarray, classes, dev) -> float:
    tp = fp = fn = 0
    for k, t in enumerate(classes):
        y = np.array([t in g for g in dev[2]])
        ruled = np.array([t in p for p in dev[3]])
        predicted = decisions(dev_probs[k], ruled, *thresholds[k])
        tp += int((predicted & y).sum())
        fp += int((predicted & ~y).sum())
        fn += int((~predicted & y).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def corpus_hash() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl", ROOT / "training" / "news_sentences.tsv"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", choices=("sparse", "tensor"), default="sparse")
    parser.add_argument("--compare", action="store_true", help="fit both encoders and several C; write nothing")
    parser.add_argument("--articles-only", action="store_true", help="leave out training/news_sentences.tsv")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "detente" / "data" / "sentence_model.npz")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from detente.coder.features import FEATURE_VERSION
    from detente.pipeline import Coder
    from detente.settings import Settings
    from detente.types import PLOVER_TYPES

    coder = Coder.load(Settings(workers=1, coder="rules"))
    started = time.perf_counter()
    train = sentence_rows("train", coder)
    if not args.articles_only:
        train = tuple(a + b for a, b in zip(train, news_sentence_rows(coder)))
    dev = sentence_rows("dev", coder)
    rate = (train[4] + dev[4]) / (time.perf_counter() - started)
    classes = list(PLOVER_TYPES)
    print(f"train {len(train[0])} sentences, dev {len(dev[0])}; parse + rules + features {rate:,.0f} words/s")
    if args.compare:
        for encoder in ("sparse", "tensor"):
            for c in (0.25, 0.5, 1.0, 2.0):
                _, _, _, thresholds, probs = fit(train, dev, classes, encoder == "tensor", c)
                print(f"encoder {encoder:6} C={c:<4}: dev (sentence, type) F1 {dev_f1(probs, thresholds, classes, dev):.3f}")
        return
    vocab, coef, intercept, thresholds, probs = fit(train, dev, classes, args.encoder == "tensor")
    print(f"dev (sentence, type) F1 {dev_f1(probs, thresholds, classes, dev):.3f}; vocabulary {len(vocab)}")
    meta = {"feature_version": FEATURE_VERSION, "dense": "tensor" if args.encoder == "tensor" else None,
            "dense_dim": len(train[1][0]) if args.encoder == "tensor" else 0, "corpus_sha256": corpus_hash(),
            "script": "scripts/train_sentence_model.py", "seed": SEED, "C": C,
            "train_sentences": len(train[0]), "dev_sentences": len(dev[0]),
            "news_sentences": not args.articles_only}
    out = args.out
    np.savez_compressed(out, meta=np.array(json.dumps(meta, sort_keys=True)), classes=np.array(classes),
                        vocab=np.array(sorted(vocab, key=vocab.get)), coef=coef, intercept=intercept,
                        thresholds=thresholds.astype(np.float32))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB); thresholds "
          + " ".join(f"{t}={keep:.2f}/{add:.2f}" for t, (keep, add) in zip(classes, thresholds)))


if __name__ == "__main__":
    main()
