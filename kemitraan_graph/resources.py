"""The bundled resources: ontology, shapes, data and the query library.

Inside a wheel they sit in the package (``kemitraan_graph/bundled/``, found through
``importlib.resources``); in a checkout they are the repository's own top-level folders.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

SHAPES_NAME = "shapes.ttl"
#: files of the ontology folder that are not ontology modules
_NOT_MODULES = (SHAPES_NAME,)
#: folders of the ontology folder that hold reused vocabularies (read by checks, not loaded)
IMPORTS_DIR = "imports"


@lru_cache(maxsize=1)
def bundled_root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    pkg = Path(str(files("kemitraan_graph")))
    inside = pkg / "bundled"
    return inside if (inside / "ontology").is_dir() else pkg.parent


def ontology_dir() -> Path:
    return bundled_root() / "ontology"


def shapes_path() -> Path:
    return ontology_dir() / SHAPES_NAME


def data_dir() -> Path:
    return bundled_root() / "data"


def query_dirs() -> list[Path]:
    return [bundled_root() / "queries"]


def asset(*parts: str) -> Path:
    """A file shipped inside the package itself (page templates, vendored scripts)."""
    return Path(str(files("kemitraan_graph").joinpath(*parts)))


__all__ = ["IMPORTS_DIR", "SHAPES_NAME", "asset", "bundled_root", "data_dir", "ontology_dir", "query_dirs",
           "shapes_path"]
