from datetime import date

import pytest

from detente.clean import clean
from detente.metadata import date_from_url, extract_metadata, headline
from detente.types import RawDoc


def _meta(text, **kw):
    return extract_metadata(clean(RawDoc(id="t", input="t.txt", text=text, **kw)))


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.example.com/2020/06/05/russian-us-tensions-a70484", date(2020, 6, 5)),
        ("https://example.org/news/2021-03-04-story", date(2021, 3, 4)),
        ("https://example.org/20190217/story.html", date(2019, 2, 17)),
        ("https://example.org/2020/13/45/bad", None),
        ("https://example.org/world/story", None),
        (None, None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


def test_date_comes_from_own_url_not_related_links():
    text = ("Russia withdrew from the village on Thursday, monitors said.\n\n"
            "Related article: Russian strikes hit Idlib\nhttps://news.example.com/2025/10/31/russian-strikes-hit-idlib\n\n"
            "Original url:\nhttps://news.example.com/2020/06/05/russia-withdraws-a1\n")
    art = _meta(text)
    assert art.published == date(2020, 6, 5)
    assert art.url == "https://news.example.com/2020/06/05/russia-withdraws-a1"
    assert art.outlet == "news.example.com"


def test_related_links_alone_give_no_date():
    text = "Russia withdrew from the village, monitors said.\n\nRelated article: Older story\nhttps://news.example.com/2025/10/31/older-story\n"
    assert _meta(text).published is None


def test_input_date_wins():
    assert _meta("Text about talks. Original url: https://x.org/2020/01/02/a", published=date(2021, 1, 1)).published == date(2021, 1, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("WASHINGTON, April 6, 2023 (Wire) — Russian jets harassed a U.S. drone on Wednesday.\n\nMore text follows here.", date(2023, 4, 6)),
        ("ANKARA, 22 June 2023 — Turkey hosted envoys.\n\nMore text follows here.", date(2023, 6, 22)),
        ("Headline Here\n\nPublished: May 19, 2023\n\nThe United States threatened sanctions on Thursday.", date(2023, 5, 19)),
        ("The United States threatened sanctions on Thursday.\n\nNo date anywhere.", None),
    ],
)
def test_dateline(text, expected):
    assert _meta(text).published == expected


def test_title_from_headline_line_or_none():
    art = _meta("Russia says it will strike U.S.-backed fighters if provoked\n\nMoscow warned Washington on Thursday.")
    assert art.title == "Russia says it will strike U.S.-backed fighters if provoked"
    art = _meta("Moscow warned Washington on Thursday that it would respond.\n\nThe warning came after clashes.")
    assert art.title is None


def test_headline_needs_following_text():
    art = clean(RawDoc(id="t", input=None, text="Just One Line Headline"))
    assert headline(art) is None


def test_a_dateline_without_a_year_says_the_dates_stay_unknown(caplog):
    from detente.metadata import extract_metadata
    from detente.types import Article

    art = Article(id="a", doc_id="wire", input="wire.txt",
                  text="MOSCOW, June 18 (Reuters) - Russia withdrew its troops on Tuesday.\n\nMore text.")
    with caplog.at_level("WARNING", logger="detente.metadata"):
        assert extract_metadata(art).published is None
    assert "wire.txt" in caplog.text and "June 18" in caplog.text and "--published" in caplog.text
