"""features: what the sentence model sees of one sentence of an article.

Sparse binary features named by strings: the sentence's lemmas with actors masked (1–2-grams),
the rule candidates' types and factuality, cues of speech, negation, condition, questions and
quotation, the sentence's place in the article, the types the rules already found earlier in
the article (a restated act is coded where it is first reported), and each verb's frame: whether
its subject and object are actors, first-person or other words, its object noun, tense, modal,
negation and the clause it sits under ("denied attacking", "plans to visit"), and how far back
its tense and the years it names reach ("had withdrawn", "in 2014" in a 2019 story: background,
which the annotation does not code as news). Bump
FEATURE_VERSION whenever what a feature means changes: the shipped model records it and refuses
to load against another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..classifier import ngrams, sentence_features as masked_lemmas

FEATURE_VERSION = 5
MODALS = frozenset({"would", "could", "might", "may", "should", "must", "can", "will", "shall"})
CONDITION_WORDS = frozenset({"if", "unless", "whether"})
FIRST_PERSON = frozenset({"i", "we", "our", "us", "my"})
FIRST_PERSON_ARGUMENTS = frozenset({"i", "we", "us", "me"})
EMBEDDING_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp"})
# Prepositions that tie an event noun to its parties ("the arrest of", "attacks by", "sanctions on").
PARTY_PREPS = frozenset({"of", "by", "on", "against", "with"})
QUOTES = ('"', "“", "”", "‘", "’")


@dataclass(frozen=True)
class SentenceView:
    """One sentence as the model sees it: the span, its place in the article, the rule candidates
    on it and the types the rules found before it."""

    sent: object
    index: int
    count: int
    candidates: tuple
    seen_types: frozenset[str]
    mentions: dict
    lexical: tuple[tuple[str, str], ...] = ()  # (type, factuality) of every lexicon trigger in it
    classified: tuple[tuple[str, float], ...] = ()  # the type classifier's two best (type, probability)
    words: tuple[str, ...] = ()  # the sentence's lemmas, actors masked (read once, for both classifiers)
    published: date | None = None  # the article's date, against which the years it names are read

    @property
    def lone(self) -> bool:
        """A one-sentence document: no article context around it."""
        return self.count == 1


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def position_features(view: SentenceView) -> list[str]:
    index, count = view.index, view.count
    # A lone sentence is no headline: callers coding single sentences get their own prior.
    out = ["pos:single"] if view.lone else [f"pos:{min(index, 4)}"] + (["pos:last"] if count - index <= 2 else [])
    words = sum(1 for t in view.sent if not t.is_punct and not t.is_space)
    out.append(f"len:{_bucket(words, (4, 8, 15, 25, 40))}")
    return out


def cue_features(sent) -> list[str]:
    text = sent.text.strip()
    lower = {t.lower_ for t in sent}
    out = []
    if any(q in text for q in QUOTES):
        out.append("cue:quote")
    if text.endswith("?"):
        out.append("cue:question")
    out += [f"cue:modal:{w}" for w in lower & MODALS]
    if lower & CONDITION_WORDS:
        out.append("cue:condition")
    if lower & FIRST_PERSON:
        out.append("cue:first_person")
    if any(t.dep_ == "neg" for t in sent):
        out.append("cue:negation")
    if "\n" in sent.text or not any(t.pos_ in ("VERB", "AUX") for t in sent):
        out.append("cue:verbless")
    root = sent.root
    out.append(f"root:{root.lemma_.lower()}")
    out.append(f"root_tag:{root.tag_}")
    return out


# How many years before the story a year it names lies: the same, the last, a few, long ago.
YEAR_GAPS = ((0, "same"), (1, "last"), (5, "recent"))


def time_features(view: SentenceView) -> list[str]:
    """Whether the sentence tells of an earlier time: a pluperfect verb ("had withdrawn"), a decade
    ("in the 1990s"), a year named, and how long before the article's own year it lies."""
    out = set()
    for tok in view.sent:
        text = tok.text
        if tok.lower_ == "had" and tok.dep_ == "aux" and tok.head.tag_ == "VBN":
            out.add("time:pluperfect")
        elif len(text) == 5 and text.endswith("s") and text[:4].isdigit():
            out.add("time:decade")
        elif len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100:
            if view.published is None:
                out.add("time:year")
                continue
            gap = view.published.year - int(text)
            out.add("time:year_future" if gap < 0 else next(
                (f"time:year_{name}" for most, name in YEAR_GAPS if gap <= most), "time:year_long_ago"))
    return sorted(out)


