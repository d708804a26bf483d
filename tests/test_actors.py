from datetime import date

import pytest

from detente.actors import ArticleContext, resolve_actor


def _resolve(coder, text, head_text, when=date(2019, 2, 14), ctx=None):
    doc = coder.nlp(text)
    mentions = coder.finder.mentions(doc)
    head = next(t for t in doc if t.text == head_text)
    return resolve_actor(head, coder.finder, mentions, ctx or ArticleContext(), when)


@pytest.mark.parametrize(
    "text, head, expected",
    [
        ("Russian Foreign Minister Sergei Lavrov said on Wednesday that talks would go on.", "Lavrov", [("RUS", "GOV", "lavrov")]),
        ("Turkish troops crossed the border on Sunday.", "troops", [("TUR", "MIL", None)]),
        ("The Kremlin rejected the proposal.", "Kremlin", [("RUS", "GOV", "RUS")]),
        ("The Pentagon confirmed the strike.", "Pentagon", [("USA", "MIL", "USA")]),
        # a singular weapon named with its country's name is that country's
        ("A U.S. drone fired two missiles.", "drone", [("USA", "MIL", None)]),
        ("Evo Morales spoke in La Paz.", "Morales", [("BOL", "GOV", "morales")]),
        ("Kosovo declared independence in 2008.", "Kosovo", [("XKX", "GOV", "XKX")]),
        ("Moscow warned Washington on Thursday.", "Moscow", [("RUS", "GOV", "RUS")]),
        ("Ankara rejected the plan.", "Ankara", [("TUR", "GOV", "TUR")]),
        ("U.S.-backed fighters attacked the town.", "fighters", [(None, "REB", None)]),
        # A coalition is coded to the state that leads it, unlike one that is only backed.
        ("Saudi-led coalition warplanes struck the port.", "warplanes", [("SAU", "MIL", None)]),
        ("Palestinians marched through Hebron on Friday.", "Palestinians", [("PSE", "CVL", "PSE")]),
        ("Afghans queued at the border crossing.", "Afghans", [("AFG", "CVL", "AFG")]),
        ("The Russians rejected the proposal.", "Russians", [("RUS", "GOV", "RUS")]),
        ("A team of Tunisian negotiators landed in Geneva.", "team", [("TUN", "GOV", None)]),
        # A people named with its country of residence belongs to that country.
        ("Bosnian Serbs shelled the town.", "Serbs", [("BIH", None, "BIH")]),
        ("Iraqi Kurds crossed into Turkey.", "Kurds", [("IRQ", "CVL", None)]),
        # The title says whom a person spoke for at the time (the KB has him as Georgia's president).
        ("Soviet Foreign Minister Eduard Shevardnadze arrived in Bonn.", "Shevardnadze", [("RUS", "GOV", "shevardnadze")]),
        ("Darfur rebels attacked a convoy.", "rebels", [("SDN", "REB", None)]),
        ("Kurds in Turkey demanded schooling in Kurdish.", "Kurds", [("TUR", "CVL", None)]),
        ("Albanians in Macedonia demanded more jobs.", "Albanians", [("MKD", "CVL", None)]),
        ("The Tamil Tigers attacked a navy base.", "Tigers", [("LKA", "REB", "ltte")]),
        # A title the NER counts into the name still gives the sector.
        ("Kenyan Archbishop John Mwangi condemned the killings.", "Mwangi", [("KEN", "REL", None)]),
        ("Maj. Gen. Alberto Ruiz stepped down on Friday.", "Ruiz", [(None, "MIL", None)]),
        ("A human rights group accused the army of torture.", "group", [("NGO", "NGO", None)]),
        ("Jewish settlers set fire to a mosque near Nablus.", "settlers", [("ISR", "CVL", "israeli_settlers")]),
        ("Maria Lopes, the United Nations humanitarian coordinator, landed in Juba.", "Lopes", [("IGO", "IGO", "un")]),
        # Former states are coded as their successors.
        ("Soviet troops withdrew from Afghanistan.", "troops", [("RUS", "MIL", None)]),
        # Seas and gulfs named after a country are places, not actors.
        ("Chinese ships rammed a fishing boat in the South China Sea.", "Sea", []),
        # A party named by its relation to another is not that other.
        ("Drones struck a depot of Turkey's local ally near the border.", "ally", []),
        ("U.S.-backed Syrian Democratic Forces attacked the town.", "Forces", [("SYR", "REB", "sdf")]),
        ("Russian-supported Syrian government troops advanced.", "troops", [("SYR", "MIL", None)]),
        ("SDF fighters shelled the village.", "fighters", [("SYR", "REB", "sdf")]),
        ("U.S. and Russian forces squared off near Derik.", "forces", [("USA", "MIL", None), ("RUS", "MIL", None)]),
        ("Iranian leader Hassan Rouhani arrived in Sochi.", "Rouhani", [("IRN", "GOV", "rouhani")]),
        ("Hezbollah fired rockets at the border.", "Hezbollah", [("LBN", "REB", "hezbollah")]),
        ("NATO condemned the attack.", "NATO", [("IGO", "IGO", "nato")]),
        ("The government of Syria protested.", "government", [("SYR", "GOV", None)]),
        # Whoever heads or speaks for a body stands for it; a country's official keeps his office.
        ("The chief of the IAEA criticised Iran.", "chief", [("IGO", "IGO", "iaea")]),
        ("The leader of Hezbollah threatened Israel.", "leader", [("LBN", "REB", "hezbollah")]),
        ("The director of the CIA flew to Islamabad.", "director", [("USA", "SPY", "USA")]),
        ("Mossad tracked the courier to Dubai.", "Mossad", [("ISR", "SPY", "ISR")]),
    ],
)
def test_actor_composition(coder, text, head, expected):
    actors = _resolve(coder, text, head)
    assert [(a.country, a.sector, a.kb_id) for a in actors] == expected


