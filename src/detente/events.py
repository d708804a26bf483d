"""events: parsed sentences → `Event`s (PLOVER type, mode, CAMEO, QuadClass, Goldstein, actors,
factuality, speaker, confidence, evidence sentence and offsets).

Structure comes from the dependency parse: the verb (or event noun) is looked up in the verb
lexicon (data/verbs.tsv), its subject gives the source and its object or prepositional object the
target. Factuality comes from the clause the event sits in (data/factuality.tsv): "X denied that
it fired on Y" is a denied ASSAULT, never an asserted one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .actors import (BOUNDARY_NOUNS, IMPLIED_ATTACKERS, IMPLIED_AUTHORITIES, RELATIONAL_NOUNS, ActorFinder, ActorKB,
                     ArticleContext, Mention, is_backer_modifier, is_implied, is_relation_possessor, names_a_backer,
                     resolve_actor, with_conjuncts)
from .datafiles import read_table, word_class, word_classes
from .nlp import verb_particles
from .types import Actor, Event

# Strongest first: a denial outranks everything, a plain assertion is what is left.
FACTUALITY_PRIORITY = ("denied", "negated", "conditional", "alleged", "reported", "intent", "asserted")
CONFLICT_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "SANCTION"}
# Verbs that describe an encounter between parties: a coordinated subject is both sides.
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Verbal acts about another act: their target is often the actor of the act they frame.
FRAMING_TYPES = {"REQUEST", "REJECT", "THREATEN", "AGREE", "SUPPORT"}
# Framing verbs whose complement is only what they demand, refuse, threaten or protest for.
CONTENT_FRAMING_TYPES = {"REQUEST", "REJECT", "THREATEN", "PROTEST"}
INSTRUMENT_OBJECT_TYPES = {"MOBILIZE", "RETREAT"}
# ... and of peacekeeping (CAMEO 074): peacekeepers sent are the sender's means, not its target.
INSTRUMENT_OBJECT_CODES = {"074"}
# Event nouns whose adjective or compound modifier names the actor ("Russian airstrikes").
MODIFIER_ACTOR_TYPES = CONFLICT_TYPES | {"PROTEST"}
# Event nouns whose "of" phrase is the actor ("the withdrawal of Syrian troops", "the visit of").
INTRANSITIVE_NOMINAL_TYPES = {"RETREAT", "MOBILIZE", "CONSULT"}
SEIZURE_CODES = {"171", "192"}
RETURN_CODES = {"084", "0841"}  # ... but what is returned or released is no actor ("the release of the hostages")
NEEDS_TARGET = {"ASSAULT", "ACCUSE", "THREATEN", "COERCE", "REQUEST", "SANCTION", "AID", "REJECT"}
SUBJECT_DEPS = {"nsubj"}
CROWD_SECTORS = {"CVL", "OPP", "REF"}
# CAMEO's [---]: a pattern that matches a figurative use and codes nothing.
NOT_AN_EVENT = "---"
SUPPORT_PREPS = {"on", "in", "into"}
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
# Words that mark a speaker as a news medium (their reports are "reported", not "asserted").
MEDIA_WORDS = word_class("media")
COMPLEMENT_DEPS = {"ccomp", "xcomp", "pcomp", "pobj", "prep", "acl", "dobj", "oprd", "acomp"}
CLIMB_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "pobj", "prep", "acl", "relcl", "dobj", "oprd", "acomp"}

# Confidence model: a base per pattern specificity, adjusted for how complete the actors are.
# Calibrated by hand on the project's factuality/actor test sentences; re-run `detente eval --sweep`.
BASE_CONFIDENCE = {1: 0.55, 2: 0.7, 3: 0.8}
BOTH_ACTORS_BONUS = 0.15
NO_SOURCE_PENALTY = 0.25
NO_TARGET_PENALTY = 0.15
UNKNOWN_COUNTRY_PENALTY = 0.1
NOMINAL_PENALTY = 0.1


def quad_class_of(cameo: str) -> int:
    root = int(cameo[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


@dataclass(frozen=True)
class CameoCode:
    code: str
    plover: str
    mode: str | None
    goldstein: float
    label: str

    @property
    def quad_class(self) -> int:
        return quad_class_of(self.code)


@dataclass(frozen=True)
class Pattern:
    lemma: str
    preps: tuple[str, ...]
    obj: str | None
    nominal: bool
    cameo: str
    # "~strike": an event noun that codes only as the object of a support verb ("staged a strike").
    object_only: bool = False

    @property
    def specificity(self) -> int:
        return 1 + bool(self.preps) + (len(self.obj.split()) if self.obj else 0)


def parse_pattern(text: str, cameo: str) -> Pattern:
    nominal = text[0] in "@~"
    words = text[1:].split() if nominal else text.split()
    obj = next((w[1:].replace("_", " ") for w in words if w.startswith("=")), None)  # "=peacekeeping_troop"
    rest = [w for w in words if not w.startswith("=")]
    return Pattern(" ".join(rest).lower() if nominal else rest[0].lower(),
                   () if nominal else tuple(w.lower() for w in rest[1:]), obj, nominal, cameo, text[0] == "~")


def pattern_key(pattern: Pattern) -> tuple:
    return pattern.nominal, pattern.lemma, pattern.preps, pattern.obj


def expand_pattern(text: str, cameo: str, classes: dict[str, list[str]],
                   object_classes: Mapping[str, Sequence[str]] | None = None) -> list[Pattern]:
    """The patterns a verbs.tsv row stands for: itself, or one per verb of its "$class" and one per
    noun of its "=%class" object (a class of data/word_classes.tsv: "sign =%accord")."""
    if "=%" in text:
        name = text.split("=%", 1)[1].split()[0]
        if name not in (object_classes or {}):
            raise ValueError(f"verbs.tsv: pattern {text!r} uses unknown object class {name!r}")
        return [p for noun in object_classes[name]
                for p in expand_pattern(text.replace(f"=%{name}", "=" + noun.replace(" ", "_")), cameo, classes)]
    if not text.startswith("$"):
        return [parse_pattern(text, cameo)]
    name, _, rest = text[1:].partition(" ")
    if name not in classes:
        raise ValueError(f"verbs.tsv: pattern {text!r} uses unknown verb class {name!r}")
    return [parse_pattern(f"{verb} {rest}", cameo) for verb in classes[name]]


@dataclass
class Lexicon:
    verbs: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, Pattern] = field(default_factory=dict)
    # Verbs that take their event from their object ("launched a mediation effort", "staged a
    # hunger strike") and nouns that pass the event through ("a series of attacks").
    support_verbs: set[str] = field(default_factory=set)
    container_nouns: set[str] = field(default_factory=set)
    # Verbs that take their event from their subject ("fighting broke out", "talks resumed").
    occurrence_verbs: set[str] = field(default_factory=set)
    crowd_acts: dict[str, str] = field(default_factory=dict)
    # Verbs that tell a transfer from the recipient's side ("received aid from Japan").
    receiving_verbs: set[str] = field(default_factory=set)
    # Event nouns read as their verb with their "of" object ("the withdrawal of the bill").
    noun_verbs: dict[str, str] = field(default_factory=dict)
    cameo: dict[str, CameoCode] = field(default_factory=dict)
    cues: dict[tuple[str, str], str] = field(default_factory=dict)
    _memo_doc: object = field(default=None, repr=False, compare=False)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls) -> "Lexicon":
        lex = cls()
        for row in read_table("cameo.tsv"):
            code = row["cameo"]
            lex.cameo[code] = CameoCode(code, row["plover"], row["mode"] or None, float(row["goldstein"]), row["label"])
        classes: dict[str, list[str]] = defaultdict(list)
        for row in read_table("verb_classes.tsv"):
            classes[row["class"]].append(row["verb"])
        lex.receiving_verbs = set(classes["receive"])
        rows = []
        for row in read_table("verbs.tsv"):
            text, code = row["pattern"], row["cameo"]
            if code not in lex.cameo and code != NOT_AN_EVENT:
                raise ValueError(f"verbs.tsv: pattern {text!r} uses unknown CAMEO code {code}")
            rows.append((text.startswith("$"), expand_pattern(text, code, classes, word_classes())))
        explicit = {pattern_key(p) for from_class, patterns in rows if not from_class for p in patterns}
        for from_class, patterns in rows:
            for pattern in patterns:
                if from_class and pattern_key(pattern) in explicit:
                    continue  # a verb's own pattern wins over its class's ("provide =aid")
                if pattern.nominal:
                    lex.nouns[pattern.lemma] = pattern
                else:
                    lex.verbs[pattern.lemma].append(pattern)
        for row in read_table("factuality.tsv"):
            lex.cues[(row["kind"], row["word"])] = row["label"]
        kinds = {"verb": lex.support_verbs, "container": lex.container_nouns, "occurrence": lex.occurrence_verbs}
        for row in read_table("support.tsv"):
            kinds[row["kind"]].add(row["word"])
        for row in read_table("nominalizations.tsv"):
            if not any(p.obj for p in lex.verbs.get(row["verb"], ())):
                raise ValueError(f"nominalizations.tsv: {row['noun']!r} names a verb with no object patterns: {row['verb']!r}")
            lex.noun_verbs[row["noun"]] = row["verb"]
        for row in read_table("crowds.tsv"):
            if row["cameo"] not in lex.cameo:
                raise ValueError(f"crowds.tsv: {row['trigger']!r} uses unknown CAMEO code {row['cameo']}")
            lex.crowd_acts[row["trigger"]] = row["cameo"]
        return lex

    def standalone_noun(self, tok) -> Pattern | None:
        """The nominal trigger `tok` is, if it may code on its own ("talks between A and B")."""
        pattern = self.event_noun(tok)
        # (a noun that codes only after a support verb does on its own once its doer and what it
        # acts on are named: "Iran's release of the sailors", "the demolition of homes by Israeli
        # troops"; "Russia's warning reflects …" refers back to an event told before)
        return None if pattern is None or (pattern.object_only and not names_doer_and_object(tok)) else pattern

    def event_noun(self, tok) -> Pattern | None:
        """The event `tok` names as a noun, alone or not ("talks", "the release of the sailors")."""
        pattern = next((self.nouns[k] for k in (*hyphenated(tok), tok.lemma_.lower()) if k in self.nouns), None)
        return None if pattern is None else self._as_event(tok, pattern)

    def _as_event(self, noun, pattern: Pattern) -> Pattern | None:
        """An event noun's reading (see read_as_verb), or None for a noun that codes only through its
        verb and object ("the delivery of aid" is aid; a delivery of anything else is no event)."""
        reading = self.read_as_verb(noun, pattern)
        return None if reading.cameo == NOT_AN_EVENT else reading

    def read_as_verb(self, noun, pattern: Pattern) -> Pattern:
        """An event noun's pattern, or its verb's with the noun's "of" object where the verb has one:
        "the withdrawal of the finance bill" yields as "withdraw =bill" does; "the closure of the
        embassy" reduces relations as "close =embassy" does."""
        verb = self.noun_verbs.get(pattern.lemma)
        if verb is None:
            return pattern
        keys = [k for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for g in _pobj_heads(p)
                for k in self.noun_keys(g)]
        reading = max((p for p in self.verbs.get(verb, ()) if p.obj in keys and not p.preps and p.cameo != NOT_AN_EVENT),
                      key=lambda p: (p.specificity, -keys.index(p.obj)), default=None)
        return pattern if reading is None else replace(pattern, cameo=reading.cameo)

    def cue(self, kind: str, word: str) -> str | None:
        return self.cues.get((kind, word.lower()))

    def expulsion(self, object_keys: list[str]) -> Pattern:
        """How expelling what `object_keys` name codes ("expel =diplomat"; anyone else: expel)."""
        return next((p for k in object_keys for p in self.verbs["expel"] if p.obj == k and not p.preps),
                    self.bare_pattern("expel"))

    def bare_pattern(self, lemma: str) -> Pattern | None:
        """The verb's pattern with neither particle nor object ("order" alone: a demand)."""
        return next((p for p in self.verbs.get(lemma, []) if not p.preps and not p.obj), None)

    def match_verb(self, tok) -> Pattern | None:
        """The most specific lexicon pattern the verb at `tok` matches (memoised per document:
        coding a sentence asks about the same verbs several times)."""
        pattern = self._memoised_match(tok)
        return None if pattern is not None and pattern.cameo == NOT_AN_EVENT else pattern

    def knows(self, tok) -> bool:
        """Whether the lexicon has a reading of `tok`: an event it triggers, or a use of the verb
        that codes nothing ("fight =poverty")."""
        return self._memoised_match(tok) is not None or self.standalone_noun(tok) is not None

    def _memoised_match(self, tok) -> Pattern | None:
        if self._memo_doc is not tok.doc:
            self._memo_doc, self._memo = tok.doc, {}
        if tok.i not in self._memo:
            self._memo[tok.i] = self._match_verb(tok)
        return self._memo[tok.i]

    def _match_verb(self, tok) -> Pattern | None:
        lemma = next((f for f in verb_forms(tok) if f in self.verbs or f in self.support_verbs or f in self.occurrence_verbs), None)
        candidates = self.verbs.get(lemma, [])
        if not candidates and lemma not in self.support_verbs and lemma not in self.occurrence_verbs:
            return _done_in_protest(tok)
        particles = governed_preps(tok)
        preps = {c.lower_ for c in particles}
        # ("signed an order on Monday" is no "sign on", but "arrived for three days of talks" is "arrive for =talk")
        untimed = {c.lower_ for c in particles if not any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in c.children)}
        objs = self.object_lemmas(tok)
        direct = None  # the direct objects' keys, read only when two patterns compete

        def rank(pattern: Pattern) -> tuple:
            nonlocal direct
            if pattern.obj and direct is None:
                direct = self.object_lemmas(tok, set())
            # (what is sent says more than where: "dispatched warships to waters off Taiwan")
            return (pattern.specificity, bool(pattern.obj), bool(pattern.obj) and pattern.obj in direct,
                    pattern.obj not in self.container_nouns)

        prep_objs: dict[tuple, list[str]] = {}  # what each preposition set governs, read once

        best = None
        for pattern in candidates:
            if pattern.preps and not set(pattern.preps) <= (preps if pattern.obj else untimed):
                continue
            # ("pulled out of three villages under the accord" is no "pull out of =accord")
            if pattern.obj and pattern.preps and pattern.preps not in prep_objs:
                prep_objs[pattern.preps] = self.object_lemmas(tok, set(pattern.preps))
            if pattern.obj and pattern.obj not in (prep_objs[pattern.preps] if pattern.preps else objs):
                continue
            # On a tie an object says more than a preposition ("fired tear gas at" is not "fired
            # at"), a direct object more than another, and what a container holds more than the
            # container ("a mission of observers").
            if best is None or rank(pattern) > rank(best):
                best = pattern
        if best is not None and best.cameo == NOT_AN_EVENT:
            return best  # "fight famine", "strike a chord": the verb's figurative use
        if lemma in self.support_verbs and (best is None or best.specificity < 2):
            # "went on strike", "took part in talks", but not "ordered patrols after protests".
            best = self._carried_event(lemma, self.object_nouns(tok, SUPPORT_PREPS)) or best
        if best is None:
            best = _done_in_protest(tok)
        if lemma in self.occurrence_verbs and best is None and not any(c.dep_ == "xcomp" for c in tok.children):
            # ("talks resumed"; but "peacekeepers began leaving": the leaving is the event)
            best = self._carried_event(lemma, [c for c in tok.children if c.dep_ == "nsubj"])
        return best

    def _carried_event(self, lemma: str, heads) -> Pattern | None:
        """The verb's pattern for the first event noun among `heads` that it carries ("staged a
        hunger strike", "the deployment of peacekeepers began")."""
        found = next(((h, self.nouns[k]) for h in heads for k in self.noun_keys(h) if k in self.nouns), None)
        noun = None if found is None else self._as_event(*found)
        return None if noun is None else Pattern(lemma, (), noun.lemma, False, noun.cameo)

    def object_lemmas(self, tok, preps=None) -> list[str]:
        """Lemmas of what a verb acts on: its objects (with conjuncts), its prepositional objects
        (only under `preps` if given), and what a container noun holds ("a series of attacks",
        "a mediation effort", "tons of food aid"); a modified noun also gives its two-word name
        ("hunger strike", "ethnic cleansing")."""
        return [key for head in self.object_nouns(tok, preps) for key in self.noun_keys(head)]

    @staticmethod
    def object_nouns(tok, preps=None) -> list:
        """The noun heads object_lemmas reads."""
        heads = []
        for child in [*tok.children, *(p for p in governed_preps(tok) if p.head.i != tok.i)]:
            if child.dep_ in ("dobj", "dative"):
                # ("designated the Houthis a terrorist organisation", parsed as an apposition)
                heads.extend(a for a in child.children if a.dep_ == "appos" and any(d.lower_ in ("a", "an") for d in a.children))
            if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd") or (child.dep_ == "ccomp" and child.pos_ == "ADJ"):
                heads.extend(with_conjuncts(child))
            elif child.dep_ == "ccomp" and is_small_clause(child):  # "let inspectors visit the sites": its subject
                # (and what it is said to be: "considers the militia to be a terrorist group")
                heads.extend(s for c in child.children if c.dep_ in ("nsubj", "attr") for s in with_conjuncts(c))
            elif child.dep_ in ("prep", "prt", "agent") and (preps is None or child.lower_ in preps) \
                    and child.lower_ not in TIME_PREPS and (preps is not None or not is_reason_phrase(child)):
                # ("halt the bombing before any talks"; "suspended the treaty over the security law":
                # what it is about is not what it acts on)
                heads.extend(g for g in child.children if g.dep_ == "pobj")
        # ("began in March": a month is no march; but "three days of talks")
        return [h for h in heads if not (h.pos_ == "PROPN" and h.ent_type_ in ("DATE", "TIME"))]

    def contents(self, head) -> list[tuple[str, object]]:
        """What a container noun holds, by preposition ("a barrage of rockets", "$5 million in aid",
        "responsibility for the bombing")."""
        if head.lemma_.lower() not in self.container_nouns:
            return []
        return [(p.lower_, g) for p in head.children if p.dep_ == "prep" and p.lower_ in ("of", "in", "for")
                for g in p.children if g.dep_ == "pobj"]

    def noun_keys(self, head) -> list[str]:
        """A noun's lexicon keys, read through a container ("a contingent of peacekeepers")."""
        out = _noun_keys(head)
        # ("a ship loaded with aid", "planes carrying troops": what a carrier holds)
        out.extend(key for load in _loads(head) for g in _cargo(load) for key in _noun_keys(g))
        container = head.lemma_.lower()
        if container in self.container_nouns:
            held = self.contents(head)
            # ("the state of siege": the whole name first, then what the container holds)
            out.extend(f"{container} of {g.lemma_.lower()}" for prep, g in held if prep == "of")
            out.extend(c.lemma_.lower() for c in head.children if c.dep_ == "compound")
            out.extend(key for _, g in held for key in _noun_keys(g))
        return out


