"""Check labelled corpus files and print their counts.

    python scripts/check_corpus.py corpus/test.jsonl [--texts corpus/articles]
    python scripts/check_corpus.py corpus/work/batch_a          # a folder of <id>.jsonl + <id>.txt
    python scripts/check_corpus.py --tables                      # the README's count tables of corpus/

Exit status 1 when any record or article breaks the format (each fault on its own line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from detente.corpus import CorpusFormatError, attach_texts, check_article, corpus_tables, read_labels, tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--tables", action="store_true", help="print corpus/README.md's count tables")
    parser.add_argument("--texts", type=Path, help="folder of <article>.txt (default: beside each file)")
    args = parser.parse_args()
    if args.tables:
        root = Path(__file__).resolve().parent.parent / "corpus"
        print(corpus_tables({name: attach_texts(read_labels(root / f"{name}.jsonl"), root / "articles")
                             for name in ("train", "dev", "test")}))
        return 0
    files = [f for p in args.paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]
    articles, faults = [], []
    for path in files:
        try:
            found = read_labels(path)
        except CorpusFormatError as exc:
            faults.append(str(exc))
            continue
        attach_texts(found, args.texts or path.parent)
        for article in found:
            faults.extend(check_article(article))
        articles.extend(found)
    counts = tally(articles)
    size = counts["size"]
    share = size["no-event sentences"] / max(size["sentences"], 1)
    print(f"{size['articles']} articles, {size['sentences']} sentences ({share:.0%} with no event), {size['events']} events")
    print("types:", " ".join(f"{t}={n}" for t, n in sorted(counts["type"].items(), key=lambda x: -x[1])))
    print("factuality:", " ".join(f"{t}={n}" for t, n in counts["factuality"].most_common()))
    print(f"countries: {len(counts['country'])}")
    for fault in faults:
        print("FAULT", fault, file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
