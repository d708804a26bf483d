"""detente: political event data from raw news articles.

    from detente import Coder, code_documents, read_inputs, open_store
    coder = Coder.load()
    for coded in code_documents(read_inputs(["examples/"]), coder=coder, workers=1):
        print(coded.to_json())
"""

__version__ = "0.1.0"

from .ingest import read_inputs  # noqa: E402
from .pipeline import CODER_VERSION, Coder, code_documents  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402
from .types import Actor, Article, CodedDocument, Event, Place, RawDoc, Rejection  # noqa: E402

__all__ = [
    "CODER_VERSION", "Actor", "Article", "CodedDocument", "Coder", "Event", "Place", "RawDoc",
    "Rejection", "Settings", "code_documents", "load_settings", "read_inputs", "open_store",
]


def open_store(path, *, read_only: bool = False):
    """Open (or create) a DuckDB event store; see `detente.store.Store`."""
    from .store import open_store as _open

    return _open(path, read_only=read_only)
