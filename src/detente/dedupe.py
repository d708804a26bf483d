"""dedupe: near-duplicate articles (MinHash + LSH, datasketch) and same-event cluster keys.

A syndicated copy of an article with different furniture is stored once and linked to the first
copy; several articles reporting the same event (same dyad, type, day and place) form one cluster,
counted once with NumArticles/NumSources by the analysis.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from .types import Event

SHINGLE_WORDS = 5
# Stored signatures are only comparable with the same hashing scheme and seed.
MINHASH_SCHEME = "affine32"
MINHASH_SEED = 1
# LSH band weights (false positive, false negative): candidates are verified by their estimated
# Jaccard similarity anyway, so a missed copy costs more than an extra comparison. With 128
# permutations this finds a pair at J=0.875 97% of the time (0.82 with equal weights).
LSH_WEIGHTS = (0.2, 0.8)
WORD_RE = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    words = WORD_RE.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i: i + k]).encode() for i in range(len(words) - k + 1)}


def minhash(text: str, num_perm: int):
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    mh.update_batch(list(shingles(text)))
    return mh


def signature_bytes(mh) -> bytes:
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def minhash_from_bytes(data: bytes, num_perm: int):
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME,
                   hashvalues=np.frombuffer(data, dtype=np.uint64))


class NearDuplicateIndex:
    """LSH over article MinHashes: `find(mh)` names an earlier near-copy, `add` records an
    original, `remove` forgets one (a replaced version must not claim its successor as a copy)."""

    def __init__(self, threshold: float, num_perm: int):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self.threshold = threshold
        self._hashes: dict[str, object] = {}

    def add(self, key: str, mh) -> None:
        if key not in self._hashes:
            self.lsh.insert(key, mh)
            self._hashes[key] = mh

    def remove(self, key: str) -> None:
        if self._hashes.pop(key, None) is not None:
            self.lsh.remove(key)

    def find(self, mh) -> str | None:
        """The closest indexed article whose estimated Jaccard similarity reaches the threshold."""
        best, best_sim = None, 0.0
        for key in self.lsh.query(mh):
            sim = mh.jaccard(self._hashes[key])
            if sim >= self.threshold and sim > best_sim:
                best, best_sim = key, sim
        return best


def cluster_key(event: Event) -> str:
    """Same dyad + type + day + place → the same real-world event, whichever article reports it."""
    src = ",".join(sorted(a.country or a.name for a in event.source))
    tgt = ",".join(sorted(a.country or a.name for a in event.target))
    where = event.place.geonameid or event.place.name if event.place else ""
    when = event.date.isoformat() if event.date else ""
    key = f"{event.event_type}|{src}|{tgt}|{when}|{where}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
