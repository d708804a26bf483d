"""ResultCache: computed responses kept while the store is unchanged.

The dashboard asks the same few questions over and over (the top dyads, a dyad's timeline, the
alerts, the graph), and each answer aggregates the whole store. Answers are kept per store
version (`store.store_version`: it changes with every commit), at most MAX_ENTRIES of them, and
concurrent requests for an answer not yet computed wait for the one computation under way
instead of each starting its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

# Dashboard pages ask a few dozen distinct questions; evidence pages and offsets add more.
MAX_ENTRIES = 512


class ResultCache:
    def __init__(self, version: Callable[[], Hashable], max_entries: int = MAX_ENTRIES):
        self._version = version
        self._max = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._seen_version: Hashable = None

    def get(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """The cached value of `key` for the store as it is now, computed once if missing."""
        full = (self._version(), key)
        while True:
            with self._lock:
                if full[0] != self._seen_version:  # the store changed: every answer is stale
                    self._entries.clear()
                    self._seen_version = full[0]
                if full in self._entries:
                    self._entries.move_to_end(full)
                    return self._entries[full]
                underway = self._computing.get(full)
                if underway is None:
                    self._computing[full] = threading.Event()
                    break
            underway.wait()  # then look again: it is cached, or it failed and this request tries
        try:
            value = compute()
            with self._lock:
                self._entries[full] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._computing.pop(full).set()
