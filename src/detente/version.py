"""version: what produced a data set — the package, and the data files the coder reads.

The coder version names the package version and a digest of every file under detente/data/
(actor KB, lexicon, tables, models), so it changes whenever any of them does, not only on a
release; every stored event records it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__version__ = "0.1.0"
# Hex digits of the data digest kept in version strings: collisions between two data states of
# one release are not a concern at 40 bits.
DIGEST_CHARS = 10
HEADER_VERSION_RE = re.compile(r"version ([0-9][0-9.]*)")
DATA = Path(__file__).parent / "data"


def digest(folder: Path) -> str:
    """SHA-1 over the relative names and bytes of every file under `folder`, in name order."""
    hashed = hashlib.sha1()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hashed.update(path.relative_to(folder).as_posix().encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:DIGEST_CHARS]


def header_version(path: Path) -> str | None:
    """The version a data file's first header line names ("… — version 2.2 (…)")."""
    with path.open(encoding="utf-8") as fh:
        m = HEADER_VERSION_RE.search(fh.readline())
    return m.group(1) if m else None


CODER_VERSION = f"detente-{__version__}+{digest(DATA)}"


def versions() -> dict[str, str | None]:
    """Package, coder (data digest included), actor KB (digest of data/actors/) and lexicon versions."""
    return {"detente": __version__, "coder": CODER_VERSION, "kb": digest(DATA / "actors"),
            "lexicon": header_version(DATA / "verbs.tsv")}
