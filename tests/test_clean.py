import pytest

from detente.clean import clean, join_lines, join_split_word, rejoin_broken_urls
from detente.types import article_id
from detente.types import RawDoc


def _clean(text):
    return clean(RawDoc(id="t", input="t.txt", text=text))


@pytest.mark.parametrize(
    "left, right, joined",
    [
        ("conflict", "torn", "conflict-torn"),
        ("in", "volved", "involved"),
        ("self", "defense", "self-defense"),
        ("unpro", "fessional", "unprofessional"),
        ("emer", "gencies", "emergencies"),
        ("ac", "cusation", "accusation"),
        ("long", "term", "long-term"),
        ("follow", "up", "follow-up"),
    ],
)
def test_split_words_are_joined_by_frequency(left, right, joined):
    assert join_split_word(left, right) == joined


@pytest.mark.parametrize(
    "left, right, joined",
    [
        ("militants linked to al-", "Qaeda last month", "militants linked to al-Qaeda last month"),
        ("the U.S.-", "backed fighters", "the U.S.-backed fighters"),
        ("the 2019-", "2020 season", "the 2019-2020 season"),
        ("the troops are in-", "volved in", "the troops are involved in"),
        ("a wide", "road", "a wide road"),
    ],
)
def test_line_joins(left, right, joined):
    assert join_lines(left, right) == joined


def test_urls_broken_by_the_wrap_are_rejoined():
    lines = ["Original url:", "https://www.example.org/2020/06/05/russian-us-tensions-rise-in-syria-as-p", "resence-reports-a70484", "Next paragraph here."]
    assert rejoin_broken_urls(lines)[1].endswith("as-presence-reports-a70484")
    assert rejoin_broken_urls(lines)[2] == "Next paragraph here."


WRAPPED = """Moscow Warns Ankara Over Buffer Zone

Russia warned Turkey on Monday that it would not accept a Turkish buffer
zone in northern Syria, escalating a dispute that has simmered since the
autumn. The Russian Foreign Ministry said the plan was in- 
compatible with the ceasefire.

Advertisement

Turkish officials rejected the warning and said their troops would stay in
the border area for as long as Kurdish fighters remained.

Related article: Ankara and Moscow Trade Barbs Over Idlib
https://news.example.com/2019/11/02/ankara-and-moscow-trade-barbs

Photo: Turkish armored vehicles near the border.
Ali Veli / AP

Share this article

Leave a Reply
Your email address will not be published. Required fields are marked *
"""


def test_hard_wrapped_article_is_reflowed_and_furniture_removed():
    art = _clean(WRAPPED)
    paragraphs = art.text.split("\n\n")
    assert paragraphs[0] == "Moscow Warns Ankara Over Buffer Zone"
    assert paragraphs[1].startswith("Russia warned Turkey on Monday that it would not accept a Turkish buffer zone in northern")
    assert "incompatible with the ceasefire." in paragraphs[1]
    assert len(paragraphs) == 3
    for furniture in ("Advertisement", "Related article", "https://", "Ali Veli / AP", "Share this", "Leave a Reply", "Photo:"):
        assert furniture not in art.text
    removed = "\n".join(art.removed)
    for furniture in ("Advertisement", "Related article: Ankara", "news.example.com/2019/11/02", "Ali Veli / AP", "Leave a Reply", "Share this article"):
        assert furniture in removed


@pytest.mark.parametrize(
    "furniture",
    [
        "Advertisement",
        "Read: What the ceasefire means for refugees",
        "This story is over 5 years old.",
        "Support The Example Times!",
        "Read more",
        "FYI.",
        "Original url: https://example.org/2020/01/01/x",
        "© 2023 Example Media Group",
    ],
)
def test_each_line_of_furniture_is_removed_and_kept(furniture):
    text = f"Turkey and Russia agreed on a ceasefire in Idlib on Thursday.\n\n{furniture}\n\nThe truce took effect at midnight, officials said."
    art = _clean(text)
    assert furniture not in art.text
    assert furniture in art.removed


def test_donation_appeal_at_the_end_is_cut_with_everything_after():
    body = "\n\n".join(f"Paragraph {i} reports what the envoys said about the talks in Geneva." for i in range(4))
    appeal = "… we have a small favor to ask.\n\nOur newsroom depends on readers.\n\nThank you."
    art = _clean(f"{body}\n\n{appeal}")
    assert "favor" not in art.text and "newsroom" not in art.text
    assert art.removed[0].startswith("… we have a small favor")


def test_caption_with_credit_is_removed():
    art = _clean("Soldiers stand near a checkpoint outside Manbij on Oct. 8. Jane Doe / AFP\n\nTurkish troops entered Manbij on Sunday.")
    assert art.text == "Turkish troops entered Manbij on Sunday."


def test_unwrapped_text_keeps_one_paragraph_per_line():
    lines = ["Russia and the United States held talks in Geneva on Monday about the future of arms control in Europe and Asia, officials said after the meeting ended.",
             "The two delegations agreed to meet again in the spring, according to a statement released by the State Department on Monday evening in Washington."]
    assert _clean("\n".join(lines)).text == "\n\n".join(lines)


def test_article_id_ignores_case_and_whitespace():
    assert article_id("Russia  warned\nTurkey.") == article_id("russia warned turkey.")
    assert article_id("Russia warned Turkey.") != article_id("Turkey warned Russia.")


def test_seed_articles_lose_their_furniture():
    from conftest import seed_paths
    from detente.ingest import read_inputs

    for raw in read_inputs(seed_paths()):
        art = clean(raw)
        for furniture in ("Advertisement", "Related article:", "small favor to ask", "Leave a Reply", "This story is over", "http"):
            assert furniture not in art.text, (raw.id, furniture)
        assert "conflict-torn" in art.text or "conflict-" not in art.text
        assert " in- " not in art.text


@pytest.mark.parametrize("line", [
    "The Kremlin said comments are closed on the prisoner exchange until it is complete, and Russia and Ukraine agreed to swap 50 prisoners on Friday.",
    "Ukraine urged its allies to please support its air defences after Russia launched a wave of drone attacks on Kyiv overnight.",
])
def test_a_one_line_article_is_never_wiped_by_furniture_rules(line):
    assert _clean(line).text == line


def test_furniture_sentences_in_a_one_paragraph_page_go_alone():
    news = ("Turkey and Russia agreed on a ceasefire in Idlib on Thursday. The truce took effect at midnight, officials said. "
            "Ankara will monitor the line with Russian military police.")
    art = _clean(news + " Leave a comment. Your email address will not be published.")
    assert art.text == news and art.removed == ("Leave a comment. Your email address will not be published.",)
