"""clean: `RawDoc` → `Article` body text.

Re-flows hard-wrapped lines, joins words split at line ends (deciding with word frequencies),
rejoins URLs broken across lines, and drops page furniture into `Article.removed` — never silently.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .datafiles import read_table
from .types import Article, RawDoc, article_id

# A joined word ("in-" + "volved") must be at least this common (Zipf scale, wordfreq) to drop
# the hyphen; below it the hyphen is kept ("conflict-" + "torn", "long-" + "term": "longterm"
# is 2.75, "followup" 2.87, "incompatible" 3.48). 3.0 ≈ one per million words. Calibrated on
# the seed/example line breaks and the table in tests/test_clean.py; re-run it if changed.
MIN_JOINED_ZIPF = 3.0

# Median line length under which a text is treated as hard-wrapped (PDF/e-mail style).
HARD_WRAP_MAX_MEDIAN = 110

# A hard-wrapped line this much shorter than the wrap width, ending a sentence, ends a paragraph.
SHORT_LINE_SHARE = 0.7

# A URL line at least this long may have been broken by the wrap.
MIN_BROKEN_URL_LEN = 50

URL_RE = re.compile(r"(?:https?://|www\.)\S+$")
URL_CONTINUATION_RE = re.compile(r"^[\w\-./?=&%#~+:;,@!$*()']+$")
HYPHEN_END_RE = re.compile(r"(\S*?)([A-Za-z]+)-$")
WORD_START_RE = re.compile(r"^([a-z]+)")
SENTENCE_END = tuple(".!?\"”’'):")
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(…]?[A-Z])|(?<=[.!?][\"”’)])\s+(?=[\"“‘(…]?[A-Z])")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


@dataclass(frozen=True)
class BoilerplateRule:
    scope: str
    label: str
    pattern: re.Pattern


@lru_cache(maxsize=1)
def load_boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    return tuple(BoilerplateRule(row["scope"], row["label"], re.compile(row["pattern"], re.IGNORECASE))
                 for row in read_table("boilerplate.tsv"))


def normalise_text(text: str) -> str:
    """Unicode NFC, unified newlines, no zero-width or non-breaking spaces, no trailing blanks."""
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", " ")
    text = "".join(ch for ch in text if ch in "\n" or unicodedata.category(ch)[0] != "C")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def line_rule(line: str) -> BoilerplateRule | None:
    stripped = line.strip()
    if not stripped:
        return None
    for rule in load_boilerplate_rules():
        if rule.scope == "line" and rule.pattern.fullmatch(stripped):
            return rule
    return None


def paragraph_rule(paragraph: str, scope: str) -> BoilerplateRule | None:
    """The first rule of `scope` found anywhere in a paragraph (or sentence)."""
    for rule in load_boilerplate_rules():
        if rule.scope == scope and rule.pattern.search(paragraph):
            return rule
    return None


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences, for the furniture rules: cut after . ! or ? (and a closing quote)
    before a capital, so "Oct. 8" and "U.S. officials" stay whole ("Mr. Lavrov" does not, which
    only makes a rule's unit smaller)."""
    return SENTENCE_BREAK_RE.split(paragraph)


