"""The batch runner: every failure is one document's, the rest of the batch is coded."""

from datetime import date

import pytest

from detente.nlp import parse_texts, split_text
from detente.types import RawDoc

LEAD = ("Turkish and Russian diplomats met in Ankara on Monday to discuss the situation in northern Syria, "
        "where both countries keep troops.\n\n")
FILLER = ("Residents of the border towns said the roads were quiet, shops had reopened and farmers were "
          "back in their fields after a week of uncertainty.\n\n")
LAST = "Russian jets bombed rebel positions near Idlib on Tuesday, the monitoring group said.\n"


def _raw(doc_id: str, text: str) -> RawDoc:
    return RawDoc(id=doc_id, input=f"{doc_id}.txt", text=text, published=date(2023, 6, 15))


@pytest.mark.parametrize("text, max_chars", [
    (LEAD + FILLER * 6 + LAST, 400),
    ("word " * 300, 97),                      # no line breaks: cut between words
    ("x" * 1000, 64),                         # nowhere to cut: cut anyway
    ("Short text.", 100),
])
def test_split_text_gives_pieces_within_the_limit_that_join_back(text, max_chars):
    pieces = split_text(text, max_chars)
    assert "".join(pieces) == text and all(0 < len(p) <= max_chars for p in pieces)


def test_paragraph_breaks_are_preferred_cuts():
    pieces = split_text(LEAD + FILLER * 6 + LAST, 400)
    assert len(pieces) > 1 and all(p.endswith("\n\n") for p in pieces[:-1])


def test_an_article_over_the_parser_limit_is_coded_whole_and_the_batch_goes_on(coder, monkeypatch):
    # spaCy refuses texts over nlp.max_length (E088: 1,000,000 characters by default); a small
    # limit makes an ordinary long article stand in for a huge one.
    monkeypatch.setattr(coder.nlp, "max_length", 600)
    long_text = LEAD + FILLER * 8 + LAST
    first, long, last = coder.code_batch([_raw("first", LEAD + LAST), _raw("long", long_text), _raw("last", LAST)])
    assert first.ok and last.ok and long.ok, long.errors
    late = [e for e in long.events if e.start > 600]
    assert [e.event_type for e in late] == ["ASSAULT"]
    assert long.article.text[late[0].start:late[0].end] == late[0].sentence
    assert [e.event_type for e in last.events] == ["ASSAULT"]


class _BreaksOn:
    """A pipeline whose parse raises on one text, as a component bug would."""

    max_length = 1_000_000

    def __init__(self, nlp, bad: str):
        self.nlp, self.bad = nlp, bad

    def pipe(self, texts, batch_size=32):
        for text in texts:
            if text == self.bad:
                raise RuntimeError("component failed")
            yield self.nlp(text)


def test_a_parse_failure_is_that_documents_error_only(nlp):
    docs = parse_texts(_BreaksOn(nlp, "bad text"), ["Russia attacked.", "bad text", "Turkey agreed."], batch_size=8)
    assert [type(d).__name__ for d in docs] == ["Doc", "RuntimeError", "Doc"]
    assert docs[2].text == "Turkey agreed."


def test_sentence_entities_are_the_sentences_own(nlp):
    from conftest import EXAMPLES

    from detente.nlp import sentence_ents

    doc = nlp("\n\n".join(p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))))
    found = [[(e.start, e.end, e.label_) for e in sentence_ents(s)] for s in doc.sents]
    assert found == [[(e.start, e.end, e.label_) for e in s.ents] for s in doc.sents] and sum(map(len, found)) > 100


@pytest.mark.parametrize("text, sentences", [
    # A hyphenated title is no dateline, and a word is not cut at its hyphen.
    ("NATO Secretary-General Javier Solana said the alliance would keep up the strikes. UN Secretary-General "
     "Kofi Annan welcomed the withdrawal.",
     ["NATO Secretary-General Javier Solana said the alliance would keep up the strikes.",
      "UN Secretary-General Kofi Annan welcomed the withdrawal."]),
    # The quote mark closing a sentence stays with it.
    ('"It is not a gift," one of the student leaders said. "He has until Saturday."\n\nThe government blinked.',
     ['"It is not a gift," one of the student leaders said.', '"He has until Saturday."', "The government blinked."]),
    ('He said the prisoner was freed "on humanitarian grounds." In return, Austria commuted a sentence.',
     ['He said the prisoner was freed "on humanitarian grounds."', "In return, Austria commuted a sentence."]),
    # A dateline is still a sentence of its own, with a spaced dash or a closed-up one.
    ("PEMBA, Mozambique — Insurgents attacked the town of Palma on Wednesday, officials said.",
     ["PEMBA, Mozambique —", "Insurgents attacked the town of Palma on Wednesday, officials said."]),
    ("BEIRUT—Israeli jets struck the southern suburbs.", ["BEIRUT—", "Israeli jets struck the southern suburbs."]),
])
def test_sentences_end_at_their_end_not_inside_a_word_or_before_the_closing_quote(nlp, text, sentences):
    assert [s.text.strip() for s in nlp(text).sents] == sentences
