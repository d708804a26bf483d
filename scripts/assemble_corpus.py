"""Assemble the corpus from its writing batches (run once per batch; the output is committed).

    .venv/bin/python scripts/assemble_corpus.py corpus/work [OUT]   # OUT defaults to corpus/

Each batch folder holds <id>.txt (the article as read) and <id>.jsonl (its labelled sentences).
Batches named t* were written as the test split, in their own batch, before any model was trained;
the others are split by article into train and dev (every DEV_EVERY-th article of a batch is dev).
Writes corpus/{train,dev,test}.jsonl and corpus/articles/<id>.txt; a test split already in
place is never rewritten (the test split is frozen once written).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_EVERY = 6  # one article in six: about 16% of the training articles held out for tuning


def split_of(batch: str, article_id: str) -> str:
    if batch.startswith("t"):
        return "test"
    number = int("".join(ch for ch in article_id if ch.isdigit()) or 0)
    return "dev" if number % DEV_EVERY == 0 else "train"


def main(work: Path, corpus: Path = CORPUS) -> int:
    lines: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    (corpus / "articles").mkdir(parents=True, exist_ok=True)
    for batch in sorted(p for p in work.iterdir() if p.is_dir()):
        for labels in sorted(batch.glob("*.jsonl")):
            text = labels.with_suffix(".txt")
            if not text.exists():
                print(f"{labels}: no article text beside it; skipped", file=sys.stderr)
                continue
            lines[split_of(batch.name, labels.stem)].extend(
                l for l in labels.read_text(encoding="utf-8").splitlines() if l.strip())
            shutil.copyfile(text, corpus / "articles" / text.name)
    for split, rows in lines.items():
        out = corpus / f"{split}.jsonl"
        if split == "test" and out.exists():
            if out.read_text(encoding="utf-8").splitlines() != rows:
                print("corpus/test.jsonl exists and differs from the batches: left as it is", file=sys.stderr)
            continue
        out.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
        print(f"{out}: {len(rows)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / "work",
                  Path(sys.argv[2]) if len(sys.argv) > 2 else CORPUS))
