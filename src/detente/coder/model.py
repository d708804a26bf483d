"""model: the shipped sentence model (data/sentence_model.npz), loaded once and checked.

One logistic regression per PLOVER type over the features of `features.py` (and, when the
model was trained with them, the sentence's mean spaCy tensor), with two decision thresholds per
type tuned on the corpus dev split: one for a type the rules proposed in the sentence (keeping
their candidate), one for a type they did not (adding an event of the model's own). Built by scripts/train_sentence_model.py; applying it needs
only numpy. The file's header records the feature version, the training data's hash, the
script and the seed; a missing, corrupt or mismatched file is one clear error saying how to
rebuild it.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .features import FEATURE_VERSION

MODEL_FILE = "data/sentence_model.npz"
REBUILD = ".venv/bin/python scripts/train_sentence_model.py"


class ModelFileError(RuntimeError):
    """A shipped model file is missing, unreadable or built for other features."""


@dataclass(frozen=True)
class SentenceModel:
    classes: tuple[str, ...]
    vocab: dict[str, int]
    coef: np.ndarray  # classes × (vocab + dense)
    intercept: np.ndarray
    thresholds: np.ndarray  # classes × (keep, add)
    meta: dict

    @property
    def dense(self) -> str | None:
        return self.meta.get("dense")

    @classmethod
    def load(cls, path: str | Path | None = None) -> "SentenceModel":
        where = Path(path) if path else Path(str(resources.files("detente").joinpath(MODEL_FILE)))
        model = load_model_file(where, "sentence model", REBUILD, FEATURE_VERSION, lambda npz, meta: cls(
            tuple(npz["classes"].tolist()), {name: i for i, name in enumerate(npz["vocab"].tolist())},
            npz["coef"].astype(np.float32), npz["intercept"].astype(np.float32), npz["thresholds"].astype(np.float32), meta))
        if model.coef.shape != (len(model.classes), len(model.vocab) + model.meta.get("dense_dim", 0)) \
                or model.thresholds.shape != (len(model.classes), 2):
            raise ModelFileError(f"{where}: weights do not fit the vocabulary; rebuild it with {REBUILD}")
        return model

    def probabilities(self, features: list[str], dense: np.ndarray | None = None) -> np.ndarray:
        """P(the sentence reports type t) for every class, in `classes` order."""
        idx = [self.vocab[f] for f in features if f in self.vocab]
        scores = self.coef[:, idx].sum(axis=1) + self.intercept
        if dense is not None and self.meta.get("dense_dim"):
            scores = scores + self.coef[:, len(self.vocab):] @ dense
        return calibrated(1.0 / (1.0 + np.exp(-scores)), *self.meta.get("calibration", (1.0, 0.0)))

    def types(self, probabilities: np.ndarray, proposed: set[str] | frozenset[str], *, lone: bool = False) -> dict[str, float]:
        """The types at or above their threshold (the keep threshold for a type the rules
        `proposed`, the add threshold for another), with their probability. A `lone` sentence
        (a one-sentence document) has none of the article context the model's veto learned
        from (what the headline reported, where a sentence stands in its story): there the
        rules' types are all kept, and the model adds one only where the rules found nothing.
        (Measured on the project's one-sentence coding cases: vetoing there lost events the
        rules had right; adding beside the rules' own types cost precision.)"""
        return {t: float(p) for t, p, (keep, add) in zip(self.classes, probabilities, self.thresholds)
                if (t in proposed and (lone or p >= keep)) or (t not in proposed and p >= add and not (lone and proposed))}


def load_model_file(where: Path, what: str, rebuild: str, feature_version: int, build):
    """`build(arrays, meta)` over a model file's arrays and JSON header, or one ModelFileError
    naming the file, what is wrong and the command that rebuilds it."""
    try:
        with np.load(where, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            model = build(npz, meta)
    except FileNotFoundError:
        raise ModelFileError(f"{where}: the {what} is missing; rebuild it with {rebuild}") from None
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{where}: the {what} is unreadable ({exc}); rebuild it with {rebuild}") from None
    if meta.get("feature_version") != feature_version:
        raise ModelFileError(f"{where}: built for feature version {meta.get('feature_version')}, the code has "
                             f"{feature_version}; rebuild it with {rebuild}")
    return model


def calibrated(probabilities: np.ndarray, a: float, b: float) -> np.ndarray:
    """Platt scaling: sigmoid(a · logit(p) + b), fitted by the training script on out-of-fold
    scores (a = 1, b = 0 leaves p as it is)."""
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    return 1.0 / (1.0 + np.exp(-(a * np.log(p / (1 - p)) + b)))


def sentence_tensor(sent) -> np.ndarray:
    """The mean of spaCy's contextual token vectors over a sentence (the 'tensor' encoder)."""
    tensor = sent.doc.tensor
    if tensor is None or not len(tensor):
        return np.zeros(0, dtype=np.float32)
    rows = tensor[sent.start:sent.end]
    return rows.mean(axis=0).astype(np.float32) if len(rows) else np.zeros(tensor.shape[1], dtype=np.float32)