def _done_in_protest(tok) -> Pattern | None:
    """An act the lexicon has no reading of, done "in protest" ("burned their headscarves in
    protest at …", "walked off the pitch in protest"), is dissent."""
    if any(p.dep_ == "prep" and p.lower_ == "in" and any(g.lemma_.lower() == "protest" for g in p.children if g.dep_ == "pobj")
           for p in tok.children):
        return Pattern(tok.lemma_.lower(), ("in",), "protest", False, DISSENT_CODE)
    return None


DISSENT_CODE = "140"
CARGO_VERBS = word_class("cargo")
OF_OBJECT_VERBS = word_class("of_object")


def governed_preps(tok) -> list:
    """The particles and prepositions a verb governs, with the "of" phrase the parser hangs on the
    object of some verbs ("stripped 94 opponents of their citizenship", "assured Lebanon of support")."""
    particles = verb_particles(tok)
    if tok.lemma_.lower() in OF_OBJECT_VERBS:
        particles += [p for o in tok.children if o.dep_ == "dobj" for p in o.children if p.dep_ == "prep" and p.lower_ == "of"]
    return particles


def _loads(noun) -> list:
    """The "loaded with …" or "carrying …" clauses telling what a carrier holds."""
    return [a for a in noun.children if a.dep_ == "acl" and a.lemma_.lower() in CARGO_VERBS]


