"""factuality: what the clause an event sits in says about it.

Negation, denial, report and allegation, condition and intent come from the clause's own words
and from the verbs it is the complement of (cues in data/factuality.tsv): "X denied that it fired
on Y" is a denied ASSAULT, never an asserted one. A promised or conditional act is reframed as the
threat or the intent it is (`reframe`); a conflict act told by someone other than its source is
reported or alleged (`_attributed`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..actors import Mention
from ..datafiles import word_class
from ..types import Actor
from .lexicon import CameoCode, Lexicon, Pattern, _pobj_heads, lexicon_readings

# Strongest first: a denial outranks everything, a plain assertion is what is left.
FACTUALITY_PRIORITY = ("denied", "negated", "conditional", "alleged", "reported", "intent", "asserted")
# Words that mark a speaker as a news medium (their reports are "reported", not "asserted").
MEDIA_WORDS = word_class("media")
COMPLEMENT_DEPS = {"ccomp", "xcomp", "pcomp", "pobj", "prep", "acl", "dobj", "oprd", "acomp"}
CLIMB_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "pobj", "prep", "acl", "relcl", "dobj", "oprd", "acomp"}


def _is_media(tok, mentions: dict[int, Mention]) -> bool:
    mention = mentions.get(tok.i)
    if mention and mention.entry.sector == "MED":
        return True
    return tok.lemma_.lower() in MEDIA_WORDS


@dataclass(frozen=True)
class Clause:
    """What the clause around an event says about it."""

    factuality: str
    speech: object | None = None  # the speaking verb ("said") whose subject is the speaker
    committed: bool = False  # future or promised ("will strike", "pledged to send")
    obligated: bool = False  # demanded ("Iraq must cooperate")
    governor: object | None = None  # the event verb this one complements ("urged X to withdraw")
    declined: bool = False  # under "failed to", "refused to", "declined to"
    decided: bool = False  # under "decided to", "announced it would": a decision, not a warning


def lexical_triggers(sent, lex: Lexicon, mentions: dict[int, Mention]) -> tuple[tuple[str, str], ...]:
    """(PLOVER type, factuality of its clause) of every lexicon reading in the sentence, whatever
    the rules made of it: "promised to withdraw" is an intended RETREAT."""
    return tuple((t, clause_factuality(tok, lex, mentions).factuality) for tok, t in lexicon_readings(sent, lex))


def clause_factuality(tok, lex: Lexicon, mentions: dict[int, Mention]) -> Clause:
    """Factuality of the event at `tok` from its negation, modals, adverbs, conditions and the
    verbs it is the complement of."""
    labels = set()
    committed = obligated = declined = decided = readied = False
    if any(c.dep_ == "neg" for c in tok.children):
        labels.add("negated")
    # ("said it would accept the ruling and hand back the town": a conjunct with no subject or
    # auxiliary of its own shares its head's)
    shared = [c for c in tok.head.children if c.dep_ in ("aux", "auxpass")] if tok.dep_ == "conj" \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in tok.children) else []
    for child in [*tok.children, *shared]:
        if child.dep_ in ("aux", "auxpass"):
            for kind in ("aux", "commit", "obligate"):
                if lex.cue(kind, child.lower_):
                    labels.add(lex.cue(kind, child.lower_))
                    committed |= kind == "commit"
                    obligated |= kind == "obligate"
        if child.dep_ == "advmod" and lex.cue("adverb", child.lower_):
            labels.add(lex.cue("adverb", child.lower_))
        if child.dep_ == "advcl" and is_condition(child, lex):
            labels.add("conditional")
    if tok.dep_ == "advcl" and is_condition(tok, lex):
        labels.add("conditional")
    if is_headline_future(tok):
        # a headline's "Japan to give Ukraine $4.5 billion": what is promised, or decided
        # ("Russia to expel 10 British diplomats")
        labels.add("intent")
        committed = decided = True
    if is_purpose(tok, lex):
        labels.add("intent")  # "sent troops to Mali to fight the rebels": the fighting is the aim
    speech = governor = None
    cur = tok
    # ("dispersed students protesting fee rises": a noun's ongoing act is its own, not what the
    # verb governing the noun is about)
    while cur.dep_ in CLIMB_DEPS and cur.head.i != cur.i and not (cur.dep_ == "acl" and cur.tag_ == "VBG"):
        gov = cur.head
        lemma = gov.lemma_.lower()
        complement = cur.dep_ in COMPLEMENT_DEPS
        # ("announced it would ban" decides; "announced it was prepared to ban" only threatens)
        decided |= cur.dep_ in ("ccomp", "xcomp") and bool(lex.cue("decide", lemma)) and not readied
        readied |= complement and bool(lex.cue("commit", lemma)) and not lex.cue("decide", lemma)
        if complement:
            if gov.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in gov.children):
                labels.add("negated")  # "has no intention of halting", "no plans to withdraw"
            for kind in ("governor", "commit"):
                cue = lex.cue(kind, lemma)
                if cue:
                    labels.add(cue)
                    committed |= kind == "commit"
                    declined |= kind == "governor" and cue == "negated"
            for aux in gov.children:
                if aux.dep_ == "aux" and lex.cue("commit", aux.lower_):
                    labels.add("intent")
                    committed = True
                # "the US must be ready to mediate": the obligation reaches through the copula.
                if aux.dep_ == "aux" and lex.cue("obligate", aux.lower_) and governor is None:
                    labels.add(lex.cue("obligate", aux.lower_))
                    obligated = True
            if governor is None and gov.pos_ in ("VERB", "AUX") and gov.i != tok.i and lex.match_verb(gov):
                governor = gov
        for c in gov.children:
            if c.dep_ == "advmod" and lex.cue("adverb", c.lower_):
                labels.add(lex.cue("adverb", c.lower_))
        if lex.cue("speech", lemma) and speech is None and cur.dep_ in ("ccomp", "xcomp", "conj", "advcl", "acl") \
                and (lemma not in FINDING_VERBS or _is_finite(cur)):  # not "may find themselves working"
            speech = gov
            subj = [c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")]
            passive = any(c.dep_ == "auxpass" for c in gov.children) or (subj and subj[0].dep_ == "nsubjpass")
            if passive or (subj and _is_media(subj[0], mentions)):
                labels.add("reported")
        cur = gov
    if speech is None and (source_phrase := attribution_phrase(tok)) is not None:
        speech = source_phrase  # "…, according to the Russian presidency"
        if any(_is_media(p, mentions) for p in _attributed_to(source_phrase)):
            labels.add("reported")
    factuality = next((label for label in FACTUALITY_PRIORITY if label in labels), "asserted")
    return Clause(factuality, speech, committed, obligated, governor, declined, decided)


def is_headline_future(tok) -> bool:
    """A headline's infinitive telling what is to come ("Japan to give Ukraine aid", "Xi, Biden to
    meet next week"), with no finite verb above it."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and (
        tok.dep_ == "ROOT" or (tok.dep_ in ("relcl", "acl") and tok.head.dep_ == "ROOT" and tok.head.pos_ in ("NOUN", "PROPN")))


