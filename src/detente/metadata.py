"""metadata: title, url, outlet and publication date of an `Article`.

The publication date comes from the input's own fields, the article's own URL path or a dateline;
never from links to other articles ("Related article: …" URLs are furniture, not provenance).
Unknown stays None.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date
from urllib.parse import urlparse

from .types import Article

log = logging.getLogger(__name__)

# The URL of the article itself, as scrapers label it; other bare URLs are links elsewhere.
OWN_URL_RE = re.compile(
    r"^(?:original (?:url|link|article)|source url|article url|url|source|link)\s*:\s*(\S+)$", re.I
)
URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)"),
    re.compile(r"/((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[/_-]|$)"),
    re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?:/|$)"),
)
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_PHRASE = (
    rf"(?:\d{{1,2}}\s+(?:{MONTHS})[a-z]*\.?,?\s+\d{{4}}|(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d\d-\d\d)"
)
# "MOSCOW, June 5, 2020 (Reuters) —" at the start of the body.
DATELINE_RE = re.compile(rf"^[A-Z][A-Za-z .'-]{{1,40}},\s*(?P<date>{DATE_PHRASE})\b", re.I)
# "MOSCOW, June 18 (Reuters) —": a dateline that names the day but not the year.
YEARLESS_DATELINE_RE = re.compile(rf"^[A-Z][A-Za-z .'-]{{1,40}},\s*(?P<date>(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}})\b(?!,?\s*\d{{4}})", re.I)
# "Published: June 5, 2020", "June 5, 2020 10:31" lines the cleaner removed.
DATE_LABEL_RE = re.compile(rf"^(?:(?:published|posted|first published)(?: on| at)?\s*:?\s*)?(?:\w+day,?\s+)?(?P<date>{DATE_PHRASE})", re.I)

# A headline: short, no sentence-final full stop.
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 25


def date_from_url(url: str | None) -> date | None:
    """Date in an article URL's path: /2020/06/05/, /2020-06-05-, /20200605/."""
    if not url:
        return None
    path = urlparse(url).path
    for regex in URL_DATE_RES:
        m = regex.search(path)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def parse_date_phrase(phrase: str) -> date | None:
    import dateparser

    found = dateparser.parse(
        phrase,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return found.date() if found else None


def own_url(article: Article) -> str | None:
    """The article's own URL: the input field, else a labelled 'Original url:' line."""
    if article.url:
        return article.url
    for item in article.removed:
        m = OWN_URL_RE.match(item.strip())
        if m and m.group(1).lower().startswith(("http", "www.")):
            return m.group(1)
    return None


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url if "://" in url else f"http://{url}").hostname or ""
    return host.removeprefix("www.") or None


def dateline_date(article: Article) -> date | None:
    for para in article.text.split("\n\n")[:3]:
        m = DATELINE_RE.match(para)
        if m:
            return parse_date_phrase(m.group("date"))
    for item in article.removed:
        m = DATE_LABEL_RE.match(item.strip())
        if m:
            found = parse_date_phrase(m.group("date"))
            if found:
                return found
    return None


def warn_yearless_dateline(article: Article) -> None:
    """A dateline without a year cannot date the article; say so rather than leave every event
    date blank without a hint."""
    for para in article.text.split("\n\n")[:3]:
        m = YEARLESS_DATELINE_RE.match(para)
        if m:
            log.warning("%s: the dateline %r has no year and the input gives no publication date, so relative "
                        "dates stay unknown; give one (--published YYYY-MM-DD or a 'published' field)",
                        article.input or article.doc_id, m.group("date"))
            return


def headline(article: Article) -> str | None:
    """The first paragraph when it reads as a headline and more text follows."""
    paragraphs = article.text.split("\n\n")
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0].strip()
    if (
        len(first) <= MAX_TITLE_CHARS
        and len(first.split()) <= MAX_TITLE_WORDS
        and not first.endswith((".", ":", ",", ";", "”", '"'))
        and first[:1].isupper()
    ):
        return first
    return None


def extract_metadata(article: Article) -> Article:
    """Fill title, url, outlet and published where the input left them empty."""
    url = own_url(article)
    published = article.published or date_from_url(url) or dateline_date(article)
    if published is None:
        warn_yearless_dateline(article)
    return replace(
        article,
        url=url,
        outlet=article.outlet or outlet_from_url(url),
        published=published,
        title=article.title or headline(article),
    )
