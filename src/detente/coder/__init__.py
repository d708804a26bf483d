"""coder: the learned layer of the event coder.

The rules (`detente.events`, over the dependency parse and the verb lexicon) propose candidate
events; a linear model trained on the project's labelled articles (corpus/) decides, sentence by
sentence, which PLOVER types the sentence reports, keeping the candidates of those types,
retyping or building the ones the rules missed, and dropping the rest.

    features.py   what the model sees of a sentence (words, rule candidates, cues, position)
    model.py      the shipped model (data/sentence_model.npz): loading, checking, scoring
    policy.py     from the model's type probabilities and the candidates to the sentence's events
"""
