"""pipeline: the ordered stages and the batch runner.

    ingest → clean → metadata → nlp → actors → events → dates → geo → context   (→ dedupe → store)

`Coder.load(settings)` opens every resource once (spaCy model, actor KB, lexicon, gazetteer);
`code_documents` streams inputs through it in batches, optionally over worker processes, in input
order, turning any per-document failure into one clear error while the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from .actors import ActorFinder, ActorKB, ArticleContext, in_context, is_implied, resolve_actor, story_countries
from .batching import batched
from .classifier import NONE_LABEL, TypeClassifier, sentence_features as classifier_features
from .clean import clean
from .coder.candidates import EventCandidate, code_sentence, drop_headline_repeats, mark_disputed
from .coder.features import SentenceView, sentence_features
from .coder.factuality import lexical_triggers
from .coder.lexicon import Lexicon
from .coder.model import SentenceModel, sentence_tensor
from .coder.policy import default_codes, distinct_events, merge_headline_repeats, sentence_events
from .coder.roles import event_clause, retargeted, without_self_targets
from .coder.parties import EARLIER_SENTENCES, PartyModel, party_candidates
from .dates import resolve_event_date
from .context import (home_country, implied_target, load_implied_targets, localize, named_countries, sole_country,
                      takes_context_country)
from .geo import PATIENT_PREPS, Gazetteer, dateline_place, patient_place, place_for_event
from .metadata import extract_metadata
from .nlp import load_nlp, parse_texts
from .settings import Settings, SettingsError
from .types import Actor, Article, CodedDocument, Event, RawDoc, Rejection
from .version import CODER_VERSION

log = logging.getLogger(__name__)

CODERS = ("learned", "rules")
# Acts whose object may be a town rather than an actor (see geo.patient_place), with the
# prepositions that name it: acts of force land on a place, a retreat leaves one, aid goes to one
# (or is handed out in it).
PLACE_TARGET_TYPES = {"ASSAULT": PATIENT_PREPS, "COERCE": PATIENT_PREPS, "RETREAT": frozenset({"from", "of"}),
                      "AID": frozenset({"to", "into", "in"})}


@dataclass
class Coder:
    """Everything the stages need, opened once and passed in."""

    settings: Settings
    nlp: object
    lexicon: Lexicon
    finder: ActorFinder
    gazetteer: Gazetteer
    classifier: TypeClassifier | None = None
    sentence_model: SentenceModel | None = None
    implied_targets: dict = field(default_factory=dict)
    source_model: PartyModel | None = None
    target_model: PartyModel | None = None

    @classmethod
    def load(cls, settings: Settings | None = None) -> "Coder":
        settings = settings or Settings()
        nlp = load_nlp(settings.model)
        kb = ActorKB.load((settings.actors,) if settings.actors else ())
        for problem in kb.problems:
            log.warning("%s", problem)
        gazetteer = Gazetteer.open(kb=kb)
        finder = ActorFinder.load(nlp, kb, is_place=lambda name: bool(gazetteer.candidates(name)),
                                  unit_country=gazetteer.unit_country)
        if settings.coder not in CODERS:
            raise SettingsError(f"setting 'coder': {settings.coder!r} is not one of {', '.join(CODERS)}")
        learned = settings.coder == "learned"
        return cls(settings, nlp, Lexicon.load(), finder, gazetteer, TypeClassifier.load(),
                   SentenceModel.load() if learned else None, load_implied_targets(),
                   PartyModel.load("source") if learned else None, PartyModel.load("target") if learned else None)

    # -- one article ------------------------------------------------------------------------

    def prepare(self, raw: RawDoc) -> Article:
        return extract_metadata(clean(raw))

    def propose(self, article: Article, doc, mentions, ctx: ArticleContext) -> list[SentenceView]:
        """The rules' candidate events, sentence by sentence (every sentence, with or without)."""
        sentences, candidates, classified, words = [], [], [], []  # (the classifier read once per sentence, for both)
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            sentences.append(sent)
            person_before = ctx.last_person
            words.append(tuple(classifier_features(sent, mentions)))
            classified.append(self.classified(words[-1]))
            best = classified[-1][0] if classified[-1] else (None, 0.0)
            candidates.extend(code_sentence(sent, article_id=article.id, lex=self.lexicon, finder=self.finder,
                                            mentions=mentions, ctx=ctx, when=article.published,
                                            prediction=(None if best[0] == NONE_LABEL else best[0], best[1])))
            ctx.remember_unresolved_people(sent, mentions, person_before)
        candidates = mark_disputed(candidates, self.lexicon)
        by_sentence: dict[int, list] = {}
        for cand in candidates:
            by_sentence.setdefault(cand.sent.start, []).append(cand)
        views, seen = [], frozenset()
        for index, sent in enumerate(sentences):
            mine = tuple(by_sentence.get(sent.start, ()))
            views.append(SentenceView(sent, index, len(sentences), mine, seen, mentions,
                                      lexical_triggers(sent, self.lexicon, mentions), classified[index], words[index],
                                      article.published))
            seen = seen | {c.event.event_type for c in mine}
        return views

    def classified(self, words: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        """The type classifier's two most likely types for a sentence's masked lemmas."""
        if self.classifier is None:
            return ()
        probs = self.classifier.probabilities(list(words))
        return tuple(sorted(probs.items(), key=lambda kv: -kv[1])[:2])

    def decide(self, views: list[SentenceView], ctx: ArticleContext, article: Article) -> list[EventCandidate]:
        """The sentence model's choice among (and beyond) the rules' candidates; without a model,
        the rules' own (a headline's act restated in the body kept in the body, as the rules
        always did; the learned coder keeps it in the headline: `merge_headline_repeats`)."""
        if self.sentence_model is None:
            candidates = [c for view in views for c in view.candidates]
            return drop_headline_repeats(candidates, len(article.title)) if has_headline(article) else candidates
        model, codes = self.sentence_model, default_codes(self.lexicon)
        chosen = []
        for view in views:
            dense = sentence_tensor(view.sent) if model.dense else None
            types = model.types(model.probabilities(sentence_features(view), dense),
                                {c.event.event_type for c in view.candidates}, lone=view.lone)
            chosen += sentence_events(view, types, lex=self.lexicon, codes=codes, finder=self.finder, ctx=ctx,
                                      when=article.published, article_id=article.id)
        return chosen

    def code_parsed(self, article: Article, doc) -> CodedDocument:
        """Actors, events, dates and places of one parsed article."""
        when: date | None = article.published
        mentions = self.finder.mentions(doc)
        ctx = ArticleContext(countries=story_countries(mentions, doc))
        mentions = in_context(mentions, ctx.countries)
        candidates = self.decide(self.propose(article, doc, mentions, ctx), ctx, article)
        events = []
        actor_tokens = {i for i, m in mentions.items() if m.entry.kind not in ("feature", "place")}
        named = NamedCountries(doc, mentions)
        # per sentence start, computed once: the country it is about
        sentence_countries: dict[int, str | None] = {}
        dateline = dateline_place(doc, self.gazetteer, ctx.countries)
        home = home_country(ctx.countries, dateline)
        story = max(ctx.countries, key=ctx.countries.get) if ctx.countries else None
        for cand in candidates:
            trigger = doc[cand.trigger]
            sent = cand.sent
            event_date, precision = resolve_event_date(sent, trigger, article.published)
            place = place_for_event(sent, trigger, self.gazetteer, ctx.countries, actor_tokens,
                                    event_clause(trigger, self.lexicon), cand.event.event_type)
            if sent.start not in sentence_countries:
                sentence_countries[sent.start] = sole_country(sent, mentions, home, story, named.in_sentence(sent))
            event = replace(cand.event, date=event_date, date_precision=precision, place=place)
            if not event.target and event.event_type in PLACE_TARGET_TYPES and (struck := patient_place(
                    trigger, self.gazetteer, ctx.countries, actor_tokens, PLACE_TARGET_TYPES[event.event_type],
                    located_on_verb=event.event_type == "ASSAULT")):
                # "Russian jets bombed Gori", "pulled out of Gori": the town's country is on the receiving end.
                event = replace(retargeted(event, (Actor(struck.country, None, struck.name),), article.id),
                                place=place or struck)
            context = {"place": place.country if place else None, "sentence": sentence_countries[sent.start], "home": home,
                       "dateline": dateline.country if dateline else None}
            localized = localize(event, sentence_countries[sent.start])
            filled = event
            for role, model in (("source", self.source_model), ("target", self.target_model)):
                if model is not None and self.fills_by_model(event, localized, named, role):
                    filled = self.learned_party(filled, role, trigger, mentions, ctx, article, named, context)
            event = localize(filled, sentence_countries[sent.start])  # (the context rule for what no model filled)
            event = without_self_targets(event, article.id)
            if not event.source and self.source_model is not None:
                event = self.learned_party(event, "source", trigger, mentions, ctx, article, named, context)
            if not event.target and (implied := implied_target(event, named.in_sentence(sent), self.implied_targets,
                                                               ctx.countries)):
                event = retargeted(event, implied, article.id)
            if not event.target and self.target_model is not None:
                event = self.learned_party(event, "target", trigger, mentions, ctx, article, named, context)
            if home or story:
                # A role-named party its sentence cannot place ("urged the authorities to show
                # restraint" in a sentence naming three countries) is of the story's country (dev,
                # train-only model: sources with a country .976 → .989, dyad recall .490 → .495).
                event = localize(event, home or story)
            if event.confidence >= self.settings.min_confidence:
                events.append(event)
        events = distinct_events(events)
        if self.sentence_model is not None and has_headline(article):
            events = merge_headline_repeats(events, len(article.title), article.id)
        events.sort(key=lambda e: (e.start, e.event_type))
        return CodedDocument(article=article, events=tuple(events))

    @staticmethod
    def fills_by_model(event: Event, localized: Event, named: "NamedCountries", role: str) -> bool:
        """Whether the party model of `role`, not the context rule, gives the country of `event`'s
        role-named source (or target): where the rule would give one (`localized` is `event` after
        it), in an article (a lone sentence has none of the context the model learned from), and
        not for a party the rules imply ("unidentified attackers" are, by convention, of the place)."""
        side = getattr(event, role)
        return len(named.sentences) > 1 and bool(side) and \
            all(takes_context_country(a) and not is_implied(a) for a in side) and getattr(localized, role) != side

    def learned_party(self, event: Event, role: str, trigger, mentions, ctx: ArticleContext, article: Article,
                      named: "NamedCountries", context: dict[str, str | None]) -> Event:
        """`event` with the source (or target) its party model picks among the countries its
        sentence, the ones before and the story name, or with the country it picks for its
        role-named source (or target) (unchanged when none is likely enough)."""
        model = self.source_model if role == "source" else self.target_model
        candidates = party_candidates(event, role, trigger, mentions, named.before(trigger.sent), ctx.countries,
                                      lambda head: resolve_actor(head, self.finder, mentions, ctx, article.published),
                                      self.finder.kb.country_names, context)
        side = getattr(event, role)
        chosen = model.choose(event, candidates, filling=bool(side))
        if not chosen:
            return event
        if side:  # "police", "protesters", "the authorities": whose
            chosen = tuple(replace(a, country=chosen[0].country) if takes_context_country(a) else a for a in side)
        if role == "target":
            return retargeted(event, chosen, article.id)
        return retargeted(event, event.target, article.id, source=chosen)

    def code_batch(self, items: list[RawDoc | Rejection]) -> list[CodedDocument]:
        """Code a batch in order; a failing document becomes an error record, the rest go on."""
        out: list[CodedDocument | None] = [None] * len(items)
        prepared: list[tuple[int, Article]] = []
        for i, item in enumerate(items):
            if isinstance(item, Rejection):
                out[i] = CodedDocument(article=None, errors=(item.message(),), doc_id=None, input=item.input)
                continue
            try:
                article = self.prepare(item)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                log.exception("cleaning %s failed", item.input)
                out[i] = _failure(item, "clean", exc)
                continue
            if not article.text.strip():
                out[i] = CodedDocument(article=None, errors=(f"{item.input or item.id}: no article text left after cleaning",),
                                       doc_id=item.id, input=item.input)
                continue
            prepared.append((i, article))
        docs = parse_texts(self.nlp, [a.text for _, a in prepared], batch_size=self.settings.batch_size)
        for (i, article), doc in zip(prepared, docs):
            if isinstance(doc, Exception):
                out[i] = _failure(items[i], "parse", doc)
                continue
            try:
                out[i] = self.code_parsed(article, doc)
            except Exception as exc:  # noqa: BLE001
                log.exception("coding %s failed", article.input)
                out[i] = _failure(items[i], "code", exc)
        return out  # type: ignore[return-value]


class NamedCountries:
    """The countries each sentence of a parsed article names, read on demand and once."""

    def __init__(self, doc, mentions):
        self.sentences = list(doc.sents)
        self.starts = {s.start: i for i, s in enumerate(self.sentences)}
        self.mentions = mentions
        self.named: dict[int, set[str]] = {}

    def of(self, index: int) -> set[str]:
        if index not in self.named:
            self.named[index] = named_countries(self.sentences[index], self.mentions)
        return self.named[index]

    def in_sentence(self, sent) -> set[str]:
        return self.of(self.starts[sent.start])

    def before(self, sent) -> list[set[str]]:
        """The countries named by the EARLIER_SENTENCES sentences before `sent`, nearest first."""
        index = self.starts[sent.start]
        return [self.of(i) for i in range(index - 1, max(index - 1 - EARLIER_SENTENCES, -1), -1)]


def has_headline(article: Article) -> bool:
    return bool(article.title) and article.text.startswith(article.title)


def _failure(raw: RawDoc, stage: str, exc: Exception) -> CodedDocument:
    where = raw.input or raw.id
    return CodedDocument(article=None, errors=(f"{where}: {stage} failed: {type(exc).__name__}: {exc}",),
                         doc_id=raw.id, input=raw.input)


# -- worker processes ----------------------------------------------------------------------

_WORKER_CODER: Coder | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_CODER
    _WORKER_CODER = Coder.load(settings)


def _code_in_worker(items: list) -> list[CodedDocument]:
    assert _WORKER_CODER is not None
    return _WORKER_CODER.code_batch(items)


def code_documents(
    items: Iterable[RawDoc | Rejection],
    *,
    settings: Settings | None = None,
    coder: Coder | None = None,
    workers: int | None = None,
) -> Iterator[CodedDocument]:
    """Stream coded documents, in input order. `workers` > 1 codes batches in worker processes
    (each loads its own model once); otherwise `coder` (or a new one) codes them here."""
    settings = settings or (coder.settings if coder else Settings())
    workers = settings.worker_count if workers is None else workers
    batches = batched(items, settings.batch_size)
    if workers <= 1:
        coder = coder or Coder.load(settings)
        for batch in batches:
            yield from coder.code_batch(batch)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    if settings.coder == "learned":
        SentenceModel.load()  # a broken model file fails here, once, not in every worker the pool respawns
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        for result in pool.imap(_code_in_worker, batches):
            yield from result
