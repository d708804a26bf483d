"""scale: the same stage code on Ray (optional extra `detente[ray]`).

    ingest_with_ray(paths, db=..., settings=..., address=None)

Files are listed on the driver; Ray Data reads and codes them in an actor pool (`map_batches`
with one `Coder` loaded per actor, calling the very `read_file` and `Coder.code_batch` the local
engine uses), writes the coded records as Parquet shards, and the driver loads the shards into
DuckDB through `Store.ingest` — idempotent, so re-running or resuming adds nothing twice.

Point it at a cluster with `address="ray://head:10001"` (or "auto" on a cluster node); every node
needs detente and the spaCy model installed. Expect roughly the local per-core throughput (see
`make bench`) times the cores, less the DuckDB load on the driver (single writer).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from .ingest import expand_paths
from .settings import Settings
from .types import Rejection, coded_from_json

log = logging.getLogger(__name__)


class CodingActor:
    """A Ray Data actor: loads the model once, then reads and codes batches of file paths."""

    def __init__(self, settings: Settings):
        from .pipeline import Coder

        self.settings = settings
        self.coder = Coder.load(settings)

    def __call__(self, batch: dict) -> dict:
        from .ingest import read_file

        items = [item for path in batch["path"] for item in read_file(Path(path), max_bytes=self.settings.max_bytes)]
        coded = self.coder.code_batch(items)
        return {"record": [json.dumps(c.to_json(), ensure_ascii=False) for c in coded]}


def code_to_parquet(paths: Iterable[str | Path], shard_dir: Path, *, settings: Settings, actors: int) -> list[Rejection]:
    """Code every file under `paths` on Ray into Parquet shards in `shard_dir`; missing paths
    come back as rejections."""
    import ray

    files: list[str] = []
    missing: list[Rejection] = []
    for item in expand_paths(paths):
        if isinstance(item, Rejection):
            missing.append(item)
        else:
            files.append(str(item))
    if files:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        dataset = ray.data.from_items([{"path": f} for f in files])
        # An autoscaling pool (1…N actors) leaves the scheduler room for the read and write tasks.
        coded = dataset.map_batches(CodingActor, fn_constructor_args=(settings,), batch_size=settings.batch_size,
                                    concurrency=(1, actors), num_cpus=1, batch_format="numpy")
        coded.write_parquet(str(shard_dir))
    return missing


def load_shards(shard_dir: Path):
    """Coded documents back from Parquet shards, in a stable order."""
    import pyarrow.parquet as pq

    for shard in sorted(shard_dir.glob("*.parquet")):
        for record in pq.read_table(shard, columns=["record"]).column("record").to_pylist():
            yield coded_from_json(json.loads(record))


def ingest_with_ray(paths: Iterable[str | Path], *, store, settings: Settings, coder_version: str,
                    address: str | None = None, shard_dir: Path | None = None, on_document=None):
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                 num_cpus=None if address else settings.worker_count)
    try:
        actors = max(1, int(ray.cluster_resources().get("CPU", 1)))
        with tempfile.TemporaryDirectory(prefix="detente-shards-") as tmp:
            out = shard_dir or Path(tmp)
            missing = code_to_parquet(paths, out, settings=settings, actors=actors)
            from .types import CodedDocument

            failures = (CodedDocument(article=None, errors=(r.message(),), input=r.input) for r in missing)
            return store.ingest(chain(failures, load_shards(out)), coder_version=coder_version, on_document=on_document)
    finally:
        if started_here:
            ray.shutdown()
