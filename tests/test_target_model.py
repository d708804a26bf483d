"""The learned target choice: candidates, the shipped model, its loading errors and its effect."""

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from detente.coder.model import ModelFileError
from detente.coder.targets import TARGET_FEATURE_VERSION, TargetCandidate, TargetModel
from detente.types import Actor, RawDoc

ROOT = Path(__file__).resolve().parent.parent

PROPOSAL = """Beijing and Moscow float plan to pause Korean drills

BEIJING, March 3 (Harbour Wire) - China and Russia proposed on Friday a plan under which joint military drills on the Korean peninsula would be paused in exchange for a halt to missile tests.

The United States rejected the proposal on Saturday, saying it rewarded provocation."""


def _code(coder, text):
    return coder.code_batch([RawDoc(id="t", input="t.txt", text=text, published=date(2024, 3, 5))])[0].events


def test_an_act_on_what_the_sentence_before_reported_is_aimed_at_who_reported_it(coder):
    rejected = [e for e in _code(coder, PROPOSAL) if e.event_type == "REJECT"]
    assert len(rejected) == 1 and {a.country for a in rejected[0].source} == {"USA"}
    (target,) = rejected[0].target
    assert target.country in {"CHN", "RUS"} and target.name in {"China", "Russia"} and target.sector == "GOV"
    # Without the target model, the rules leave it untargeted: the model is what gives it one.
    bare = [e for e in _code(replace(coder, target_model=None), PROPOSAL) if e.event_type == "REJECT"]
    assert bare and not bare[0].target


def _model(tmp_path, threshold=0.5, **weights) -> TargetModel:
    path = tmp_path / "t.npz"
    np.savez(path, meta=np.array(json.dumps({"feature_version": TARGET_FEATURE_VERSION})),
             vocab=np.array(list(weights)), coef=np.array(list(weights.values()), dtype=np.float32),
             intercept=np.float32(0.0), threshold=np.float32(threshold))
    return TargetModel.load(path)


def test_the_model_gives_the_likeliest_candidate_only_above_its_threshold(tmp_path):
    model = _model(tmp_path, 0.7, **{"prev1": 2.0, "sent": 0.5})  # P = 0.88 and 0.62
    earlier = TargetCandidate("CHN", Actor("CHN", "GOV", "China"), ("bias", "prev1"))
    nearby = TargetCandidate("JPN", Actor("JPN", "GOV", "Japan"), ("bias", "sent"))
    assert model.choose(None, [nearby, earlier]) == (earlier.actor,)
    assert model.choose(None, [nearby]) == ()
    assert model.choose(None, []) == ()


def test_a_missing_or_corrupt_target_model_names_the_file_and_how_to_rebuild(tmp_path):
    with pytest.raises(ModelFileError, match=r"absent\.npz: the target model is missing.*train_target_model\.py"):
        TargetModel.load(tmp_path / "absent.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ModelFileError, match=r"broken\.npz: the target model is unreadable.*rebuild"):
        TargetModel.load(broken)
    with pytest.raises(ModelFileError, match="weights do not fit"):
        path = tmp_path / "bad.npz"
        np.savez(path, meta=np.array(json.dumps({"feature_version": TARGET_FEATURE_VERSION})),
                 vocab=np.array(["sent", "own"]), coef=np.zeros(3), intercept=np.float32(0), threshold=np.float32(.5))
        TargetModel.load(path)


def test_a_target_model_built_for_other_features_is_refused(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, meta=np.array(json.dumps({"feature_version": TARGET_FEATURE_VERSION + 1})),
             vocab=np.array(["sent"]), coef=np.zeros(1), intercept=np.float32(0), threshold=np.float32(.5))
    with pytest.raises(ModelFileError, match="feature version"):
        TargetModel.load(path)


def test_the_shipped_target_model_was_trained_on_the_corpus_and_sentence_model_in_the_repo():
    model = TargetModel.load()
    data = [ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl", ROOT / "src" / "detente" / "data" / "sentence_model.npz"]
    assert model.meta["training_data_sha256"] == hashlib.sha256(b"".join(p.read_bytes() for p in data)).hexdigest()[:16]
    assert model.meta["splits"] == ["train", "dev"] and 0.1 <= model.threshold <= 0.9


@pytest.mark.slow
def test_a_seeded_rebuild_gives_the_shipped_target_model(tmp_path):
    out = tmp_path / "rebuilt.npz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_target_model.py"), "--out", str(out)],
                   check=True, capture_output=True)
    shipped, rebuilt = TargetModel.load(), TargetModel.load(out)
    assert rebuilt.vocab == shipped.vocab and rebuilt.meta == shipped.meta and rebuilt.threshold == shipped.threshold
    assert np.allclose(rebuilt.coef, shipped.coef, atol=1e-5)