@pytest.mark.parametrize("when, kb_id", [(date(2017, 6, 1), "trump"), (date(2022, 6, 1), "biden"), (date(2014, 6, 1), "obama")])
def test_a_title_without_a_name_is_resolved_by_office_dates(coder, when, kb_id):
    [actor] = _resolve(coder, "The U.S. president said talks would continue.", "president", when=when)
    assert (actor.country, actor.sector, actor.kb_id) == ("USA", "GOV", kb_id)


def test_possessive_ally_is_the_named_country(coder):
    [actor] = _resolve(coder, "Putin ordered talks with Russia's ally Syria.", "Syria")
    assert actor.country == "SYR"


def test_back_reference_to_a_person_named_earlier(coder):
    ctx = ArticleContext()
    _resolve(coder, "Turkish Foreign Minister Mevlut Cavusoglu arrived in Moscow.", "Cavusoglu", ctx=ctx)
    [actor] = _resolve(coder, "He warned that Ankara would respond.", "He", ctx=ctx)
    assert actor.kb_id == "cavusoglu"
    [actor] = _resolve(coder, "The minister said the talks had failed.", "minister", ctx=ctx)
    assert actor.country == "TUR"


def test_pronoun_prefers_the_subject_of_its_own_sentence(coder):
    ctx = ArticleContext()
    _resolve(coder, "The Syrian Observatory reported clashes.", "Observatory", ctx=ctx)
    doc_actors = _resolve(coder, "The SDF denied that it fired on government forces.", "it", ctx=ctx)
    assert [a.kb_id for a in doc_actors] == ["sdf"]


def test_acronyms_match_only_in_capitals(coder):
    doc = coder.nlp("It is clear that IS fighters and US troops were there, as is the rest of us.")
    mentions = coder.finder.mentions(doc)
    matched = {doc[i].text for i in mentions}
    assert {"IS", "US"} <= matched and "is" not in matched and "us" not in matched


@pytest.mark.parametrize("text, head, country", [
    ("Iran closed its border with Afganistan on Friday.", "Afganistan", "AFG"),
    ("Quatar's emir met the Saudi king in Riyadh.", "Quatar", "QAT"),
    ("President Francois Mitterand spoke in Paris.", "Mitterand", "FRA"),
])
def test_a_name_misspelt_by_one_letter_is_still_found(coder, text, head, country):
    [actor] = _resolve(coder, text, head, when=date(1990, 6, 1))
    assert actor.country == country


