"""Place precision on the labelled corpus: how often the place detente gives an event is right.

    PYTHONPATH=src .venv/bin/python scripts/place_precision.py [corpus/dev.jsonl corpus/train.jsonl] [--show N]

Each article is coded as the tool reads it (`evaluate.code_articles`); an emitted event is scored
when a gold event of its sentence has its type. Reported per file:
- precision: of the scored events that carry a place, the share whose place is right — same
  country and same name (or an alias the gazetteer files under the same id), or, for a gold
  first-level unit or region, the same unit named;
- actor words: of the places emitted, the share whose name is an actor of the sentence (a gold
  source or target named by it), a person or group of the actor KB, or a seat that is no sizeable
  town of its country ("Congress", "the White House"); the script runs on older versions of
  detente too, for before/after figures;
- coverage: of the scored events whose gold event has a place, the share given the right one.
Never run on corpus/test.jsonl: that split is held out.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from detente.actors import fold
from detente.corpus import LabelledEvent
from detente.evaluate import code_articles, load_articles
from detente.pipeline import Coder
from detente.types import Event, Place

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = (ROOT / "corpus" / "dev.jsonl", ROOT / "corpus" / "train.jsonl")
SEAT_TOWN_POPULATION = 30_000  # a seat named as a town this large is a place ("in Moscow"), as geo reads it


@dataclass
class Tally:
    scored: int = 0
    placed: int = 0
    right: int = 0
    actor_words: int = 0
    gold_placed: int = 0
    covered: int = 0
    wrong: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        share = lambda a, b: f"{a / b:.3f}" if b else "n/a"  # noqa: E731
        return (f"{name}: {self.scored} scored events, {self.placed} with a place; precision "
                f"{share(self.right, self.placed)} ({self.right}/{self.placed}); actor words "
                f"{share(self.actor_words, self.placed)} ({self.actor_words}); coverage "
                f"{share(self.covered, self.gold_placed)} ({self.covered}/{self.gold_placed})")


def bare(name: str) -> str:
    folded = fold(name)
    return folded[4:] if folded.startswith("the ") else folded


def is_right(place: Place, gold: dict | None, gazetteer) -> bool:
    if gold is None or (gold.get("country") and place.country != gold["country"]):
        return False
    if bare(gold["name"]) in {bare(place.name), bare(place.admin1 or "")}:
        return True
    # An alias of the same entry ("Derik" is Al-Malikiyah)
    return place.geonameid is not None and any(r[0] == place.geonameid for r in gazetteer.candidates(gold["name"]))


def is_actor_word(place: Place, gold_events: list[LabelledEvent], coder: Coder) -> bool:
    """A place named as an actor of its sentence (a gold source or target is called by it: "Juba
    cries foul"), a person or group of the actor KB, or a seat that is no town of its country of
    SEAT_TOWN_POPULATION people ("Congress", "the White House", "the Kremlin"; not "in Moscow")."""
    names = {bare(a.name) for g in gold_events for a in (*g.source, *g.target)}
    gold_places = {bare(g.place["name"]) for g in gold_events if g.place}
    name = bare(place.name)
    if name in gold_places:
        return False
    entries = coder.finder.kb.lookup(place.name)
    seats = {e.country for e in entries if e.kind == "seat"}
    # (candidates are (geonameid, name, country, admin1, lat, lon, population, ...) rows)
    towns = {r[2] for r in coder.gazetteer.candidates(place.name) if r[6] >= SEAT_TOWN_POPULATION}
    return name in names or any(e.kind in ("person", "group") for e in entries) or bool(seats and not seats & towns)


def tally(results, coder: Coder, show: int) -> Tally:
    t = Tally()
    for res in results:
        for i, sentence in enumerate(res.article.sentences):
            for event in res.placed.get(i, []):
                golds = [g for g in sentence.events if g.event_type == event.event_type]
                if golds:
                    score_event(t, event, golds, list(sentence.events), coder, show)
    return t


def score_event(t: Tally, event: Event, golds: list[LabelledEvent], all_gold: list[LabelledEvent], coder: Coder,
                show: int) -> None:
    t.scored += 1
    gazetteer = coder.gazetteer
    right = event.place is not None and any(is_right(event.place, g.place, gazetteer) for g in golds)
    if any(g.place for g in golds):
        t.gold_placed += 1
        t.covered += right
    if event.place is None:
        return
    t.placed += 1
    t.right += right
    actor = is_actor_word(event.place, all_gold, coder)
    t.actor_words += actor
    if show < 0:
        t.wrong.append(f"  {'+' if right else '-'}{'A' if actor else ' '} {event.place.name}/{event.place.country} | {event.sentence[:100]}")
    elif not right and len(t.wrong) < show:
        gold = "; ".join(f"{g.place['name']}/{g.place['country']}/{g.place['kind']}" if g.place else "-" for g in golds)
        t.wrong.append(f"  {event.place.name}/{event.place.country}/{getattr(event.place, 'kind', '?')} "
                       f"(gold {gold}) | {event.sentence[:140]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--show", type=int, default=0, help="print up to N wrong places per file (-1: every place, + right, - wrong)")
    args = parser.parse_args(argv)
    if any(f.name.startswith("test") for f in args.files):
        print("corpus/test.jsonl is held out; measure on dev and train", file=sys.stderr)
        return 2
    coder = Coder.load()
    for path in args.files:
        t = tally(code_articles(load_articles(path), coder), coder, args.show)
        print(t.line(path.name))
        if t.wrong:
            print("\n".join(t.wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