def _cargo(carrying) -> list:
    """What a carrier's "loaded with …" or "carrying …" holds."""
    return [g for c in carrying.children if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "with")
            for g in ([c] if c.dep_ == "dobj" else c.children) if g.dep_ in ("dobj", "pobj")]


def is_small_clause(clause_head) -> bool:
    """A subject with a verb and no auxiliary or conjunction of its own ("let inspectors visit",
    "found the president guilty"; "shortened the curfew imposed in …" is one misparsed so), not a
    clause: in "reaffirmed that an attack would invoke the treaty" the attack is not reaffirmed."""
    return not any(c.dep_ == "mark" or (c.dep_ in ("aux", "auxpass") and c.lower_ != "to") for c in clause_head.children)


def hyphenated(tok) -> list[str]:
    """The lemma of a hyphenated word the tokenizer split ("sit-in" → "sit", "-", "in"), with and
    without its hyphen ("cease-fire" is the lexicon's "ceasefire")."""
    if tok.i >= 2 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_ and not tok.nbor(-2).whitespace_ \
            and tok.nbor(-2).is_alpha:
        first, last = tok.nbor(-2).lower_, tok.lemma_.lower()
        return [f"{first}-{last}", f"{first}{last}"]
    return []


def _noun_keys(head) -> list[str]:
    lemma = head.lemma_.lower()
    if head.tag_ == "NNPS" and lemma.endswith("s"):
        lemma = lemma[:-1]  # the parser leaves capitalised plurals whole: "2,000 Marines"
    modifiers = [m for m in head.children if m.dep_ in ("compound", "amod", "nmod")]
    # ("phone and internet services": each of coordinated modifiers)
    modifiers += [c for m in modifiers if m.dep_ in ("compound", "nmod") for c in m.children if c.dep_ == "conj"]
    # (a modifier of a compound modifies the whole: "joint bomber patrols" are joint patrols)
    modifiers += [m for c in modifiers if c.dep_ == "compound" for m in c.children if m.dep_ in ("compound", "amod")]
    # (what a restriction is on names it as a modifier would: "a ban on imports" is an import ban)
    modifiers += [g for p in head.children if p.dep_ == "prep" and p.lower_ == "on" for g in p.children if g.dep_ == "pobj"]
    keys = [f"{m.lemma_.lower()} {lemma}" for m in modifiers] + [lemma]
    keys[:0] = hyphenated(head)
    if head.pos_ == "PROPN":
        # ("sank the cruiser General Belgrano", "expelled the writer Solzhenitsyn": the noun
        # before a name says what it names)
        keys += [m.lemma_.lower() for m in modifiers if m.dep_ == "compound" and m.pos_ == "NOUN"]
    if lemma in COMPASS_WORDS:
        # "launched a new offensive east of Basra": the parser makes the direction the object.
        keys += [m.lemma_.lower() for m in modifiers]
    return keys


