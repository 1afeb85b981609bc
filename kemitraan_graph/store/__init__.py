"""Storage backends behind one small registry.

``oxigraph`` (default): an embedded Oxigraph store, in memory or persistent at a path, seen by
rdflib through oxrdflib. ``rdflib``: rdflib's pure-Python memory store, the fallback.
``remote``: a SPARQL server over HTTP.
Each holds one named graph per loaded file and answers SPARQL over the union of its graphs.
A new backend subclasses ``base.Backend`` in its own module and is named in ``BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import StoreError
from .base import Backend, decode_result, from_ox, syntax_position, to_ox


def _oxigraph(path: str | Path | None = None, *, read_only: bool = False) -> Backend:
    from .oxigraph import OxigraphBackend

    return OxigraphBackend(path, read_only=read_only)


def _rdflib(path: str | Path | None = None) -> Backend:
    from .memory import RdflibBackend

    return RdflibBackend(path)


def _remote(path: str | None = None, **options) -> Backend:
    from .remote import RemoteBackend

    return RemoteBackend(str(path) if path else None, **options)


#: name -> factory; each takes an optional path (for ``remote``: the SPARQL endpoint URL)
BACKENDS: dict[str, Callable[..., Backend]] = {
    "oxigraph": _oxigraph,
    "rdflib": _rdflib,
    "remote": _remote,
}
DEFAULT_BACKEND = "oxigraph"


def open_backend(name: str = DEFAULT_BACKEND, path: str | Path | None = None, **options) -> Backend:
    """Open a store by backend name (see BACKENDS); ``options`` go to its factory (e.g. ``read_only``)."""
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise StoreError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    return factory(path, **{k: v for k, v in options.items() if v})


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "decode_result", "from_ox", "open_backend", "syntax_position",
           "to_ox"]
