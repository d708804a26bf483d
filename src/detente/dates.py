"""dates: the date of an event, resolved against the article's publication date.

"on Tuesday", "last week", "in December", "Oct. 8" are read relative to publication; a past-tense
event is never dated after publication, nothing is ever dated "today" by default, and what cannot
be resolved stays None with its precision None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .nlp import per_sentence, sentence_ents

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)[a-z]*\.?"
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
MONTH_DAY_RE = re.compile(rf"\b{MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
DAY_MONTH_RE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+(\d{{4}}))?")
MONTH_ONLY_RE = re.compile(rf"\b{MONTH_RE}(?:\s+(\d{{4}}))?\b")
FUTURE_AUX = {"will", "'ll", "shall", "going"}
# "Monday night", "Tuesday morning": the parser makes the weekday a compound of the part of the
# day, which would read as a noun's date; the two are one time expression.
DAY_PARTS = {"morning", "afternoon", "evening", "night"}

# The date an event takes when its sentence has no time expression: the publication date at
# week precision (news reports events of the past days), or None when publication is unknown.
UNDATED_PRECISION = "week"
# Attachment steps a coarser time expression costs against a finer one when choosing.
PRECISION_COST = {"day": 0, "week": 1, "month": 2, "year": 3}


def _last_weekday(ref: date, weekday: int) -> date:
    return ref - timedelta(days=(ref.weekday() - weekday) % 7)


def _next_weekday(ref: date, weekday: int) -> date:
    return ref + timedelta(days=(weekday - ref.weekday()) % 7 or 7)


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _shift_month(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower().rstrip(".")[:3]]


def resolve_expression(text: str, published: date | None, *, future: bool = False) -> tuple[date | None, str | None]:
    """One time expression → (date, precision); (None, None) when it cannot be placed."""
    low = " ".join(text.lower().replace("’", "'").split())
    # Absolute dates carry their own year and need no publication date.
    m = MONTH_DAY_RE.search(low)
    if m and m.group(3):
        return _safe(int(m.group(3)), _month_number(m.group(1)), int(m.group(2))), "day"
    m = DAY_MONTH_RE.search(low)
    if m and m.group(3):
        return _safe(int(m.group(3)), _month_number(m.group(2)), int(m.group(1))), "day"
    m = MONTH_ONLY_RE.search(low)
    if m and m.group(2) and not re.search(r"\d{1,2}\s*$", low[: m.start()]):
        return _month_start(int(m.group(2)), _month_number(m.group(1))), "month"
    years = YEAR_RE.findall(low)
    if years and not m and not any(w in low for w in WEEKDAYS):
        if published is None or int(years[0]) <= published.year or future:
            return date(int(years[0]), 1, 1), "year"
    if published is None:
        return None, None
    pub = published
    if "yesterday" in low:
        return pub - timedelta(days=1), "day"
    if "tomorrow" in low:
        return pub + timedelta(days=1), "day"
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
        return pub, "day"
    for i, day in enumerate(WEEKDAYS):
        if re.search(rf"\b{day}\b", low):
            if "next" in low or (future and "last" not in low):
                return _next_weekday(pub, i), "day"
            return _last_weekday(pub, i), "day"
    if "weekend" in low:
        if future or "next" in low:
            return _next_weekday(pub, 5), "week"
        return _last_weekday(pub - timedelta(days=1), 5), "week"
    if "week" in low:
        if "last" in low or "past" in low or "previous" in low:
            return pub - timedelta(days=7), "week"
        if "next" in low or "coming" in low:
            return pub + timedelta(days=7), "week"
        if "this" in low or "earlier" in low:
            return pub, "week"
    if "month" in low:
        if "last" in low or "previous" in low or "past" in low:
            return _shift_month(pub, -1), "month"
        if "next" in low or "coming" in low:
            return _shift_month(pub, 1), "month"
        if "this" in low or "earlier" in low:
            return _month_start(pub.year, pub.month), "month"
    if "year" in low and not years:
        if "last" in low or "previous" in low:
            return date(pub.year - 1, 1, 1), "year"
        if "this" in low or "earlier" in low:
            return date(pub.year, 1, 1), "year"
    m = MONTH_DAY_RE.search(low)
    if m:
        return _closest(pub, _month_number(m.group(1)), int(m.group(2)), future), "day"
    m = DAY_MONTH_RE.search(low)
    if m:
        return _closest(pub, _month_number(m.group(2)), int(m.group(1)), future), "day"
    m = MONTH_ONLY_RE.search(low)
    if m:
        month = _month_number(m.group(1))
        if future:
            year = pub.year if month >= pub.month else pub.year + 1
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        return _month_start(year, month), "month"
    return None, None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _closest(pub: date, month: int, day: int, future: bool) -> date | None:
    """'Oct. 8' with no year: the latest such day not after publication (or the next, if future)."""
    this_year = _safe(pub.year, month, day)
    if this_year is None:
        return None
    if future:
        return this_year if this_year >= pub else _safe(pub.year + 1, month, day)
    return this_year if this_year <= pub else _safe(pub.year - 1, month, day)


def is_future(trigger) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in trigger.children)


def _attachment_distance(token, trigger) -> int | None:
    """Steps from a time expression up to the event's clause: to the trigger itself or one of its
    governors ("said Thursday that Russia withdrew"). An expression that belongs to another verb
    on the way ("the agreement reached in January") is not the event's time: None."""
    governors = {t.i: depth for depth, t in enumerate([trigger, *trigger.ancestors])}
    steps, cur = 0, token
    while True:
        if cur.i in governors:
            return steps + governors[cur.i]
        if cur.i != token.i and cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass", "xcomp"):
            return None
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        steps += 1


@per_sentence
def time_expressions(sent) -> tuple:
    """DATE entities of a sentence, plus bare weekdays the NER missed; a weekday followed by a
    part of the day ("Monday night") is one expression."""
    doc = sent.doc
    spans = [ent for ent in sentence_ents(sent) if ent.label_ in ("DATE", "TIME")]
    covered = {t.i for ent in spans for t in ent}
    spans += [doc[tok.i: tok.i + 1] for tok in sent if tok.lower_ in WEEKDAYS and tok.i not in covered]
    merged = [doc[s.start: s.end + 1] if s.end < sent.end and doc[s.end].lower_ in DAY_PARTS else s for s in spans]
    taken = {t.i for s, m in zip(spans, merged) if m is not s for t in m}
    return tuple(m for s, m in zip(spans, merged) if m is not s or s.start not in taken)


def resolve_event_date(sent, trigger, published: date | None) -> tuple[date | None, str | None]:
    """Date and precision of the event whose trigger token is `trigger`."""
    future = is_future(trigger)
    ranked = []
    for span in time_expressions(sent):
        if span.root.dep_ in ("nummod", "compound", "amod", "nmod") and span.root.head.pos_ in ("NOUN", "PROPN"):
            continue  # "a 1998 treaty": a noun's date, not the event's
        dist = _attachment_distance(span.root, trigger)
        if dist is not None:
            ranked.append((dist, span.start, span))
    resolved = []
    for dist, start, span in ranked:
        found, precision = resolve_expression(span.text, published, future=future)
        if found is None or (published and found > published and not future):
            continue  # unplaceable, or a reported past event after its report
        # Nearest to the event first; a finer expression ("on Sunday") beats a coarser one
        # ("this year") one attachment step further away.
        resolved.append((dist + PRECISION_COST[precision], start, found, precision))
    if resolved:
        _, _, found, precision = min(resolved)
        return found, precision
    if published is not None:
        return published, UNDATED_PRECISION
    return None, None
