"""batching: bounded batches of a stream (the pipeline's and the store's unit of work)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
