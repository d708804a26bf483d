"""Every data file the coder uses has a source header and a valid format."""

import re
from collections import Counter
from datetime import date
from importlib import resources

import pycountry
import pytest

from detente.actors import ActorKB, _rows, people_rows
from detente.coder.lexicon import Lexicon
from detente.types import PLOVER_TYPES

DATA = resources.files("detente").joinpath("data")
SECTORS = {"GOV", "MIL", "COP", "REB", "OPP", "PTY", "CVL", "MED", "BUS", "LEG", "JUD", "SPY", "REF", "REL", "NGO", "IGO", "EDU"}
ROSTERS = sorted(p.name for p in DATA.joinpath("actors").iterdir() if p.name.startswith("roster_"))
ORGANISATIONS = sorted(p.name for p in DATA.joinpath("actors").iterdir() if p.name.startswith("organisations_"))


@pytest.mark.parametrize("name", ["boilerplate.tsv", "cameo.tsv", "verbs.tsv", "support.tsv", "crowds.tsv", "implied_targets.tsv", "usual_doers.tsv", "factuality.tsv", "places.tsv", "verb_classes.tsv", "word_classes.tsv", "nominalizations.tsv",
                                  "actors/countries.tsv", "actors/people.tsv", "actors/groups.tsv", "actors/sectors.tsv", "actors/features.tsv",
                                  "actors/cues.tsv", "actors/us_officeholders.tsv", *(f"actors/{r}" for r in ROSTERS + ORGANISATIONS)])
def test_data_file_has_a_version_header(name):
    first = DATA.joinpath(name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# detente") and "version" in first


USER_ASSIGNED_CODES = {"XKX"}  # Kosovo, as the EU, the IMF and GeoNames code it


def test_countries_cover_every_un_member_with_valid_codes():
    rows = list(_rows("countries.tsv"))
    codes = [r["iso3"] for r in rows]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert pycountry.countries.get(alpha_3=code) is not None or code in USER_ASSIGNED_CODES, code
    assert sum(r["un"] == "1" for r in rows) == 193
    # a territory's sovereign is a state of the file
    assert {r["sovereign"] for r in rows if r["sovereign"]} <= set(codes)
    assert ActorKB.load().state_of("HKG") == "CHN"


def test_usual_doers_name_one_sector_per_type():
    from detente.datafiles import read_table

    rows = read_table("usual_doers.tsv")
    assert rows and all(r["event_type"] in PLOVER_TYPES and r["sector"] in SECTORS and r["name"].endswith("(implied)")
                        for r in rows)
    assert len({r["event_type"] for r in rows}) == len(rows)


def test_sector_words_use_known_sector_codes():
    rows = list(_rows("sectors.tsv"))
    assert rows and all(r["sector"] in SECTORS and r["person"] in ("0", "1") for r in rows)
    words = [r["word"].lower() for r in rows]
    assert len(words) == len(set(words))


def test_people_rows_are_unique_offices():
    rows = people_rows()
    offices = [(r["kb_id"], r["role"], r["start"]) for r in rows]
    assert len(offices) == len(set(offices)), [o for o, n in Counter(offices).items() if n > 1][:5]
    names = {}
    for r in rows:  # one kb_id per person
        assert names.setdefault(r["name"], r["kb_id"]) == r["kb_id"], r["name"]


def test_people_have_country_sector_and_office_dates():
    rows = people_rows()
    assert len({r["kb_id"] for r in rows}) >= 150
    for r in rows:
        assert r["country"] in {"IGO", "NGO", "IMG", "XKX"} or pycountry.countries.get(alpha_3=r["country"]), r
        assert r["sector"] in SECTORS and r["role"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["start"]) and (r["end"] == "" or r["end"] > r["start"]), r


def test_cues_name_a_country_and_a_sector():
    rows = list(_rows("cues.tsv"))
    assert rows and all(pycountry.countries.get(alpha_3=r["country"]) and r["sector"] in SECTORS
                        and r["kind"] in ("title", "party") for r in rows)


@pytest.mark.parametrize("name, when, kb_id, role, sector", [
    ("Maria Cantwell", "2020-05-01", "us-c000127", "senator", "LEG"),
    ("Alexandria Ocasio-Cortez", "2022-05-01", "us-o000172", "representative", "LEG"),
    ("Emmanuel Macron", "2019-05-01", "macron", "president", "GOV"),
    ("Angela Merkel", "2010-05-01", "merkel", "chancellor", "GOV"),
    ("Narendra Modi", "2016-05-01", "modi", "prime minister", "GOV"),
    ("Cyril Ramaphosa", "2020-05-01", "ramaphosa", "president", "GOV"),
    ("Joe Biden", "2010-03-01", "biden", "vice president", "GOV"),
    ("Joe Biden", "2022-03-01", "biden", "president", "GOV"),
    ("Kamala Harris", "2022-03-01", "harris", "vice president", "GOV"),
    ("Vladimir Putin", "2010-01-01", "putin", "prime minister", "GOV"),
    ("Vladimir Putin", "2015-01-01", "putin", "president", "GOV"),
])
def test_office_holders_resolve_to_the_office_held_on_a_date(name, when, kb_id, role, sector):
    entry = ActorKB.load().lookup_on(name, date.fromisoformat(when))
    assert (entry.kb_id, entry.role, entry.sector) == (kb_id, role, sector)


def test_groups():
    rows = list(_rows("groups.tsv"))
    assert len(rows) >= 40
    for r in rows:
        assert r["country"] in {"IGO", "NGO", "MNC", ""} or pycountry.countries.get(alpha_3=r["country"]), r
        assert r["sector"] in SECTORS
        # An organisation's own code names it in dyads: never a country's code, and only for bodies without one.
        assert not r["code"] or (r["country"] in {"IGO", "NGO"} and not pycountry.countries.get(alpha_3=r["code"])), r
    codes = [r["code"] for r in rows if r["code"]]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("name", ORGANISATIONS)
def test_organisation_rosters_give_country_sector_and_spells_in_power(name):
    rows = list(_rows(name))
    undated: dict[str, dict] = {}
    for r in rows:
        assert re.fullmatch(r"[a-z0-9-]+", r["kb_id"]) and r["name"].strip(), r
        assert pycountry.countries.get(alpha_3=r["country"]) or r["country"] == "XKX", r
        assert r["sector"] in SECTORS, r
        if not r["start"]:
            assert not r["role"] and not r["end"] and r["kb_id"] not in undated, r  # one undated row each
            undated[r["kb_id"]] = r
        else:  # a spell in power: the party is the government then
            assert (r["sector"], r["role"]) == ("GOV", "ruling party"), r
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["start"]) and (r["end"] == "" or r["end"] > r["start"]), r
    assert len(undated) >= 300
    for r in rows:  # every spell belongs to an organisation of the same name and country
        base = undated[r["kb_id"]]
        assert (base["name"], base["country"]) == (r["name"], r["country"]), r


