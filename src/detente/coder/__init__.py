"""coder: the event coder, rules then the learned layer.

The rules, over the dependency parse and the verb lexicon, propose candidate events; a linear
model trained on the project's labelled articles (corpus/) decides, sentence by sentence, which
PLOVER types the sentence reports, keeping the candidates of those types, retyping or building
the ones the rules missed, and dropping the rest.

    lexicon.py     the verb and event-noun lexicon (data/verbs.tsv, cameo.tsv, …): loading, trigger lookup
    factuality.py  what the event's clause says of it: negation, denial, report, condition, intent
    roles.py       who does it to whom: source and target arguments and the actors they name
    candidates.py  a sentence's candidate events (code_sentence → EventCandidate)
    features.py    what the model sees of a sentence (words, rule candidates, cues, position)
    model.py       the shipped model (data/sentence_model.npz): loading, checking, scoring
    policy.py      from the model's type probabilities and the candidates to the sentence's events
    parties.py     the learned source or target of an act the rules left without one (data/source_model.npz, target_model.npz)
"""
