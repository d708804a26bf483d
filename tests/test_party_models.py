"""The learned choice of parties: candidates, the shipped models, their loading errors and their effect."""

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from detente.coder.model import ModelFileError
from detente.coder.parties import PARTY_FEATURE_VERSION, PartyCandidate, PartyModel
from detente.types import Actor, RawDoc

ROOT = Path(__file__).resolve().parent.parent

PROPOSAL = """Beijing and Moscow float plan to pause Korean drills

BEIJING, March 3 (Harbour Wire) - China and Russia proposed on Friday a plan under which joint military drills on the Korean peninsula would be paused in exchange for a halt to missile tests.

The United States rejected the proposal on Saturday, saying it rewarded provocation."""


def _code(coder, text):
    return coder.code_batch([RawDoc(id="t", input="t.txt", text=text, published=date(2024, 3, 5))])[0].events


def test_an_act_on_what_the_sentence_before_reported_is_aimed_at_who_reported_it(coder):
    rejected = [e for e in _code(coder, PROPOSAL) if e.event_type == "REJECT"]
    assert len(rejected) == 1 and {a.country for a in rejected[0].source} == {"USA"}
    (target,) = rejected[0].target
    assert target.country in {"CHN", "RUS"} and target.name in {"China", "Russia"} and target.sector == "GOV"
    # Without the target model, the rules leave it untargeted: the model is what gives it one.
    bare = [e for e in _code(replace(coder, source_model=None, target_model=None), PROPOSAL) if e.event_type == "REJECT"]
    assert bare and not bare[0].target


def _model(tmp_path, threshold=0.5, **weights) -> PartyModel:
    path = tmp_path / "t.npz"
    np.savez(path, meta=np.array(json.dumps({"feature_version": PARTY_FEATURE_VERSION, "role": "target"})),
             vocab=np.array(list(weights)), coef=np.array(list(weights.values()), dtype=np.float32),
             intercept=np.float32(0.0), threshold=np.float32(threshold), fill_threshold=np.float32(threshold))
    return PartyModel.load("target", path)


def test_the_model_gives_the_likeliest_candidate_only_above_its_threshold(tmp_path):
    model = _model(tmp_path, 0.7, **{"prev1": 2.0, "sent": 0.5})  # P = 0.88 and 0.62
    earlier = PartyCandidate("CHN", (Actor("CHN", "GOV", "China"),), ("bias", "prev1"))
    nearby = PartyCandidate("JPN", (Actor("JPN", "GOV", "Japan"),), ("bias", "sent"))
    assert model.choose(None, [nearby, earlier]) == earlier.actors
    assert model.choose(None, [nearby]) == ()
    assert model.choose(None, []) == ()


