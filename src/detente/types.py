"""Typed records passed between pipeline stages.

Every stage takes one of these and returns another; no dicts travel between stages.
All records are frozen: a stage never mutates its input.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

FACTUALITY = ("asserted", "reported", "alleged", "denied", "negated", "conditional", "intent")

DATE_PRECISION = ("day", "week", "month", "year")

# The dates detente takes from inputs and API parameters: news from the age of the telegraph to
# well past today. Outside it a date is an input error, not a value to compute with (periods
# after 9999-12-31 do not exist).
EARLIEST_DATE = date(1800, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def article_id(text: str) -> str:
    """Content address of an article: hash of its case- and whitespace-normalised text."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RawDoc:
    """One input document as read, before any cleaning."""

    id: str
    input: str | None
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    format: str = "text"


@dataclass(frozen=True)
class Rejection:
    """A document or record that could not be processed, and why."""

    stage: str
    input: str
    reason: str

    def message(self) -> str:
        return f"{self.input}: {self.reason}"


@dataclass(frozen=True)
class Article:
    """Clean article text with its metadata; `removed` keeps dropped boilerplate for audit."""

    id: str
    doc_id: str
    input: str | None
    text: str
    removed: tuple[str, ...] = ()
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Actor:
    country: str | None
    sector: str | None
    name: str
    kb_id: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    kind: str = "city"  # precision: city | admin1 | country | region

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    mode: str | None
    cameo: str | None
    quad_class: int
    goldstein: float
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    factuality: str
    speaker: Actor | None
    confidence: float
    sentence: str
    start: int
    end: int
    date: date | None = None
    date_precision: str | None = None
    place: Place | None = None

    def to_json(self) -> dict:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": [a.to_json() for a in self.source],
            "target": [a.to_json() for a in self.target],
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "place": self.place.to_json() if self.place else None,
            "factuality": self.factuality,
            "speaker": self.speaker.to_json() if self.speaker else None,
            "confidence": round(self.confidence, 3),
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class CodedDocument:
    """The result of coding one input document: the `detente code` record."""

    article: Article | None
    events: tuple[Event, ...] = ()
    errors: tuple[str, ...] = ()
    doc_id: str | None = None
    input: str | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None

    def to_json(self) -> dict:
        art = self.article
        return {
            "id": art.doc_id if art else self.doc_id,
            "input": art.input if art else self.input,
            "url": art.url if art else None,
            "outlet": art.outlet if art else None,
            "title": art.title if art else None,
            "published": art.published.isoformat() if art and art.published else None,
            "text": art.text if art else "",
            "removed": list(art.removed) if art else [],
            "events": [e.to_json() for e in self.events],
            "errors": list(self.errors),
        }


def _actor_from_json(d: dict | None) -> Actor | None:
    if not d:
        return None
    return Actor(d.get("country"), d.get("sector"), d.get("name") or "", d.get("kb_id"))


def event_from_json(d: dict) -> Event:
    """The inverse of `Event.to_json` (for records that travelled through Parquet or JSON)."""
    place = d.get("place")
    return Event(
        event_id=d["event_id"], event_type=d["event_type"], mode=d.get("mode"), cameo=d.get("cameo"),
        quad_class=int(d["quad_class"]), goldstein=float(d["goldstein"]),
        source=tuple(_actor_from_json(a) for a in d.get("source") or ()),
        target=tuple(_actor_from_json(a) for a in d.get("target") or ()),
        factuality=d["factuality"], speaker=_actor_from_json(d.get("speaker")), confidence=float(d["confidence"]),
        sentence=d["sentence"], start=int(d["start"]), end=int(d["end"]),
        date=date.fromisoformat(d["date"]) if d.get("date") else None, date_precision=d.get("date_precision"),
        place=Place(place["name"], place.get("country"), place.get("admin1"), place.get("lat"), place.get("lon"),
                    place.get("geonameid"), place.get("kind", "city")) if place else None,
    )


def coded_from_json(d: dict) -> CodedDocument:
    """The inverse of `CodedDocument.to_json`; a record without text is a failed document."""
    errors = tuple(d.get("errors") or ())
    if not d.get("text"):
        return CodedDocument(article=None, errors=errors, doc_id=d.get("id"), input=d.get("input"))
    article = Article(
        id=article_id(d["text"]), doc_id=d["id"], input=d.get("input"), text=d["text"], removed=tuple(d.get("removed") or ()),
        title=d.get("title"), url=d.get("url"), outlet=d.get("outlet"),
        published=date.fromisoformat(d["published"]) if d.get("published") else None,
    )
    return CodedDocument(article=article, events=tuple(event_from_json(e) for e in d.get("events") or ()), errors=errors)