COMPASS_WORDS = word_class("compass")


# --- arguments -----------------------------------------------------------------------------


def _pobj_heads(prep) -> list:
    """The objects of a preposition, with their conjuncts ("against Iran and Iraq"), also in a list
    the parser chains by apposition ("between Putin, his Turkish counterpart Erdogan and Rouhani")."""
    out = []
    for head in (g for g in prep.children if g.dep_ == "pobj"):
        while head is not None and head not in out:
            out.extend(h for h in with_conjuncts(head) if h not in out)
            head = next((c for c in head.children if c.dep_ == "appos"), None)
    # ("his Turkish counterpart Erdogan": the description and the name are one party)
    return [h for h in out if not (h.pos_ == "NOUN" and any(c.dep_ == "appos" and c in out for c in h.children))]


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


def verb_forms(tok) -> list[str]:
    """The lemma, then plain de-inflections of the word: the small model's lemmatiser misreads
    some past forms of rarer verbs ("staged" → "stag", "unbanned" → "unbanne")."""
    word = tok.lower_
    forms = [tok.lemma_.lower(), word]
    forms[:0] = hyphenated(tok)[:1]  # "test-fired" is split into three tokens
    if tok.lemma_ == "set" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "free":
        forms.insert(0, "free")  # "set free 52 prisoners" (the parser makes "free" their modifier)
    if word.endswith("ed"):
        forms += [word[:-1], word[:-2]]
        if len(word) > 5 and word[-3] == word[-4]:
            forms.append(word[:-3])  # "unbanned" → "unban"
    elif word.endswith("ing"):
        forms += [word[:-3] + "e", word[:-3]]
        if len(word) > 6 and word[-4] == word[-5]:
            forms.append(word[:-4])  # "unbanning" → "unban"
    elif word.endswith("s"):
        forms.append(word[:-1])
    return forms


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


