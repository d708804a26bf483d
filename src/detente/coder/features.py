"""features: what the sentence model sees of one sentence of an article.

Sparse binary features named by strings: the sentence's lemmas with actors masked (1–2-grams),
the rule candidates' types and factuality, cues of speech, negation, condition, questions and
quotation, the sentence's place in the article, and the types the rules already found earlier in
the article (a restated act is coded where it is first reported). Bump FEATURE_VERSION whenever
what a feature means changes: the shipped model records it and refuses to load against another.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..classifier import ngrams, sentence_features as masked_lemmas

FEATURE_VERSION = 3
MODALS = frozenset({"would", "could", "might", "may", "should", "must", "can", "will", "shall"})
CONDITION_WORDS = frozenset({"if", "unless", "whether"})
FIRST_PERSON = frozenset({"i", "we", "our", "us", "my"})
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
    lexical: tuple[tuple[str, bool], ...] = ()  # (type, negated) of every lexicon trigger in it
    classified: tuple[tuple[str, float], ...] = ()  # the type classifier's two best (type, probability)

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
    out = [f"lex:{t}" + (":neg" if negated else "") for t, negated in view.lexical]
    for rank, (t, p) in enumerate(view.classified):
        out += [f"tc{rank}:{t}", f"tc{rank}:{t}:{_bucket(p, (0.3, 0.5, 0.7))}"]
    return out


def sentence_features(view: SentenceView) -> list[str]:
    """Every feature of one sentence (a list of names; each counts once)."""
    words = [f"w:{g}" for g in ngrams(masked_lemmas(view.sent, view.mentions))]
    return sorted(set(words + position_features(view) + cue_features(view.sent)
                      + actor_features(view) + candidate_features(view) + prior_features(view)))
