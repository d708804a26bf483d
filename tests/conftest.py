import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"

# One gazetteer index per checkout, built on first use (never downloaded).
os.environ.setdefault("DETENTE_CACHE", str(ROOT / ".cache" / "detente"))


@pytest.fixture(scope="session")
def coder():
    from detente import Coder, Settings

    return Coder.load(Settings(workers=1))


@pytest.fixture(scope="session")
def nlp(coder):
    return coder.nlp


@pytest.fixture(scope="session")
def rules_coder(coder):
    """The rules alone (setting coder = "rules"): for tests of what the rules propose — the
    readings the learned layer chooses among — on texts where its choice is not the point."""
    from dataclasses import replace

    return replace(coder, settings=coder.settings.with_(coder="rules"), sentence_model=None, source_model=None,
                   target_model=None)


def _text_coder(coder):
    from datetime import date

    from detente.types import RawDoc

    def run(text: str, published: str | None = "2023-06-15"):
        raw = RawDoc(id="t", input="t.txt", text=text, published=date.fromisoformat(published) if published else None)
        return coder.code_batch([raw])[0]

    return run


@pytest.fixture()
def code_text(coder):
    """Code one article text (with an optional publication date) and return its events."""
    return _text_coder(coder)


@pytest.fixture()
def rules_code_text(rules_coder):
    """`code_text` with the rules alone."""
    return _text_coder(rules_coder)


def seed_paths():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return sorted(SEEDS.glob("*.txt"))


def write_corpus(folder, n: int, label: str):
    """n distinct article files made from the examples (each opens with its own numbered line)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    for i in range(n):
        (folder / f"{i:03}.txt").write_text(f"{label} {i}.\n\n" + texts[i % len(texts)])
    return folder
