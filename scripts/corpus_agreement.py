"""Agreement between two independent labellings of the same corpus sentences.

    .venv/bin/python scripts/corpus_agreement.py corpus/test.jsonl corpus/second/test_second.jsonl [--list]

Prints event/no-event agreement and kappa, (sentence, type) F1, dyad and factuality agreement on
the shared pairs; --list prints each sentence the two disagree on, with both labels.
"""

from __future__ import annotations

import argparse

from detente.corpus import agreement, disagreements, read_labels


def _labels(sentence) -> str:
    return "; ".join(f"{e.event_type} {','.join(sorted(e.source_countries)) or '-'}→{','.join(sorted(e.target_countries)) or '-'} "
                     f"({e.factuality}, '{e.trigger}')" for e in sentence.events) or "(none)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first")
    parser.add_argument("second")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    second = read_labels(args.second)
    ids = {a.id for a in second}
    first = [a for a in read_labels(args.first) if a.id in ids]
    for key, value in agreement(first, second).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    if args.list:
        for mine, theirs in disagreements(first, second):
            print(f"\n{mine.sid}: {mine.text}\n  first:  {_labels(mine)}\n  second: {_labels(theirs)}")


if __name__ == "__main__":
    main()
