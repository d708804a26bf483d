"""candidates: a parsed sentence → the rules' candidate events (`EventCandidate`).

`code_sentence` reads each trigger of the sentence in the lexicon (lexicon.py), finds its source
and target (roles.py) and the factuality of its clause (factuality.py), and builds the `Event`:
PLOVER type, mode, CAMEO, QuadClass, Goldstein, actors, factuality, speaker, confidence, evidence
sentence and offsets. Then one candidate per sentence, type and dyad, with an act's results folded
into it; and over the article, headline repeats dropped and reports their doer denies alleged.
The sentence model (policy.py) decides which candidates become events.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..actors import ActorFinder, ArticleContext, is_backer_modifier, is_implied
from ..datafiles import word_class
from ..types import Actor, Event
from .factuality import (FINDING_VERBS, MEDIA_WORDS, Clause, _asserts_rather_than_demands, _attributed, _obligated,
                         _promises_an_act, _threatens_on_condition, clause_factuality, is_condition, is_purpose,
                         is_refusal, reframe)
from .lexicon import CARGO_VERBS, TYPE_BASE_CODES, CameoCode, Lexicon, Pattern, blames, threatens_a_penalty
from .roles import (ACCUSATION_CODE, COOPERATION_CODE, FRAMING_TYPES, INSTRUMENT_OBJECT_TYPES, JOINT_OPERATION_CODE,
                    SECURITY_SECTORS, SUMMONING_VERBS, _actors, _addressees, _authors, _condition_subjects,
                    _first_person_subject, _owners, _same_side, act_by, clause_target, commanded_act, commanders,
                    event_id, implied_source, is_done_jointly, is_first_person, is_held_intention, is_own,
                    nominal_arguments, recoded, speaker_of, verb_arguments)

# Framing verbs whose complement is only what they demand, refuse, threaten or protest for.
CONTENT_FRAMING_TYPES = {"REQUEST", "REJECT", "THREATEN", "PROTEST"}
NEEDS_TARGET = {"ASSAULT", "ACCUSE", "THREATEN", "COERCE", "REQUEST", "SANCTION", "AID", "REJECT"}

# Confidence model: a base per pattern specificity, adjusted for how complete the actors are.
# Calibrated by hand on the project's factuality/actor test sentences; re-run `detente eval --sweep`.
BASE_CONFIDENCE = {1: 0.55, 2: 0.7, 3: 0.8}
BOTH_ACTORS_BONUS = 0.15
NO_SOURCE_PENALTY = 0.25
NO_TARGET_PENALTY = 0.15
UNKNOWN_COUNTRY_PENALTY = 0.1
NOMINAL_PENALTY = 0.1


@dataclass(frozen=True)
class EventCandidate:
    """An event before dates and places are resolved; `trigger` is the token index and `sent`
    its sentence (kept: finding a token's sentence again costs a pass over the document)."""

    event: Event
    trigger: int
    sent: object = None


def _confidence(pattern: Pattern, source, target, event_type: str) -> float:
    score = BASE_CONFIDENCE[min(pattern.specificity, 3)]
    if source and target:
        score += BOTH_ACTORS_BONUS
    if not source:
        score -= NO_SOURCE_PENALTY
    if not target and event_type in NEEDS_TARGET:
        score -= NO_TARGET_PENALTY
    if any(a.country is None for a in (*source, *target)):
        score -= UNKNOWN_COUNTRY_PENALTY
    if pattern.nominal:
        score -= NOMINAL_PENALTY
    return max(0.05, min(0.99, score))


# An event that only complements another event verb ("urged Russia to withdraw") is part of that
# event: it is kept, for the record, with its confidence scaled down so thresholds drop it first.
SUBSUMED_FACTOR = 0.5
OBLIGATION_CODE = "100"
# Acts that are always against someone: the classifier alone does not make one without a target.
DIRECTED_TYPES = {"ACCUSE", "THREATEN", "SANCTION", "REQUEST"}
ALLEGING_VERBS = word_class("alleging")
ABUSE_TYPES = {"ASSAULT", "COERCE"}  # what a rights group reports accuses (not "said Russia withdrew")
CRIME_NOUNS = word_class("crime")
# How the classifier and the lexicon combine. CLASSIFIER_MIN_PROB was calibrated with `detente
# eval --sweep` on the project's factuality cases and the dev set's aggregate curve (no
# per-sentence tuning); CLASSIFIER_OVERRIDE_PROB on the coding cases, which the classifier
# never trains on (0.8 → 0.9 when the classifier gained whole news sentences and grew bolder).
CLASSIFIER_MIN_PROB = 0.35  # a sentence with no lexicon event gets the classifier's event above this
CLASSIFIER_OVERRIDE_PROB = 0.9  # a bare-lemma lexicon guess yields to a classifier this sure
AGREEMENT_BONUS = 0.1
DISAGREEMENT_PENALTY = 0.15


def main_verb(sent, lex: Lexicon):
    """The verb a sentence is about: its root, or what a speech root reports ("X said Y …")."""
    root = sent.root
    if lex.cue("speech", root.lemma_.lower()):
        for child in root.children:
            if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX"):
                return child
    return root if root.pos_ in ("VERB", "AUX") else None


def verb_pattern(tok, lex: Lexicon, label, prob: float, main, fallback) -> tuple[Pattern | None, bool, bool]:
    """The pattern the verb at `tok` triggers, whether it is only a spoken demand ("… said US
    forces must ensure security"), and whether only the classifier names its type."""
    if blames(tok, lex):
        return Pattern(tok.lemma_.lower(), (), None, False, ACCUSATION_CODE), False, False
    pattern = lex.match_verb(tok)
    if pattern is not None and label and prob >= CLASSIFIER_OVERRIDE_PROB and pattern.specificity == 1 \
            and lex.cameo[pattern.cameo].plover not in FRAMING_TYPES | {label} and main is not None and tok.i == main.i:
        # The classifier reads the whole sentence, so it may only retype the sentence's main verb,
        # and never a verb that frames another act: "refusing to lift the curfew" reads like a
        # concession to a bag of words.
        pattern = Pattern(pattern.lemma, (), None, False, TYPE_BASE_CODES[label])
    if (act := commanded_act(tok)) is not None:
        addressed = [c for c in tok.children if c.dep_ == "dobj"] + [c for c in act.children if c.dep_ == "nsubj"]
        if (pattern is not None or addressed) and not any(c.lemma_.lower() in MEDIA_WORDS for c in addressed):
            # "ordered the division to withdraw", "told Washington to stop": an order to act demands
            # the act (commanders() drops it when those ordered are the side's own); it deploys
            # nothing. ("told reporters to expect …" demands nothing.)
            if act.lemma_.lower() in DEPARTURE_VERBS and not any(c.dep_ == "dobj" and c.lemma_.lower() not in EXPULSION_PLACES
                                                                  for c in act.children):
                # "ordered the French ambassador to leave the country": an expulsion (commanders()
                # still makes an order to a side's own troops their withdrawal)
                expel = lex.expulsion([key for c in addressed for key in lex.noun_keys(c)])
                return Pattern(tok.lemma_.lower(), (), None, False, expel.cameo), False, False
            bare = lex.bare_pattern(pattern.lemma) if pattern is not None else None
            return bare or Pattern(tok.lemma_.lower(), (), None, False, OBLIGATION_CODE), False, False
    if pattern is None and tok.lemma_ not in ("be", "have") and _obligated(tok, lex):
        # A demand whatever is demanded; code_sentence keeps it only if a speaker makes it.
        return Pattern(tok.lemma_.lower(), (), None, False, OBLIGATION_CODE), True, False
    if pattern is None and fallback is not None and tok.i == fallback.i:
        return Pattern(tok.lemma_.lower(), (), None, False, TYPE_BASE_CODES[label]), False, True
    if pattern is not None and lex.cameo[pattern.cameo].plover == "RETREAT" \
            and any(c.dep_ == "advmod" and c.lower_ in FORCIBLE_ADVERBS for c in tok.children):
        # "forcibly returned North Korean refugees": a deportation, not a release
        return replace(pattern, cameo=DEPORTATION_CODE), False, False
    if pattern is not None and _asserts_rather_than_demands(tok, pattern, lex):
        return None, False, False
    if pattern is not None and tok.lemma_.lower() in HELPING_VERBS and any(
            c.dep_ == "xcomp" and c.pos_ == "VERB" and lex.match_verb(c) for c in tok.children):
        return None, False, False  # "helped defend", "to help support": the act helped with is the event
    return pattern, False, False


HELPING_VERBS = word_class("helping")
FORCIBLE_ADVERBS = word_class("forcible")
DEPORTATION_CODE = "174"

DEPARTURE_VERBS = word_class("departure")
EXPULSION_PLACES = frozenset({"country", "territory"})  # "to leave the country"


def _same_kind_of_act(lex: Lexicon, verb_pattern: Pattern | None, noun_pattern: Pattern | None) -> bool:
    return verb_pattern is not None and noun_pattern is not None \
        and lex.cameo[verb_pattern.cameo].plover == lex.cameo[noun_pattern.cameo].plover


def code_sentence(sent, *, article_id: str, lex: Lexicon, finder: ActorFinder, mentions, ctx: ArticleContext,
                  when: date | None, prediction: tuple[str | None, float] = (None, 0.0)) -> list[EventCandidate]:
    """The rules' candidate events of a sentence; `prediction` is the type classifier's best
    (type, probability) for it, the type None where it reads no event."""
    out: list[EventCandidate] = []
    coded_verbs: set[int] = set()
    label, prob = prediction
    main = main_verb(sent, lex) if label else None
    if main is not None and any(t.i != main.i and (p := lex.match_verb(t)) is not None and lex.cameo[p.cameo].plover == label
                                for t in sent if t.pos_ in ("VERB", "AUX")):
        main = None  # the classifier reads another verb's act: "met in Beijing and agreed to reopen embassies"
    fallback, fallback_prob = None, 0.0
    if label and prob >= CLASSIFIER_MIN_PROB and not any(
        lex.knows(t) for t in sent if t.pos_ in ("VERB", "AUX", "NOUN")
    ):
        fallback = main  # only where the lexicon found nothing at all (nor a use it knows codes nothing)
    for tok in sent:
        demand_only = from_classifier = False
        if is_backer_modifier(tok) or is_participle_modifier(tok) or is_load_of_a_sending(tok, lex) or is_time_reference(tok):
            continue  # "Russian-backed separatists", "returning soldiers" describe them; no event here
        if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
            pattern, demand_only, from_classifier = verb_pattern(tok, lex, label, prob, main, fallback)
            if pattern is None:
                continue
            if from_classifier:
                fallback_prob = prob
            pattern, src_heads, tgt_heads = verb_arguments(tok, pattern, lex)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound" and (noun_pattern := lex.standalone_noun(tok)):
            # ("riot police", "strike leaders": an event noun as a modifier names no event)
            if tok.head.i in coded_verbs or (tok.dep_ == "nsubj" and tok.head.lemma_.lower() in lex.occurrence_verbs
                                             and lex.match_verb(tok.head) is not None):
                continue  # "held talks", "protests erupted": the verb carries the event
            if tok.dep_ == "nsubj" and _same_kind_of_act(lex, lex.match_verb(tok.head), noun_pattern):
                continue  # "a U.S. drone strike killed …": one act, told by the verb
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lex.event_noun(tok.head.head) is not None:
                continue  # "the lifting of sanctions", "the suspension of talks": what the act undoes
            pattern = noun_pattern
            src_heads, tgt_heads = nominal_arguments(tok, lex.cameo[pattern.cameo], mentions)
        else:
            continue
        base = lex.cameo[pattern.cameo]  # the trigger's own code, before crowd and clause reframing
        # (a statement's author speaks; but "the release of the prisoners began" names an act)
        carried = pattern.obj.split()[-1] if pattern.obj else None
        src_heads = [h for head in src_heads for h in ((_authors(head, mentions) if head.lemma_.lower() != carried else []) or [head])]
        source = _actors(src_heads, finder, mentions, ctx, when)
        if not pattern.nominal and commanders(tok, finder, mentions, ctx, when):
            continue  # the commanded act is the event
        chiefs = commanders(tok.head, finder, mentions, ctx, when) if tok.dep_ == "xcomp" and not pattern.nominal else ()
        if chiefs:
            source = chiefs
        if not source and not pattern.nominal and len(src_heads) == 1 \
                and _same_kind_of_act(lex, pattern, lex.event_noun(src_heads[0])):
            # ("a U.S. drone strike killed a Taliban commander": who struck is who killed; "the
            # withdrawal of Russian troops from Moldova began": and whom it concerned)
            act_sources, act_targets = nominal_arguments(src_heads[0], base, mentions)
            source = _actors(act_sources, finder, mentions, ctx, when)
            tgt_heads = tgt_heads or act_targets
        if not source and len(src_heads) == 1 and src_heads[0].head.dep_ == "agent":
            # ("shot down by rebel fire": the fire names no one, its modifier does; "hit by a
            # barrage of Russian rockets": read through the container)
            means = [src_heads[0], *(g for prep, g in lex.contents(src_heads[0]) if prep == "of")]
            source = _actors([m for n in means for m in n.children if m.dep_ in ("compound", "amod")], finder, mentions, ctx, when)
        crowd_noun = pattern.nominal and tok.dep_ in ("nsubj", "nsubjpass", "ROOT")
        if not source and (src_heads or crowd_noun) and base.plover == "PROTEST":
            # "Thousands marched …", "protests spread to …": crowds named by no actor are
            # civilians of the place (see pipeline.localize), not a missing actor; a protest
            # named in passing ("in protest at …") is not an event of its own.
            source = (Actor(None, "CVL", (src_heads[0] if src_heads else tok).text),)
        # An actor's own forces are not what it moves against ("pull out its troops"); otherwise
        # same-country pairs are real domestic events ("the court charged government officials"),
        # and a rebel group of the same country is always a party ("the SDF fired on Syrian forces").
        own_forces = base.plover in INSTRUMENT_OBJECT_TYPES | {"AID", "COOPERATE"}
        # ("pulled back from positions around Kharkiv": forces or posts no one owns are its own)
        unowned_forces = base.plover in INSTRUMENT_OBJECT_TYPES
        if base.quad_class in (1, 2):  # "agreed to redeploy its troops"
            tgt_heads = [h for h in tgt_heads if not is_own(h)]
        # ("marched against the deployment of American missiles": whose the thing opposed is)
        tgt_heads = [h for head in tgt_heads for h in (_owners(head, mentions) or [head])]
        target = tuple(a for a in _actors(tgt_heads, finder, mentions, ctx, when)
                       if a not in source and not (own_forces and any(_same_side(a, s) for s in source))
                       and not (unowned_forces and a.country is None and a.sector == "MIL"))
        clause = clause_factuality(tok, lex, mentions)
        if chiefs and clause.factuality == "asserted":
            clause = replace(clause, factuality="intent")  # ordered, not yet told done
        elif not chiefs and is_content_of_another_event(tok, clause, lex):
            continue
        source = source or implied_source(tok, base, src_heads, clause, mentions)
        speaker = speaker_of(clause.speech, finder, mentions, ctx, when)
        if not speaker and blames(tok, lex):
            continue  # blame nobody voices is the writer's, or the content of an accusation told already
        if speaker and any(map(is_first_person, src_heads)):
            source = (speaker,)  # '"We will help the Syrian army," Lavrov said': the speaker's side acts
        penalty = threatens_a_penalty(pattern, lex)
        if penalty and not (clause.committed or clause.factuality == "conditional"):
            continue  # "paid a heavy price" tells of a loss; only a penalty promised threatens
        acted = act_by(lex, pattern, source, target, finder.kb)
        code = reframe(acted, clause, lex)
        factuality = "asserted" if is_refusal(acted, clause) else clause.factuality  # the refusal is real
        if penalty and factuality != "conditional":
            factuality = "asserted"  # the threat is made, whatever the penalty's future
        if factuality == "asserted" and code.plover == "AGREE" and _promises_an_act(tok, lex):
            factuality = "intent"  # "pledged to mediate": what is stated is a promise
        if factuality == "asserted" and code.plover == "THREATEN" and _threatens_on_condition(tok, lex):
            factuality = "conditional"  # "warned it would freeze the assets if the vote was rigged"
        if clause.obligated and clause.speech is not None and (clause.governor is None or clause.governor == clause.speech) \
                and not _first_person_subject(tok):  # "we must explore all options" exhorts, it demands nothing
            # "Iraq must cooperate, Chirac said": the speaker demands it of the actor (a speaker
            # the KB does not know still demands: "the summit concluded that Israel must withdraw").
            code, source, target, factuality = lex.cameo[OBLIGATION_CODE], (speaker,) if speaker else (), source, "asserted"
            if (speaker and speaker in target) or any(h.pos_ == "PRON" for h in src_heads):
                # "reminded Iraq that it must cooperate": "it" is the one addressed
                target = _actors(_addressees(clause.speech), finder, mentions, ctx, when) or target
        elif from_classifier and code.plover == "ACCUSE" and speaker and speaker not in source:
            # "Israel said Iran was smuggling weapons": read whole, the sentence is the speaker's
            # accusation of the one said to act.
            source, target, factuality = (speaker,), source or target, "asserted"
        elif demand_only:
            continue  # an unspoken "must" is no event
        if not source and speaker and code.quad_class in (1, 3) and not pattern.nominal:
            source = (speaker,)
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in SUMMONING_VERBS:
            # ("summoned the ambassador to demand the release of two nationals": the one summoned is addressed)
            target = _actors([c for c in tok.head.children if c.dep_ == "dobj"], finder, mentions, ctx, when) or target
        if not target and len(source) <= 1 and not pattern.nominal:
            # "Bishop Ndlovu called for sanctions against Britain": an unknown speaker still
            # names whom the act concerns.
            target = clause_target(tok, src_heads, source, lex, finder, mentions, ctx, when, code.plover)
        if not target and code.plover == "THREATEN" and base.plover != "THREATEN":
            # '"If Georgia attacks again, we will respond with force"': a conditional act threatens
            # whoever the condition is about.
            target = tuple(a for a in _actors(_condition_subjects(tok, lex), finder, mentions, ctx, when) if a not in source)
        if not (source or target) or (pattern.nominal and not source):
            continue
        if from_classifier and (not source or (not target and code.plover in DIRECTED_TYPES) or factuality == "negated"):
            # "Beijing is furious": a reading of the mood, against no one the text names; "the
            # treaty obliges Syria to …": by no one it names; "we will not be intimidated": the
            # classifier read the sentence whole, negation and all
            continue
        factuality = _attributed(factuality, speaker, source, target, code)
        if not pattern.nominal:
            coded_verbs.add(tok.i)
        confidence = _confidence(pattern, source, target, code.plover)
        if label:
            confidence += AGREEMENT_BONUS if label == code.plover else -DISAGREEMENT_PENALTY * prob
        if clause.governor is not None and not chiefs:  # (an order to one's own forces subsumes nothing)
            confidence *= SUBSUMED_FACTOR
        if fallback is not None and tok.i == fallback.i and fallback_prob:
            confidence *= 0.5 + fallback_prob / 2  # only the classifier vouches for this type
        start, end = sentence_span(sent)
        event = Event(
            event_id=event_id(article_id, start, end, code.plover, source, target),
            event_type=code.plover,
            mode=code.mode,
            cameo=code.code,
            quad_class=code.quad_class,
            goldstein=code.goldstein,
            source=source,
            target=target,
            factuality=factuality,
            speaker=speaker,
            confidence=round(max(0.05, min(0.99, confidence)), 3),
            sentence=sent.text.strip(),
            start=start,
            end=end,
        )
        out.append(EventCandidate(event, tok.i, sent))
        if clause.speech is not None and speaker and source and speaker not in source + target \
                and telling_accuses(clause.speech, speaker, pattern, code):
            out.append(EventCandidate(recoded(event, lex.cameo[ACCUSATION_CODE], (speaker,), source, article_id),
                                      clause.speech.i, sent))
        if code.quad_class in (2, 4) and len({a.country for a in source if a.country}) >= 2 and is_done_jointly(tok):
            # ("German and French police jointly arrested six suspects": the two also cooperate)
            joint = lex.cameo[JOINT_OPERATION_CODE if all(a.sector in SECURITY_SECTORS for a in source) else COOPERATION_CODE]
            out.append(EventCandidate(recoded(event, joint, source, (), article_id, event.factuality), tok.i, sent))
    return rank_by_depth(fold_protest_demands(_unique(fold_results(name_implied_actors(out, article_id), article_id))), sent)


def telling_accuses(speech, speaker: Actor, pattern: Pattern, code: CameoCode) -> bool:
    """Whether telling of a violent act also accuses whoever committed it: a finding or a claim of
    one ("a UN inquiry found that the army had committed atrocities", "Moscow claimed Kyiv had
    shelled the plant"; but "rejected claims that …" disputes one), a party's report of one by the
    name of a crime ("Belgrade said Croatian forces committed war crimes"; a news agency only
    reports), or a rights group's report of an abuse ("Amnesty said the police tortured detainees")."""
    if code.quad_class != 4:
        return False
    lemma = speech.lemma_.lower()
    return lemma in FINDING_VERBS or (lemma in ALLEGING_VERBS and speech.pos_ == "VERB") \
        or ((pattern.obj or pattern.lemma) in CRIME_NOUNS and speaker.sector != "MED") \
        or (speaker.sector == "NGO" and code.plover in ABUSE_TYPES)


def is_load_of_a_sending(tok, lex: Lexicon) -> bool:
    """Whether `tok` tells what a carrier sent holds ("sent a ship carrying aid": one act, told by
    the sending; "seized ships carrying arms" is two)."""
    return tok.dep_ == "acl" and tok.lemma_.lower() in CARGO_VERBS \
        and _same_kind_of_act(lex, lex.match_verb(tok.head.head), lex.match_verb(tok))


def is_time_reference(tok) -> bool:
    """A clause telling since when something holds ("… since the war began", "since Russia invaded
    in 2022") dates the news; it is not news itself."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in tok.children)


def is_participle_modifier(tok) -> bool:
    """'-ing' form describing a noun ("returning soldiers", "the ruling party"), not a verb the
    parser mistook for one ("a court jailed …" has its subject)."""
    return tok.dep_ == "amod" and tok.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "dobj") for c in tok.children)


def name_implied_actors(cands: list[EventCandidate], article_id: str) -> list[EventCandidate]:
    """An implied actor stands in only where the sentence names none: in "two soldiers were killed
    when Tamil rebels attacked a camp" the killers are the rebels."""
    named = {}
    for c in cands:
        if c.event.source and not any(map(is_implied, c.event.source)):
            named.setdefault(c.event.event_type, c.event.source)
    out = []
    for c in cands:
        source = named.get(c.event.event_type) if any(map(is_implied, c.event.source)) else None
        if source:
            e = c.event
            c = replace(c, event=replace(e, source=source, event_id=event_id(article_id, e.start, e.end, e.event_type, source, e.target)))
        out.append(c)
    return out


def fold_results(cands: list[EventCandidate], article_id: str) -> list[EventCandidate]:
    """What an act did is part of it: "bombed a wedding party in Yemen, killing 20 people" is one
    attack on the place and the people, not two."""
    out = list(cands)
    folded: set[int] = set()
    for i, cand in enumerate(cands):
        tok = cand.sent.doc[cand.trigger]
        if tok.dep_ != "advcl" or tok.tag_ != "VBG":
            continue
        j = next((j for j, h in enumerate(out) if h.trigger == tok.head.i and j not in folded
                  and h.event.event_type == cand.event.event_type and set(h.event.source) == set(cand.event.source)), None)
        if j is None:
            continue
        e = out[j].event
        target = e.target + tuple(a for a in cand.event.target if a not in e.target)
        out[j] = replace(out[j], event=replace(e, target=target, confidence=max(e.confidence, cand.event.confidence),
                                               event_id=event_id(article_id, e.start, e.end, e.event_type, e.source, target)))
        folded.add(i)
    return [c for i, c in enumerate(out) if i not in folded]


def fold_protest_demands(cands: list[EventCandidate]) -> list[EventCandidate]:
    """Demands a crowd makes while protesting are the protest's content, not a second event
    (PLOVER: 'demands that take the form of demonstrations … are coded as PROTEST')."""
    protesters = {a for c in cands if c.event.event_type == "PROTEST" for a in c.event.source}
    return [c for c in cands if not (c.event.event_type == "REQUEST" and protesters.intersection(c.event.source))]


# A sentence usually reports one main event: events whose trigger sits deeper in the parse than
# the shallowest one keep this share of their confidence per level (thresholds drop them first).
DEPTH_FACTOR = 0.85


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token, depth = token.head, depth + 1
    return depth


def rank_by_depth(cands: list[EventCandidate], sent) -> list[EventCandidate]:
    if len(cands) < 2:
        return cands
    depths = [_depth(sent.doc[c.trigger]) for c in cands]
    top = min(depths)
    return [c if d == top else EventCandidate(replace(c.event, confidence=round(max(0.05, c.event.confidence * DEPTH_FACTOR ** (d - top)), 3)), c.trigger, c.sent)
            for c, d in zip(cands, depths)]


def is_content_of_another_event(tok, clause: Clause, lex: Lexicon) -> bool:
    """What is demanded, refused or threatened ("urged Israel to withdraw", "refused to lift the
    curfew") and the condition of an event ("… unless Baghdad accepts") are part of that event,
    not events of their own."""
    if clause.governor is not None and clause.factuality != "denied":  # a denied act stays, as denied
        pattern = lex.match_verb(clause.governor)
        if pattern is not None and lex.cameo[pattern.cameo].plover in CONTENT_FRAMING_TYPES \
                and not _asserts_rather_than_demands(clause.governor, pattern, lex):
            return True
    if _in_condition_of_event(tok, lex) or _ordered(tok):
        return True
    head_pattern = lex.match_verb(tok.head) if is_purpose(tok, lex) else None
    if head_pattern is None:
        return False
    # What a statement or a protest is for is part of it ("demanded a U.N. force to protect
    # them", "marched in Nairobi to demand higher pay"); what troops are sent to do is their
    # intent, and may be what their sending means ("sent to protect civilians").
    head = lex.cameo[head_pattern.cameo]
    return head.quad_class in (1, 3) or head.plover == "PROTEST"


def _ordered(tok) -> bool:
    """Whether `tok` is (in) what an order demands: "told Washington to stop selling arms"."""
    cur = tok
    while cur.dep_ in ("xcomp", "ccomp", "conj") and cur.head.i != cur.i:
        act = commanded_act(cur.head) if cur.dep_ != "conj" else None
        if act is not None and act.i == cur.i:
            return True
        cur = cur.head
    return False


def _in_condition_of_event(tok, lex: Lexicon) -> bool:
    """Whether `tok` is in an if/unless clause ("… unless the president agrees to step down",
    "… to help defend Saudi Arabia if it is attacked"): the condition is part of what the
    sentence threatens or promises, not an event of its own. Likewise what a document is for
    ("a resolution that aims to tighten sanctions") is its content."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "advcl" and (is_condition(cur, lex) or any(m.dep_ == "mark" and lex.cue("purpose", m.lower_) for m in cur.children)):
            return True  # (and "… so that same-sex marriages are banned": what an act is for)
        if cur.dep_ in ("relcl", "acl") and cur.head.lemma_.lower() in DOCUMENT_NOUNS and not is_held_intention(cur.head):
            return True
        if cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl"):
            return False
        cur = cur.head
    return False


DOCUMENT_NOUNS = word_class("document")


def sentence_span(sent) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())


def _unique(cands: list[EventCandidate]) -> list[EventCandidate]:
    """One event per sentence, type and dyad: keep the most confident."""
    best: dict[str, EventCandidate] = {}
    for cand in cands:
        key = cand.event.event_id
        if key not in best or cand.event.confidence > best[key].event.confidence:
            best[key] = cand
    return list(best.values())


def drop_headline_repeats(cands: list[EventCandidate], headline_end: int) -> list[EventCandidate]:
    """An event stated in the headline and again in the body is one event: keep the body's."""
    def key(e: Event):
        return (e.event_type, frozenset(a.country for a in e.source), frozenset(a.country for a in e.target))

    body_keys = {key(c.event) for c in cands if c.event.start >= headline_end}
    return [c for c in cands if c.event.start >= headline_end or key(c.event) not in body_keys]


DISPUTED_NOUNS = word_class("disputed")
DISPUTE_REACH = 2  # a denial answers a report in its own or the two coded sentences before it


def mark_disputed(cands: list[EventCandidate], lex: Lexicon) -> list[EventCandidate]:
    """A reported act its doer denies is alleged: "Kurdish officials said Turkish drones had
    struck a village. Turkey denied the report." (DESIGN §2: claimed by a party, disputed)."""
    out = list(cands)
    sentence_order = {start: n for n, start in enumerate(dict.fromkeys(c.sent.start for c in cands))}
    for denial in cands:
        trigger = denial.sent.doc[denial.trigger]
        if lex.cue("governor", trigger.lemma_.lower()) != "denied" or not any(
                c.dep_ == "dobj" and c.lemma_.lower() in DISPUTED_NOUNS for c in trigger.children):
            continue
        deniers = {a.country for a in denial.event.source if a.country}
        here = sentence_order[denial.sent.start]
        for n, cand in enumerate(out):
            if cand.event.factuality == "reported" and 0 <= here - sentence_order[cand.sent.start] <= DISPUTE_REACH \
                    and deniers & {a.country for a in cand.event.source}:
                out[n] = replace(cand, event=replace(cand.event, factuality="alleged"))
    return out