def names_doer_and_object(noun) -> bool:
    """Whether an act noun names who does it and to or for whom ("Iran's release of the sailors",
    "NATO's support for Ukraine")."""
    return bool(_by_phrases(noun)) or (has_agent(noun) and any(c.dep_ == "prep" and c.lower_ in ACT_OBJECT_PREPS for c in noun.children))


ACT_OBJECT_PREPS = {"of", "for", "to", "against", "on", "with"}
BENEFIT_TYPES = {"SUPPORT", "AID"}  # acts "for" a party


def has_agent(noun) -> bool:
    """Whether an event noun names its doer by a possessor or a "by" phrase."""
    return any(c.dep_ == "poss" for c in noun.children) or bool(_by_phrases(noun))


def _by_phrases(noun) -> list:
    """An event noun's "by" phrases, also where the parser hangs one on its "of" object ("the
    release of 15 sailors by Iran")."""
    preps = [c for c in noun.children if c.dep_ == "prep"]
    preps += [p for c in preps if c.lower_ == "of" for o in c.children if o.dep_ == "pobj"
              for p in o.children if p.dep_ == "prep" and p.lower_ == "by"]
    return [p for p in preps if p.lower_ == "by"]


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


# --- factuality and speaker -----------------------------------------------------------------


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


def _condition_subjects(tok, lex: Lexicon) -> list:
    """Who a threat is aimed at when it names no one else: the subject of its condition."""
    return [subj for t in tok.subtree if t.dep_ == "advcl" and t.pos_ in ("VERB", "AUX") and is_condition(t, lex)
            for subj in t.children if subj.dep_ == "nsubj" and subj.pos_ != "PRON"][:1]


