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
from ..types import Actor, Event
from .candidates import EventCandidate, sentence_span
from .factuality import clause_factuality
from .features import SentenceView
from .lexicon import CameoCode, Lexicon, lexicon_readings
from .roles import event_id, recoded

OBJECT_DEPS = ("dobj", "dative", "attr", "oprd")
# The probability at which a type the rules missed is coded even though its verb's subject names
# no actor ("A general strike paralysed Nigeria's cities", "The arrests drew criticism from …");
# the source model then gives its source. Chosen on the dev split with a model trained on the
# train split alone: (sentence, type) F1 .619 never, .634 at 0.6, .638 at 0.45, .640 at 0.35, .636
# always; dyad recall .458 → .487 at 0.35; events on no-event sentences .115 → .121.
SUBJECTLESS_MIN = 0.35
# The parts of speech a sentence's main word has when it can name an act.
CONTENT_POS = frozenset({"VERB", "AUX", "NOUN", "ADJ"})


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
    """An event the rules did not propose: its trigger is the first word the lexicon reads as an
    act of its type (else the sentence's main verb), whose factuality it takes ("says it will
    strike if provoked": the strike is conditional); the subject of the trigger's verb acts on
    its object (or on the first party its prepositions name); with no subject that names an
    actor, no event unless the model is sure enough of it (SUBJECTLESS_MIN), and then one
    without a source, for the source model to give."""
    sent, mentions = view.sent, view.mentions
    trigger = next((tok for tok, t in lexicon_readings(sent, lex) if t == code.plover), None)
    if trigger is None:
        trigger = sent.root
        if trigger.pos_ not in CONTENT_POS or trigger.i in mentions:
            return None  # a dateline ("PEMBA, Mozambique —") or a stray quote mark names no act
    verb = trigger if trigger.pos_ in ("VERB", "AUX") or trigger.head is trigger else trigger.head
    source = _resolved(_heads(verb, ("nsubj", "nsubjpass", "agent")), finder, mentions, ctx, when)
    if not source and probability < SUBJECTLESS_MIN:
        return None
    objects = _heads(verb, OBJECT_DEPS) + [p for prep in _heads(verb, ("prep",)) for p in _heads(prep, ("pobj",))]
    target = tuple(a for a in _resolved(objects, finder, mentions, ctx, when) if a not in source)[:1]
    start, end = sentence_span(sent)
    event = Event(
        event_id=event_id(article_id, start, end, code.plover, source, target),
        event_type=code.plover, mode=code.mode, cameo=code.code, quad_class=code.quad_class,
        goldstein=code.goldstein, source=source, target=target,
        factuality=clause_factuality(trigger, lex, mentions).factuality, speaker=None,
        confidence=round(probability, 3), sentence=sent.text.strip(), start=start, end=end,
    )
    return EventCandidate(event, trigger.i, sent)


def distinct_events(events: list[Event]) -> list[Event]:
    """One event per id: the same act by the same parties in one sentence, reached twice (by two
    triggers, or once context gives two parties the same country), is one event, the more
    confident; storing both would lose one under the other's id."""
    best: dict[str, Event] = {}
    for event in events:
        if event.event_id not in best or event.confidence > best[event.event_id].confidence:
            best[event.event_id] = event
    return [e for e in events if best[e.event_id] is e]


def merge_headline_repeats(events: list[Event], headline_end: int, article_id: str) -> list[Event]:
    """An act the headline reports and the body restates is one event, coded where it is first
    reported (the annotation guide): the headline's, with the body's finer date, the body's
    place where the headline places the act in the same country ("in Idlib" → "the town of
    Saraqib") and the parties it names more fully ("Doctors strike" over "Junior doctors in
    England began a strike": the doctors are British); the body's restatement is dropped. A
    restatement has the headline act's type and every country the headline names on each side.
    (A place only the body says is not the headline's: the guide places an act where its
    sentence or the dateline says.)"""
    merged, restated = [], set()
    for e in events:
        later = None if e.start >= headline_end else next(
            (b for b in events if b.start >= headline_end and b.event_id not in restated and _restates(e, b)), None)
        if later is not None:
            restated.add(later.event_id)
            if PRECISION_RANK.get(later.date_precision, 9) < PRECISION_RANK.get(e.date_precision, 9):
                e = replace(e, date=later.date, date_precision=later.date_precision)
            if e.place and later.place and later.place.country == e.place.country:
                e = replace(e, place=later.place)
            source, target = _fuller(e.source, later.source), _fuller(e.target, later.target)
            if (source, target) != (e.source, e.target):
                e = replace(e, source=source, target=target,
                            event_id=event_id(article_id, e.start, e.end, e.event_type, source, target))
        merged.append(e)
    return [e for e in merged if e.event_id not in restated]


def _restates(headline: Event, body: Event) -> bool:
    def named(actors):
        return {a.country for a in actors if a.country}

    return (headline.event_type == body.event_type and named(headline.source) <= named(body.source)
            and named(headline.target) <= named(body.target))


def _fuller(first: tuple[Actor, ...], later: tuple[Actor, ...]) -> tuple[Actor, ...]:
    """The headline's parties, unless the body names them with countries the headline lacks."""
    if later and (not first or (any(a.country is None for a in first) and all(a.country for a in later))):
        return later
    return first


PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