def rejoin_broken_urls(lines: list[str]) -> list[str]:
    """'https://site/2020/06/05/long-slug-p' + 'resence-a70484' → one URL line."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        stripped = line.strip()
        if (
            prev
            and URL_RE.search(prev.strip())
            and len(prev.strip()) >= MIN_BROKEN_URL_LEN
            and stripped
            and " " not in stripped
            and URL_CONTINUATION_RE.match(stripped)
            and not stripped.lower().startswith(("http", "www."))
        ):
            out[-1] = prev.rstrip() + stripped
        else:
            out.append(line)
    return out


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=4096)
def join_split_word(left: str, right: str) -> str:
    """Decide how a word split at a line end goes back together: 'in-'+'volved' → 'involved',
    'conflict-'+'torn' → 'conflict-torn'. Both halves are alphabetic, the right one lower-case."""
    # wordfreq splits "in-compatible" into two common words, so the hyphenated form cannot be
    # scored as one word; the joined word's own frequency decides.
    joined = left + right
    return joined if _zipf(joined) >= MIN_JOINED_ZIPF else f"{left}-{right}"


def join_lines(left: str, right: str) -> str:
    """Join two lines of one paragraph, repairing a hyphenated line break."""
    left = left.rstrip()
    right = right.strip()
    if not left:
        return right
    if left.endswith("-") and not left.endswith(" -") and not left.endswith("--"):
        m_left = HYPHEN_END_RE.search(left)
        m_right = WORD_START_RE.match(right)
        if m_left and m_right:
            word = join_split_word(m_left.group(2), m_right.group(1))
            return left[: m_left.start(2)] + word + right[m_right.end(1):]
        # "al-" + "Qaeda", "U.S.-" + "backed", "2019-" + "2020": keep the hyphen, no space.
        return left + right
    return f"{left} {right}"


def is_hard_wrapped(lines: list[str]) -> tuple[bool, int]:
    lengths = [len(line) for line in lines if len(line.strip()) > 0]
    if len(lengths) < 3:
        return False, max(lengths, default=0)
    median = statistics.median(lengths)
    width = sorted(lengths)[int(len(lengths) * 0.9) - 1]
    return median <= HARD_WRAP_MAX_MEDIAN, width


def reflow(lines: list[str | None]) -> list[str]:
    """Lines → paragraphs. `None` marks a removed line, which also ends a paragraph."""
    hard, width = is_hard_wrapped([line for line in lines if line])
    paragraphs: list[str] = []
    current = ""

    def flush():
        nonlocal current
        if current.strip():
            paragraphs.append(current.strip())
        current = ""

    for line in lines:
        if line is None or not line.strip():
            flush()
            continue
        if line[:1].isspace() and current:
            flush()  # an indented line opens a new paragraph
        if not hard:
            flush()
            current = line.strip()
            continue
        current = join_lines(current, line) if current else line.strip()
        stripped = line.strip()
        if stripped.endswith(SENTENCE_END) and len(line) < width * SHORT_LINE_SHARE:
            flush()
    flush()
    return paragraphs


def _merge_url_labels(lines: list[str]) -> list[str]:
    """'Original url:' followed by the URL on the next line → one line, kept together for metadata."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip().endswith(":") and URL_RE.match(line.strip()) and line_rule(out[-1]):
            out[-1] = f"{out[-1].strip()} {line.strip()}"
        else:
            out.append(line)
    return out


def drop_furniture(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Paragraphs without the furniture found by paragraph, sentence and tail rules, and what was
    dropped. A tail rule in the second half of the article (counted in sentences) cuts from its
    sentence to the end. Unless that would leave no text at all: then nothing is dropped."""
    captions = {i for i, para in enumerate(paragraphs) if paragraph_rule(para, "paragraph")}
    sentences = [(i, sentence) for i, para in enumerate(paragraphs) for sentence in split_sentences(para)]
    kept: dict[int, list[str]] = defaultdict(list)
    gone: dict[int, list[str]] = defaultdict(list)
    cut = False
    for n, (i, sentence) in enumerate(sentences):
        tail = paragraph_rule(sentence, "tail")
        cut = cut or bool(tail and n >= len(sentences) / 2)
        furniture = cut or i in captions or tail or paragraph_rule(sentence, "sentence")
        (gone if furniture else kept)[i].append(sentence)
    if not kept:
        return paragraphs, []
    body = [" ".join(kept[i]) if i in gone else para for i, para in enumerate(paragraphs) if i in kept]
    dropped = [" ".join(gone[i]) if i in kept else para for i, para in enumerate(paragraphs) if i in gone]
    return body, dropped


def clean(raw: RawDoc) -> Article:
    """Clean body text of one document; boilerplate goes to `removed` (furniture lines first,
    then removed paragraphs)."""
    lines = _merge_url_labels(rejoin_broken_urls(normalise_text(raw.text).split("\n")))
    removed: list[str] = []
    kept: list[str | None] = []
    for line in lines:
        if line_rule(line):
            removed.append(line.strip())
            kept.append(None)
        else:
            kept.append(line)
    body, dropped = drop_furniture(reflow(kept))
    removed.extend(dropped)
    text = "\n\n".join(body)
    return Article(
        id=article_id(text),
        doc_id=raw.id,
        input=raw.input,
        text=text,
        removed=tuple(removed),
        title=raw.title,
        url=raw.url,
        outlet=raw.outlet,
        published=raw.published,
    )
