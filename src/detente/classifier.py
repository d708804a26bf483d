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

    def vector(self, words: list[str]) -> np.ndarray:
        vec = np.zeros(len(self.vocab))
        for term, count in Counter(ngrams(words)).items():
            idx = self.vocab.get(term)
            if idx is not None:
                vec[idx] = count * self.idf[idx]
        norm = math.sqrt(float(vec @ vec))
        return vec / norm if norm else vec

    def probabilities(self, words: list[str]) -> dict[str, float]:
        scores = self.coef @ self.vector(words) + self.intercept
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        return dict(zip(self.classes, probs.tolist()))
