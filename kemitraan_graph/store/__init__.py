"""Storage backends behind one small registry.

``oxigraph`` (default): an embedded Oxigraph store, in memory or persistent at a path, seen by
rdflib through oxrdflib. ``rdflib``: rdflib's pure-Python memory store, the fallback.
Each holds one named graph per loaded file and answers SPARQL over the union of its graphs.
A new backend subclasses ``base.Backend`` in its own module and is named in ``BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import StoreError
from .base import Backend, from_ox, syntax_position, to_ox


def _oxigraph(path: str | Path | None = None) -> Backend:
    from .oxigraph import OxigraphBackend

    return OxigraphBackend(path)


def _rdflib(path: str | Path | None = None) -> Backend:
    from .memory import RdflibBackend

    return RdflibBackend(path)


#: name -> factory; each takes an optional path
BACKENDS: dict[str, Callable[..., Backend]] = {
    "oxigraph": _oxigraph,
    "rdflib": _rdflib,
}
DEFAULT_BACKEND = "oxigraph"


def open_backend(name: str = DEFAULT_BACKEND, path: str | Path | None = None) -> Backend:
    """Open a store by backend name (see BACKENDS)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise StoreError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    return factory(path)


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "from_ox", "open_backend", "syntax_position", "to_ox"]
