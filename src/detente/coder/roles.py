"""roles: who does an event to whom.

The verb's subject gives the source and its object or prepositional object the target
(`verb_arguments`); for an event noun, its possessor, modifier and "by", "of" or "between" phrases
(`nominal_arguments`). Also the actors those argument tokens name (`_actors`), the speaker of a
statement, commanders acting through their own forces, implied actors, encounters whose parties
are both sides, acts done jointly, the fallback target in the event's own clause, what a trigger
means for who does it (`act_by`), and an event recoded or retargeted under the id its dyad makes.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date

from ..actors import (BOUNDARY_NOUNS, IMPLIED_ATTACKERS, IMPLIED_AUTHORITIES, RELATIONAL_NOUNS, ActorFinder, ActorKB,
                      ArticleContext, is_relation_possessor, names_a_backer, resolve_actor, with_conjuncts)
from ..datafiles import word_class
from ..types import Actor, Event
from .factuality import Clause, _attributed_to, is_condition, sends_somewhere
from .lexicon import (TIME_PREPS, TYPE_BASE_CODES, CameoCode, Lexicon, Pattern, _by_phrases, _loads, _noun_keys,
                      _pobj_heads, blames, has_agent, is_reason_phrase, threatens_a_penalty)

CONFLICT_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION"}
# Verbs that describe an encounter between parties: a coordinated subject is both sides.
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Verbal acts about another act: their target is often the actor of the act they frame.
FRAMING_TYPES = {"REQUEST", "REJECT", "THREATEN", "AGREE", "SUPPORT"}
INSTRUMENT_OBJECT_TYPES = {"MOBILIZE", "RETREAT"}
# ... and of peacekeeping (CAMEO 074): peacekeepers sent are the sender's means, not its target.
INSTRUMENT_OBJECT_CODES = {"074"}
# Event nouns whose adjective or compound modifier names the actor ("Russian airstrikes").
MODIFIER_ACTOR_TYPES = CONFLICT_TYPES | {"PROTEST"}
# Event nouns whose "of" phrase is the actor ("the withdrawal of Syrian troops", "the visit of").
INTRANSITIVE_NOMINAL_TYPES = {"RETREAT", "MOBILIZE", "CONSULT"}
SEIZURE_CODES = {"171", "192"}
RETURN_CODES = {"084", "0841"}  # ... but what is returned or released is no actor ("the release of the hostages")
SUBJECT_DEPS = {"nsubj"}
CROWD_SECTORS = {"CVL", "OPP", "REF"}
COMPLAINT_TOPIC_PREPS = {"about", "over"}
TARGET_PREPS = {"against", "on", "at", "with", "to", "toward", "towards", "into", "upon"}
# ("sent troops to defend the kingdom against Iraq": whom help or backing is against is the adversary)
ADVERSARY_AGAINST_TYPES = {"AID", "SUPPORT"}


def adversary_preps(event_type: str) -> set[str]:
    """Prepositions whose objects are an act's adversary rather than a party acted on."""
    return {"against"} if event_type in ADVERSARY_AGAINST_TYPES else set()


# Events whose noun's "on" phrase is their topic, not a party ("talks on Kashmir", "a deal on trade").
TOPIC_ON_TYPES = {"CONSULT", "AGREE"}
# Acts two parties do at a place: meeting, agreeing, signing, cooperating.
VENUE_TYPES = RECIPROCAL_TYPES | {"SUPPORT"}
VENUE_PREPS = {"in", "at", "on"}