def test_real_places_and_short_names_are_not_corrected(coder):
    # Granada is a Spanish city, not Grenada; Columbia not Colombia; Miller is not Milley.
    for text, head in [("Police in Granada arrested two men.", "Granada"), ("Columbia protested.", "Columbia"),
                       ("Senator Miller criticized the plan.", "Miller")]:
        assert not [a for a in _resolve(coder, text, head) if a.country in ("GRD", "COL") or a.kb_id == "milley"]


LAVROV_DEMAND = ("A senior Turkish official met reporters in Ankara. "
                 "Russian Foreign Minister Sergei Lavrov on Monday indicated that patience was running out. "
                 "\"Turkey must pull its troops out of Idlib,\" he said.")


def test_a_person_named_without_an_event_is_who_he_refers_to(rules_code_text):
    # No event makes the foreign minister an actor in the first sentence; "he" in the second is
    # still him, not an earlier person.
    events = rules_code_text(LAVROV_DEMAND).events
    assert any(e.event_type == "REQUEST" and [a.kb_id for a in e.source] == ["lavrov"] for e in events), events


def test_the_learned_coder_keeps_a_quoted_demand(code_text):
    assert any(e.event_type == "REQUEST" for e in code_text(LAVROV_DEMAND).events)


def test_they_refers_to_the_parties_last_named_together(rules_code_text):
    # (what the rules read in "their third meeting"; the learned coder rightly codes no second
    # meeting there: it restates the first)
    text = ("Iran will host talks on Thursday between Putin, his Turkish counterpart Recep Tayyip Erdogan "
            "and Iranian President Hassan Rouhani in Tehran. It is their third meeting this year.")
    events = rules_code_text(text).events
    meetings = [sorted(a.country for a in e.source) for e in events if e.event_type == "CONSULT"]
    assert ["IRN", "RUS", "TUR"] in meetings, events


def test_one_word_names_match_as_names_not_as_words(coder):
    doc = coder.nlp("Amnesty said the general amnesty freed no one; the party congress met. CHAD ACCUSES SUDAN")
    matched = {doc[i].text for i in coder.finder.mentions(doc)}
    assert {"Amnesty", "CHAD", "SUDAN"} <= matched and "amnesty" not in matched and "congress" not in matched


def test_we_in_a_quote_is_the_speakers_side(code_text, rules_code_text):
    # "We" is the speaker's side, not the last actor named; "US" is no pronoun. (Whether the
    # promise is kept as an event is the sentence model's call: the rules' reading is tested.)
    text = ("A senior Turkish official met reporters in Ankara. "
            "\"We will help the Syrian army to restore order,\" Lavrov said.")
    events = rules_code_text(text).events
    assert any(e.event_type == "AGREE" and [a.kb_id for a in e.source] == ["lavrov"] for e in events), events
    events = code_text("The Saudi foreign minister told reporters that the US must do more for peace in Yemen.").events
    assert any(e.event_type == "REQUEST" and "USA" in {a.country for a in e.target} for e in events), events


def test_british_and_american_spellings_name_the_same_body(coder):
    kb = coder.finder.kb
    assert [e.kb_id for e in kb.lookup("Organisation of American States")] == [e.kb_id for e in kb.lookup("Organization of American States")] == ["oas"]


def test_a_title_refers_back_to_the_person_who_holds_it_and_his_to_the_title(code_text):
    events = code_text("Ethiopian Prime Minister Abiy Ahmed and Eritrean President Isaias Afwerki signed the "
                       "agreement in Asmara.\n\nThe prime minister said his government would pull its troops out of "
                       "the town of Badme.").events
    later = [e for e in events if e.sentence.startswith("The prime minister")]
    assert later and all(a.country == "ETH" for e in later for a in e.source), later


