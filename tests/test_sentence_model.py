"""The learned layer: the shipped sentence model, its loading errors, and article scoring."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from detente.coder.features import FEATURE_VERSION
from detente.coder.model import MODEL_FILE, ModelFileError, SentenceModel
from detente.corpus import LabelledArticle, parse_record
from detente.evaluate import ArticleResult, place_events, score_articles
from detente.types import PLOVER_TYPES, Actor, Event

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "src" / "detente" / MODEL_FILE


def test_a_missing_model_file_names_it_and_how_to_rebuild(tmp_path):
    with pytest.raises(ModelFileError, match=r"missing.*scripts/train_sentence_model\.py"):
        SentenceModel.load(tmp_path / "absent.npz")


def test_a_corrupt_model_file_names_it_and_how_to_rebuild(tmp_path):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelFileError, match=r"broken\.npz.*unreadable.*rebuild"):
        SentenceModel.load(broken)


def test_a_model_built_for_other_features_is_refused(tmp_path):
    old = tmp_path / "old.npz"
    np.savez(old, meta=np.array(json.dumps({"feature_version": FEATURE_VERSION - 1})), classes=np.array(["AGREE"]),
             vocab=np.array(["w:agree"]), coef=np.zeros((1, 1)), intercept=np.zeros(1), thresholds=np.ones((1, 2)) / 2)
    with pytest.raises(ModelFileError, match="feature version"):
        SentenceModel.load(old)


def test_the_shipped_model_was_trained_on_the_corpus_in_the_repo():
    import hashlib

    model = SentenceModel.load()
    data = [ROOT / "corpus" / "train.jsonl", ROOT / "corpus" / "dev.jsonl", ROOT / "training" / "news_sentences.tsv"]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in data))
    assert model.meta["training_data_sha256"] == digest.hexdigest()[:16]
    assert model.classes == PLOVER_TYPES and model.meta["feature_version"] == FEATURE_VERSION


@pytest.mark.slow
def test_a_seeded_rebuild_gives_the_shipped_model(tmp_path):
    out = tmp_path / "rebuilt.npz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_sentence_model.py"), "--out", str(out)],
                   check=True, capture_output=True)
    shipped, rebuilt = SentenceModel.load(), SentenceModel.load(out)
    assert rebuilt.vocab == shipped.vocab and rebuilt.meta == shipped.meta
    assert np.allclose(rebuilt.coef, shipped.coef, atol=1e-5) and np.array_equal(rebuilt.thresholds, shipped.thresholds)


# -- whole-article scoring --------------------------------------------------------------------

LINES = [
    ("Sudan and Chad agree to reopen border crossings", [("AGREE", "SDN", "TCD")]),
    ("KHARTOUM, May 2 (Nile Wire) - Sudan and Chad signed a deal on Friday to reopen two crossings.", []),
    ("Trade between the two fell by half last year.", []),
    ("Chad's president also accused rebels of attacking a convoy.", [("ACCUSE", "TCD", None)]),
]


def _article() -> LabelledArticle:
    sentences = []
    for n, (text, events) in enumerate(LINES):
        record = {"article": "s001", "sid": f"s001#{n}", "text": text, "published": "2024-05-04", "events": [
            {"type": t, "source": [{"country": s, "sector": "GOV", "name": s}],
             "target": [{"country": g, "sector": "GOV", "name": g}] if g else [], "factuality": "asserted",
             "trigger": text.split()[3], "place": None, "date": None} for t, s, g in events]}
        sentences.append(parse_record(json.dumps(record), f"x:{n}"))
    return LabelledArticle("s001", sentences, text="\n\n".join(text for text, _ in LINES))


def _event(event_type: str, sentence: str, source: str, target: str | None, confidence: float = 0.9) -> Event:
    return Event("e", event_type, None, None, 1, 0.0, (Actor(source, "GOV", source),),
                 (Actor(target, "GOV", target),) if target else (), "asserted", None, confidence, sentence, 0, 1)


def test_events_are_placed_on_their_labelled_sentence_and_scored_per_sentence_and_type():
    article = _article()
    events = (
        _event("AGREE", "Sudan and Chad signed a deal on Friday to reopen two crossings.", "SDN", "TCD"),  # restated: spurious
        _event("ACCUSE", "Chad's president also accused rebels of attacking a convoy.", "TCD", None),
        _event("ASSAULT", "Chad's president also accused rebels of attacking a convoy.", "TCD", None, 0.3),
        _event("SUPPORT", "Trade between the two fell by half last\nyear.", "SDN", None),
    )
    placed = place_events(article, events)
    assert sorted((i, [e.event_type for e in evs]) for i, evs in placed.items()) == \
        [(1, ["AGREE"]), (2, ["SUPPORT"]), (3, ["ACCUSE", "ASSAULT"])]
    scores = score_articles([ArticleResult(article, placed)])
    assert (scores.gold, scores.emitted) == (2, 4)
    assert scores.recall == 0.5 and scores.precision == 0.25
    assert scores.spurious_rate == pytest.approx(2 / 2)  # both no-event sentences got an event
    assert scores.per_type["ACCUSE"]["dyad_recall"] == 1.0 and scores.per_type["AGREE"]["recall"] == 0.0
    assert "ASSAULT" not in score_articles([ArticleResult(article, placed)], min_confidence=0.5).per_type


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_cli_names_a_missing_model_file_in_one_line_with_any_worker_count(monkeypatch, capsys, workers):
    from detente import cli
    from detente.coder import model

    monkeypatch.setattr(model, "MODEL_FILE", "data/absent_model.npz")
    monkeypatch.setattr(sys, "argv", ["detente", "code", str(ROOT / "examples" / "01_deconfliction_talks.txt"),
                                      "--workers", workers])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err
    assert stop.value.code == 1 and "absent_model.npz: the sentence model is missing" in err
    assert "Traceback" not in err and "train_sentence_model.py" in err


def test_a_type_the_model_is_sure_of_is_coded_though_no_actor_is_its_subject(coder):
    """"A general strike paralysed Nigeria's cities": the rules find no actor doing it, so a
    type the model adds is built without a source (for the source model to give) only when the
    model is sure enough."""
    from detente.actors import ArticleContext
    from detente.coder.policy import SUBJECTLESS_MIN, default_codes, sentence_events
    from detente.types import RawDoc

    text = ("Fuel strike shuts Lagos\n\nA nationwide general strike over fuel prices paralysed "
            "Nigeria's biggest cities for a second day on Tuesday.")
    article = coder.prepare(RawDoc(id="strike", input=None, text=text, published=date(2012, 1, 10)))
    doc = coder.nlp(article.text)
    ctx = ArticleContext()
    view = coder.propose(article, doc, coder.finder.mentions(doc), ctx)[-1]
    assert not view.candidates  # the rules propose nothing here
    given = dict(lex=coder.lexicon, codes=default_codes(coder.lexicon), finder=coder.finder, ctx=ctx,
                 when=article.published, article_id=article.id)
    assert sentence_events(view, {"PROTEST": SUBJECTLESS_MIN - 0.05}, **given) == []
    [built] = sentence_events(view, {"PROTEST": 0.9}, **given)
    assert built.event.event_type == "PROTEST" and built.event.source == ()
    assert built.event.sentence.startswith("A nationwide general strike")


def _views(coder, text: str, published: date | None):
    from detente.actors import ArticleContext
    from detente.types import RawDoc

    article = coder.prepare(RawDoc(id="t", input=None, text=text, published=published))
    doc = coder.nlp(article.text)
    return article, coder.propose(article, doc, coder.finder.mentions(doc), ArticleContext())


def test_a_dateline_or_a_stray_quote_mark_is_no_act_however_sure_the_model(coder):
    from detente.actors import ArticleContext
    from detente.coder.policy import built_event, default_codes

    article, views = _views(coder, "SUVA, Dec 6 -\n\nThe army chief said his men would not hand back power.",
                            date(2006, 12, 6))
    dateline, body = views
    assert dateline.sent.text.strip() == "SUVA, Dec 6 -"
    codes = default_codes(coder.lexicon)
    given = dict(lex=coder.lexicon, finder=coder.finder, ctx=ArticleContext(), when=article.published,
                 article_id=article.id)
    assert built_event(dateline, codes["COERCE"], 0.95, **given) is None
    assert built_event(body, codes["REJECT"], 0.95, **given) is not None


@pytest.mark.parametrize("text, published, expected", [
    ("Canberra had withdrawn from the Quad in 2008.", date(2019, 5, 1), {"time:pluperfect", "time:year_long_ago"}),
    ("The European Union froze most assistance in the 1990s.", date(2019, 5, 1), {"time:decade"}),
    ("Talks will resume in 2019, the ministry said.", date(2019, 5, 1), {"time:year_same"}),
    ("The vote was held in 2018 and repeated in 2020.", date(2019, 5, 1), {"time:year_last", "time:year_future"}),
    ("The vote was held in 2016.", date(2019, 5, 1), {"time:year_recent"}),
    ("The vote was held in 2016.", None, {"time:year"}),
    ("Police arrested 13 people on Monday.", date(2019, 5, 1), set()),
])
def test_the_model_sees_how_far_back_a_sentence_reaches(coder, text, published, expected):
    """Background ("had withdrawn … in 2008" in a 2019 story) is not news the annotation codes."""
    from detente.coder.features import time_features

    _, [view] = _views(coder, text, published)
    assert set(time_features(view)) == expected


def test_the_model_sees_each_lexicon_triggers_factuality(coder):
    """"promised to withdraw" is an intended retreat, "did not withdraw" a negated one: the
    model sees the type with the clause's factuality, whatever the rules made of it."""
    from detente.coder.features import prior_features

    _, [promised] = _views(coder, "The government promised to withdraw its troops from the border.", date(2019, 5, 1))
    _, [negated] = _views(coder, "The government did not withdraw its troops from the border.", date(2019, 5, 1))
    assert ("RETREAT", "intent") in promised.lexical and "lex:RETREAT:intent" in prior_features(promised)
    assert ("RETREAT", "negated") in negated.lexical and "lex:RETREAT:negated" in prior_features(negated)
