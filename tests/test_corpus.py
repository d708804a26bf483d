"""The labelled article corpus (corpus/): format, splits, overlap, floors, and its scorer."""

import json
from pathlib import Path

import pytest

from detente.corpus import (
    CorpusFormatError, LabelledArticle, agreement, attach_texts, check_article, corpus_tables, loose_words,
    parse_record, read_labels, tally,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SPLITS = ("train", "dev", "test")
EVAL = ROOT.parent / "shared" / "eval"
RUN = 6  # words: no test sentence shares a run this long with a training sentence or an eval set


def corpus_split(name: str) -> list[LabelledArticle]:
    return attach_texts(read_labels(CORPUS / f"{name}.jsonl"), CORPUS / "articles")


@pytest.fixture(scope="module")
def splits() -> dict[str, list[LabelledArticle]]:
    return {name: corpus_split(name) for name in SPLITS}


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.jsonl")) + sorted(CORPUS.glob("second/test_*.jsonl")),
                         ids=lambda p: p.name)
def test_every_corpus_file_keeps_the_format(path):
    articles = attach_texts(read_labels(path), CORPUS / "articles")
    faults = [fault for article in articles for fault in check_article(article)]
    assert articles and not faults, faults[:10]


def test_splits_are_by_article(splits):
    seen: dict[str, str] = {}
    for name, articles in splits.items():
        for article in articles:
            assert article.id not in seen, f"{article.id} is in {seen.get(article.id)} and {name}"
            seen[article.id] = name


def _runs(text: str) -> set[tuple[str, ...]]:
    words = loose_words(text)
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def test_no_test_sentence_shares_a_six_word_run_with_training_or_eval_text(splits):
    seen: set[tuple[str, ...]] = set()
    for name in ("train", "dev"):
        for article in splits[name]:
            for sentence in article.sentences:
                seen |= _runs(sentence.text)
    for path in sorted(EVAL.glob("*.jsonl")) if EVAL.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen |= _runs(json.loads(line)["text"])
    shared = [(s.sid, " ".join(run)) for a in splits["test"] for s in a.sentences for run in _runs(s.text) & seen]
    assert not shared, shared[:10]


def test_corpus_meets_its_floors(splits):
    counts = tally([a for articles in splits.values() for a in articles])
    size = counts["size"]
    assert size["articles"] >= 300 and size["sentences"] >= 8000
    assert size["no-event sentences"] >= size["sentences"] / 2
    assert min(counts["type"].values()) >= 150 and len(counts["type"]) == 16, counts["type"]
    assert min(counts["factuality"].values()) >= 100 and len(counts["factuality"]) == 7, counts["factuality"]
    assert len(counts["country"]) >= 60
    assert len(splits["test"]) >= 60


def test_readme_counts_are_the_corpus_counts(splits):
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert corpus_tables(splits) in readme


# -- the format checker itself ----------------------------------------------------------------

GOOD = {"article": "z001", "sid": "z001#0", "text": "Kenyan police arrested 40 protesters in Nairobi on Monday.",
        "published": "2024-05-07",
        "events": [{"type": "COERCE", "mode": None, "source": [{"country": "KEN", "sector": "POL", "name": "Kenyan police"}],
                    "target": [{"country": "KEN", "sector": "CVL", "name": "protesters"}], "factuality": "asserted",
                    "trigger": "arrested", "place": {"name": "Nairobi", "country": "KEN", "kind": "city"}, "date": "2024-05-06"}]}


def _broken(path: str, value):
    record = json.loads(json.dumps(GOOD))
    target = record
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[last] = value
    return json.dumps(record)


def test_a_well_formed_record_parses():
    sentence = parse_record(json.dumps(GOOD), "x:1")
    assert sentence.events[0].source_countries == {"KEN"} and sentence.events[0].place["kind"] == "city"


@pytest.mark.parametrize("path, value, fault", [
    ("events.0.type", "ATTACK", "not a PLOVER 2021 type"),
    ("events.0.factuality", "likely", "factuality"),
    ("events.0.trigger", "detained", "does not occur"),
    ("events.0.source.0.country", "KE", "not an ISO3 code"),
    ("events.0.source.0.sector", "COP", "sector"),
    ("events.0.place.kind", "town", "place kind"),
    ("events.0.date", "May 2024", "date"),
    ("events.0.source", [], "needs a source"),
    ("sid", "z002#0", "sid"),
    ("published", "07/05/2024", "published"),
])
def test_a_broken_record_names_its_fault(path, value, fault):
    with pytest.raises(CorpusFormatError, match=fault):
        parse_record(_broken(path, value), "x:1")


def test_a_sentence_missing_from_its_article_text_is_a_fault():
    article = LabelledArticle("z001", [parse_record(json.dumps(GOOD), "x:1")],
                              text="Kenyan police arrested 40\nprotesters in Nairobi on Monday.")
    assert check_article(article) == []
    article.text = "Police in Nairobi made arrests on Monday."
    assert "not found" in check_article(article)[0]


def test_agreement_counts_event_type_and_dyad():
    same = [LabelledArticle("z001", [parse_record(json.dumps(GOOD), "x:1")])]
    other = json.loads(json.dumps(GOOD))
    other["events"][0]["target"][0]["country"] = "UGA"
    differ = [LabelledArticle("z001", [parse_record(json.dumps(other), "y:1")])]
    assert agreement(same, same)["dyad_agreement"] == 1.0
    scores = agreement(same, differ)
    assert scores["event_agreement"] == 1.0 and scores["type_f1"] == 1.0 and scores["dyad_agreement"] == 0.0


def test_gold_record_scores_split_dyads_into_domestic_and_the_rest():
    from detente.evaluate import GoldEvent, GoldRecord, RecordResult, score
    from detente.types import Actor, Event

    def event(source, target):
        return Event(event_id="e", event_type="PROTEST", mode=None, cameo=None, quad_class=3, goldstein=-6.5,
                     source=(Actor(source, "CVL", "x"),), target=(Actor(target, "GOV", "y"),) if target else (),
                     factuality="asserted", speaker=None, confidence=0.9, sentence="s", start=0, end=1)

    domestic = GoldEvent("PROTEST", frozenset({"KEN"}), frozenset({"KEN"}))
    abroad = GoldEvent("PROTEST", frozenset({"KEN"}), frozenset({"USA"}))
    results = [RecordResult(GoldRecord("a", "s", None, (domestic,)), (event("KEN", "KEN"),)),
               RecordResult(GoldRecord("b", "s", None, (domestic,)), (event("UGA", None),)),
               RecordResult(GoldRecord("c", "s", None, (abroad,)), (event("KEN", None),))]
    scores = score(results)
    assert scores.domestic == (1, 2) and scores.other == (0, 1)
    assert "domestic (same country on both sides) 0.500 (1/2); others 0.000 (0/1)" in scores.dyad_split()
