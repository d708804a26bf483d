"""How often an implied target (data/implied_targets.tsv) names the right country, per rule.

    PYTHONPATH=src .venv/bin/python scripts/implied_target_precision.py [corpus/train.jsonl corpus/dev.jsonl]

Each article is coded as the tool reads it; every event whose target is implied
(`context.implied_target`) is compared with the gold events of its sentence of the same type:
right (the gold target names the implied country), other (the gold target is another country),
untargeted (gold has no target) or unmatched (no gold event of that type there). Rows are
(type, source sector). Never run on corpus/test.jsonl: that split is held out.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from detente.evaluate import code_articles, load_articles
from detente.pipeline import Coder
from detente.settings import Settings


def outcome(event, gold_events) -> str:
    same = [g for g in gold_events if g.event_type == event.event_type]
    if not same:
        return "unmatched"
    countries = {a.country for g in same for a in g.target if a.country}
    if not any(g.target for g in same):
        return "untargeted"
    return "right" if event.target[0].country in countries else "other"


def main(paths: list[str]) -> int:
    coder = Coder.load(Settings().with_(min_confidence=0.0))
    tally: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for path in paths:
        for result in code_articles(load_articles(path), coder):
            for index, sentence in enumerate(result.article.sentences):
                for event in result.placed.get(index, []):
                    if event.confidence >= coder.settings.min_confidence and event.target \
                            and event.target[0].name.endswith("(implied)"):
                        sector = event.source[0].sector or "-"
                        tally[(event.event_type, sector)][outcome(event, sentence.events)] += 1
    print("type\tsource sector\tn\tright\tother\tuntargeted\tunmatched\tright share (of matched)")
    total = Counter()
    for (event_type, sector), c in sorted(tally.items()):
        matched = c["right"] + c["other"] + c["untargeted"]
        total.update(c)
        print(f"{event_type}\t{sector}\t{sum(c.values())}\t{c['right']}\t{c['other']}\t{c['untargeted']}\t{c['unmatched']}\t"
              f"{c['right'] / matched if matched else float('nan'):.2f}")
    matched = total["right"] + total["other"] + total["untargeted"]
    print(f"all\t\t{sum(total.values())}\t{total['right']}\t{total['other']}\t{total['untargeted']}\t{total['unmatched']}\t"
          f"{total['right'] / matched if matched else float('nan'):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["corpus/train.jsonl", "corpus/dev.jsonl"]))
