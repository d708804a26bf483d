"""Arbitrary text, bytes and JSON never escape as exceptions: failures are per-record errors."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from detente.clean import clean
from detente.ingest import decode_text, InputError, iter_jsonl
from detente.metadata import extract_metadata
from detente.types import RawDoc, Rejection

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

newsish = st.text(alphabet=st.characters(codec="utf-8"), max_size=600) | st.lists(
    st.sampled_from(["Russia", "attacked", "Turkey", "on", "Tuesday", "-\n", "\n\n", "Advertisement", "http://x.org/2020/01/02/a",
                     "denied", "the", "U.S.-backed", "fighters", ".", "”", "in-", "volved", "Related article:", "if", "provoked"]),
    max_size=80).map(" ".join)


@FAST
@given(newsish)
def test_cleaner_and_metadata_take_any_text(text):
    art = extract_metadata(clean(RawDoc(id="x", input=None, text=text)))
    assert isinstance(art.text, str) and all(isinstance(r, str) for r in art.removed)
    assert art.published is None or art.published.year > 1800


@FAST
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_is_text_or_a_clear_error(data):
    try:
        assert isinstance(decode_text(data), str)
    except InputError as exc:
        assert str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["id", "text", "published", "url", "title", "html", "x"]), inner, max_size=5),
    max_leaves=12,
)


@FAST
@given(st.lists(json_values, max_size=5), st.lists(st.text(max_size=30), max_size=3))
def test_jsonl_records_are_documents_or_rejections(values, junk):
    lines = [json.dumps(v) for v in values] + junk
    for item in iter_jsonl(lines, name="feed.jsonl", stem="feed", published=None):
        if isinstance(item, Rejection):
            assert item.input.startswith("feed.jsonl:") and item.reason
        else:
            assert isinstance(item.text, str) and item.text.strip()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(newsish)
def test_whole_coder_takes_any_text(coder, text):
    [coded] = coder.code_batch([RawDoc(id="x", input="x.txt", text=text)])
    if coded.ok:
        for e in coded.events:
            assert 0 <= e.start <= e.end <= len(coded.article.text)
            assert 0 < e.confidence <= 1
    else:
        assert coded.errors and all(isinstance(m, str) and m for m in coded.errors)