@pytest.mark.parametrize("text", [
    "Ethiopia and Eritrea sign peace deal\n\nADDIS ABABA (AP) — Ethiopia and Eritrea signed a peace deal on Monday.",
    "ADDIS ABABA, July 9 (Reuters) - Ethiopia and Eritrea signed a peace deal on Monday.",
])
def test_a_dateline_is_not_the_subject_of_the_story(code_text, text):
    events = [e for e in code_text(text).events if "sign" in e.sentence]
    assert events and {a.country for e in events for a in e.source} == {"ETH", "ERI"}, events
    assert all(not e.sentence.startswith(("ADDIS", "ABABA")) for e in events), events


def test_a_party_based_somewhere_takes_that_country(code_text):
    events = code_text("India blamed Pakistan-based militants for the attack on the army camp.").events
    assert any(e.event_type == "ACCUSE" and {a.country for a in e.target} == {"PAK"} for e in events), events


def test_paired_nationalities_of_people_name_both_countries(code_text):
    events = code_text("American and Russian engineers will jointly dismantle the old missile silos.").events
    assert events and {a.country for a in events[0].source} == {"USA", "RUS"}, events


def test_a_pronoun_inside_its_own_subject_does_not_loop(code_text):
    # "Dozens of them": the subject holding the pronoun is not its antecedent (this used to
    # recurse until Python gave up, and the whole article was lost).
    coded = code_text("Students marched on the state capitol in Tallahassee on Monday.\n\n"
                      "Dozens of them confronted state lawmakers, demanding tighter gun laws.")
    assert coded.ok and not coded.errors


@pytest.mark.parametrize("text, name, country, sector", [
    ("Sen. Jane Roe accused the Pentagon of hiding the report.", "Sen. Jane Roe", "USA", "LEG"),
    ("Jane Roe (D-Vt.) criticised the Pentagon on Monday.", "Jane Roe", "USA", "LEG"),
    ("Rep. John Doe, R-Ohio, criticised the Pentagon on Monday.", "Rep. John Doe", "USA", "LEG"),
    ("Republican senators blocked the bill on Tuesday.", "Republican senators", "USA", "LEG"),
    ("Tory backbenchers criticised the prime minister's deal.", "Tory backbenchers", "GBR", None),
])
def test_a_national_cue_gives_an_unknown_party_its_country(rules_code_text, text, name, country, sector):
    _assert_source(rules_code_text(text).events, name, country, sector)


def _assert_source(events, name: str, country: str, sector: str | None) -> None:
    """Some event's source is `name` of `country` (and of `sector`, unless None)."""
    sources = [a for e in events for a in e.source]
    assert any(a.name == name and a.country == country and (sector is None or a.sector == sector) for a in sources), sources


@pytest.mark.parametrize("text, name, sector, country", [
    # the people in an "of" phrase after a quantity are the actors
    ("A handful of supporters gathered outside the courthouse in Nairobi, chanting slogans.", "supporters", "CVL", "KEN"),
    ("Protest organisers in Nairobi accused the police of blocking the march.", "Protest organisers", "CVL", "KEN"),
    # (non-governmental bodies carry their kind as country, as the KB's do)
    ("Environmental groups in Kenya urged the government to close the mine.", "Environmental groups", "NGO", "NGO"),
    ("Kenyan business groups urged the government to scrap the new tax.", "Kenyan business groups", "BUS", "KEN"),
    ("Two Kenyan sheriffs accused the governor of ignoring the court order.", "Two Kenyan sheriffs", "COP", "KEN"),
    ("The Kenyan congressman accused the government of hiding the report.", "Kenyan congressman", "LEG", "KEN"),
])
def test_role_words_give_the_sector_the_annotation_guide_names(rules_code_text, text, name, sector, country):
    _assert_source(rules_code_text(text).events, name, country, sector)


def test_a_surname_refers_back_to_the_person_named_in_full(rules_code_text):
    text = ("Sen. Jane Roe (D-Vt.) criticised the Pentagon on Monday.\n\n"
            "Roe also accused the Pentagon of hiding the report.")
    later = [e for e in rules_code_text(text).events if e.sentence.startswith("Roe")]
    assert later and later[0].source[0].name == "Sen. Jane Roe" and later[0].source[0].country == "USA", later