def subject_heads(tok) -> tuple[list, bool]:
    """The subject noun heads of a verb, and whether the clause is passive (subject = target)."""
    subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    if subjects:
        # (a headline's "Serbia, Kosovo agree …" may be parsed as two subjects)
        return [h for s in subjects for h in with_conjuncts(_relative_antecedent(s))], False
    misparsed = _misparsed_subject(tok)
    if misparsed is not None:
        return with_conjuncts(misparsed), False
    engaged = tok.lemma_.lower() in ("engage", "involve") and any(c.lower_ == "in" for c in tok.children)
    for child in tok.children:
        if child.dep_ == "nsubjpass":
            return with_conjuncts(_relative_antecedent(child)), not engaged  # "were engaged in a campaign" is no passive
    head = tok.head
    if head.i == tok.i:
        return [], False
    if tok.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ in ("acomp", "amod") and head.head.i != head.i:
        return subject_heads(head.head)  # "Norway is willing to send …"
    if tok.dep_ in ("xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
        # Object control ("pressed Turkey to agree") else subject control ("vowed to strike").
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if objects and tok.dep_ == "xcomp" and head.lemma_.lower() not in INSTRUMENT_VERBS | SUMMONING_VERBS:
            return with_conjuncts(objects[0]), False
        if tok.dep_ == "advcl" and tok.tag_ == "VBG" and (agents := agent_heads(head)):
            return agents, False  # "was shot down by rebel fire, killing all 12": whoever shot killed
        # The governor's voice is not the complement's ("a patrol was said to have blocked a
        # convoy", "troops were sent to protect civilians": the patrol and the troops act).
        return subject_heads(head)[0], any(c.dep_ == "auxpass" for c in tok.children)
    if tok.dep_ == "conj":
        return subject_heads(head)
    if tok.dep_ == "acl" and head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        # "Iran's readiness to talk", "signalled its willingness to resume talks": the one whose
        # readiness it is acts.
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ != "PRON":
            return with_conjuncts(owner), False
        # ("has no plans to withdraw": whoever has the plan acts)
        if (owner is not None or is_held_intention(head)) and head.head.pos_ in ("VERB", "AUX") and head.dep_ in ("dobj", "nsubj"):
            return subject_heads(head.head)
    if tok.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        # "Idlib, seized by militants": a past participle modifies its patient.
        return with_conjuncts(head), tok.tag_ == "VBN"
    if tok.dep_ == "pcomp" and head.head.i != head.i:
        # "accused Ukraine of shelling": the accused acts; "opened the possibility of cooperating
        # with Russia": the governing verb's subject acts.
        gov = head.head
        # ... and "criticized Turkey for torturing detainees", "charged Eritrea with arming rebels":
        # the criticised acts.
        objects = [c for c in gov.children if c.dep_ == "dobj"] if head.lower_ in ("of", "for", "with") else []
        if objects and gov.pos_ in ("VERB", "AUX"):
            return with_conjuncts(objects[0]), False
        while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX"):
            return subject_heads(gov)
    return [], False


INTENTION_NOUNS = word_class("intention")


def is_held_intention(noun) -> bool:
    """A plan or intention someone has ("has no plans to withdraw"): an intent of the one who has
    it, not a document's content."""
    return noun.head.lemma_ == "have" and noun.lemma_.lower() in INTENTION_NOUNS


def _relative_antecedent(subject):
    """What a relative pronoun stands for: "Lavrov, who met his Turkish counterpart" — Lavrov met."""
    clause = subject.head
    if subject.tag_ in ("WP", "WDT") and clause.dep_ == "relcl" and clause.head.pos_ in ("NOUN", "PROPN"):
        return clause.head
    return subject


def _misparsed_subject(tok):
    """A name the parser hangs on a clause-initial verb as an adverbial ("Turkey massed tanks …"
    parsed with "Turkey" as npadvmod) is the verb's subject."""
    if tok.dep_ not in ("ROOT", "ccomp", "conj") or any(c.dep_ in ("nsubjpass", "expl", "csubj") for c in tok.children):
        return None
    first = next(iter(tok.children), None)
    if first is None or first.dep_ != "npadvmod" or first.i > tok.i or first.pos_ != "PROPN" \
            or first.ent_type_ in ("DATE", "TIME", ""):
        return None
    return first


def venue_preps(event_type: str) -> set[str]:
    """Prepositions that name where parties met, agreed or signed, not a party: "received Cuba's
    president at the Vatican", "signed the accord at the White House", "met on the sidelines of
    the summit"."""
    if event_type not in VENUE_TYPES:
        return set()
    return {"at", "on"} if event_type == "CONSULT" else {"at"}


def object_heads(tok, pattern: Pattern, event_type: str) -> list:
    heads = []
    if tok.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in tok.children) and any(c.dep_ == "nsubj" for c in tok.children):
        heads.extend(with_conjuncts(tok.head))  # "the regime that Ankara opposes"
    # (withdrawn from a place; property seized from its owner: "confiscated tractors from farmers")
    from_target = event_type == "RETREAT" or pattern.cameo in SEIZURE_CODES
    preps = TARGET_PREPS | ({"from"} if from_target else {"for"} if event_type == "AID" else set())
    if event_type == "RETREAT":
        preps = preps - {"into", "toward", "towards"}  # "pulled out of Iraq into Kuwait": where they went
    no_party = venue_preps(event_type) | adversary_preps(event_type)  # where it happened; whom help is against
    preps = preps - no_party
    for child in tok.children:
        # What is mobilised or withdrawn is the actor's own force, not a target.
        if (child.dep_ == "dobj" or (child.dep_ == "dative" and child.pos_ != "ADP")) and child.lemma_.lower() not in _obj_words(pattern) and event_type not in INSTRUMENT_OBJECT_TYPES:
            heads.extend(with_conjuncts(child))
    # "complained to the UN about Israeli raids": a complaint's addressee is not its target.
    topics = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in COMPLAINT_TOPIC_PREPS
              for g in c.children if g.dep_ == "pobj"] if event_type == "ACCUSE" else []
    if topics:
        preps = (preps - {"to"}) | COMPLAINT_TOPIC_PREPS
    for child in tok.children:
        if child.dep_ in ("prep", "prt", "dative") and (child.lower_ in pattern.preps or child.lower_ in preps) \
                and not (topics and child.lower_ == "to"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() not in _obj_words(pattern):
                    heads.extend(with_conjuncts(pobj))
    # "found the president guilty", "considers the militia to be a terrorist group", parsed as a
    # small clause: its subject is the one judged.
    heads.extend(s for c in tok.children if c.dep_ == "ccomp" and (c.lemma_.lower() == pattern.obj or any(
                     a.dep_ == "attr" and pattern.obj in _noun_keys(a) for a in c.children))
                 for s in c.children if s.dep_ == "nsubj" for s in with_conjuncts(s))
    if event_type == "ACCUSE":
        # "investigated abuses by Serbian police against civilians": the accused is the act's doer.
        # ("criticised the U.S. arms sale to Taiwan": a country naming the act names its doer too)
        heads = [doer for h in heads for doer in (_doers(h) or [*(c for c in h.children if c.dep_ == "compound" and c.ent_type_ == "GPE"), h])]
    if event_type in ("REJECT", "AGREE"):
        # "rejected an offer from Kabul", "accepted a proposal by Egypt": the proposer is the target.
        heads.extend(p for c in tok.children if c.dep_ == "dobj" for prep in c.children
                     if prep.dep_ == "prep" and prep.lower_ in ("from", "by") for p in _pobj_heads(prep))
    if event_type == "MOBILIZE":
        # "moved troops to the Pakistani border": forces massed on a border face its other side.
        heads.extend(m for c in tok.children if c.dep_ == "prep" for b in _pobj_heads(c) if b.lemma_.lower() in BOUNDARY_NOUNS
                     for m in b.children if m.dep_ in ("amod", "compound"))
    if not heads and event_type in ("ASSAULT", "COERCE"):
        # "opened fire to disperse demonstrators": the means is aimed at whom the purpose names.
        heads = [o for c in tok.children if c.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" for a in c.children)
                 for o in c.children if o.dep_ == "dobj" for o in with_conjuncts(o)]
    if pattern.obj:
        # "launched strikes on Idlib", "opened fire on the convoy", "began a series of raids on
        # the camps": the target hangs off the object (or the event noun a container holds).
        event_head = pattern.obj.split()[-1]
        # ("artillery, mortar and rocket fire against the camps"; "aid to X was cut off")
        nouns = [n for c in tok.children if c.dep_ in ("dobj", "nsubjpass") for n in with_conjuncts(c)]
        # ("flew to Beijing for talks with Wang Yi": the object a preposition of the pattern governs)
        nouns += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in pattern.preps
                  for g in _pobj_heads(c) if pattern.obj in _noun_keys(g)]
        nouns += [g for n in nouns for p in n.children if p.dep_ == "prep" and p.lower_ == "of"
                  for g in p.children if g.dep_ == "pobj" and g.lemma_.lower() == event_head]
        # ("sent a ship loaded with aid to Beirut": where the load goes)
        nouns += [load for n in nouns for load in _loads(n)]
        # ("reaffirmed its backing for Iraq", "aid for the refugees": whom support is for)
        object_preps = TARGET_PREPS | {"between"} | ({"for"} if event_type in BENEFIT_TYPES else set())
        if event_type in TOPIC_ON_TYPES:
            object_preps -= {"on"}  # "talks on the future of Hong Kong": what they are about
        object_preps -= no_party
        for noun in nouns:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ in object_preps:
                    heads.extend(_pobj_heads(prep))
            if event_type in FRAMING_TYPES:  # "renewed its demand that Britain open talks"
                heads.extend(s for c in noun.children if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                             for s in c.children if s.dep_ == "nsubj" and s.pos_ != "PRON")
    return heads


