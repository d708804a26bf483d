"""actors: noun phrases → `Actor(country, sector, name, kb_id)`.

The knowledge base (countries, people with office dates, groups, sector words) lives in
data/actors/*.tsv. Mentions are found with a spaCy PhraseMatcher, then composed with the phrase
around them: "Russian Foreign Minister Sergei Lavrov" → RUS/GOV (lavrov); "Turkish troops" →
TUR/MIL; "U.S.-backed Syrian Democratic Forces" → SDF, SYR/REB (the backer is not the actor).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

from spacy.attrs import IS_ALPHA, POS
from spacy.symbols import PROPN

from .datafiles import read_table, word_class
from .types import Actor

PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
PRONOUNS_GROUP = {"it", "they", "them", "its", "their", "we"}
PLURAL_PRONOUNS = {"they", "them", "their"}
# Modifier dependencies that belong to a noun phrase's description of its head.
NP_MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "npadvmod", "nummod"}
# Words of a definite description that refer back to an actor already named ("the minister").
ANAPHORIC_DETS = {"the", "this", "that", "these", "those"}
# Spans whose text looks like an acronym are matched case-sensitively ("IS", "US", "WHO").
MAX_ACRONYM_LEN = 5
MIN_MISSPELT_LEN = 6  # shorter names are too close to other words (Iran/Iraq)
MIN_MISSPELT_SURNAME_LEN = 8


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form used as a KB key."""
    if text.isascii():  # (most words: no accents nor curly quotes to fold)
        return text.lower().strip()
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def is_acronym(phrase: str) -> bool:
    """Matched by exact case: 'UN', 'U.S.', and mixed-case short forms like 'LeT' (not "let")."""
    letters = phrase.replace(".", "").replace("-", "")
    capitals = sum(ch.isupper() for ch in letters)
    return len(letters) <= MAX_ACRONYM_LEN and (letters.isupper() or (capitals >= 2 and " " not in letters))


@dataclass(frozen=True)
class KBEntry:
    kb_id: str | None  # (None: a party context places, see `in_context`)
    name: str
    country: str | None
    sector: str | None
    kind: str  # country | demonym | seat | person | group | feature | place
    role: str | None = None
    start: date | None = None
    end: date | None = None

    def in_office(self, when: date | None) -> bool:
        if when is None:
            return self.end is None
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


def plural_demonym(demonym: str) -> list[str]:
    """'Palestinians', 'Israelis', 'Afghans': the people of a country, as news names them.
    Demonyms in -ese, -ch, -sh, -s have no plural of their own ('the Chinese', 'the Swiss');
    a two-word one takes it on its last word ('South Koreans', 'Sri Lankans')."""
    if demonym.endswith(("ese", "ch", "sh", "s", "x", "z")):
        return []
    return [demonym + "s"]


def _rows(name: str) -> list[dict[str, str]]:
    return read_table(f"actors/{name}")


def people_rows() -> list[dict[str, str]]:
    """Every office held, one row per office and term: people.tsv, the regional and IGO rosters
    (roster_*.tsv), and the US Congress and executive (us_officeholders.tsv, CC0), the last
    brought to the same columns (kb_id from the Bioguide id; aliases from first, nickname and last
    names). A person named in several files is one kb_id (the first file's), and an office listed
    twice is kept once."""
    sources = [_rows("people.tsv")]
    for path in sorted(resources.files("detente").joinpath("data/actors").iterdir(), key=lambda p: p.name):
        if path.name.startswith("roster_") and path.name.endswith(".tsv"):
            sources.append(_rows(path.name))
    sources.append([_us_office(row) for row in _rows("us_officeholders.tsv")])
    rows, kb_ids, offices = [], {}, set()
    for row in (row for source in sources for row in source):
        # (the same person by a full name or a full-name alias: "Joe Biden" is "Joseph R. Biden Jr.")
        names = [row["name"], *(a for a in _split(row["aliases"]) if " " in a)]
        kb_id = next((kb_ids[n] for n in names if n in kb_ids), row["kb_id"])
        for n in names:
            kb_ids.setdefault(n, kb_id)
        row = {**row, "kb_id": kb_id}
        office = (row["kb_id"], row["role"], row["start"])
        if office not in offices:
            offices.add(office)
            rows.append(row)
    return rows


def organisation_rows() -> list[dict[str, str]]:
    """Every organisation: groups.tsv (armed groups, IGOs, NGOs, media), then the rosters of
    parties, media, unions and movements (organisations_*.tsv), whose dated rows are a party's
    spells in power (sector GOV on those dates; its undated row, which comes first, out of power)."""
    rows = _rows("groups.tsv")
    for path in sorted(resources.files("detente").joinpath("data/actors").iterdir(), key=lambda p: p.name):
        if path.name.startswith("organisations_") and path.name.endswith(".tsv"):
            rows += sorted(_rows(path.name), key=lambda row: bool(row["start"]))  # (stable: file order otherwise)
    return rows


def _us_office(row: dict[str, str]) -> dict[str, str]:
    names = {f"{row['first']} {row['last']}"} | ({f"{row['nickname']} {row['last']}"} if row["nickname"] else set())
    return {"kb_id": f"us-{row['bioguide'].lower()}", "name": row["name"], "aliases": "|".join(sorted(names - {row["name"]})),
            "country": row["country"], "sector": row["sector"], "role": row["role"], "start": row["start"], "end": row["end"]}


USER_COLUMNS = ("kb_id", "name", "aliases", "country", "sector")
USER_SECTORS = frozenset({"GOV", "MIL", "COP", "POL", "REB", "OPP", "PTY", "CVL", "MED", "BUS", "LEG", "JUD", "SPY",
                          "REF", "REL", "EDU", "NGO", "IGO"})
NON_STATE_CODES = frozenset({"IGO", "NGO", "MNC"})


def load_user_actors(kb: "ActorKB", path: Path) -> list[str]:
    """Add a user's actors to `kb`, before the shipped entries of the same names. The file is a
    TSV with the columns of groups.tsv (kb_id, name, aliases, country, sector), and optionally
    those of people.tsv (role, start, end: the row is then a person's office). Returns one message
    per bad row, naming the file and line; the good rows load."""
    problems: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read the actor dictionary ({exc})"]
    header: list[str] | None = None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            missing = [c for c in USER_COLUMNS if c not in header]
            if missing:
                return [f"{path}:{lineno}: the header lacks {', '.join(missing)} (columns: {', '.join(USER_COLUMNS)}"
                        f"[, role, start, end])"]
            continue
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        try:
            entry = _user_entry(row, set(kb.country_names) | NON_STATE_CODES)
        except ValueError as exc:
            problems.append(f"{path}:{lineno}: {exc}")
            continue
        for phrase in [row["name"], *_split(row["aliases"])]:
            kb.add(phrase, entry, first=True)
    return problems


