from datetime import date

import pytest

from detente.dates import resolve_event_date, resolve_expression

PUB = date(2020, 6, 5)  # a Friday


@pytest.mark.parametrize(
    "text, future, expected",
    [
        ("Tuesday", False, (date(2020, 6, 2), "day")),
        ("on Friday", False, (date(2020, 6, 5), "day")),
        ("Saturday morning", False, (date(2020, 5, 30), "day")),
        ("next Tuesday", False, (date(2020, 6, 9), "day")),
        ("Thursday", True, (date(2020, 6, 11), "day")),
        ("yesterday", False, (date(2020, 6, 4), "day")),
        ("last week", False, (date(2020, 5, 29), "week")),
        ("this week", False, (date(2020, 6, 5), "week")),
        ("over the weekend", False, (date(2020, 5, 30), "week")),
        ("last month", False, (date(2020, 5, 1), "month")),
        ("earlier this month", False, (date(2020, 6, 1), "month")),
        ("in December", False, (date(2019, 12, 1), "month")),
        ("in March", False, (date(2020, 3, 1), "month")),
        ("Oct. 8", False, (date(2019, 10, 8), "day")),
        ("Feb. 10", False, (date(2020, 2, 10), "day")),
        ("June 5, 2017", False, (date(2017, 6, 5), "day")),
        ("5 June 2017", False, (date(2017, 6, 5), "day")),
        ("December 2019", False, (date(2019, 12, 1), "month")),
        ("in 2015", False, (date(2015, 1, 1), "year")),
        ("earlier this year", False, (date(2020, 1, 1), "year")),
        ("last year", False, (date(2019, 1, 1), "year")),
        ("for hours", False, (None, None)),
        ("more than six years", False, (None, None)),
    ],
)
def test_expressions_resolve_against_publication(text, future, expected):
    assert resolve_expression(text, PUB, future=future) == expected


@pytest.mark.parametrize("text", ["Tuesday", "last week", "in December", "Oct. 8", "yesterday"])
def test_relative_dates_without_publication_are_unknown(text):
    assert resolve_expression(text, None) == (None, None)


def test_absolute_dates_need_no_publication():
    assert resolve_expression("June 5, 2017", None) == (date(2017, 6, 5), "day")


def _trigger(nlp, text, verb):
    doc = nlp(text)
    return next(t for t in doc if t.lemma_ == verb)


@pytest.mark.parametrize(
    "text, verb, expected",
    [
        ("Russia withdrew from the village on Tuesday, monitors said.", "withdraw", (date(2020, 6, 2), "day")),
        ("Putin proposed reviving a 1998 security treaty at talks in Moscow last month.", "propose", (date(2020, 5, 1), "month")),
        ("American officials accused Russia of violating the agreement reached in January.", "accuse", (PUB, "week")),
        ("The monitoring group said Thursday that Russia withdrew from the village.", "withdraw", (date(2020, 6, 4), "day")),
        ("Turkey condemned Russia on Tuesday morning.", "condemn", (date(2020, 6, 2), "day")),
        ("Russian troops attacked the town Monday evening.", "attack", (date(2020, 6, 1), "day")),
        ("Russian jets bombed the town on Monday night.", "bomb", (date(2020, 6, 1), "day")),
    ],
)
def test_event_date_comes_from_its_own_clause(nlp, text, verb, expected):
    trigger = _trigger(nlp, text, verb)
    assert resolve_event_date(trigger.sent, trigger, PUB) == expected


def test_no_time_expression_and_no_publication_is_unknown(nlp):
    trigger = _trigger(nlp, "Russia withdrew from the village.", "withdraw")
    assert resolve_event_date(trigger.sent, trigger, None) == (None, None)


def test_past_event_never_after_publication(nlp):
    trigger = _trigger(nlp, "Russian jets struck the town on Saturday.", "strike")
    found, _ = resolve_event_date(trigger.sent, trigger, PUB)
    assert found <= PUB