def _doers(noun) -> list:
    """Who did what an act noun names: 'Turkey's shelling', 'abuses by the police'."""
    return ([c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            + [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "by" for p in _pobj_heads(c)])


def _obj_words(pattern: Pattern) -> set[str]:
    return set(pattern.obj.split()) if pattern.obj else set()


def implied_source(tok, base: CameoCode, src_heads, clause: Clause, mentions) -> tuple[Actor, ...]:
    """The actor of a reported act of force that names none; it takes the country of the place
    (pipeline.localize). "A journalist was detained in Tehran": arrests, sentences and
    expulsions are the authorities' doing; "a roadside bomb killed two soldiers near Kandahar":
    attackers no one names are, as event data conventionally codes them, of the country where
    they struck. Not for acts only threatened, intended or denied."""
    if clause.factuality not in ("asserted", "reported", "alleged"):
        return ()
    if base.plover == "COERCE" and _agentless_passive(tok):
        return (Actor(None, "GOV", IMPLIED_AUTHORITIES),)
    # ("Kurdish allies fighting against IS" name their party, even if no actor resolves; "a
    # bombing near Samarra" does not)
    named = any(t.i in mentions or t.ent_type_ in ("NORP", "GPE", "PERSON", "ORG")
                for h in src_heads for t in h.subtree if t.i <= h.i)
    if base.plover == "ASSAULT" and (_agentless_passive(tok) or (src_heads and not named)):
        return (Actor(None, None, IMPLIED_ATTACKERS),)
    return ()


def _agentless_passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) and not agent_heads(tok)


