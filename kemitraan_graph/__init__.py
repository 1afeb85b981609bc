"""Kemitraan Graph: a knowledge graph of partnerships (kemitraan) and their stakeholders.

    from kemitraan_graph import KnowledgeGraph
    kg = KnowledgeGraph.load()                       # ontology + bundled data, embedded Oxigraph
    kg.query("cases-by-type").to_dataframe()
    kg.validate().conforms
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kemitraan-graph")
except PackageNotFoundError:  # pragma: no cover - running from a checkout without install
    __version__ = "0.0.0"

from .api import KnowledgeGraph  # noqa: E402
from .errors import (  # noqa: E402
    KemitraanError,
    LanguageError,
    LoadError,
    ParameterError,
    QueryError,
    QueryRefused,
    QueryTimeout,
    StoreError,
    ValidationFailed,
    ViewError,
)
from .results import QueryResult  # noqa: E402

__all__ = [
    "KemitraanError", "KnowledgeGraph", "LanguageError", "LoadError", "ParameterError", "QueryError", "QueryRefused",
    "QueryResult", "QueryTimeout", "StoreError", "ValidationFailed", "ViewError", "__version__",
]
