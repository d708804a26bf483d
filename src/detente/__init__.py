"""detente: political event data from raw news articles.

    import detente.api as dt
    for coded in dt.code(["examples/"]):
        print(coded.to_json())

`detente.api` has one function per CLI command; the core types and stages are re-exported here.
"""

from .version import CODER_VERSION, __version__
from .ingest import read_inputs
from .pipeline import Coder, code_documents
from .settings import Settings, load_settings
from .store import open_store
from .types import Actor, Article, CodedDocument, Event, Place, RawDoc, Rejection

__all__ = [
    "CODER_VERSION", "Actor", "Article", "CodedDocument", "Coder", "Event", "Place", "RawDoc",
    "Rejection", "Settings", "__version__", "code_documents", "load_settings", "read_inputs", "open_store",
]