def _user_entry(row: dict[str, str], countries: set[str]) -> KBEntry:
    if not row["kb_id"].strip() or not row["name"].strip():
        raise ValueError("a row needs a kb_id and a name")
    if row["country"] and row["country"] not in countries:
        raise ValueError(f"country {row['country']!r} is not an ISO 3166-1 alpha-3 code (or IGO, NGO, MNC)")
    if row["sector"] and row["sector"] not in USER_SECTORS:
        raise ValueError(f"sector {row['sector']!r} is not one of {', '.join(sorted(USER_SECTORS))}")
    if not row.get("role"):
        return KBEntry(row["kb_id"], row["name"], row["country"] or None, row["sector"] or None, "group")
    try:
        start, end = _date(row.get("start", "")), _date(row.get("end", ""))
    except ValueError:
        raise ValueError(f"dates {row.get('start')!r}/{row.get('end')!r} are not YYYY-MM-DD") from None
    return KBEntry(row["kb_id"], row["name"], row["country"] or None, row["sector"] or None, "person",
                   role=row["role"], start=start, end=end)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


@dataclass(frozen=True)
class NationalCue:
    """A word that names a party's country: a title before a name, or a party name."""

    word: str
    country: str
    sector: str
    kind: str  # title | party


# "(D-Vt.)", "(R-Ohio)", ", I-Maine," after a US legislator's name: party and state (read from the
# next TAG_TOKENS tokens: building the document's text on each call would make a long text slow).
TAG_TOKENS = 8
PARTY_STATE_TAG = re.compile(r"^\s*[(,]\s*([DRI])\s*-\s*([A-Z][A-Za-z. ]{1,14}?)\s*[),]")


