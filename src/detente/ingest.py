"""ingest: paths, directories, stdin and JSONL records → `RawDoc` (or a `Rejection` per bad input).

This is an edge module: it reads files. One bad file or record never stops the batch; it becomes
one `Rejection` naming the input and the problem, and reading goes on.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from .types import EARLIEST_DATE, LATEST_DATE, RawDoc, Rejection

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
LIST_SUFFIXES = {".list", ".urls"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | LIST_SUFFIXES | FEED_SUFFIXES

# Leading bytes of common binary formats that get renamed or mixed into article folders.
BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}

# An HTML extraction shorter than this is navigation or a stub, not an article.
MIN_HTML_BODY_WORDS = 8

# libxml2's HTML parser (under trafilatura) drops whatever is nested deeper than this: a page of
# <html><body> and 253 <div>s still gives its paragraph, 254 do not (tests/test_ingest.py).
HTML_MAX_DEPTH = 255

# Share of control characters above which decoded bytes are not text.
MAX_CONTROL_SHARE = 0.05

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Unmarked wide encodings: (codec, code unit bytes, offsets of the bytes that are NUL in Latin
# script). English text in UTF-16 has NUL high bytes in all but a handful of its units (curly
# quotes, dashes); 0.6 still takes a text with many accented or Cyrillic words, and the decode must
# then succeed strictly.
WIDE_CODECS = (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)), ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,)))
WIDE_NUL_SHARE = 0.6
WIDE_SNIFF_BYTES = 4096


class InputError(ValueError):
    """An input that cannot become a document; the message names the problem."""


def binary_format(data: bytes) -> str | None:
    """Name the binary format `data` starts like, or None when it may be text."""
    return next((name for magic, name in BINARY_MAGIC.items() if data.startswith(magic)), None)


def decode_text(data: bytes, *, source: str = "input") -> str:
    """Decode article bytes: by byte-order mark (UTF-8, UTF-16, UTF-32), as unmarked UTF-16/32
    when its NULs say so, as UTF-8 (replacing a few bad bytes, with a warning naming `source`),
    else in the detected encoding."""
    kind = binary_format(data)
    if kind:
        raise InputError(f"not a text file: looks like {kind}")
    text = _decode_marked(data) or _decode_wide(data)
    if text is None:
        if b"\x00" in data[:WIDE_SNIFF_BYTES]:  # NULs, yet neither UTF-16 nor UTF-32
            raise InputError("not a text file: looks like binary data (NUL bytes)")
        text = _decode_utf8_or_detected(data, source)
    controls = sum(1 for ch in text[:20_000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if text and controls / min(len(text), 20_000) > MAX_CONTROL_SHARE:
        raise InputError("not a text file: too many control characters")
    return text


def _decode_marked(data: bytes) -> str | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"cannot decode: marked {codec} but is not ({exc.reason})") from None
    return None


def _decode_wide(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark: text in Latin script leaves the high bytes of
    its code units NUL, in the same places of each unit."""
    head = data[:WIDE_SNIFF_BYTES]
    for codec, width, nul_at in WIDE_CODECS:
        units = len(head) // width
        if units < 2 or len(data) % width:
            continue
        nuls = sum(head[u * width + k] == 0 for u in range(units) for k in nul_at)
        if nuls >= WIDE_NUL_SHARE * units * len(nul_at):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return None


def _decode_utf8_or_detected(data: bytes, source: str) -> str:
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    if not bad:
        return text
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good >= bad:
        # More valid multi-byte characters than bad bytes: UTF-8 with a few stray bytes (a
        # Latin-1 file has almost no valid UTF-8 sequences). Reading it in a codepage would
        # garble every accented letter ("Café" → "Caf√©") to save a few.
        log.warning("%s: %d byte%s not valid UTF-8, replaced with U+FFFD", source, bad, "s" if bad > 1 else "")
        return data.decode("utf-8", errors="replace")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError("cannot decode: not UTF-8 and no text encoding detected")
    log.info("%s: decoded with detected encoding %s", source, best.encoding)
    return data.decode(best.encoding, errors="replace")