def agent_heads(tok) -> list:
    for child in tok.children:
        if child.dep_ == "agent":
            return _pobj_heads(child)
    return []


BENEFIT_TYPES = {"SUPPORT", "AID"}  # acts "for" a party


def nominal_arguments(tok, code: CameoCode, mentions) -> tuple[list, list]:
    """'Russian airstrikes on Idlib', 'talks between Putin and Erdogan', 'Turkey's offensive'.
    A modifier names the actor only for acts of force and protest ("Russian airstrikes", "U.N.
    sanctions"); for meetings it names the topic ("Syria talks"), so those need a
    between/with phrase. An "of" phrase is the actor of an act without an object ("the withdrawal
    of Syrian troops", "the deployment of peacekeepers") and the target of one with ("the arrest
    of two activists")."""
    event_type = code.plover
    sources, targets = [], []
    # ("Russia's withdrawal of its troops", "the release of the sailors by Iran": with the doer
    # named, the "of" phrase is what is acted on)
    agent = has_agent(tok)
    sources.extend(h for p in _by_phrases(tok) for h in _pobj_heads(p))
    # ("will dominate talks on Thursday between A and B": the parser hangs the phrase on the verb)
    sources.extend(_between_parties(tok) or (_between_parties(tok.head) if tok.dep_ == "dobj" else []))
    explicit = bool(sources)
    from_preps = set() if event_type == "RETREAT" else {"from"}  # withdrawal *from* a place
    for child in tok.children:
        pobjs = _pobj_heads(child) if child.dep_ == "prep" else []
        if child.dep_ == "amod" and child.lemma_ == "lead" and not explicit and event_type in MODIFIER_ACTOR_TYPES:
            # ("a Saudi-led coalition airstrike": the leader's)
            sources.extend(m for m in child.children if m.dep_ in ("npadvmod", "compound") and m.i in mentions)
        elif child.dep_ == "poss" or (
            child.dep_ in ("compound", "amod", "nmod") and not explicit and event_type in MODIFIER_ACTOR_TYPES
            and child.i in mentions and mentions[child.i].entry.kind in ("demonym", "country", "seat", "group")
        ):
            sources.extend(with_conjuncts(child))
        elif child.lower_ in from_preps:
            sources.extend(pobjs)
        elif child.lower_ == "of":
            # (what is given is the giver's: "the delivery of German tanks to Ukraine")
            of_actor = (event_type in INTRANSITIVE_NOMINAL_TYPES and code.code not in RETURN_CODES) \
                or code.code in INSTRUMENT_OBJECT_CODES or event_type == "AID"
            (sources if of_actor and not agent else targets).extend(pobjs)
        elif child.lower_ in TARGET_PREPS or child.lower_ == "from" or (child.lower_ == "for" and event_type in BENEFIT_TYPES):
            targets.extend(pobjs)  # ("support for Ukraine", "aid for the refugees": whom it is for)
    return sources, targets


def _condition_subjects(tok, lex: Lexicon) -> list:
    """Who a threat is aimed at when it names no one else: the subject of its condition."""
    return [subj for t in tok.subtree if t.dep_ == "advcl" and t.pos_ in ("VERB", "AUX") and is_condition(t, lex)
            for subj in t.children if subj.dep_ == "nsubj" and subj.pos_ != "PRON"][:1]


def _between_parties(tok) -> list:
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "between" for p in _pobj_heads(c)]


