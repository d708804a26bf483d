"""classifier: a learned PLOVER type classifier over a sentence's words, actors masked.

The dependency parse says who did what to whom; where the verb lexicon has no entry for the
verb, or only a bare-lemma guess, this classifier says which PLOVER type the sentence reports.
It is a linear model (TF-IDF word 1–2-grams, logistic regression) trained by
scripts/train_type_model.py on sentences the project writes itself (training/), and shipped as
data/type_model.json: applying it needs only numpy.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from importlib import resources

import numpy as np

ACTOR_TOKEN = "ACTOR"
NONE_LABEL = "NONE"


def sentence_features(span, mentions) -> list[str]:
    """Lower-case lemmas with every actor mention replaced by one ACTOR token; no punctuation."""
    out: list[str] = []
    last_mention = None
    for tok in span:
        mention = mentions.get(tok.i)
        if mention is not None:
            if mention is not last_mention:
                out.append(ACTOR_TOKEN)
            last_mention = mention
            continue
        last_mention = None
        if tok.is_punct or tok.is_space:
            continue
        out.append(tok.lemma_.lower())
    return out


def ngrams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass
class TypeClassifier:
    classes: list[str]
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict

    @classmethod
    def load(cls, name: str = "data/type_model.json") -> "TypeClassifier":
        raw = json.loads(resources.files("detente").joinpath(name).read_text(encoding="utf-8"))
        return cls(raw["classes"], raw["vocab"], np.asarray(raw["idf"]), np.asarray(raw["coef"]),
                   np.asarray(raw["intercept"]), raw.get("meta", {}))

    def vector(self, words: list[str]) -> tuple[list[int], np.ndarray]:
        """The sentence's tf-idf vector, L2-normalised, as its non-zero (indices, values)."""
        found = [(idx, count) for term, count in Counter(ngrams(words)).items() if (idx := self.vocab.get(term)) is not None]
        indices = [idx for idx, _ in found]
        values = np.array([count for _, count in found], dtype=float) * self.idf[indices]
        norm = math.sqrt(float(values @ values))
        return indices, values / norm if norm else values

    def probabilities(self, words: list[str]) -> dict[str, float]:
        indices, values = self.vector(words)
        scores = self.coef[:, indices] @ values + self.intercept
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        return dict(zip(self.classes, probs.tolist()))