def parse_iso_date(value, *, field: str = "published") -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{field} {value!r} is not a YYYY-MM-DD date") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InputError(f"{field} {value!r} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}")
    return day


def _read_bounded(stream: BinaryIO, limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"larger than the {limit:,}-byte limit (max_bytes setting)")
    return data


def read_path_bytes(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file or directory") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if size > limit:
        raise InputError(f"file is {size:,} bytes, over the {limit:,}-byte limit (max_bytes setting)")
    try:
        with path.open("rb") as fh:
            data = _read_bounded(fh, limit, str(path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError("empty file")
    return data


def html_to_raw(html: str, *, doc_id: str, input: str | None, published: date | None = None) -> RawDoc:
    """Extract the article body and metadata of an HTML page with trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or len(text.split()) < MIN_HTML_BODY_WORDS:
        depth = nesting_depth(html)
        if depth > HTML_MAX_DEPTH:
            raise InputError(f"HTML page nests elements {depth:,} levels deep; the HTML parser reads {HTML_MAX_DEPTH} "
                             f"levels and found no article body above them")
        raise InputError("HTML page has no article body")
    found_date = None
    if getattr(doc, "date", None):
        try:
            found_date = date.fromisoformat(doc.date[:10])
        except ValueError:
            found_date = None
    # trafilatura separates paragraphs by one newline; the cleaner expects blank lines.
    body = "\n\n".join(line for line in text.split("\n") if line.strip())
    return RawDoc(
        id=doc_id,
        input=input,
        text=body,
        url=getattr(doc, "url", None),
        title=getattr(doc, "title", None),
        published=published or found_date,
        outlet=getattr(doc, "sitename", None) or getattr(doc, "hostname", None),
        format="html",
    )


class _DepthGauge(HTMLParser):
    """How deep a page's elements nest, read by Python's own tokenizer: lxml cannot say, it stops
    reading at its limit."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
            self.deepest = max(self.deepest, len(self.open))

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (the <html> element is level 1)."""
    gauge = _DepthGauge()
    gauge.feed(html)
    return gauge.deepest


def record_to_raw(record, *, default_id: str, input: str, published: date | None = None) -> RawDoc:
    """A JSONL record {id, text, published?, url?, title?, html?} → RawDoc."""
    if not isinstance(record, dict):
        raise InputError(f"record is a JSON {type(record).__name__}, not an object")
    rid = str(record.get("id") or default_id)
    pub = parse_iso_date(record.get("published")) or published
    text = record.get("text")
    html = record.get("html")
    if isinstance(html, str) and html.strip() and not text:
        return html_to_raw(html, doc_id=rid, input=input, published=pub)
    if not isinstance(text, str) or not text.strip():
        raise InputError("record has no 'text'")
    return RawDoc(
        id=rid,
        input=input,
        text=text,
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        title=record.get("title") if isinstance(record.get("title"), str) else None,
        published=pub,
        outlet=record.get("outlet") if isinstance(record.get("outlet"), str) else None,
        format="jsonl",
    )


def iter_jsonl(lines: Iterable[str], *, name: str, stem: str, published: date | None) -> Iterator[RawDoc | Rejection]:
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection("ingest", where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield record_to_raw(record, default_id=f"{stem}:{lineno}", input=where, published=published)
        except InputError as exc:
            yield Rejection("ingest", where, str(exc))


def _html_text(fragment: str) -> str:
    import lxml.html

    try:
        return lxml.html.fromstring(fragment).text_content().strip() if fragment.strip() else ""
    except (ValueError, lxml.etree.ParserError):
        return fragment


def feed_entries(parsed, *, name: str) -> Iterator[RawDoc | Rejection]:
    """RSS/Atom entries (feedparser result) → documents with the feed's title, link and date."""
    if parsed.get("bozo") and not parsed.get("entries"):
        yield Rejection("ingest", name, f"not a readable feed ({parsed.get('bozo_exception')})")
        return
    feed_title = parsed.get("feed", {}).get("title")
    for i, entry in enumerate(parsed.get("entries", []), start=1):
        where = f"{name}#{i}"
        html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        text = _html_text(html)
        if not text:
            yield Rejection("ingest", where, "feed entry has no text")
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        yield RawDoc(
            id=str(entry.get("id") or entry.get("link") or where), input=where, text=text,
            url=entry.get("link"), title=entry.get("title"), published=date(*stamp[:3]) if stamp else None,
            outlet=feed_title, format="feed",
        )


def sniff_format(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("<!doctype html") or head.startswith("<html") or "<body" in text[:5000].lower():
        return "html"
    return "text"


def docs_from_text(text: str, *, fmt: str, doc_id: str, input: str, published: date | None) -> Iterator[RawDoc | Rejection]:
    """Turn decoded content of a known format into documents."""
    if fmt == "jsonl":
        yield from iter_jsonl(text.splitlines(), name=input, stem=doc_id, published=published)
        return
    if fmt == "feed":
        import feedparser

        yield from feed_entries(feedparser.parse(text), name=input)
        return
    try:
        if fmt == "html":
            yield html_to_raw(text, doc_id=doc_id, input=input, published=published)
        else:
            yield RawDoc(id=doc_id, input=input, text=text, published=published, format="text")
    except InputError as exc:
        yield Rejection("ingest", input, str(exc))


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in LIST_SUFFIXES:
        return "list"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return "text"


def article_files(folder: Path) -> Iterator[Path | Rejection]:
    """The known article files under `folder` (recursive, sorted, hidden files skipped), and a
    rejection for each directory that cannot be listed: its files are not silently missing."""
    found: list[Path] = []
    unreadable: list[Rejection] = []

    def cannot_list(exc: OSError) -> None:
        unreadable.append(Rejection("ingest", str(exc.filename or folder), f"cannot read directory: {exc.strerror or exc}"))

    for root, _dirs, files in os.walk(folder, onerror=cannot_list):
        found.extend(Path(root) / name for name in files
                     if Path(name).suffix.lower() in KNOWN_SUFFIXES and not name.startswith("."))
    yield from unreadable
    yield from (path for path in sorted(found) if path.is_file())


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Files named directly, and the known article files under directories."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from article_files(path)
        elif path.exists():
            yield path
        else:
            yield Rejection("ingest", str(path), "no such file or directory")


def read_file(path: Path, *, max_bytes: int, published: date | None = None, _depth: int = 0) -> Iterator[RawDoc | Rejection]:
    fmt = _format_of(path)
    try:
        text = decode_text(read_path_bytes(path, max_bytes), source=str(path))
    except InputError as exc:
        yield Rejection("ingest", str(path), str(exc))
        return
    if fmt == "list":
        # A list of saved article files, one path per line (relative to the list file).
        if _depth > 0:
            yield Rejection("ingest", str(path), "nested list files are not followed")
            return
        for line in text.splitlines():
            entry = line.strip().removeprefix("file://")
            if entry and not entry.startswith("#"):
                target = Path(entry) if Path(entry).is_absolute() else path.parent / entry
                if target.exists():
                    yield from read_file(target, max_bytes=max_bytes, published=published, _depth=1)
                else:
                    yield Rejection("ingest", f"{path}: {entry}", "no such file or directory")
        return
    yield from docs_from_text(text, fmt=fmt, doc_id=path.stem, input=str(path), published=published)


def read_stdin(stream: BinaryIO, *, max_bytes: int, published: date | None = None) -> Iterator[RawDoc | Rejection]:
    try:
        data = _read_bounded(stream, max_bytes, "<stdin>")
        if not data.strip():
            raise InputError("empty input")
        text = decode_text(data, source="<stdin>")
    except InputError as exc:
        yield Rejection("ingest", "<stdin>", str(exc))
        return
    yield from docs_from_text(text, fmt=sniff_format(text), doc_id="stdin", input="<stdin>", published=published)


def read_inputs(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = 5_000_000,
    published: date | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[RawDoc | Rejection]:
    """Every document of every input, in order; '-' reads standard input."""
    for p in paths:
        if str(p) == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, max_bytes=max_bytes, published=published)
            continue
        for item in expand_paths([p]):
            if isinstance(item, Rejection):
                yield item
            else:
                yield from read_file(item, max_bytes=max_bytes, published=published)