def _addressees(speech) -> list:
    """Whom a speech act is addressed to: "told Iraq", "issued a reminder to Iraq"."""
    heads = [speech, speech.head] if speech.pos_ == "NOUN" else [speech]
    return [c for h in heads for c in h.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP" and c is not speech] + \
        [p for h in heads for c in h.children if c.dep_ in ("prep", "dative") and c.lower_ == "to" for p in _pobj_heads(c)]


FIRST_PERSON = {"i", "we", "us"}


def _first_person_subject(tok) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") and is_first_person(c) for c in tok.children)


def is_first_person(tok) -> bool:
    return tok.pos_ == "PRON" and tok.lower_ in FIRST_PERSON  # ("US" is no "us")


def speaker_of(speech_verb, finder: ActorFinder, mentions, ctx: ArticleContext, when: date | None) -> Actor | None:
    if speech_verb is None:
        return None
    # "…, saying he must resign": a participle speaks for the subject of the clause it hangs from.
    subjects = _attributed_to(speech_verb) or [c for c in speech_verb.children if c.dep_ == "nsubj"] or \
        [s for c in speech_verb.children if c.dep_ == "csubj" for s in c.children if s.dep_ == "nsubj"] or \
        (subject_heads(speech_verb)[0] if speech_verb.dep_ in ("advcl", "conj") else []) or \
        (subject_heads(speech_verb.head)[0] if speech_verb.pos_ == "NOUN" and speech_verb.dep_ == "dobj" else [])
    # (the second: "the Red Cross working in Somalia said", parsed as a clausal subject; the last:
    # "issued a reminder that …", the noun speaks for the one who issued it)
    for subject in subjects[:1]:
        actors = resolve_actor((_authors(subject, mentions) or [subject])[0], finder, mentions, ctx, when)
        return actors[0] if actors else None
    return None


def _owners(head, mentions) -> list:
    """For a noun that names no actor, the actor its "of" phrase names ("the deployment of
    American missiles", "the release of Palestinian prisoners")."""
    if any(t.i in mentions for t in head.subtree if t.i <= head.i) or head.pos_ == "PRON":
        return []
    return [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobj_heads(c)
            if any(t.i in mentions for t in p.subtree)]


def _authors(head, mentions) -> list:
    """For a statement that names no actor, who issued it: "a statement from Hamas", "a
    communique issued by the Arab League"."""
    if head.lemma_.lower() not in STATEMENT_NOUNS or any(t.i in mentions for t in head.subtree if t.i <= head.i):
        return []
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")]
    preps += [a for c in head.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"]
    return [p for c in preps for p in _pobj_heads(c) if any(t.i in mentions for t in p.subtree)]


STATEMENT_NOUNS = word_class("statement")


def _actors(heads, finder, mentions, ctx, when) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for head in heads:
        for actor in resolve_actor(head, finder, mentions, ctx, when):
            if actor not in out:
                out.append(actor)
    ctx.remember_parties(tuple(out))
    return tuple(out)


def event_id(article_id: str, start: int, end: int, event_type: str, source, target) -> str:
    dyad = "|".join(",".join(sorted(a.country or a.name for a in side)) for side in (source, target))
    key = f"{article_id}|{start}|{end}|{event_type}|{dyad}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# Peacekeepers, observers, inspectors and aid workers withdrawn end an international presence.
PRESENCE_NOUNS = word_class("presence")
PRESENCE_WITHDRAWAL_CODE = "166"
# Exercises and war games show force (CAMEO 150); two countries' forces together cooperate (062).
SHOW_OF_FORCE_CODE, JOINT_EXERCISE_CODE = "150", "062"
EXERCISE_NOUNS = word_class("exercise")
ACCUSATION_CODE = "112"
# Two countries' forces or officials acting together cooperate: militarily (062) if all are
# security forces, otherwise materially (060).
JOINT_WORDS = word_class("joint")
JOINT_OPERATION_CODE, COOPERATION_CODE = "062", "060"
SECURITY_SECTORS = {"MIL", "COP", "SPY"}


def recoded(event: Event, code: CameoCode, source, target, article_id: str, factuality: str = "asserted") -> Event:
    """The same sentence's event coded anew: another type, with other parties, asserted unless told."""
    return replace(retargeted(event, target, article_id, source=source, event_type=code.plover), mode=code.mode,
                   cameo=code.code, quad_class=code.quad_class, goldstein=code.goldstein, factuality=factuality)


def retargeted(event: Event, target, article_id: str, *, source=None, event_type: str | None = None) -> Event:
    """`event` with another target (and optionally source and type), under the id those make."""
    source, event_type = source if source is not None else event.source, event_type or event.event_type
    return replace(event, event_id=event_id(article_id, event.start, event.end, event_type, source, target),
                   event_type=event_type, source=source, target=target)


def without_self_targets(event: Event, article_id: str) -> Event:
    """`event` without the target parties that are one of its sources (the rules can read "Britain,
    the former colonial power, … called for calm in the territory" back to Britain); the party
    models may then find the real one."""
    def same(a: Actor, b: Actor) -> bool:
        return (a.kb_id is not None and a.kb_id == b.kb_id) or (a.name == b.name and a.country == b.country)
    kept = tuple(t for t in event.target if not any(same(t, s) for s in event.source))
    return event if len(kept) == len(event.target) else retargeted(event, kept, article_id)


def act_by(lex: Lexicon, pattern: Pattern, source, target, kb: ActorKB) -> CameoCode:
    """What a trigger means for who does it, and to whom. A crowd's act of force is dissent: protesters
    blocking roads obstruct, they do not blockade (data/crowds.tsv). A state's or an
    organisation's protest is a formal complaint (CAMEO 114), not a demonstration: "Greece
    protested against the overflights". Exercises that show force (150) held by two countries'
    forces together are military cooperation (062): "French and Egyptian warships began war games".
    A state is accused, not prosecuted: "charged Kuwait with stealing oil" (but "charged the
    activist with subversion" is legal action, 173). A state's restriction aimed at another country
    is a sanction on it, not repression: "closed its airspace to Qatari flights"."""
    code = lex.cameo[pattern.cameo]
    if code.code == LEGAL_ACTION_CODE and target and all(_is_state(a) for a in target):
        return lex.cameo[ACCUSATION_CODE]
    if code.code in RESTRICTION_CODES and source and target and all(_is_state(a) or a.sector == "IGO" for a in source) \
            and all(a.country and kb.state_of(a.country) not in {kb.state_of(s.country) for s in source}
                    and a.sector != "MED" for a in target):
        # (Beijing's measures in Hong Kong are China's own; banning a foreign outlet is censorship)
        return lex.cameo[EMBARGO_CODE]
    crowd_code = next((lex.crowd_acts[k] for k in (f"{pattern.lemma} {pattern.obj}", pattern.lemma, pattern.obj) if k in lex.crowd_acts), None)
    if crowd_code and code.plover in CONFLICT_TYPES and source and all(a.sector in CROWD_SECTORS for a in source):
        return lex.cameo[crowd_code]
    if "protest" in (pattern.lemma, pattern.obj) and code.plover == "PROTEST" and source \
            and all(_is_state(a) or a.sector in OFFICIAL_SECTORS for a in source):
        return lex.cameo[OFFICIAL_PROTEST_CODE]
    if code.code == SHOW_OF_FORCE_CODE and len({a.country for a in source}) >= 2 \
            and (pattern.obj or pattern.lemma).split()[-1] in EXERCISE_NOUNS:  # (not forces "squaring off")
        return lex.cameo[JOINT_EXERCISE_CODE]
    return code


OFFICIAL_PROTEST_CODE = "114"
RESTRICTION_CODES = {"170", "172"}  # coercion, administrative sanctions
EMBARGO_CODE = "163"
OFFICIAL_SECTORS = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "IGO", "NGO"}
LEGAL_ACTION_CODE = "173"


def _is_state(actor: Actor) -> bool:
    """A country itself (or its capital standing for its government), not someone in it."""
    return actor.country is not None and actor.kb_id == actor.country and actor.sector in (None, "GOV")


COMMAND_VERBS = word_class("command")
FORCE_SECTORS = {"MIL", "COP"}


def commanded_act(verb):
    """The act a command verb orders done ("ordered troops to pull back": pull back)."""
    if verb.lemma_.lower() not in COMMAND_VERBS:
        return None
    # Someone is told to act: the verb's object ("ordered troops to …"), its passive subject
    # ("troops were ordered to …"), or the act's own subject ("wants Israel to halt", parsed as a
    # clause); "wants to join the talks" commands no one.
    if sends_somewhere(verb):
        return None  # "ordered troops to Saudi Arabia to defend the kingdom": sent, and what for
    told = any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)
    return next((c for c in verb.children if c.pos_ in ("VERB", "AUX") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                 and ((c.dep_ == "xcomp" and told) or (c.dep_ == "ccomp" and any(a.dep_ == "nsubj" for a in c.children)))), None)


