"""datafiles: reading the versioned tables under detente/data/.

Every table is UTF-8, tab-separated, starts with '#' header comments naming its source and
version, then a line of column names, then rows; blank lines and further '#' lines are skipped.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of data/<name> as dicts by column name (missing trailing cells are empty strings)."""
    text = resources.files("detente").joinpath(f"data/{name}").read_text(encoding="utf-8")
    header: list[str] | None = None
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


@cache
def word_classes() -> dict[str, tuple[str, ...]]:
    """Every class of data/word_classes.tsv, its words in file order (closed classes the coder's
    rules test for, and the object classes verbs.tsv patterns name)."""
    classes: dict[str, list[str]] = {}
    for row in read_table("word_classes.tsv"):
        classes.setdefault(row["class"], []).append(row["word"])
    return {name: tuple(words) for name, words in classes.items()}


@cache
def word_class(name: str) -> frozenset[str]:
    """The words of one class in data/word_classes.tsv."""
    if name not in word_classes():
        raise KeyError(f"word_classes.tsv has no class {name!r}")
    return frozenset(word_classes()[name])