@dataclass
class ActorKB:
    """Phrases → KB entries, plus the sector vocabulary. Load with `ActorKB.load()`."""

    entries: dict[str, list[KBEntry]] = field(default_factory=lambda: defaultdict(list))
    sectors: dict[str, tuple[str, bool]] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    sovereigns: dict[str, str] = field(default_factory=dict)  # territory → the state it belongs to
    cues: dict[str, NationalCue] = field(default_factory=dict)  # data/actors/cues.tsv
    # folded key → the spellings seen in the data (acronyms are matched by exact case)
    spellings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[str] = field(default_factory=list)  # one message per bad row of a user dictionary
    _misspellings: dict[str, set[str]] | None = field(default=None, repr=False)
    _corrections: dict[str, str | None] = field(default_factory=dict, repr=False)
    _offices: dict[tuple, list[KBEntry]] | None = field(default=None, repr=False)

    def add(self, phrase: str, entry: KBEntry, *, first: bool = False) -> None:
        """Index `entry` under `phrase`; `first` puts it before what the phrase already names
        (a user's dictionary overrides the shipped KB)."""
        # British and American spellings name the same body ("Organisation of American States").
        for spelling in {phrase, phrase.replace("ization", "isation"), phrase.replace("isation", "ization")}:
            key = fold(spelling)
            self.spellings[key].add(spelling)
            bucket = self.entries[key]
            if entry not in bucket:
                bucket.insert(0, entry) if first else bucket.append(entry)

    @classmethod
    def load(cls, user_files: tuple[str | Path, ...] = ()) -> "ActorKB":
        """The shipped KB, then each user dictionary in `user_files` (see `load_user_actors`)."""
        kb = cls._shipped()
        for path in user_files:
            kb.problems += load_user_actors(kb, Path(path))
        return kb

    @classmethod
    def _shipped(cls) -> "ActorKB":
        kb = cls()
        for row in _rows("countries.tsv"):
            iso3, name = row["iso3"], row["name"]
            kb.country_names[iso3] = name
            if row["sovereign"]:
                kb.sovereigns[iso3] = row["sovereign"]
            for phrase in [name, *_split(row["aliases"])]:
                kb.add(phrase, KBEntry(iso3, name, iso3, None, "country"))
            for demonym in _split(row["demonyms"]):
                if "(" not in demonym:  # "(Dominica)"-style notes mark a demonym shared with another state
                    for form in (demonym, *plural_demonym(demonym)):
                        kb.add(form, KBEntry(iso3, name, iso3, None, "demonym"))
            for seat in _split(row["seats"]):
                seat_name, _, sector = seat.partition(":")
                kb.add(seat_name, KBEntry(iso3, name, iso3, sector or "GOV", "seat"))
        for row in people_rows():
            entry = KBEntry(
                row["kb_id"], row["name"], row["country"], row["sector"], "person",
                role=row["role"], start=_date(row["start"]), end=_date(row["end"]),
            )
            for phrase in [row["name"], *_split(row["aliases"])]:
                kb.add(phrase, entry)
        for row in organisation_rows():
            entry = KBEntry(row["kb_id"], row["name"], row["country"] or None, row["sector"], "group",
                            role=row.get("role") or None, start=_date(row.get("start", "")), end=_date(row.get("end", "")))
            for phrase in [row["name"], *_split(row["aliases"])]:
                kb.add(phrase, entry)
        for row in _rows("features.tsv"):
            entry = KBEntry(fold(row["name"]), row["name"], None, None, "feature")
            for phrase in [row["name"], *_split(row["aliases"])]:
                kb.add(phrase, entry)
        # Regions and towns of data/places.tsv name no actor, but give a role word its country
        # ("Darfur rebels" are Sudanese).
        for row in read_table("places.tsv"):
            for phrase in [row["name"], *_split(row["aliases"])]:
                # "Northeast Syria", "Iraqi Kurdistan": the country's own name already says it.
                if not kb.lookup(phrase) and not any(e.kind in ("country", "demonym") for w in phrase.split()
                                                     for e in kb.lookup(w)):
                    kb.add(phrase, KBEntry(fold(row["name"]), row["name"], row["country"], None, "place"))
        for row in _rows("sectors.tsv"):
            kb.sectors[fold(row["word"])] = (row["sector"], row["person"] == "1")
        for row in _rows("cues.tsv"):
            kb.cues[fold(row["cue"])] = NationalCue(row["cue"], row["country"], row["sector"], row["kind"])
        return kb

    def phrases(self) -> list[str]:
        return list(self.entries)

    def lookup(self, phrase: str) -> list[KBEntry]:
        return self.entries.get(fold(phrase), [])

    def lookup_on(self, phrase: str, when: date | None) -> KBEntry | None:
        """The entry a name stands for on a date: for a person, the office held then."""
        entries = self.lookup(phrase)
        return _pick_entry(tuple(entries), when) if entries else None

    def office_holder(self, country: str, role: str, when: date | None) -> KBEntry | None:
        """Who held `role` for `country` on `when` ("the U.S. president" in 2017 → Trump)."""
        if self._offices is None:  # (built once: thousands of offices, asked per title in a story)
            self._offices = defaultdict(list)
            for entry in {id(e): e for bucket in self.entries.values() for e in bucket}.values():
                if entry.kind == "person":
                    self._offices[(entry.country, entry.role)].append(entry)
        return next((e for e in self._offices.get((country, role), ()) if e.in_office(when)), None)

    def correct_spelling(self, word: str) -> str | None:
        """The one KB name of a country, people or person that `word` misspells by a single letter
        ("Afganistan", "Phillippines", "Mitterand"); None if there is none or more than one."""
        key = fold(word)
        if len(key) < MIN_MISSPELT_LEN or key in self.entries:
            return None
        if key not in self._corrections:  # names recur across an article and a corpus
            self._corrections[key] = self._correct(key)
        return self._corrections[key]

    def _correct(self, key: str) -> str | None:
        if self._misspellings is None:
            self._misspellings = defaultdict(set)
            for known, entries in self.entries.items():
                # Surnames only when long: short ones are too close to common names (Miller/Milley).
                if " " not in known and any(
                        (e.kind in ("country", "demonym") and len(known) >= MIN_MISSPELT_LEN - 1)
                        or (e.kind == "person" and len(known) >= MIN_MISSPELT_SURNAME_LEN) for e in entries):
                    for variant in _deletions(known) | {known}:
                        self._misspellings[variant].add(known)
        found = {k for v in _deletions(key) | {key} for k in self._misspellings.get(v, ())
                 if k[0] == key[0] and _one_edit_apart(k, key)}
        return found.pop() if len(found) == 1 else None

    def state_of(self, country: str | None) -> str | None:
        """The state a country code belongs to: itself, or a territory's sovereign (HKG → CHN)."""
        return self.sovereigns.get(country, country) if country else country

    def sector_of(self, words: str) -> tuple[str, bool] | None:
        # ("secretary-general", as spaCy splits it: "secretary - general")
        folded = fold(words)
        return self.sectors.get(folded) or self.sectors.get(folded.replace(" - ", " ").replace("-", " "))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit_apart(a: str, b: str) -> bool:
    """One substitution, insertion or deletion (the symmetric-delete index also proposes pairs
    two substitutions apart, which this rejects)."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and short in _deletions(long)


HONORIFICS = word_class("honorific")
GENERIC_PARTY_WORDS = word_class("party_word")
PARTY_NOUNS = word_class("party_noun")


def build_matcher(nlp, kb: ActorKB):
    """A PhraseMatcher over every KB phrase: acronyms by exact case; one-word names as written or
    in capitals ("Amnesty", "AMNESTY", not the word "amnesty"; "Congress", not "the party
    congress"); an organisation's capitalised name of several words as written, in capitals, or
    with its last word in lower case where that word is the kind of body ("Our Ukraine", "the
    Labour party", not "our Ukraine policy"; "Russia Today", not "Russia today said"); the rest
    by lower case."""
    from spacy.matcher import PhraseMatcher

    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_case = PhraseMatcher(nlp.vocab, attr="ORTH")
    for key, spellings in kb.spellings.items():
        organisation = all(e.kind == "group" for e in kb.entries[key])
        for phrase in spellings:
            doc = nlp.make_doc(phrase)
            if is_acronym(phrase):
                by_case.add(key, [doc])
            elif len(doc) == 1 and phrase[0].isupper():
                by_case.add(key, [doc, nlp.make_doc(phrase.upper())])
            elif organisation and _is_proper_name(doc):
                head, last = phrase.rsplit(" ", 1) if " " in phrase else ("", phrase)
                forms = [doc, nlp.make_doc(phrase.upper())]
                if head and last.lower() in PARTY_NOUNS:
                    forms.append(nlp.make_doc(f"{head} {last.lower()}"))
                by_case.add(key, forms)
            else:
                by_lower.add(key, [doc])
    return by_lower, by_case


def _is_proper_name(doc) -> bool:
    """Whether every word of a name of several words is capitalised, bar short function words
    ("Party of the Regions", "Forum for Democracy")."""
    words = [t.text for t in doc if t.is_alpha]
    return len(words) > 1 and all(w[0].isupper() or (w.islower() and len(w) <= 3) for w in words)


@dataclass(frozen=True)
class Mention:
    start: int  # token index
    end: int
    entries: tuple[KBEntry, ...]
    # An organisation named only in words many countries' parties share ("Social Democrats",
    # "the Labour Party"): it stands for one of its KB entries only in a story naming that country.
    generic: bool = False
    # The country a party word of the name points to ("Republican Party": the US's, data/actors/cues.tsv).
    cue: str | None = None

    @property
    def entry(self) -> KBEntry:
        return self.entries[0]


class ActorFinder:
    """Finds KB mentions in parsed docs and resolves argument tokens to actors."""

    def __init__(self, kb: ActorKB, matchers, is_place=None, unit_country=None):
        self.kb = kb
        self.by_lower, self.by_case = matchers
        # A real place is never taken for a misspelt name ("Granada" is not "Grenada").
        self.is_place = is_place or (lambda name: False)
        # The country of a state, province or city named with an office ("the Ohio attorney
        # general"), given the article's country counts; None when unknown (see pipeline).
        self.unit_country = unit_country or (lambda name, prefer: None)

    @classmethod
    def load(cls, nlp, kb: ActorKB | None = None, is_place=None, unit_country=None) -> "ActorFinder":
        kb = kb or ActorKB.load()
        return cls(kb, build_matcher(nlp, kb), is_place, unit_country)

    def mentions(self, doc) -> dict[int, Mention]:
        """Token index → the longest KB mention covering it."""
        from spacy.util import filter_spans

        spans = []
        for matcher in (self.by_case, self.by_lower):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                span.label_ = doc.vocab.strings[match_id]
                spans.append(span)
        covered = {i for span in spans for i in range(span.start, span.end)}
        # (the proper nouns found from the document's arrays: reading every token would cost more)
        words = doc.to_array([POS, IS_ALPHA])
        for i in (words[:, 0] == PROPN).nonzero()[0].tolist():
            tok = doc[i]
            # A name the KB knows, misspelt by one letter: "Afganistan", "Quatar".
            if i not in covered and words[i, 1] and tok.text[0].isupper():
                key = self.kb.correct_spelling(tok.text)
                if key is not None and not self.is_place(tok.text):
                    span = doc[tok.i: tok.i + 1]
                    span.label_ = key
                    spans.append(span)
        out: dict[int, Mention] = {}
        for span in filter_spans(spans):
            entries = tuple(self.kb.entries.get(span.label_, ()))
            if not entries or _is_stance_modifier(span) or _another_persons_surname(span, entries, self.kb):
                continue
            generic = all(e.kind == "group" for e in entries) and all(
                fold(t.text) in GENERIC_PARTY_WORDS for t in span if not t.is_punct)
            cue = next((c.country for t in span if (c := self.kb.cues.get(fold(t.text))) is not None
                        and c.kind == "party" and any(e.country == c.country for e in entries)), None)
            mention = Mention(span.start, span.end, entries, generic and cue is None, cue)
            for i in range(span.start, span.end):
                out[i] = mention
        return out


def _another_persons_surname(span, entries: tuple[KBEntry, ...], kb: ActorKB) -> bool:
    """A surname the KB lists for one person, after another given name: "Rashid Alvi" (an Indian
    party spokesman) is not Arif Alvi. A given name spelt otherwise keeps its initial ("Sergei" for
    "Sergey Lavrov"), and a title is no given name ("Mrs Thatcher", "President Putin")."""
    if len(span) != 1 or span.start == 0 or any(e.kind != "person" for e in entries):
        return False
    given = span.doc[span.start - 1]
    word = fold(given.text)
    if given.pos_ != "PROPN" or given.ent_type_ != "PERSON" or not given.is_alpha or len(word) < 3 \
            or word in HONORIFICS or word in kb.sectors or word in kb.cues or word in kb.entries:
        return False
    return not any(fold(part)[:1] == word[:1] for e in entries for part in e.name.split()[:-1])


def story_countries(mentions: dict[int, Mention], doc) -> dict[str, int]:
    """How often an article names each country, by the country, people and places it names (an
    organisation's home, or a "U.S.-backed" force's backer, says nothing of what it is about)."""
    countries: dict[str, int] = {}
    for mention in {id(m): m for m in mentions.values()}.values():
        if mention.entry.country and mention.entry.kind != "group" and not names_a_backer(mention, doc):
            countries[mention.entry.country] = countries.get(mention.entry.country, 0) + 1
    return countries


def in_context(mentions: dict[int, Mention], countries: dict[str, int]) -> dict[int, Mention]:
    """Mentions of a name that parties of several countries share ("Labour Party", "Democratic
    Party", "PTI", a surname) standing for the one of the country the story names most (then
    the one its party word points to, then the KB's order). A name in words every country's
    parties use ("the Social Democrats"), or that organisations of several countries share
    ("CGT"), naming none of a country the story names, is the story's country's, which context
    gives it (`context.localize`), not some other country's."""
    chosen: dict[int, Mention] = {}
    out = {}
    for i, mention in mentions.items():
        if id(mention) not in chosen:
            entries = mention.entries
            shared = mention.generic or (mention.cue is None and len({e.country for e in entries}) > 1
                                         and all(e.kind == "group" for e in entries))
            if shared and not any(countries.get(e.country) for e in entries):
                first = entries[0]
                entries = (KBEntry(None, first.name, None, first.sector, "group"),)
            elif len({e.country for e in entries}) > 1 and all(e.kind in ("group", "person") for e in entries):
                entries = tuple(sorted(entries, key=lambda e: (-countries.get(e.country, 0), e.country != mention.cue)))
            chosen[id(mention)] = mention if entries == mention.entries else replace(mention, entries=entries)
        out[i] = chosen[id(mention)]
    return out


STANCE_PREFIXES = word_class("stance")
BOUNDARY_NOUNS = word_class("boundary")


def _is_stance_modifier(span) -> bool:
    """'an anti-Syria journalist': the country named is a stance, not a party to the event."""
    doc, start = span.doc, span.start
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in STANCE_PREFIXES:
        return True
    return start >= 1 and doc[start - 1].lower_.rstrip("-") in STANCE_PREFIXES and doc[start - 1].lower_.endswith("-")


# --- resolving an argument token to actors -------------------------------------------------


BACKER_WORDS = word_class("backer")


def is_backer_modifier(token) -> bool:
    """'U.S.-backed', 'Russian-supported', 'Moscow-based': the named party is not the actor
    (spaCy keeps some as one token, splits others into 'Russian' '-' 'supported')."""
    low = token.lower_
    if "-" in low:
        return low.rsplit("-", 1)[1] in BACKER_WORDS
    return low in BACKER_WORDS and token.i > 0 and token.nbor(-1).text == "-"


def names_a_backer(mention: "Mention", doc) -> bool:
    """'Russian' in 'Russian-backed separatists' names who backs them, not a party to the event."""
    return mention.end + 1 < len(doc) and doc[mention.end].text == "-" and is_backer_modifier(doc[mention.end + 1])


def np_tokens(head) -> list:
    """The head and its descriptive modifiers (recursively), in text order."""
    out = [head]
    stack = [head]
    while stack:
        tok = stack.pop()
        if tok is not head and tok.lemma_.lower() in BOUNDARY_NOUNS:
            continue  # "a stronghold on the Thai border" is not Thai
        for child in tok.children:
            if child.dep_ in NP_MODIFIER_DEPS and not is_backer_modifier(child):
                out.append(child)
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _conj_modifiers(tokens) -> list:
    """'U.S. and Russian forces': the modifier 'U.S.' has 'Russian' as conj."""
    extra = []
    for tok in tokens:
        for child in tok.children:
            if child.dep_ == "conj" and child.i < tokens[-1].i and child not in tokens:
                extra.append(child)
    return extra


@dataclass
class ArticleContext:
    """Within-article memory for back-reference: the actors most recently named."""

    last_person: Actor | None = None
    last_person_word: str | None = None  # the title or office the last person was named with
    last_actor: Actor | None = None
    by_sector_word: dict[str, Actor] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    # The last parties named together ("talks between Putin, Erdogan and Rouhani"), while no
    # single actor has been named since: what "they" and "their" refer back to.
    last_parties: tuple[Actor, ...] = ()
    _named_since_parties: int = 0
    # People named in full, by surname: "Roe said" refers back to "Sen. Jane Roe (D-Vt.)".
    by_surname: dict[str, Actor] = field(default_factory=dict)

    def remember(self, actor: Actor, *, person: bool, word: str | None = None) -> None:
        self._named_since_parties += 1
        if actor.country:
            self.countries[actor.country] = self.countries.get(actor.country, 0) + 1
        if person:
            self.last_person, self.last_person_word = actor, word
            words = actor.name.split()
            if len(words) >= 2 and words[-1][:1].isupper():
                self.by_surname[fold(words[-1])] = actor
        if word:
            self.by_sector_word[word] = actor
        self.last_actor = actor

    def may_be_last_person(self, word: str) -> bool:
        """Whether "the <word>" may refer back to the last person named: "the minister" to the
        foreign minister, not "the president" to a governor."""
        return self.last_person_word is None or self.last_person_word.split()[-1] == word.split()[-1]

    def remember_parties(self, actors: tuple[Actor, ...]) -> None:
        if len({a.country for a in actors}) >= 2:
            self.last_parties, self._named_since_parties = actors, 0

    def plural_antecedent(self) -> list[Actor]:
        return list(self.last_parties) if self.last_parties and self._named_since_parties == 0 else []

    def remember_unresolved_people(self, sent, mentions, person_before: Actor | None) -> None:
        """A person named in a sentence is who "he" in the next refers to even when no event made
        him an actor ("Lavrov indicated that … . '…,' he said"); used when coding the sentence
        resolved no person of its own."""
        if self.last_person is not person_before:
            return
        people = [mentions[i] for i in range(sent.start, sent.end) if i in mentions and mentions[i].entry.kind == "person"]
        if people:
            entry = people[-1].entry
            self.last_person, self.last_person_word = _actor_from_entry(entry, sent.doc[people[-1].start:people[-1].end].text), entry.role


# Actors the coder supplies where a reported act names none (coder.roles.implied_source); they take
# the country of the place like role words do (pipeline.localize).
IMPLIED_AUTHORITIES = "authorities (implied)"
IMPLIED_ATTACKERS = "unidentified attackers (implied)"


def is_implied(actor: Actor) -> bool:
    return actor.name in (IMPLIED_AUTHORITIES, IMPLIED_ATTACKERS)


def with_conjuncts(tok) -> list:
    """A noun head and the heads coordinated with it ("Iran and Iraq"; in a headline also by a
    comma alone: "Russia, Ukraine swap prisoners"; in a list the parser reads as an apposition:
    "Britain, the EU and the United States")."""
    out = [tok]
    for child in tok.children:
        if (child.dep_ == "conj" and child.pos_ in ("PROPN", "NOUN", "PRON", "ADJ")) or _comma_listed(tok, child) \
                or _listed_as_apposition(tok, child):
            out.extend(with_conjuncts(child))
    return out


LISTED_ENTITY_TYPES = ("GPE", "ORG", "NORP")


def _listed_as_apposition(head, child) -> bool:
    """"Saudi Arabia, the United Arab Emirates, Bahrain and Egypt": the parser makes the second
    name an apposition of the first and the rest its conjuncts. Named entities in such a chain
    are a list; a lone apposition ("Britain, the former colonial power") is not."""
    return child.dep_ == "appos" and head.ent_type_ in LISTED_ENTITY_TYPES and child.ent_type_ in LISTED_ENTITY_TYPES \
        and any(c.dep_ == "conj" and c.ent_type_ in LISTED_ENTITY_TYPES for c in child.children)


def _comma_listed(head, child) -> bool:
    """Two bare place names the parser joins by apposition or as a modifier across a comma: a
    list in headline style ("Russia, Ukraine", "Armenia, Azerbaijan agree")."""
    if child.dep_ not in ("appos", "nmod") or head.ent_type_ != "GPE" or child.ent_type_ != "GPE" or any(child.children):
        return False
    first, second = sorted((head, child), key=lambda t: t.i)
    return second.i == first.i + 2 and first.nbor(1).text == ","


def _actor_from_entry(entry: KBEntry, name: str) -> Actor:
    # A country acting ("Russia said", "Japan imposed sanctions") is its government, as the
    # annotation guide reads it; people, groups and seats carry their own sector.
    sector = entry.sector if entry.kind in ("person", "group", "seat") else "GOV" if entry.kind == "country" else None
    return Actor(entry.country, sector, name, entry.kb_id)


def _sector_phrase(kb: ActorKB, tokens) -> tuple[str, bool, str] | None:
    """Longest sector word/phrase ending at the head: 'foreign minister', 'troops'."""
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    for size in (3, 2, 1):
        if len(words) >= size:
            for seq in (words[-size:], lemmas[-size:]):
                hit = kb.sector_of(" ".join(seq))
                if hit:
                    return hit[0], hit[1], " ".join(words[-size:])
    return None


# Nouns that name a party by its relation to another: the possessor is not the actor.
RELATIONAL_NOUNS = word_class("relational")


def is_relation_possessor(token) -> bool:
    """'Israel' in "Israel's ally": named only to say whose ally."""
    return token.dep_ == "poss" and token.head.lemma_.lower() in RELATIONAL_NOUNS


# Nouns that stand for the people in their "of" phrase.
COLLECTIVE_NOUNS = word_class("collective")


def _collective_members(head):
    if head.lemma_.lower() not in COLLECTIVE_NOUNS and head.lower_ not in COLLECTIVE_NOUNS:
        return None
    return next((g for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                 for g in p.children if g.dep_ == "pobj"), None)


# Nouns naming whoever heads or speaks for the body in their "of" phrase.
HEADSHIP_NOUNS = word_class("headship")


def _headed_body(head, mentions: dict[int, Mention]):
    """The armed group, organisation or agency that `head` heads or speaks for ('the chief of the
    IAEA', 'the director of the CIA'); a country's officials keep their own sector ('the
    president of Syria')."""
    if head.lemma_.lower() not in HEADSHIP_NOUNS:
        return None
    return next((g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"
                 and any(t.i in mentions and mentions[t.i].entry.kind in ("group", "seat") for t in np_tokens(g))), None)


def resolve_actor(head, finder: ActorFinder, mentions: dict[int, Mention], ctx: ArticleContext, when: date | None) -> list[Actor]:
    """Actors named by the noun phrase headed by `head` (several for 'U.S. and Russian forces')."""
    kb = finder.kb
    low = head.lower_
    if head.pos_ == "PRON":
        return _antecedent(head, finder, mentions, ctx, when)
    if head.lemma_.lower() in BOUNDARY_NOUNS:
        return []  # "on the Thai border" is a place, not Thailand
    if head.lemma_.lower() in RELATIONAL_NOUNS:
        # "Russia's ally Syria" is Syria; "Israel's militia ally" is another party, not Israel.
        named = next((c for c in head.children if c.dep_ == "appos"), None)
        return resolve_actor(named, finder, mentions, ctx, when) if named is not None else []
    members = _collective_members(head)
    if members is not None:  # "a group of Moroccan diplomats", "thousands of Kenyan students"
        return resolve_actor(members, finder, mentions, ctx, when)
    body = _headed_body(head, mentions)
    if body is not None:  # "the head of the World Food Programme", "the leader of Hezbollah"
        return resolve_actor(body, finder, mentions, ctx, when)
    tokens = np_tokens(head)
    name = head.doc[tokens[0].i: head.i + 1].text
    head_mention = mentions.get(head.i)
    # Title + name chains: the title words are compounds of the name's head.
    title_tokens = [t for t in tokens if t.i < head.i and (t.i not in mentions or mentions[t.i] is not head_mention)]
    if head_mention:
        entry = _pick_entry(head_mention.entries, when)
        if entry.kind in ("feature", "place"):
            return []  # "the South China Sea" is a place, not China; "Darfur" is no actor
        span_text = head.doc[head_mention.start: head_mention.end].text
        if entry.kind == "person" or entry.kind == "group":
            actor = _actor_from_entry(entry, span_text if entry.kind == "group" else entry.name)
            # "Soviet Foreign Minister Eduard Shevardnadze": the title says whom he spoke for then.
            title_country = next((mentions[t.i].entry.country for t in title_tokens if t.i in mentions
                                  and mentions[t.i].entry.kind in ("country", "demonym")), None)
            if entry.kind == "person" and title_country:
                actor = replace(actor, country=title_country)
            # ("Ethiopian Prime Minister Abiy Ahmed …. The prime minister said": the title, else
            # the office the KB knows, is what a later description refers back by.)
            title = _sector_phrase(kb, [t for t in title_tokens if t.i not in mentions]) if entry.kind == "person" else None
            ctx.remember(actor, person=entry.kind == "person", word=title[2] if title else entry.role)
            return [actor]
        if entry.kind in ("country", "seat"):
            actor = _actor_from_entry(entry, span_text)
            # ("Peru's Congress" is Peru's legislature, not the U.S. Congress the bare name means)
            owner = next((mentions[t.i].entry.country for t in tokens if t.dep_ == "poss" and t.i in mentions
                          and mentions[t.i].entry.kind in ("country", "demonym")), None)
            if entry.kind == "seat" and owner and owner != entry.country:
                actor = Actor(owner, actor.sector, span_text)
            ctx.remember(actor, person=False)
            return [actor]
        # A demonym heading its own phrase: "the Russians"; a country modifier comes first:
        # "Bosnian Serbs" are Bosnia's.
        outer = [mentions[t.i].entry for t in tokens if t.i < head_mention.start and t.i in mentions
                 and mentions[t.i].entry.kind in ("demonym", "country") and t.dep_ in ("amod", "compound")]
        residence = _residence(head, mentions)
        if outer:
            entry = outer[0]
        elif residence:
            # "Albanians in Macedonia", "Russians of eastern Ukraine": residents of that country.
            return [Actor(residence[0], "CVL", name)]
        elif any(c.lemma_.lower() == "ethnic" for c in head.children):
            # "ethnic Albanians in southern Serbia": a minority, of the country it lives in
            # (filled from the event's place), not the state its name comes from.
            return [Actor(None, "CVL", name)]
        # "Young Algerians blocked roads": a people without "the" is a crowd of civilians;
        # "the Russians" usually means their government, as does a demonym standing alone for its state
        # ("expelled a Russian diplomat" aims at Russia).
        people = not outer and head.tag_ in ("NNS", "NNPS") and not any(c.dep_ == "det" for c in head.children)
        actor = Actor(entry.country, "CVL" if people else None if outer else "GOV", span_text, entry.kb_id)
        ctx.remember(actor, person=False)
        return [actor]
    for tok in tokens:
        mention = mentions.get(tok.i)
        if tok.i != head.i and mention and mention.entry.kind == "group":
            # "SDF troops", "Hezbollah fighters", "BJP leaders": the group is the actor.
            entry = _pick_entry(mention.entries, when)
            actor = _actor_from_entry(entry, head.doc[mention.start: mention.end].text)
            ctx.remember(actor, person=False)
            return [actor]
    sector = _sector_phrase(kb, [t for t in tokens if t.i <= head.i and t.dep_ in ("compound", "amod") or t.i == head.i])
    modifier_countries = _countries_in(tokens + _conj_modifiers(tokens), mentions, head)
    # "the government of Syria", "forces of the Syrian regime", "diplomats from Iraq"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() not in RELATIONAL_NOUNS:
                    # ("negotiators from China and Taiwan": every country named)
                    for part in with_conjuncts(pobj):
                        modifier_countries += _countries_in(np_tokens(part), mentions, None)
    if sector and sector[0] == "CVL" and not modifier_countries:
        modifier_countries = _residence(head, mentions)  # "Kurds in Turkey", "farmers in Kenya"
    if not modifier_countries and (cue := national_cue(kb, head, tokens)) is not None:
        # "Sen. Jane Roe (D-Vt.)", "Republican senators", "Tory rebels": the cue names the country.
        modifier_countries = [cue.country]
        sector = sector or (cue.sector, head.ent_type_ == "PERSON", cue.word)
    if sector and not modifier_countries and (unit := _named_unit(head, tokens, finder, mentions, ctx)) is not None:
        # "the Ohio attorney general", "the governor of Texas", "Basra police": a state, province
        # or city named with the office gives its country, and stays in the actor's name.
        modifier_countries, name = [unit[0]], unit[1]
    # A name after its title: "French President Jacques Chirac", "President Askar Akayev".
    if head.ent_type_ == "PERSON" and not sector:
        # (the NER often counts the title into the name: "Archbishop Trevor Huddleston")
        words = [t for t in tokens if t.i < head.i and (t.ent_type_ != "PERSON" or fold(t.text) in kb.sectors)]
        for i in range(len(words)):
            sector = _sector_phrase(kb, words[: len(words) - i])
            if sector:
                break
    # Appositive title: "Brett McGurk, the former U.S. envoy".
    if head.ent_type_ == "PERSON" and not sector:
        for child in head.children:
            if child.dep_ == "appos":
                app_tokens = np_tokens(child)
                sector = _sector_phrase(kb, app_tokens)
                modifier_countries += _countries_in(app_tokens, mentions, None)
    if head.pos_ == "PROPN" and not sector and not modifier_countries:
        # "Kenzo Oshima, the United Nations relief coordinator": an official of the body.
        body = next((mentions[t.i].entry for c in head.children if c.dep_ == "appos" for t in np_tokens(c)
                     if t.i in mentions and mentions[t.i].entry.kind == "group"), None)
        if body is not None:
            return [Actor(body.country, body.sector, name, body.kb_id)]
    if sector and not modifier_countries and sector[0] not in ("NGO", "IGO"):
        modifier_countries = _base_countries(head, mentions)  # "Pakistan-based militants"
    if sector and not modifier_countries:
        # "its warplanes", "their troops": the possessor's country.
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ == "PRON":
                modifier_countries = [a.country for a in _antecedent(child, finder, mentions, ctx, when) if a.country]
    if sector:
        code, person, word = sector
        # "its speaker, Rached Ghannouchi": the office gives the sector, the apposition the name.
        named = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        name = head.doc[np_tokens(named)[0].i: named.i + 1].text if named is not None else name
        if not modifier_countries:
            # "the minister said": a definite description refers back to an actor of that kind.
            det = next((c for c in head.children if c.dep_ == "det"), None)
            if det is not None and det.lower_ in ANAPHORIC_DETS:
                prior = ctx.by_sector_word.get(word) or (ctx.last_person if person and ctx.may_be_last_person(word) else None)
                if prior:
                    return [prior]
            # "a human rights group": international bodies carry their kind as country, as the
            # KB's NGOs and IGOs do, and never take a country from their surroundings.
            return [Actor(code if code in ("NGO", "IGO") else None, code, name)]
        actors = []
        for country in dict.fromkeys(modifier_countries):
            kb_id = None
            if person and head.ent_type_ != "PERSON":
                holder = kb.office_holder(country, word, when)
                kb_id = holder.kb_id if holder else None
            actor = Actor(country, code, name, kb_id)
            ctx.remember(actor, person=person or head.ent_type_ == "PERSON", word=word)
            actors.append(actor)
        return actors
    if head.pos_ == "PROPN" and len(tokens) == 1 and (earlier := ctx.by_surname.get(fold(head.text))):
        return [earlier]  # "Roe said": the person named in full before
    if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.ent_type_ != "PERSON"):
        # "Algerian landowners", "Turkey's farmers", "Iraqi Kurds": people of a country with no
        # sector word.
        # ("American and Russian scientists": both)
        countries = [mentions[t.i].entry.country for t in tokens + _conj_modifiers(tokens)
                     if t.i in mentions and t.i != head.i and (mentions[t.i].entry.kind == "demonym" or t.dep_ == "poss"
                                                               or (t.dep_ == "compound" and mentions[t.i].entry.kind == "seat"))]
        actors = [Actor(c, None, name) for c in dict.fromkeys(countries) if c]
        for actor in actors:
            ctx.remember(actor, person=False)
        if actors:
            return actors
    # "barred its speaker, Rached Ghannouchi": a description the KB cannot place, named by its apposition.
    named = next((c for c in head.children if c.dep_ == "appos"), None)
    if named is not None:
        return resolve_actor(named, finder, mentions, ctx, when)
    if head.ent_type_ == "PERSON" and head.pos_ == "PROPN":
        # Someone the KB does not know, named without title or cue: a party by name, of a
        # country the story may give (`context.localize`).
        actor = Actor(None, None, name)
        ctx.remember(actor, person=True)
        return [actor]
    return []


def national_cue(kb: ActorKB, head, tokens) -> NationalCue | None:
    """The country-naming cue of a noun phrase: a title or party word among its words (or its
    head: "Republicans"), or a party-and-state tag after it ("Jane Roe (D-Vt.)" is a US
    legislator)."""
    for tok in tokens:
        cue = kb.cues.get(fold(tok.text))
        if cue is not None and (cue.kind == "party" or tok.i < head.i):
            return cue
    if head.ent_type_ == "PERSON" and PARTY_STATE_TAG.match(head.whitespace_ + "".join(
            t.text_with_ws for t in head.doc[head.i + 1: head.i + 1 + TAG_TOKENS])):
        return NationalCue("(party-state)", "USA", "LEG", "title")
    return None


def _names_a_person(kb: ActorKB, head) -> bool:
    title = _sector_phrase(kb, np_tokens(head))
    return title is not None and title[1]


def _residence(head, mentions: dict[int, Mention]) -> list[str]:
    """The countries a people lives in, from an 'in'/'of' phrase: 'Kurds in Turkey'."""
    return [country for child in head.children if child.dep_ == "prep" and child.lower_ in ("in", "of")
            for pobj in child.children if pobj.dep_ == "pobj"
            for country in _countries_in(np_tokens(pobj), mentions, None)]


def _antecedent(pron, finder, mentions, ctx: ArticleContext, when) -> list[Actor]:
    """'he', 'it', 'they': the nearest earlier subject of the same sentence that names an actor
    (a person for he/she), else the article's most recent actor of that kind."""
    low = pron.lower_
    if low not in PRONOUNS_PERSON and low not in PRONOUNS_GROUP and low != "our":
        return []
    for tok in reversed(pron.doc[pron.sent.start: pron.i]):
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ == "PRON" or (low == "its" and tok.tag_ in ("NNS", "NNPS")):
            continue  # ("Azerbaijani troops attacked its positions": "its" is not the troops')
        if tok.left_edge.i <= pron.i <= tok.right_edge.i:
            continue  # ("Dozens of them confronted …": a phrase holding the pronoun is not what it refers to)
        mention = mentions.get(tok.i)
        # ("The prime minister said his government …": a title names a person too.)
        is_person = tok.ent_type_ == "PERSON" or (mention.entry.kind == "person" if mention is not None
                                                   else _names_a_person(finder.kb, tok))
        if (low in PRONOUNS_PERSON) != is_person:
            continue
        if low in PLURAL_PRONOUNS:
            # ("Slovakia, Latvia and Estonia said they would expel …": 'they' is all of them.)
            actors = [a for head in with_conjuncts(tok) for a in resolve_actor(head, finder, mentions, ctx, when)]
            if actors:
                return actors
            continue
        actors = resolve_actor(tok, finder, mentions, ctx, when)
        if actors:
            return actors[:1]
    if low in PRONOUNS_PERSON:
        return [ctx.last_person] if ctx.last_person else []
    if low in PLURAL_PRONOUNS:
        parties = ctx.plural_antecedent()
        if parties:
            return parties
    return [ctx.last_actor] if ctx.last_actor else []


def _pick_entry(entries: tuple[KBEntry, ...], when: date | None) -> KBEntry:
    """Prefer a person entry whose office covers the date; else the first entry, as the first
    organisation stands on the date (a party in power is the government then)."""
    for entry in entries:
        if entry.kind == "person" and entry.in_office(when):
            return entry
    first = entries[0]
    if first.kind == "group":
        return next((e for e in entries if e.kb_id == first.kb_id and e.start and e.in_office(when)), first)
    return first


def _base_countries(head, mentions: dict[int, Mention]) -> list[str]:
    """Where a party is based ("Pakistan-based militants" are Pakistan's): the place is no actor
    (is_backer_modifier), but the party's country is the one its base is in."""
    return _countries_in([c.nbor(-2) for c in head.children if c.lower_ == "based" and c.i >= 2 and c.nbor(-1).text == "-"],
                         mentions, None)


def _named_unit(head, tokens, finder: ActorFinder, mentions: dict[int, Mention], ctx: ArticleContext) -> tuple[str, str] | None:
    """(country, the actor's name with the unit) of a place name modifying an office or force:
    before it ("Ohio attorney general", "Basra police") or after it by "of" ("the governor of
    Texas"); None when no such place is named or the gazetteer cannot tell its country."""
    doc = head.doc
    before = [t for t in tokens if t.i < head.i and t.ent_type_ in ("GPE", "LOC") and t.i not in mentions
              and t.dep_ in ("compound", "amod", "nmod")]
    if before:
        country = finder.unit_country(doc[before[0].i: before[-1].i + 1].text, ctx.countries)
        return (country, doc[tokens[0].i: head.i + 1].text) if country else None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ in ("GPE", "LOC") and pobj.i not in mentions:
                    unit = [t for t in np_tokens(pobj) if t.ent_type_ in ("GPE", "LOC")]
                    country = finder.unit_country(doc[unit[0].i: unit[-1].i + 1].text, ctx.countries)
                    return (country, doc[tokens[0].i: pobj.i + 1].text) if country else None
    return None


def _countries_in(tokens, mentions: dict[int, Mention], head) -> list[str]:
    out = []
    for tok in tokens:
        if head is not None and tok.i == head.i:
            continue
        mention = mentions.get(tok.i)
        # "Russian troops", "Moscow's envoy", "the Bush administration"
        if mention and mention.entry.country and mention.entry.kind in ("country", "demonym", "seat", "person", "place"):
            out.append(mention.entry.country)
    return out


def explain_name(kb: ActorKB, name: str, when: date | None = None) -> list[dict[str, str]]:
    """How `name` resolves on `when`, and why: every KB entry it names (the one chosen first),
    else what the resolver would fall back on (a misspelling's correction, a sector word, a
    national cue). Rows for `detente actors lookup`."""
    entries = kb.lookup(name)
    if entries:
        chosen = _pick_entry(tuple(entries), when)
        shared = len({e.country for e in entries}) > 1 and all(e.kind in ("group", "person") for e in entries)
        return [{"name": e.name, "kb_id": e.kb_id, "kind": e.kind, "country": e.country or "", "sector": e.sector or "",
                 "role": e.role or "", "start": str(e.start or ""), "end": str(e.end or ""),
                 "why": _why(e, chosen, when) + ("; in an article, the story's countries choose among them"
                                                 if shared and e is chosen else "")}
                for e in [chosen, *(e for e in entries if e is not chosen)]]
    if (corrected := kb.correct_spelling(name)) is not None:
        return [{**row, "why": f"read as {corrected!r} (one letter off): {row['why']}"}
                for row in explain_name(kb, corrected, when)]
    if (sector := kb.sector_of(name)) is not None:
        return [{"name": name, "kind": "sector word", "sector": sector[0],
                 "why": "a role word: the country comes from its modifiers or the article's context"}]
    if (cue := kb.cues.get(fold(name))) is not None:
        return [{"name": name, "kind": f"national cue ({cue.kind})", "country": cue.country, "sector": cue.sector,
                 "why": "names the country of the party it modifies or titles"}]
    return []


def _why(entry: KBEntry, chosen: KBEntry, when: date | None) -> str:
    if entry is not chosen:
        return "also named so; not chosen"
    if entry.kind == "group" and entry.start:
        return f"in power ({entry.role}) on {when}" if when else "in power now"
    if entry.kind != "person":
        return f"a {entry.kind} of the KB"
    if entry.in_office(when):
        return f"in office as {entry.role} on {when}" if when else f"{entry.role}, in office now"
    return f"no office held on {when}; the first office listed" if when else "no office held now; the first listed"


def kb_stats(kb: ActorKB) -> list[dict[str, object]]:
    """The KB's coverage, for `detente actors stats`: entries by kind, people, offices and the
    countries they cover, people and organisations by sector."""
    unique = {id(e): e for bucket in kb.entries.values() for e in bucket}.values()
    by_kind = Counter(e.kind for e in {(e.kind, e.kb_id): e for e in unique}.values())
    offices = [e for e in unique if e.kind == "person"]
    people = {e.kb_id: e for e in offices}
    rows = [{"what": f"{kind} entries", "count": n} for kind, n in sorted(by_kind.items())]
    rows += [{"what": "offices (person × office × term)", "count": len(offices)},
             {"what": "countries with an office holder", "count": len({e.country for e in offices if e.country})},
             {"what": "names and aliases indexed", "count": len(kb.entries)}]
    rows += [{"what": f"people, sector {sector}", "count": n}
             for sector, n in Counter(e.sector for e in people.values()).most_common()]
    # (an organisation by its undated entry: a party's spells in power are GOV entries of the same id)
    groups = {e.kb_id: e for e in unique if e.kind == "group" and e.start is None}
    rows += [{"what": "organisations' spells in power", "count": sum(1 for e in unique if e.kind == "group" and e.start)},
             {"what": "countries with an organisation", "count": len({e.country for e in groups.values()
                                                                     if e.country not in NON_STATE_CODES | {None}})}]
    rows += [{"what": f"organisations, sector {sector}", "count": n}
             for sector, n in Counter(e.sector for e in groups.values()).most_common()]
    return rows
