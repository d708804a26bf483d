"""parties: the learned choice of a source or target for an act the rules left without one.

News often leaves a party to the rest of the sentence or to the story: "North Korea warns of
retaliation as US, South Korea begin drills", "The United States has rejected the idea" (China's
and Russia's, in the sentence before), "He visited Qatar on Thursday". For an event with no source,
or no target after the rules and data/implied_targets.tsv, every country the sentence, the two
sentences before it or the story names is a candidate (`party_candidates`), and so for the
country of a source or target named only by its role ("police", "protesters", "the
authorities"); a logistic regression
per role over where and how each is named (`PartyModel`, data/source_model.npz and
data/target_model.npz, built by scripts/train_party_models.py from the labelled corpus) scores
them, and the best is the party when it clears the model's threshold. A candidate the model is
unsure of is left out: an event with no target is better than one with a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ..actors import BOUNDARY_NOUNS, NON_STATE_CODES
from ..context import party_mentions
from ..datafiles import read_table
from ..types import Actor, Event
from .lexicon import is_reason_phrase
from .model import ModelFileError, load_model_file
from .roles import adversary_preps

PARTY_FEATURE_VERSION = 2
REBUILD = ".venv/bin/python scripts/train_party_models.py"
# How many sentences back a country named there is still a candidate.
EARLIER_SENTENCES = 2
STATE_KINDS = ("country", "demonym", "seat")


def load_usual_doers() -> dict[str, Actor]:
    """Per act type, who does it when its sentence names no doer (data/usual_doers.tsv): an actor
    of that sector with no country yet."""
    return {row["event_type"]: Actor(None, row["sector"], row["name"]) for row in read_table("usual_doers.tsv")}


USUAL_DOERS = load_usual_doers()


@dataclass(frozen=True)
class PartyCandidate:
    """A country that may be the act's source (or target), the actors it would be (with those named
    together with it: "the United States and South Korea"), and how it is named."""

    country: str
    actors: tuple[Actor, ...]
    features: tuple[str, ...]


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def _head(mention, doc):
    """The token of a mention's span whose head lies outside it."""
    tokens = doc[mention.start:mention.end]
    return next((t for t in tokens if not (mention.start <= t.head.i < mention.end) or t.head is t), tokens[-1])


def _not_a_party(head, trigger, event_type: str) -> bool:
    """A mention inside what the act is over ("sanctions on Raytheon over arms sales to Taiwan")
    or whom help is against ("sent warships to defend the islands against Argentina"), or a
    border's side ("captured a stronghold on the Pakistani border"): the rules never make it a
    party, and neither does the model."""
    adversary = adversary_preps(event_type)
    for tok in head.ancestors:
        if tok == trigger:
            return False
        if tok.dep_ == "prep" and (is_reason_phrase(tok) or tok.lower_ in adversary) \
                or tok.lemma_.lower() in BOUNDARY_NOUNS:
            return True
    return False


def _mention_features(mention, head, trigger) -> list[str]:
    """How one mention (with its `head` token) in the event's sentence stands to the event's trigger."""
    out = [f"dep:{head.dep_}", f"kind:{mention.entry.kind}", f"msector:{mention.entry.sector or '-'}",
           "before" if head.i < trigger.i else "after",
           f"dist:{_bucket(abs(head.i - trigger.i), (2, 4, 8, 15))}"]
    if head.dep_ == "pobj":
        out.append(f"prep:{head.head.lower_}")
        if head.head.head == trigger:
            out.append(f"trigger_prep:{head.head.lower_}")
    if head.dep_ == "poss":
        out.append("possessor")
    if head.head == trigger:
        out.append(f"trigger_arg:{head.dep_}")
    if trigger in head.ancestors:
        out.append("under_trigger")
    if head in trigger.ancestors:
        out.append("above_trigger")
    return out


