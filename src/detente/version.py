"""version: what produced a data set — the package, and the data files the coder reads.

The coder version names the package version and a digest of every file under detente/data/
(actor KB, lexicon, tables, models), so it changes whenever any of them does, not only on a
release; every stored event records it.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources

__version__ = "0.1.0"
# Hex digits of the data digest kept in version strings: collisions between two data states of
# one release are not a concern at 40 bits.
DIGEST_CHARS = 10
HEADER_VERSION_RE = re.compile(r"version ([0-9][0-9.]*)")


def _digest(folder: str) -> str:
    """SHA-1 over the relative names and bytes of every file under data/<folder>, in name order."""
    root = resources.files("detente").joinpath("data")
    digest = hashlib.sha1()
    files = sorted((p for p in _walk(root.joinpath(folder)) if p.is_file()), key=lambda p: str(p))
    for path in files:
        digest.update(str(path).removeprefix(str(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:DIGEST_CHARS]


def _walk(folder):
    for item in folder.iterdir():
        yield from _walk(item) if item.is_dir() else (item,)


def header_version(name: str) -> str | None:
    """The version a data file's first header line names ("… — version 2.2 (…)")."""
    first = resources.files("detente").joinpath(f"data/{name}").read_text(encoding="utf-8").partition("\n")[0]
    m = HEADER_VERSION_RE.search(first)
    return m.group(1) if m else None


CODER_VERSION = f"detente-{__version__}+{_digest('')}"


def versions() -> dict[str, str | None]:
    """Package, coder (data digest included), actor KB (digest of data/actors/) and lexicon versions."""
    return {"detente": __version__, "coder": CODER_VERSION, "kb": _digest("actors"),
            "lexicon": header_version("verbs.tsv")}