def _between_parties(tok) -> list:
    return [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "between" for p in _pobj_heads(c)]


def _asserts_rather_than_demands(tok, pattern: Pattern, lex: Lexicon) -> bool:
    """'insisted that Iran never threatened anyone' asserts; 'insisted that Iran must withdraw'
    (or 'insisted on a withdrawal') demands."""
    if pattern.specificity > 1 or lex.cameo[pattern.cameo].plover != "REQUEST" or not lex.cue("speech", tok.lemma_.lower()):
        return False
    clauses = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis")]
    return bool(clauses) and not any(_obligated(c, lex) for c in clauses)


def _promises_an_act(tok, lex: Lexicon) -> bool:
    return bool(lex.cue("commit", tok.lemma_.lower())) and any(c.dep_ == "xcomp" for c in tok.children)


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


def _obligated(tok, lex: Lexicon) -> bool:
    """'… that Iran must withdraw', or a subjunctive: '… that NATO halt its bombing'."""
    if any(c.dep_ == "aux" and lex.cue("obligate", c.lower_) for c in tok.children):
        return True
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    return tok.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children) \
        and bool(subjects) and subjects[0].lower_ not in ("i", "we", "you", "they")


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


# --- the coder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventCandidate:
    """An event before dates and places are resolved; `trigger` is the token index and `sent`
    its sentence (kept: finding a token's sentence again costs a pass over the document)."""

    event: Event
    trigger: int
    sent: object = None


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