def attribution_phrase(tok):
    """The "according to X" phrase a clause's statement is attributed by, on the event or any
    verb it hangs from."""
    cur = tok
    while True:
        phrase = next((c for c in cur.children if c.dep_ == "prep" and c.lower_ == "according"), None)
        if phrase is not None or cur.dep_ not in CLIMB_DEPS or cur.head.i == cur.i:
            return phrase
        cur = cur.head


def _attributed_to(according) -> list:
    return [p for c in according.children if c.dep_ == "prep" and c.lower_ == "to" for p in _pobj_heads(c)]


def _is_finite(verb) -> bool:
    return verb.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("aux", "auxpass") and c.lower_ != "to" for c in verb.children)


def is_purpose(clause_head, lex: Lexicon) -> bool:
    """Whether a clause is the infinitive an act is done for ("… to fight drug traffickers").
    Protesting is the exception: "boycotted classes to protest" protests by boycotting."""
    if clause_head.dep_ not in ("advcl", "xcomp") or clause_head.head.pos_ not in ("VERB", "AUX") \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause_head.children):
        return False
    if clause_head.dep_ == "xcomp" and not sends_somewhere(clause_head.head):
        return False  # ("ordered troops to Riyadh to defend it" may be parsed so; "agreed to withdraw" is no purpose)
    own = lex.match_verb(clause_head)
    return own is None or lex.cameo[own.cameo].plover != "PROTEST"


DESTINATION_PREPS = frozenset({"to", "into"})


def sends_somewhere(verb) -> bool:
    """Whether the verb names where something goes ("ordered troops to Saudi Arabia", "ordered
    paratroopers into Kazakhstan", which the parser may hang on the object)."""
    sent = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    return any(p.dep_ == "prep" and p.lower_ in DESTINATION_PREPS and _pobj_heads(p) for t in sent for p in t.children)


