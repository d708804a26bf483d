"""Context countries: what an article's and a sentence's countries give the actors of its events."""

import pytest

from detente.context import ImpliedTarget, counterpart, implied_target, load_implied_targets
from detente.types import PLOVER_TYPES, Actor, Event

SECTORS = {"GOV", "MIL", "COP", "REB", "OPP", "PTY", "CVL", "MED", "BUS", "LEG", "JUD", "SPY", "REF", "REL", "NGO", "IGO", "EDU"}


def _event(event_type, source, target=()):
    return Event(event_id="e", event_type=event_type, mode=None, cameo=None, quad_class=0, goldstein=0.0,
                 source=tuple(source), target=tuple(target), factuality="asserted", speaker=None, confidence=0.9,
                 sentence="s", start=0, end=1)


RULES = {"PROTEST": (ImpliedTarget("PROTEST", frozenset({"CVL", "-"}), "GOV", "government (implied)"),),
         "COERCE": (ImpliedTarget("COERCE", frozenset({"COP", "GOV"}), "CVL", "people (implied)"),)}


def test_a_strike_is_aimed_at_the_strikers_government():
    nurses = Actor("GBR", "CVL", "nurses")
    assert implied_target(_event("PROTEST", [nurses]), {"GBR"}, RULES) == (Actor("GBR", "GOV", "government (implied)"),)
    # (a sentence naming no country at all is about the source's)
    assert implied_target(_event("PROTEST", [nurses]), set(), RULES) == (Actor("GBR", "GOV", "government (implied)"),)


@pytest.mark.parametrize("event, named", [
    # another country named: the counterpart may be that one, so none is implied
    (_event("PROTEST", [Actor("IRQ", "CVL", "protesters")]), {"IRQ", "USA"}),
    # a target already named
    (_event("COERCE", [Actor("EGY", "COP", "police")], [Actor("EGY", "CVL", "students")]), {"EGY"}),
    # a source of a sector the rule does not cover (a state's acts are as often aimed abroad)
    (_event("PROTEST", [Actor("FRA", "GOV", "France")]), {"FRA"}),
    # parties of two countries, or a body with none
    (_event("PROTEST", [Actor("KEN", "CVL", "a"), Actor("UGA", "CVL", "b")]), {"KEN", "UGA"}),
    (_event("COERCE", [Actor("IGO", "IGO", "UN")]), set()),
    (_event("COERCE", [Actor(None, "COP", "police")]), set()),
    # a type with no rule
    (_event("CONSULT", [Actor("GBR", "CVL", "nurses")]), {"GBR"}),
])
def test_no_target_is_implied_where_context_cannot_tell(event, named):
    assert implied_target(event, named, RULES) == ()


def test_implied_target_table_is_well_formed():
    rules = load_implied_targets()
    assert rules, "data/implied_targets.tsv has no rows"
    for event_type, rows in rules.items():
        assert event_type in PLOVER_TYPES
        for rule in rows:
            assert rule.source_sectors <= SECTORS | {"-"}, rule
            assert rule.sector is None or rule.sector in SECTORS, rule
            assert rule.name.endswith("(implied)"), rule
            assert rule.whose in ("own", "counterpart"), rule


def test_a_headline_strike_restated_in_the_lead_is_one_event_with_the_leads_parties(code_text):
    text = ("Junior doctors walk out over pay\n\n"
            "LONDON, March 13 (Thames Wire) - Junior doctors in England began a 72-hour strike on Monday, "
            "the longest walkout in the history of the health service.")
    strikes = [e for e in code_text(text, "2023-03-14").events if e.event_type == "PROTEST"]
    assert len(strikes) == 1 and strikes[0].sentence.startswith("Junior doctors walk out")
    assert [(a.country, a.sector) for a in strikes[0].source] == [("GBR", "CVL")]
    # (the strikers' own government, implied: the sentence names no other country)
    assert [(a.country, a.sector) for a in strikes[0].target] == [("GBR", "GOV")]
    assert strikes[0].target[0].name.endswith("(implied)")
    assert strikes[0].date.isoformat() == "2023-03-13"


def test_aid_a_government_announces_goes_to_the_country_the_story_is_about():
    rules = {"AID": (ImpliedTarget("AID", frozenset({"GOV"}), "GOV", "counterpart (implied)", "counterpart"),)}
    aid = _event("AID", [Actor("JPN", "GOV", "Japan")])
    # a story about Japan and Nepal: Nepal stands out among the other countries
    assert implied_target(aid, {"JPN"}, rules, {"JPN": 6, "NPL": 5, "CHN": 1}) == (Actor("NPL", "GOV", "counterpart (implied)"),)
    # no country stands out (two as often), or too rarely named: none
    assert implied_target(aid, {"JPN"}, rules, {"JPN": 6, "NPL": 3, "IND": 3}) == ()
    assert counterpart({"JPN": 9, "NPL": 2}, "JPN") is None


def test_a_sentence_naming_no_party_is_about_the_country_the_story_names_most(code_text):
    # Kenya is named most, but too little ahead to be the story's home country.
    text = ("Regional leaders meet over border trade\n\n"
            "Kenya hosted ministers from Uganda, Tanzania and Rwanda on Monday, and Kenya's president "
            "opened the talks.\n\n"
            "Police fired tear gas at traders protesting outside the venue.")
    coerce = next(e for e in code_text(text, "2024-03-12").events if "tear gas" in e.sentence)
    assert [(a.country, a.sector) for a in coerce.source] == [("KEN", "COP")]