def event_id(article_id: str, start: int, end: int, event_type: str, source, target) -> str:
    dyad = "|".join(",".join(sorted(a.country or a.name for a in side)) for side in (source, target))
    key = f"{article_id}|{start}|{end}|{event_type}|{dyad}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# A promised or conditional act of force is a THREATEN; a promised cooperative act an AGREE
# (PLOVER: "agree to, offer, promise … willingness to cooperate"; CAMEO 03 "express intent to").
THREAT_CODE = "130"
THREAT_CODES = {"SANCTION": "1312", "PROTEST": THREAT_CODE, "COERCE": "138", "MOBILIZE": "138", "ASSAULT": "138"}
# A measure decided or announced ("the EU decided it would ban imports") is that measure, intended;
# said as a warning ("warned it would") or on a condition it is a threat.
DECIDED_TYPES = {"SANCTION", "COERCE", "MOBILIZE"}
INTENT_CODES = {"AID": "033", "COOPERATE": "031", "CONSULT": "036", "RETREAT": "030", "CONCEDE": "030", "SUPPORT": "030"}
# Peacekeepers, observers, inspectors and aid workers withdrawn end an international presence.
PRESENCE_NOUNS = word_class("presence")
PRESENCE_WITHDRAWAL_CODE = "166"
# An event that only complements another event verb ("urged Russia to withdraw") is part of that
# event: it is kept, for the record, with its confidence scaled down so thresholds drop it first.
SUBSUMED_FACTOR = 0.5
# Exercises and war games show force (CAMEO 150); two countries' forces together cooperate (062).
SHOW_OF_FORCE_CODE, JOINT_EXERCISE_CODE = "150", "062"
EXERCISE_NOUNS = word_class("exercise")
OBLIGATION_CODE = "100"
ACCUSATION_CODE = "112"
# Acts that are always against someone: the classifier alone does not make one without a target.
DIRECTED_TYPES = {"ACCUSE", "THREATEN", "SANCTION", "REQUEST"}
FINDING_VERBS = word_class("finding")
ALLEGING_VERBS = word_class("alleging")
ABUSE_TYPES = {"ASSAULT", "COERCE"}  # what a rights group reports accuses (not "said Russia withdrew")
CRIME_NOUNS = word_class("crime")
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
            and all(a.country and kb.state_of(a.country) not in {kb.state_of(s.country) for s in source} for a in target):
        return lex.cameo[EMBARGO_CODE]  # (Beijing's measures in Hong Kong are China's own)
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


# The CAMEO code an event gets when only the classifier names its type.
TYPE_BASE_CODES = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "CONCEDE": "080", "COOPERATE": "060", "AID": "070",
    "RETREAT": "084", "REQUEST": "020", "ACCUSE": "112", "REJECT": "120", "THREATEN": "130", "PROTEST": "140",
    "SANCTION": "160", "MOBILIZE": "150", "COERCE": "170", "ASSAULT": "190",
}
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


BRAND_NOUNS = word_class("brand")