def party_candidates(event: Event, role: str, trigger, mentions, earlier: list[set[str]],
                     article_countries: dict[str, int], resolve, country_names: dict[str, str],
                     context: dict[str, str | None] | None = None) -> list[PartyCandidate]:
    """Every country that may be `event`'s `role` ("source" or "target"), or the country of the
    role-named party it has ("police", "protesters"), with its features: those its sentence names
    (with how: dependency to the trigger, preposition, distance), those the `earlier` sentences
    name (nearest first), and the story's most named; whether it is on the event's other side or
    the speaker's, and which `context` countries it is (the event's place, the sentence's, the
    story's home, the dateline's). `resolve(head)` turns a mention's head into actors, as the
    rules would; a country named elsewhere is its government, by its name — or, as the source of
    an act whose sentence names no doer, the usual doer of its type there (`USUAL_DOERS`)."""
    sent = trigger.sent
    other = event.source if role == "target" else event.target
    own = {a.country for a in other}
    other_sectors = {a.sector or "-" for a in other} or {"none"}
    speaker = event.speaker.country if event.speaker else None
    ranked = sorted((c for c in article_countries if c not in NON_STATE_CODES), key=lambda c: -article_countries[c])
    total = sum(article_countries.values()) or 1
    found: dict[str, list[str]] = {}
    actors: dict[str, tuple[Actor, ...]] = {}
    kinds: dict[str, str] = {}  # how the sentence names it: a state, or a person or group of it
    heads = [(m, _head(m, trigger.doc)) for m in party_mentions(sent, mentions)]
    parties = [(m, h) for m, h in heads if not _not_a_party(h, trigger, event.event_type)]
    excluded = {m.entry.country for m, _ in heads} - {m.entry.country for m, _ in parties}
    others = {m.entry.country for m, _ in parties} - own
    for mention, head in sorted(parties, key=lambda mh: abs(mh[1].i - trigger.i)):
        country = mention.entry.country
        feats = found.setdefault(country, ["sent"])
        if len(feats) == 1:  # the mention nearest the trigger speaks for its country
            feats += _mention_features(mention, head, trigger)
            resolved = tuple(a for a in resolve(head) if a.country and (a.country == country or a.country not in own))
            actors[country] = resolved if country in {a.country for a in resolved} else (_entry_actor(mention, trigger.doc),)
            kinds[country] = mention.entry.kind
    for back, named in enumerate(earlier, start=1):
        for country in sorted(named):  # (a set: sorted, so that candidates come in one order)
            found.setdefault(country, []).append(f"prev{back}")
    for country in ranked[:3]:
        found.setdefault(country, [])
    for name, country in (context or {}).items():
        if country:
            found.setdefault(country, []).append(f"ctx:{name}")
    filling = bool(event.source if role == "source" else event.target)  # choosing a role-named party's country
    # ("Protests spread across Iran": Iran's protesters, not its government)
    doer = USUAL_DOERS.get(event.event_type) if role == "source" and not event.source else None
    candidates = []
    for country, feats in found.items():
        if country in excluded or (country in own and len(own) > 1):
            continue  # (nor is a party acting with others aimed at itself: "Britain, the EU and the US condemned …")
        feats = list(feats)
        if country in ranked:
            feats += [f"rank:{min(ranked.index(country) + 1, 4)}",
                      f"share:{_bucket(article_countries[country] / total, (0.1, 0.2, 0.35, 0.5))}"]
        else:
            feats.append("unranked")
        if country in own:
            feats.append("other_side")
        if country == speaker:
            feats.append("speaker")
        if country in NON_STATE_CODES:
            feats.append("non_state")
        feats.append(f"others:{min(len(others - {country}), 2)}")
        base = feats + [f"fact:{event.factuality}"] + (["fill"] + [f"fill|{f}" for f in feats] if filling else [])
        full = base + [f"T:{event.event_type}|{f}" for f in base] + [f"S:{s}|{f}" for s in other_sectors for f in base]
        named = actors.get(country) or (Actor(country, None if country in NON_STATE_CODES else "GOV",
                                              country_names.get(country, country)),)
        if doer is not None and country not in NON_STATE_CODES and kinds.get(country, "country") in STATE_KINDS:
            named = (replace(doer, country=country),)
        candidates.append(PartyCandidate(country, named, tuple(["bias"] + full)))
    return candidates


def _entry_actor(mention, doc) -> Actor:
    entry = mention.entry
    sector = "GOV" if entry.kind in STATE_KINDS else entry.sector
    return Actor(entry.country, sector, doc[mention.start:mention.end].text,
                 entry.kb_id if entry.kind in ("person", "group") else None)


@dataclass(frozen=True)
class PartyModel:
    role: str
    vocab: dict[str, int]
    coef: np.ndarray
    intercept: float
    threshold: float  # to give a party
    fill_threshold: float  # to give a role-named party a country other than the context rule's
    meta: dict

    @classmethod
    def load(cls, role: str, path: str | Path | None = None) -> "PartyModel":
        where = Path(path) if path else Path(str(resources.files("detente").joinpath(model_file(role))))
        model = load_model_file(where, f"{role} model", REBUILD, PARTY_FEATURE_VERSION, lambda npz, meta: cls(
            role, {name: i for i, name in enumerate(npz["vocab"].tolist())}, npz["coef"].astype(np.float32),
            float(npz["intercept"]), float(npz["threshold"]), float(npz["fill_threshold"]), meta))
        if model.coef.shape != (len(model.vocab),):
            raise ModelFileError(f"{where}: weights do not fit the vocabulary; rebuild it with {REBUILD}")
        if model.meta.get("role") != role:
            raise ModelFileError(f"{where}: a model of the {model.meta.get('role')}, not the {role}; rebuild it with {REBUILD}")
        return model

    def probability(self, candidate: PartyCandidate) -> float:
        vocab = self.vocab
        score = self.intercept + float(self.coef[[i for f in candidate.features if (i := vocab.get(f)) is not None]].sum())
        return float(1.0 / (1.0 + np.exp(-score)))

    def choose(self, event: Event, candidates: list[PartyCandidate], *, filling: bool = False) -> tuple[Actor, ...]:
        """The most likely candidate, when it clears the model's threshold (tuned so that a party
        given is right at least 3 times in 4, out of fold); `filling` a role-named party's
        country, when it clears the threshold over which it beats the context rule."""
        scored = sorted(((self.probability(c), c) for c in candidates), key=lambda pc: -pc[0])
        if not scored or scored[0][0] < (self.fill_threshold if filling else self.threshold):
            return ()
        return scored[0][1].actors


def model_file(role: str) -> str:
    return f"data/{role}_model.npz"