USER_DICTIONARY = """# my newsroom's actors
kb_id\tname\taliases\tcountry\tsector\trole\tstart\tend
roe\tJane Roe\tRoe\tUSA\tLEG\tsenator\t2021-01-03\t
kenmin\tKenya Mining Union\tKMU\tKEN\tCVL\t\t\t
bad\tBad Row\t\tZZZ\tGOV\t\t\t
late\tLate Row\t\tKEN\tGOV\tminister\t2020-13-01\t
putin-double\tVladimir Putin\tPutin\tBLR\tGOV\t\t\t
"""


def test_a_user_dictionary_adds_and_overrides_actors_and_names_its_bad_rows(tmp_path):
    from datetime import date

    from detente.actors import ActorKB

    path = tmp_path / "mine.tsv"
    path.write_text(USER_DICTIONARY, encoding="utf-8")
    kb = ActorKB.load((path,))
    assert kb.problems == [f"{path}:5: country 'ZZZ' is not an ISO 3166-1 alpha-3 code (or IGO, NGO, MNC)",
                           f"{path}:6: dates '2020-13-01'/'' are not YYYY-MM-DD"]
    assert kb.lookup_on("Jane Roe", date(2022, 1, 1)).country == "USA"
    assert kb.lookup("KMU")[0].country == "KEN"
    assert kb.lookup("Putin")[0].country == "BLR"  # the user's entry comes first


def test_a_user_dictionary_that_cannot_be_read_is_one_problem(tmp_path):
    from detente.actors import ActorKB

    kb = ActorKB.load((tmp_path / "absent.tsv",))
    assert len(kb.problems) == 1 and "absent.tsv: cannot read" in kb.problems[0]


def test_explaining_a_name_shows_the_office_held_on_the_date_first():
    from datetime import date

    from detente.actors import ActorKB, explain_name

    kb = ActorKB.load()
    first, *others = explain_name(kb, "Joe Biden", date(2012, 1, 1))
    assert (first["role"], first["why"]) == ("vice president", "in office as vice president on 2012-01-01")
    assert any(r["role"] == "president" and r["why"] == "also named so; not chosen" for r in others)
    assert explain_name(kb, "senator")[0]["kind"] == "sector word"
    assert explain_name(kb, "Afganistan")[0]["country"] == "AFG"
    assert explain_name(kb, "Qwxyz Zzyx") == []


def test_kb_stats_count_people_offices_and_countries():
    from detente.actors import ActorKB, kb_stats

    stats = {r["what"]: r["count"] for r in kb_stats(ActorKB.load())}
    assert stats["person entries"] >= 4000 and stats["offices (person × office × term)"] >= 7000
    assert stats["countries with an office holder"] >= 190


@pytest.mark.parametrize("text, head, expected", [
    # A state, province or city named with an office or force gives the country, and stays in the name.
    ("The Ohio attorney general sued the company on Monday.", "general", ("USA", "JUD", "Ohio attorney general")),
    ("The governor of Texas criticized the plan.", "governor", ("USA", "GOV", "governor of Texas")),
    ("Basra police arrested three men.", "police", ("IRQ", "COP", "Basra police")),
    # ("secretary-general" is one title, not a general)
    ("The secretary-general said talks would resume.", "general", (None, "GOV", "secretary-general")),
])
def test_an_office_named_with_its_state_or_city_takes_its_country(coder, text, head, expected):
    actors = _resolve(coder, text, head)
    assert [(a.country, a.sector, a.name) for a in actors] == [expected]


def test_the_president_is_not_the_governor_named_just_before(rules_code_text):
    events = rules_code_text("The Ohio governor criticized the president on Tuesday.").events
    accuse = next(e for e in events if e.event_type == "ACCUSE")
    assert [a.name for a in accuse.source] == ["Ohio governor"]
    assert [a.name for a in accuse.target] == ["president"]