def is_condition(clause_head, lex: Lexicon) -> bool:
    """Whether an adverbial clause is a condition ("if provoked", "unless Baghdad accepts")."""
    return any(m.dep_ == "mark" and lex.cue("mark", m.lower_) == "conditional" for m in clause_head.children)


def _threatens_on_condition(tok, lex: Lexicon) -> bool:
    """Whether what a threatening verb says will happen hangs on a condition."""
    return any(g.dep_ == "advcl" and is_condition(g, lex)
               for c in tok.children if c.dep_ in ("ccomp", "xcomp") for g in c.children)


def _asserts_rather_than_demands(tok, pattern: Pattern, lex: Lexicon) -> bool:
    """'insisted that Iran never threatened anyone' asserts; 'insisted that Iran must withdraw'
    (or 'insisted on a withdrawal') demands."""
    if pattern.specificity > 1 or lex.cameo[pattern.cameo].plover != "REQUEST" or not lex.cue("speech", tok.lemma_.lower()):
        return False
    clauses = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis")]
    return bool(clauses) and not any(_obligated(c, lex) for c in clauses)


def _promises_an_act(tok, lex: Lexicon) -> bool:
    return bool(lex.cue("commit", tok.lemma_.lower())) and any(c.dep_ == "xcomp" for c in tok.children)


def _obligated(tok, lex: Lexicon) -> bool:
    """'… that Iran must withdraw', or a subjunctive: '… that NATO halt its bombing'."""
    if any(c.dep_ == "aux" and lex.cue("obligate", c.lower_) for c in tok.children):
        return True
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    return tok.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) \
        and bool(subjects) and subjects[0].lower_ not in ("i", "we", "you", "they")


# A promised or conditional act of force is a THREATEN; a promised cooperative act an AGREE
# (PLOVER: "agree to, offer, promise … willingness to cooperate"; CAMEO 03 "express intent to").
THREAT_CODE = "130"
THREAT_CODES = {"SANCTION": "1312", "PROTEST": THREAT_CODE, "COERCE": "138", "MOBILIZE": "138", "ASSAULT": "138"}
# A measure decided or announced ("the EU decided it would ban imports") is that measure, intended;
# said as a warning ("warned it would") or on a condition it is a threat.
DECIDED_TYPES = {"SANCTION", "COERCE", "MOBILIZE"}
INTENT_CODES = {"AID": "033", "COOPERATE": "031", "CONSULT": "036", "RETREAT": "030", "CONCEDE": "030", "SUPPORT": "030"}
FINDING_VERBS = word_class("finding")


def reframe(code: CameoCode, clause: Clause, lex: Lexicon) -> CameoCode:
    """The event a clause really reports: 'will strike if provoked' is a THREATEN, 'pledged to
    send aid' an AGREE; a negated, denied or merely reported act keeps its own type."""
    if clause.factuality == "conditional" or (clause.committed and clause.factuality in ("intent", "reported", "alleged")):
        if clause.decided and code.plover in DECIDED_TYPES and clause.factuality != "conditional":
            return code
        if code.plover in THREAT_CODES:
            return lex.cameo[THREAT_CODES[code.plover]]
        if clause.factuality == "conditional" and code.plover == "REJECT":
            return lex.cameo[THREAT_CODE]  # "would block the bid unless …": a refusal held over them
        if code.plover in INTENT_CODES:
            return lex.cameo[INTENT_CODES[code.plover]]
    if is_refusal(code, clause):
        # "would never negotiate with the PLO", "will not sign": a refusal (PLOVER REJECT).
        return lex.cameo[REFUSAL_CODES.get(code.plover, "120")]
    return code


REFUSAL_CODES = {"CONSULT": "125"}


def is_refusal(code: CameoCode, clause: Clause) -> bool:
    """A cooperative act promised never to happen, or failed or declined ("failed to reach
    agreement": CAMEO codes 'fail' as a rejection)."""
    return clause.factuality == "negated" and (clause.committed or clause.declined) and code.quad_class in (1, 2)


def _attributed(factuality: str, speaker: Actor | None, source, target, code: CameoCode) -> str:
    """A conflict act told by someone other than its source: the injured party's account is
    'alleged', a third party's is 'reported'. The source's own account stays as it is."""
    if factuality != "asserted" or speaker is None or code.quad_class < 3:
        return factuality
    sources = {a.country for a in source}
    if speaker.country and speaker.country in sources or speaker in source:
        return factuality
    if speaker.country and speaker.country in {a.country for a in target}:
        return "alleged"
    return "reported"