def test_a_missing_or_corrupt_party_model_names_the_file_and_how_to_rebuild(tmp_path):
    with pytest.raises(ModelFileError, match=r"absent\.npz: the source model is missing.*train_party_models\.py"):
        PartyModel.load("source", tmp_path / "absent.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ModelFileError, match=r"broken\.npz: the target model is unreadable.*rebuild"):
        PartyModel.load("target", broken)
    with pytest.raises(ModelFileError, match="weights do not fit"):
        path = tmp_path / "bad.npz"
        np.savez(path, meta=np.array(json.dumps({"feature_version": PARTY_FEATURE_VERSION, "role": "target"})),
                 vocab=np.array(["sent", "prev1"]), coef=np.zeros(3), intercept=np.float32(0), threshold=np.float32(.5), fill_threshold=np.float32(.5))
        PartyModel.load("target", path)
    with pytest.raises(ModelFileError, match="a model of the target, not the source"):
        _model(tmp_path, 0.5, sent=1.0)  # (written to t.npz as a target model)
        PartyModel.load("source", tmp_path / "t.npz")


def test_a_party_model_built_for_other_features_is_refused(tmp_path):
    path = tmp_path / "old.npz"
    np.savez(path, meta=np.array(json.dumps({"feature_version": PARTY_FEATURE_VERSION + 1, "role": "target"})),
             vocab=np.array(["sent"]), coef=np.zeros(1), intercept=np.float32(0), threshold=np.float32(.5), fill_threshold=np.float32(.5))
    with pytest.raises(ModelFileError, match="feature version"):
        PartyModel.load("target", path)


@pytest.mark.parametrize("role", ["source", "target"])
def test_the_shipped_party_models_were_trained_on_the_corpus_and_sentence_model_in_the_repo(role):
    model = PartyModel.load(role)
    data = [ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl", ROOT / "src" / "detente" / "data" / "sentence_model.npz"]
    assert model.meta["training_data_sha256"] == hashlib.sha256(b"".join(p.read_bytes() for p in data)).hexdigest()[:16]
    assert model.meta["splits"] == ["train", "dev"] and model.role == role and 0.1 <= model.threshold <= 0.9


@pytest.mark.slow
def test_a_seeded_rebuild_gives_the_shipped_party_models(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_party_models.py"), "--out-dir", str(tmp_path)],
                   check=True, capture_output=True)
    for role in ("source", "target"):
        shipped, rebuilt = PartyModel.load(role), PartyModel.load(role, tmp_path / f"{role}_model.npz")
        assert rebuilt.vocab == shipped.vocab and rebuilt.meta == shipped.meta and rebuilt.threshold == shipped.threshold
        assert np.allclose(rebuilt.coef, shipped.coef, atol=1e-5)


TOUR = """Sudan's army chief tours Gulf in search of backing

KHARTOUM, May 9 (Harbour Wire) - Sudan's army chief Abdel Fattah al-Burhan is seeking financial and military support from Gulf states as fighting with the Rapid Support Forces enters its second year.

Talks with Qatar on Thursday focused on fuel supplies, officials said. Earlier in the week the delegation was received in Riyadh."""


def test_an_act_whose_doer_the_sentence_leaves_unnamed_takes_the_story_s_party(coder):
    def received(c):
        return [e for e in _code(c, TOUR) if "received in Riyadh" in e.sentence]

    (event,) = received(coder)
    assert [a.country for a in event.source] == ["SDN"] and event.source[0].name == "Sudan"
    assert [e.source for e in received(replace(coder, source_model=None, target_model=None))] == [()]


class _Picks:
    """A stand-in party model that gives every role-named party one country, and no new party."""

    def __init__(self, country):
        self.country = country

    def choose(self, event, candidates, *, filling=False):
        assert candidates, "a role-named party always has candidates: its sentence's country at least"
        return (Actor(self.country, "GOV", self.country),) if filling else ()


def test_a_role_named_source_takes_the_country_the_source_model_picks_and_keeps_its_role(coder):
    text = ("Kenya's parliament passed a finance bill on Tuesday that raises taxes on bread and fuel.\n\n"
            "Protesters blocked roads in Nairobi on Wednesday and burned tyres outside parliament.")

    def blocked(c):
        return [e for e in _code(c, text) if e.sentence.startswith("Protesters")][0]

    picked = blocked(replace(coder, source_model=_Picks("UGA"), target_model=None))
    assert [(a.country, a.sector, a.name) for a in picked.source] == [("UGA", "CVL", "Protesters")]
    ruled = blocked(replace(coder, source_model=None, target_model=None))
    assert [a.country for a in ruled.source] == ["KEN"]  # the context rule's: the place's country
    # A lone sentence keeps the rule's country: it has none of the context the model learned from.
    (alone,) = _code(replace(coder, source_model=_Picks("UGA"), target_model=None), text.split("\n\n")[1])
    assert [a.country for a in alone.source] == ["KEN"]


def test_a_role_named_target_takes_the_country_the_target_model_picks_and_a_named_one_keeps_its_own(coder):
    text = ("Kenya's parliament passed a finance bill on Tuesday that raises taxes on bread and fuel.\n\n"
            "Kenyan church leaders urged the authorities in Nairobi to withdraw the bill.")

    def urged(c):
        return [e for e in _code(c, text) if e.event_type == "REQUEST"][0]

    picked = urged(replace(coder, source_model=None, target_model=_Picks("UGA")))
    assert [(a.country, a.name) for a in picked.target] == [("UGA", "authorities")], picked
    assert [a.country for a in urged(replace(coder, source_model=None, target_model=None)).target] == ["KEN"]
    named = text.replace("the authorities in Nairobi", "Kenya's government")
    kept = [e for e in _code(replace(coder, source_model=None, target_model=_Picks("UGA")), named)
            if e.event_type == "REQUEST"][0]
    assert [a.country for a in kept.target] == ["KEN"], kept


def test_the_model_fills_a_role_named_source_by_its_own_threshold(tmp_path):
    path = tmp_path / "s.npz"
    np.savez(path, meta=np.array(json.dumps({"feature_version": PARTY_FEATURE_VERSION, "role": "source"})),
             vocab=np.array(["sent"]), coef=np.array([0.5], dtype=np.float32), intercept=np.float32(0.0),
             threshold=np.float32(0.7), fill_threshold=np.float32(0.3))
    model = PartyModel.load("source", path)
    nearby = PartyCandidate("JPN", (Actor("JPN", "GOV", "Japan"),), ("bias", "sent"))  # P = 0.62
    assert model.choose(None, [nearby]) == () and model.choose(None, [nearby], filling=True) == nearby.actors


def test_one_act_reached_twice_with_the_same_parties_is_one_event():
    from detente.coder.policy import distinct_events
    from detente.types import Event

    def event(event_id, confidence, name):
        return Event(event_id, "CONSULT", None, "040", 1, 1.0, (Actor("TUR", "GOV", name),), (Actor("RUS", "GOV", "Moscow"),),
                     "asserted", None, confidence, "Turkish and Russian officials met in Ankara.", 0, 44)

    kept = distinct_events([event("a", 0.6, "Hulusi Akar"), event("b", 0.5, "Ankara"), event("a", 0.8, "governments")])
    assert [(e.event_id, e.source[0].name) for e in kept] == [("b", "Ankara"), ("a", "governments")]


def test_an_act_whose_sentence_names_no_doer_is_done_by_the_usual_doer_of_its_type(coder):
    """"A general strike paralysed Nigeria's cities": Nigeria's people strike, not its government;
    a demand with no doer named is still the government's, as it usually is."""
    from detente.actors import ArticleContext
    from detente.coder.parties import party_candidates
    from detente.coder.policy import default_codes, sentence_events

    text = ("Fuel strike shuts Lagos\n\nA nationwide general strike over fuel prices paralysed Nigeria's biggest "
            "cities for a second day on Tuesday.")
    article = coder.prepare(RawDoc(id="strike", input=None, text=text, published=date(2012, 1, 10)))
    doc = coder.nlp(article.text)
    ctx, mentions = ArticleContext(), coder.finder.mentions(doc)
    view = coder.propose(article, doc, mentions, ctx)[-1]
    given = dict(lex=coder.lexicon, codes=default_codes(coder.lexicon), finder=coder.finder, ctx=ctx,
                 when=article.published, article_id=article.id)

    def nigeria(event_type):
        [built] = sentence_events(view, {event_type: 0.9}, **given)
        assert built.event.source == ()
        candidates = party_candidates(built.event, "source", doc[built.trigger], mentions, [], {"NGA": 2},
                                      lambda head: [], coder.finder.kb.country_names)
        return next(c.actors for c in candidates if c.country == "NGA")

    assert nigeria("PROTEST") == (Actor("NGA", "CVL", "protesters (implied)"),)
    assert nigeria("REQUEST") == (Actor("NGA", "GOV", "Nigeria"),)
