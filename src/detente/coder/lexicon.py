"""lexicon: the verb and event-noun lexicon, and what a word of the parse triggers in it.

`Lexicon.load()` reads the CAMEO table (data/cameo.tsv), the verb and noun patterns
(data/verbs.tsv, its verb and object classes expanded), the factuality cues (data/factuality.tsv),
support and occurrence verbs, nominalizations and crowd acts; `match_verb` and `standalone_noun`
look a token of the dependency parse up in them. Also the readings of the parse that lookup rests
on (a noun's keys, a preposition's objects, what a carrier holds), triggers read from a clause's
shape (blame, a penalty promised) and every lexicon reading of a sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..actors import with_conjuncts
from ..datafiles import read_table, word_class, word_classes
from ..nlp import verb_particles

# CAMEO's [---]: a pattern that matches a figurative use and codes nothing.
NOT_AN_EVENT = "---"
SUPPORT_PREPS = {"on", "in", "into"}


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


def names_doer_and_object(noun) -> bool:
    """Whether an act noun names who does it and to or for whom ("Iran's release of the sailors",
    "NATO's support for Ukraine")."""
    return bool(_by_phrases(noun)) or (has_agent(noun) and any(c.dep_ == "prep" and c.lower_ in ACT_OBJECT_PREPS for c in noun.children))


ACT_OBJECT_PREPS = {"of", "for", "to", "against", "on", "with"}


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


# The CAMEO code an event gets when only the classifier names its type.
TYPE_BASE_CODES = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "CONCEDE": "080", "COOPERATE": "060", "AID": "070",
    "RETREAT": "084", "REQUEST": "020", "ACCUSE": "112", "REJECT": "120", "THREATEN": "130", "PROTEST": "140",
    "SANCTION": "160", "MOBILIZE": "150", "COERCE": "170", "ASSAULT": "190",
}

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


PENALTY_VERBS = word_class("penalty")


def threatens_a_penalty(pattern: Pattern, lex: Lexicon) -> bool:
    """Whether the verb tells of a penalty suffered ("will face consequences", "will pay a heavy
    price", "will be met with a crushing response"): promised, it threatens its subject."""
    return pattern.lemma in PENALTY_VERBS and lex.cameo[pattern.cameo].plover == "THREATEN"


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


TIME_PREPS = {"before", "after", "during", "since", "until", "following", "amid", "ahead"}
REASON_PREPS = {"over"}


def is_reason_phrase(prep) -> bool:
    """What an act is "over" when that is a matter, not a place ("sanctions over arms sales to
    Taiwan"; but "flew over Taiwan")."""
    return prep.dep_ == "prep" and prep.lower_ in REASON_PREPS and any(g.pos_ == "NOUN" for g in _pobj_heads(prep))