def actor_features(view: SentenceView) -> list[str]:
    entries = [m.entry for i, m in view.mentions.items() if view.sent.start <= i < view.sent.end]
    kinds = {e.kind for e in entries}
    countries = {e.country for e in entries if e.country}
    out = [f"actors:{min(len(entries), 3)}", f"countries:{min(len(countries), 3)}"]
    out += [f"actor_kind:{k}" for k in kinds]
    subject = [c for c in view.sent.root.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subject and any(t.i in view.mentions for t in subject[0].subtree):
        out.append("subject_is_actor")
    return out


def _argument_kind(tok, mentions) -> str:
    """What fills a verb's slot: an actor, a first-person pronoun, another pronoun, another word."""
    if tok is None:
        return "none"
    if any(t.i in mentions for t in tok.subtree):
        return "actor"
    if tok.pos_ == "PRON":
        return "p1" if tok.lower_ in FIRST_PERSON_ARGUMENTS else "pron"
    return "other"


def _child(tok, deps):
    return next((c for c in tok.children if c.dep_ in deps), None)


def verb_frame_features(view: SentenceView) -> list[str]:
    """Each verb with who fills its slots and how it is framed; each event noun with the actors
    hung on it. The words alone cannot tell "Russia attacked" from "we hope to attract"."""
    mentions = view.mentions
    out = set()
    for tok in view.sent:
        if tok.pos_ == "VERB":
            out.update(_verb_frame(tok, mentions))
        elif tok.pos_ == "NOUN" and tok.i not in mentions:
            lemma = tok.lemma_.lower()
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in PARTY_PREPS \
                        and _argument_kind(_child(prep, ("pobj",)), mentions) == "actor":
                    out.add(f"n:{lemma}:{prep.lower_}:actor")
            if any(c.i in mentions for c in tok.children if c.dep_ in ("poss", "compound", "amod")):
                out.add(f"n:{lemma}:actor_mod")
    return sorted(out)


def _verb_frame(tok, mentions) -> list[str]:
    lemma = tok.lemma_.lower()
    obj = _child(tok, ("dobj",))
    out = [f"v:{lemma}:s={_argument_kind(_child(tok, ('nsubj', 'nsubjpass', 'agent')), mentions)}",
           f"v:{lemma}:o={_argument_kind(obj, mentions)}", f"v:{lemma}:tag={tok.tag_}"]
    if obj is not None and obj.i not in mentions:
        out.append(f"v:{lemma}:dobj:{obj.lemma_.lower()}")
    if tok.dep_ in EMBEDDING_DEPS:
        head = tok.head.lemma_.lower()
        out += [f"v:{lemma}:under={tok.dep_}:{head}", f"under={tok.dep_}:{head}"]
    for c in tok.children:
        if c.dep_ == "neg":
            out.append(f"v:{lemma}:neg")
        elif c.dep_ == "aux" and c.lower_ in MODALS:
            out.append(f"v:{lemma}:aux={c.lower_}")
        elif c.dep_ == "prep":
            pobj = _child(c, ("pobj",))
            if pobj is not None:
                out.append(f"v:{lemma}:{c.lower_}:{_argument_kind(pobj, mentions)}")
    return out


def candidate_features(view: SentenceView) -> list[str]:
    out = []
    for cand in view.candidates:
        e = cand.event
        out += [f"rule:{e.event_type}", f"rule:{e.event_type}:{e.factuality}",
                f"rule:{e.event_type}:conf{_bucket(e.confidence, (0.2, 0.4, 0.6, 0.8))}",
                f"rule_fact:{e.factuality}", f"rule_target:{bool(e.target)}"]
        if e.event_type in view.seen_types:
            out.append(f"rule_seen:{e.event_type}")
    if not view.candidates:
        out.append("rule:none")
    out += [f"seen:{t}" for t in view.seen_types]
    return out


def prior_features(view: SentenceView) -> list[str]:
    """What the lexicon's triggers and the type classifier say, whatever the rules made of them."""
    out = [f for t, factuality in view.lexical for f in (f"lex:{t}", f"lex:{t}:{factuality}")]
    for rank, (t, p) in enumerate(view.classified):
        out += [f"tc{rank}:{t}", f"tc{rank}:{t}:{_bucket(p, (0.3, 0.5, 0.7))}"]
    return out


def sentence_features(view: SentenceView) -> list[str]:
    """Every feature of one sentence (a list of names; each counts once)."""
    words = [f"w:{g}" for g in ngrams(list(view.words or masked_lemmas(view.sent, view.mentions)))]
    return sorted(set(words + position_features(view) + cue_features(view.sent)
                      + actor_features(view) + candidate_features(view) + prior_features(view)
                      + verb_frame_features(view) + time_features(view)))