def test_lexicon_codes_resolve_to_plover_types():
    lex = Lexicon.load()
    assert {c.plover for c in lex.cameo.values()} == set(PLOVER_TYPES)
    for code in lex.cameo.values():
        assert -10 <= code.goldstein <= 10 and code.quad_class in (1, 2, 3, 4)
    assert sum(len(p) for p in lex.verbs.values()) > 150
    assert set(lex.cues.values()) <= {"asserted", "reported", "alleged", "denied", "negated", "conditional", "intent"}


def test_lexicon_patterns_are_unique_and_support_rows_typed():
    from detente.datafiles import read_table

    # A noun is one entry whether it codes alone ("@") or only as an object ("~").
    patterns = [(row["pattern"][0] in "@~", row["pattern"].lstrip("@~")) for row in read_table("verbs.tsv")]
    assert len(patterns) == len(set(patterns))
    # Expanded verb classes add patterns, never a second code for a verb's own pattern.
    lex = Lexicon.load()
    keys = [(p.lemma, p.preps, p.obj) for ps in lex.verbs.values() for p in ps]
    assert len(keys) == len(set(keys))
    assert any(p.obj == "grain" and p.cameo == "073" for p in lex.verbs["airdrop"])
    assert [p.cameo for p in lex.verbs["provide"] if p.obj == "aid"] == ["070"]
    rows = read_table("support.tsv")
    assert {r["kind"] for r in rows} == {"verb", "container", "occurrence"}
    assert len({(r["word"], r["kind"]) for r in rows}) == len(rows)


def test_boilerplate_and_places_parse():
    from detente.clean import load_boilerplate_rules
    from detente.geo import _places_rows

    assert {r.scope for r in load_boilerplate_rules()} == {"line", "paragraph", "sentence", "tail"}
    for row in _places_rows():
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert pycountry.countries.get(alpha_3=row["country"])


def test_kb_loads():
    kb = ActorKB.load()
    assert kb.lookup("the kremlin")[0].country == "RUS"
    assert kb.lookup("Erdoğan")[0].kb_id == "erdogan"


def test_a_pattern_naming_an_unknown_verb_class_is_refused():
    from detente.coder.lexicon import expand_pattern

    assert [p.lemma for p in expand_pattern("$transfer =food", "073", {"transfer": ["ship", "airlift"]})] == ["ship", "airlift"]
    with pytest.raises(ValueError, match="unknown verb class 'transport'"):
        expand_pattern("$transport =food", "073", {"transfer": ["ship"]})


def test_an_object_class_stands_for_each_of_its_nouns():
    from detente.coder.lexicon import expand_pattern

    patterns = expand_pattern("$leave from =%accord", "120", {"leave": ["withdraw", "pull"]},
                              {"accord": ["treaty", "peace deal"]})
    assert [(p.lemma, p.preps, p.obj) for p in patterns] == [
        ("withdraw", ("from",), "treaty"), ("pull", ("from",), "treaty"),
        ("withdraw", ("from",), "peace deal"), ("pull", ("from",), "peace deal")]
    with pytest.raises(ValueError, match="unknown object class 'pact'"):
        expand_pattern("sign =%pact", "057", {}, {"accord": ["treaty"]})


def test_nominalizations_pair_event_nouns_with_verbs_that_take_objects():
    from detente.datafiles import read_table

    lex = Lexicon.load()
    rows = read_table("nominalizations.tsv")
    assert len({r["noun"] for r in rows}) == len(rows)
    for row in rows:
        assert row["noun"] in lex.nouns, row  # an event noun of verbs.tsv
        assert any(p.obj for p in lex.verbs[row["verb"]]), row
    assert lex.noun_verbs["withdrawal"] == "withdraw"


def test_word_classes_are_lower_case_and_unique():
    from detente.datafiles import read_table, word_class

    rows = read_table("word_classes.tsv")
    pairs = [(r["class"], r["word"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert all(word == word.lower() and word.strip() == word and word for _, word in pairs)
    assert "peacekeeper" in word_class("presence") and "border" in word_class("boundary")
    with pytest.raises(KeyError, match="no class 'nonsense'"):
        word_class("nonsense")