def is_own(noun) -> bool:
    """Whether a noun is a party's own ("its troops", "their fighters"; "his counterpart" and "its
    ally Manila" are another's)."""
    return any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children) \
        and noun.lemma_.lower() not in RELATIONAL_NOUNS


def commanders(order, finder: ActorFinder, mentions, ctx: ArticleContext, when: date | None) -> tuple[Actor, ...]:
    """Who orders their own forces to act: in "Putin ordered troops to pull back" the pulling
    back is Russia's, and the order, given within one side, is no event between two parties.
    Nobody for an order to another party ("the UN ordered Serb forces to withdraw" demands)."""
    act = commanded_act(order)
    if act is None:
        return ()
    chiefs = _actors(subject_heads(order)[0], finder, mentions, ctx, when)
    told = subject_heads(act)[0]
    forces = _actors(told, finder, mentions, ctx, when)
    countries = {a.country for a in chiefs} - {None}
    # ("militia leaders ordered their fighters to leave": forces they own are theirs, whatever their sector)
    owned = told and all(map(is_own, told))
    if countries and forces and all((f.sector in FORCE_SECTORS or owned) and f.country in countries | {None} for f in forces):
        return chiefs
    return ()


def verb_arguments(tok, pattern: Pattern, lex: Lexicon) -> tuple[Pattern, list, list]:
    """Source and target heads of the verb event at `tok` (and its pattern, which PLOVER's
    presence rule may recode)."""
    event_type = lex.cameo[pattern.cameo].plover
    src_heads, passive = subject_heads(tok)
    if blames(tok, lex) or threatens_a_penalty(pattern, lex):
        return pattern, [], src_heads  # the one blamed, or told it will pay, is the target; the speaker acts
    tgt_heads = object_heads(tok, pattern, event_type)
    # "Fighting between troops and rebels killed 30", "clashes broke out between A and B": the
    # parties of an event named as subject act (the latter: the subject carries the verb's event).
    subject_is_event = len(src_heads) == 1 and bool(pattern.obj) and pattern.obj.split()[-1] == src_heads[0].lemma_.lower()
    if len(src_heads) == 1:
        parties = _between_parties(src_heads[0]) or (_between_parties(tok) if subject_is_event else [])
        if parties:
            src_heads, tgt_heads = parties, [h for h in tgt_heads if h not in parties]
    moves_instrument = event_type in INSTRUMENT_OBJECT_TYPES or pattern.cameo in INSTRUMENT_OBJECT_CODES
    # ("the delivery of the tanks was completed": the act named as subject keeps its own parties;
    # but "the curfew was lifted" is lifted by someone)
    carries_subject = subject_is_event and (pattern.lemma in lex.support_verbs or pattern.lemma in lex.occurrence_verbs)
    if passive and not (carries_subject and not agent_heads(tok)) and (not moves_instrument or agent_heads(tok)):
        # ("peacekeepers were sent by Italy": those moved are not its target)
        src_heads, tgt_heads = agent_heads(tok), (tgt_heads if moves_instrument else src_heads + tgt_heads)
    if _misparsed_attribution(tok, lex.cameo[pattern.cameo]):
        src_heads, tgt_heads = [tok.head], [h for h in tgt_heads if h.i != tok.head.i]
    if event_type == "AID" and pattern.lemma in lex.receiving_verbs and not passive:
        # "Bangladesh received flood relief from Japan": the giver is in the "from" phrase.
        givers = [h for t in [tok, *(c for c in tok.children if c.dep_ == "dobj")] for p in t.children
                  if p.dep_ == "prep" and p.lower_ == "from" for h in _pobj_heads(p)]
        src_heads, tgt_heads = givers, src_heads
    # ("troops were pulled out of Gorazde": with no agent, those moved are the actor)
    withdrawn = src_heads + [c for c in tok.children if c.dep_ == "dobj"]
    if event_type == "RETREAT" and lex.cameo[pattern.cameo].mode not in ("access", "release") \
            and any(h.lemma_.lower() in PRESENCE_NOUNS for h in withdrawn) and " " not in (pattern.obj or ""):
        # PLOVER: ending a deployment of peacekeepers, observers or aid agencies is a SANCTION
        # (a two-word object the lexicon names says more: "ended its combat mission" retreats).
        pattern, event_type = replace(pattern, cameo=PRESENCE_WITHDRAWAL_CODE), "SANCTION"
    if pattern.lemma in BAN_VERBS and (partners := dealing_partners(tok)):
        # "barred American firms from doing business with Iranian companies": a sanction on those
        # dealt with, not a restriction of the firms barred.
        pattern, tgt_heads = replace(pattern, cameo=TYPE_BASE_CODES["SANCTION"]), partners
    if not tgt_heads and event_type in FRAMING_TYPES:
        tgt_heads = complement_objects(tok, lex, event_type)
    if event_type == "THREATEN":  # "… if Taiwan declared independence"
        tgt_heads += [h for h in _condition_subjects(tok, lex) if h not in tgt_heads]
    return pattern, src_heads, tgt_heads


