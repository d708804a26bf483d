"""policy: from the sentence model's types and the rules' candidates to a sentence's events.

For each type the model finds in a sentence: the rule candidates of that type are kept (their
parties and factuality come from the parse); where the rules proposed only other types, their
best candidate is recoded as the model's type with the same parties; where they proposed
nothing, an event is built from the sentence's main verb, its subject and its object. Candidates
of types the model does not find are dropped. Every kept event's confidence is the model's
probability for its (sentence, type) (in a lone sentence, the rules' own where it is higher).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..actors import ArticleContext, resolve_actor
from ..events import CameoCode, EventCandidate, Lexicon, clause_factuality, event_id, recoded, sentence_span
from ..types import Actor, Event
from .features import SentenceView

OBJECT_DEPS = ("dobj", "dative", "attr", "oprd")


def default_codes(lex: Lexicon) -> dict[str, CameoCode]:
    """The most general CAMEO code of each PLOVER type (the shortest, then the lowest)."""
    codes: dict[str, CameoCode] = {}
    for code in sorted(lex.cameo.values(), key=lambda c: (len(c.code), c.code)):
        codes.setdefault(code.plover, code)
    return codes


def sentence_events(view: SentenceView, decided: dict[str, float], *, lex: Lexicon, codes: dict[str, CameoCode],
                    finder, ctx: ArticleContext, when: date | None, article_id: str) -> list[EventCandidate]:
    """The events of one sentence given the model's types (type → probability)."""
    out: list[EventCandidate] = []
    others = [c for c in view.candidates if c.event.event_type not in decided]
    for event_type, probability in sorted(decided.items()):
        mine = [c for c in view.candidates if c.event.event_type == event_type]
        if mine:
            # (a lone sentence's candidates keep the rules' confidence where it is the higher:
            # the model's veto does not apply to them, see SentenceModel.types)
            out += [replace(c, event=replace(c.event, confidence=round(
                max(probability, c.event.confidence) if view.lone else probability, 3))) for c in mine]
        elif others:
            best = max(others, key=lambda c: c.event.confidence)
            event = recoded(best.event, codes[event_type], best.event.source, best.event.target, article_id,
                            best.event.factuality)
            out.append(replace(best, event=replace(event, confidence=round(probability, 3))))
        elif (built := built_event(view, codes[event_type], probability, lex=lex, finder=finder, ctx=ctx,
                                   when=when, article_id=article_id)) is not None:
            out.append(built)
    return out


def _heads(tok, deps: tuple[str, ...]) -> list:
    return [c for c in tok.children if c.dep_ in deps]


def _resolved(heads, finder, mentions, ctx: ArticleContext, when) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for head in heads:
        out += [a for a in resolve_actor(head, finder, mentions, ctx, when) if a not in out]
    return tuple(out)


def built_event(view: SentenceView, code: CameoCode, probability: float, *, lex: Lexicon, finder,
                ctx: ArticleContext, when: date | None, article_id: str) -> EventCandidate | None:
    """An event the rules did not propose: the main verb's subject acts on its object (or on the
    first party its prepositions name); with no subject that names an actor, no event."""
    sent, mentions = view.sent, view.mentions
    verb = sent.root
    source = _resolved(_heads(verb, ("nsubj", "nsubjpass", "agent")), finder, mentions, ctx, when)
    if not source:
        return None
    objects = _heads(verb, OBJECT_DEPS) + [p for prep in _heads(verb, ("prep",)) for p in _heads(prep, ("pobj",))]
    target = tuple(a for a in _resolved(objects, finder, mentions, ctx, when) if a not in source)[:1]
    start, end = sentence_span(sent)
    event = Event(
        event_id=event_id(article_id, start, end, code.plover, source, target),
        event_type=code.plover, mode=code.mode, cameo=code.code, quad_class=code.quad_class,
        goldstein=code.goldstein, source=source, target=target,
        factuality=clause_factuality(verb, lex, mentions).factuality, speaker=None,
        confidence=round(probability, 3), sentence=sent.text.strip(), start=start, end=end,
    )
    return EventCandidate(event, verb.i, sent)