def test_a_description_is_named_by_its_apposition_and_an_unknown_person_by_name(rules_code_text):
    events = rules_code_text("Soldiers surrounded the parliament in Tunis and barred its speaker, Rached Ghannouchi, "
                             "from entering.", "2021-07-27").events
    barred = next(e for e in events if e.event_type == "COERCE")
    assert [(a.country, a.sector, a.name) for a in barred.target] == [("TUN", "LEG", "Rached Ghannouchi")]
    events = rules_code_text("TBILISI, Georgia (Kura Wire) - Prime Minister Irakli Kobakhidze accused Ivo Tarnberg "
                             "of blackmail on Monday.", "2024-05-14").events
    accused = next(e for e in events if e.event_type == "ACCUSE")
    # (the KB does not know him: he is of the country the story is about, as role words are)
    assert [(a.country, a.sector, a.name) for a in accused.target] == [("GEO", None, "Ivo Tarnberg")]


@pytest.mark.parametrize("text, expected", [
    # A surname the KB lists for one person, after another given name, is someone else.
    ("Congress party spokesman Rashid Alvi accused the opposition of lying.", ("IND", "OPP", "incparty")),
    ("Rashid Alvi accused the opposition of lying.", (None, None, None)),
    # The person himself, by a title or by a given name spelt otherwise, is still found.
    ("President Arif Alvi signed the bill.", ("PAK", "GOV", "arif-alvi")),
    ("Dr Alvi signed the bill.", ("PAK", "GOV", "arif-alvi")),
    ("Foreign Minister Sergey Lavrov met the envoy.", ("RUS", "GOV", "lavrov")),
])
def test_a_known_surname_after_another_given_name_is_another_person(coder, text, expected):
    [actor] = _resolve(coder, text, "Alvi" if "Alvi" in text else "Lavrov", when=date(2019, 8, 9))
    assert (actor.country, actor.sector, actor.kb_id) == expected


def _resolve_in_story(coder, text, head_text, when):
    """`head_text`'s actors, the name read in the story's context as the pipeline reads it."""
    from detente.actors import in_context, story_countries

    doc = coder.nlp(text)
    mentions = coder.finder.mentions(doc)
    head = [t for t in doc if t.text == head_text][-1]
    return resolve_actor(head, coder.finder, in_context(mentions, story_countries(mentions, doc)), ArticleContext(), when)


@pytest.mark.parametrize("text, head, when, expected", [
    # A party is the government while it rules, the opposition otherwise.
    ("BJP leaders said the party would back the campaign.", "leaders", date(2012, 8, 9), ("IND", "OPP", "bjp")),
    ("BJP leaders said the party would back the campaign.", "leaders", date(2016, 8, 9), ("IND", "GOV", "bjp")),
    ("The Awami League called a general strike.", "League", date(2003, 1, 1), ("BGD", "OPP", "bgd-al")),
    # News media and their countries; a name is an outlet only as the outlet writes it.
    ("The North's Rodong Sinmun newspaper called the drills hostile.", "newspaper", date(2017, 3, 1), ("PRK", "MED", "prk-rodong")),
    ("Russia Today reported the strike.", "Today", date(2012, 1, 1), ("RUS", "MED", "rt-russia")),
    ("Russia today said it would strike.", "Russia", date(2012, 1, 1), ("RUS", "GOV", "RUS")),
    # A name parties of several countries share is the one of the country the story names ...
    ("In Wellington, the Labour Party accused New Zealand's government of lying.", "Party", date(2010, 1, 1), ("NZL", "OPP", "nzl-labour")),
    ("In Oslo, the Labour Party accused Norway's government of lying.", "Party", date(2010, 1, 1), ("NOR", "GOV", "nor-labour")),
    # ... and, when the story names none of them, the story's own (context fills it in later).
    ("In Vienna, the Social Democrats walked out of Austria's parliament.", "Democrats", date(2012, 1, 1), (None, "OPP", None)),
    ("Argentina's CGT called a general strike.", "CGT", date(2001, 5, 1), ("ARG", "CVL", "cgt-argentina")),
    # A party word that names a country picks its party: the Republicans are American.
    ("The Michigan Republican Party called for his resignation.", "Party", date(2010, 3, 1), ("USA", "OPP", "usa-republican")),
])
def test_parties_and_media_resolve_by_date_and_story(coder, text, head, when, expected):
    [actor] = _resolve_in_story(coder, text, head, when)
    assert (actor.country, actor.sector, actor.kb_id) == expected