BAN_VERBS = word_class("ban")


def dealing_partners(ban) -> list:
    """Whom a ban forbids dealing with: "barred firms from trading with Iran" → Iran."""
    return [p for c in ban.children if c.dep_ == "prep" and c.lower_ == "from"
            for act in c.children if act.dep_ == "pcomp"
            for w in act.children if w.dep_ == "prep" and w.lower_ == "with" for p in _pobj_heads(w)]


def _misparsed_attribution(tok, code: CameoCode) -> bool:
    """Whether a verbal act closing a sentence after a comma was parsed as a reduced relative
    ("…, a human rights group protested on Monday": not a group that was protested): the noun
    is its subject."""
    head = tok.head
    return tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD") and (code.quad_class in (1, 3) or code.plover == "PROTEST") \
        and head.pos_ in ("NOUN", "PROPN") and head.left_edge.i > 0 and head.doc[head.left_edge.i - 1].text == "," \
        and not any(c.dep_ in ("agent", "auxpass", "dobj") for c in tok.children)


def is_done_jointly(tok) -> bool:
    """Whether the act at `tok` is said to be done together ("jointly arrested", "struck together",
    "arrested in a joint operation")."""
    return any(c.dep_ == "advmod" and c.lower_ in JOINT_WORDS for c in tok.children) \
        or any(p.dep_ == "prep" and p.lower_ == "in" and any(m.lower_ in JOINT_WORDS for g in p.children if g.dep_ == "pobj" for m in g.children)
               for p in tok.children)


# "used tear gas to disperse …": the object of these verbs is the means, not the one who acts.
INSTRUMENT_VERBS = word_class("instrument")
# ("summoned the ambassador to demand an explanation": the one who summons demands)
SUMMONING_VERBS = word_class("summoning")
BACKGROUND_DEPS = {"relcl", "acl", "advcl", "parataxis", "appos"}
BACKGROUND_PREPS = TIME_PREPS | {"despite", "like", "than", "as"}


