"""The learned type classifier: its training data is the project's own and never the eval's."""

import hashlib
import importlib.util
import json
import re
from collections import Counter

import pytest

from conftest import ROOT
from detente.classifier import TypeClassifier
from detente.types import PLOVER_TYPES

EVAL_DIR = ROOT.parent / "shared" / "eval"


def _trainer():
    spec = importlib.util.spec_from_file_location("train_type_model", ROOT / "scripts" / "train_type_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grams(text: str, n: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_at_least_60_generated_examples_per_type_and_generation_is_deterministic():
    trainer = _trainer()
    examples = trainer.generate()
    counts = Counter(label for label, _ in examples)
    assert set(PLOVER_TYPES) <= set(counts)
    assert min(counts[t] for t in PLOVER_TYPES) >= 60
    assert examples == trainer.generate()


def test_no_training_example_shares_a_6_word_sequence_with_an_eval_sentence():
    gold_files = sorted(EVAL_DIR.glob("*.jsonl"))
    if not gold_files:
        pytest.skip("no eval sets beside this checkout")
    eval_grams = set()
    for path in gold_files:
        for line in path.read_text().splitlines():
            if line.strip():
                eval_grams |= _grams(json.loads(line)["text"])
    training_texts = [text for _, text in _trainer().generate() + _trainer().news_sentences()]
    for table in sorted((ROOT / "tests" / "data").glob("*.tsv")):
        training_texts += table.read_text(encoding="utf-8").splitlines()
    # The project's own test sentences are held to the same rule.
    for module in sorted((ROOT / "tests").glob("test_*.py")):
        training_texts += module.read_text(encoding="utf-8").splitlines()
    shared = [t for t in training_texts if _grams(t) & eval_grams]
    assert not shared, shared[:5]


def test_shipped_model_was_built_from_the_current_training_files():
    model = TypeClassifier.load()
    assert model.meta["training_sha1"] == hashlib.sha1(_trainer().training_sources()).hexdigest(), "run scripts/train_type_model.py"
    assert set(model.classes) == set(PLOVER_TYPES) | {"NONE"}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Algeria's foreign minister met his Moroccan counterpart in Rabat to discuss the border.", "CONSULT"),
        ("Chile sent tonnes of food and blankets to flood victims in Peru.", "AID"),
        ("Demonstrators marched through the capital against the new tax law.", "PROTEST"),
    ],
)
def test_classifier_generalises_to_unseen_sentences(coder, sentence, expected):
    from detente.classifier import sentence_features

    doc = coder.nlp(sentence)
    probs = coder.classifier.probabilities(sentence_features(doc[:], coder.finder.mentions(doc)))
    assert expected in sorted(probs, key=probs.get, reverse=True)[:3]