def blames(tok, lex: Lexicon) -> bool:
    """Whether the clause at `tok` lays a violent act at its subject's door: "Iran was responsible
    for the attack", "Moscow was behind the bombing", "the rebels are to blame for the massacre",
    or brands its subject ("Iran is the leading state sponsor of terrorism", "Russia is a
    terrorist state"). Said by someone, it is their accusation of the subject."""
    lemma = tok.lemma_.lower()
    if lemma == "blame" and tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "be":
        acts = [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "for" for g in _pobj_heads(p)]
    elif lemma == "be":
        if any(k in BRAND_NOUNS for a in tok.children if a.dep_ == "attr" for k in _noun_keys(a)):
            return True
        acts = [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "behind" for g in _pobj_heads(p)]
        acts += [g for a in tok.children if a.dep_ == "acomp" and a.lemma_.lower() == "responsible"
                 for p in a.children if p.dep_ == "prep" and p.lower_ == "for" for g in _pobj_heads(p)]
    else:
        return False
    return any(lex.nouns[k].cameo in lex.cameo and lex.cameo[lex.nouns[k].cameo].quad_class == 4
               for act in acts for k in lex.noun_keys(act) if k in lex.nouns)


DEPARTURE_VERBS = word_class("departure")
EXPULSION_PLACES = frozenset({"country", "territory"})  # "to leave the country"
COMMAND_VERBS = word_class("command")
FORCE_SECTORS = {"MIL", "COP"}


PENALTY_VERBS = word_class("penalty")


def threatens_a_penalty(pattern: Pattern, lex: Lexicon) -> bool:
    """Whether the verb tells of a penalty suffered ("will face consequences", "will pay a heavy
    price", "will be met with a crushing response"): promised, it threatens its subject."""
    return pattern.lemma in PENALTY_VERBS and lex.cameo[pattern.cameo].plover == "THREATEN"


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


def _same_kind_of_act(lex: Lexicon, verb_pattern: Pattern | None, noun_pattern: Pattern | None) -> bool:
    return verb_pattern is not None and noun_pattern is not None \
        and lex.cameo[verb_pattern.cameo].plover == lex.cameo[noun_pattern.cameo].plover


def _misparsed_attribution(tok, code: CameoCode) -> bool:
    """Whether a verbal act closing a sentence after a comma was parsed as a reduced relative
    ("…, a human rights group protested on Monday": not a group that was protested): the noun
    is its subject."""
    head = tok.head
    return tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD") and (code.quad_class in (1, 3) or code.plover == "PROTEST") \
        and head.pos_ in ("NOUN", "PROPN") and head.left_edge.i > 0 and head.doc[head.left_edge.i - 1].text == "," \
        and not any(c.dep_ in ("agent", "auxpass", "dobj") for c in tok.children)


def lexicon_readings(sent, lex: Lexicon) -> list[tuple[object, str]]:
    """(token, PLOVER type) of every word of the sentence the lexicon reads as an event, verb or
    standalone noun, whatever the rules then make of its arguments."""
    out = []
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX"):
            pattern = lex.match_verb(tok)
        elif tok.pos_ == "NOUN":
            pattern = lex.standalone_noun(tok)
        else:
            continue
        if pattern is not None and pattern.cameo in lex.cameo:
            out.append((tok, lex.cameo[pattern.cameo].plover))
    return out


def lexical_triggers(sent, lex: Lexicon) -> tuple[tuple[str, bool], ...]:
    """(PLOVER type, negated) of every lexicon reading in the sentence."""
    return tuple((t, any(c.dep_ == "neg" for c in tok.children)) for tok, t in lexicon_readings(sent, lex))


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


def is_done_jointly(tok) -> bool:
    """Whether the act at `tok` is said to be done together ("jointly arrested", "struck together",
    "arrested in a joint operation")."""
    return any(c.dep_ == "advmod" and c.lower_ in JOINT_WORDS for c in tok.children) \
        or any(p.dep_ == "prep" and p.lower_ == "in" and any(m.lower_ in JOINT_WORDS for g in p.children if g.dep_ == "pobj" for m in g.children)
               for p in tok.children)


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


# "used tear gas to disperse …": the object of these verbs is the means, not the one who acts.
INSTRUMENT_VERBS = word_class("instrument")
# ("summoned the ambassador to demand an explanation": the one who summons demands)
SUMMONING_VERBS = word_class("summoning")
BACKGROUND_DEPS = {"relcl", "acl", "advcl", "parataxis", "appos"}
TIME_PREPS = {"before", "after", "during", "since", "until", "following", "amid", "ahead"}
REASON_PREPS = {"over"}
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


def is_reason_phrase(prep) -> bool:
    """What an act is "over" when that is a matter, not a place ("sanctions over arms sales to
    Taiwan"; but "flew over Taiwan")."""
    return prep.dep_ == "prep" and prep.lower_ in REASON_PREPS and any(g.pos_ == "NOUN" for g in _pobj_heads(prep))


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


def sentence_span(sent) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())


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