def clause_target(tok, src_heads, source, lex, finder, mentions, ctx, when, event_type: str) -> tuple[Actor, ...]:
    """Fallback target: the first other country or organisation named in the event's own clause
    ("agreed to set up a centre in Tokyo", "willing to help defend Saudi Arabia"), leaving out
    the attribution ("…, Al-Monitor reported") and media."""
    excluded = {t.i for head in src_heads for t in head.subtree}
    has_object = any(c.dep_ == "dobj" for c in tok.children)
    for child in tok.children:
        if child.dep_ in ("parataxis", "ccomp", "advcl") and lex.cue("speech", child.lemma_.lower()):
            excluded |= {t.i for t in child.subtree}
        if has_object and child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            # "condemned the attack and called on the Council to meet": the second act's parties
            # (but "shot and killed two gunmen" share theirs)
            excluded |= {t.i for t in child.subtree}
    # Background clauses and circumstances name other parties: "Idlib, seized by militants linked
    # to al-Qaeda", "following a Turkish invasion".
    adversary = adversary_preps(event_type)
    # ("China and Taiwan met in Singapore", "… on the sidelines of the G20 summit": where a pair
    # met is no party to it, though a host is)
    venues = VENUE_PREPS if event_type in VENUE_TYPES and len({a.country for a in source}) >= 2 else set()
    for t in tok.subtree:
        if t.i != tok.i and (t.dep_ in BACKGROUND_DEPS or (t.dep_ in ("prep", "advmod") and t.lower_ in BACKGROUND_PREPS)
                             or (t.dep_ == "prep" and t.lower_ in adversary | venues) or is_reason_phrase(t)):
            excluded |= {d.i for d in t.subtree}
    seen = set()
    for t in tok.subtree:
        mention = mentions.get(t.i)
        if t.i in excluded or mention is None or id(mention) in seen or is_relation_possessor(t) \
                or t.head.lemma_.lower() in BOUNDARY_NOUNS or names_a_backer(mention, t.doc):
            continue  # "on the Thai border" names a place; "an Iranian-backed militia" is no Iranian
        seen.add(id(mention))
        if mention.entry.kind == "person":
            continue
        for actor in resolve_actor(t.doc[mention.end - 1], finder, mentions, ctx, when):
            if actor.country and actor.sector != "MED" and actor not in source and not any(_same_side(actor, s) for s in source):
                # "… for Romania and Poland": the named party and those coordinated with it.
                return _actors(with_conjuncts(t.doc[mention.end - 1]), finder, mentions, ctx, when)
    return ()


def event_clause(trigger, lex: Lexicon) -> set[int]:
    """Token indices of the clause an event is told in, without its attribution: in "rebels
    shelled Juba, relief officials in Nairobi said", Nairobi is where it was said, not done."""
    top = trigger
    while top.head.i != top.i and not (top.dep_ in ("ccomp", "parataxis") and lex.cue("speech", top.head.lemma_.lower())):
        top = top.head
    tokens = {t.i for t in top.subtree}
    for t in top.subtree:
        if t.i != trigger.i and t.dep_ in ("ccomp", "parataxis", "advcl") and lex.cue("speech", t.lemma_.lower()) \
                and trigger not in t.subtree:
            tokens -= {d.i for d in t.subtree}
        # ("sealed off Gaza after a suicide bombing in Tel Aviv": where what came before happened;
        # "during a raid in Serbia" is where it happened)
        if t.dep_ == "prep" and t.lower_ in TIME_PREPS - {"during", "amid"} and t.head.i == trigger.i:
            tokens -= {d.i for d in t.subtree}
    return tokens


def complement_objects(tok, lex: Lexicon, event_type: str) -> list:
    """'refused to meet Jordan's king', 'urged Israel to withdraw': the target of a framing
    verb without its own object is the object of its complement clause; a demand is made of
    the subject of its clause ('demanded that the president resign')."""
    for child in tok.children:
        if child.dep_ == "ccomp" and event_type == "REQUEST":
            subjects, passive = subject_heads(child)
            if subjects and not passive:
                return subjects
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            pattern = lex.match_verb(child) or Pattern(child.lemma_.lower(), (), None, False, "")
            heads = object_heads(child, pattern, "")
            if heads:
                return heads
    # "called for sanctions against Nigeria", "rejected talks with the rebels": the target of
    # the act asked for or refused.
    nouns = [c for c in tok.children if c.dep_ == "dobj"]
    nouns += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for noun in nouns:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS - venue_preps(event_type):
                heads = _pobj_heads(prep)
                if heads:
                    return heads
    return []


STATE_SECTORS = {None, "GOV", "MIL", "COP", "LEG", "JUD", "SPY"}


def _same_side(a: Actor, b: Actor) -> bool:
    return a.country is not None and a.country == b.country and a.sector in STATE_SECTORS and b.sector in STATE_SECTORS
