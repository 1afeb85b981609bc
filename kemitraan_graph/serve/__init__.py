"""Serving the graph over HTTP: the SPARQL 1.1 Protocol, the query library, an offline page.

``app``          the Starlette app (``create_app``): ``/sparql``, ``/queries``, ``/queries/NAME``, ``/``
``negotiation``  Accept header -> a results format
``resource``     resolvable IRIs: ``/id/...`` and ``/ontology`` as pages or RDF
``ui``           what the page at ``/`` asks for: ``/prefixes``, ``/labels``, ``/view`` (a query as a network)
``serve``        runs the app with uvicorn
"""

from __future__ import annotations

import ipaddress
from typing import Any

from .app import CSP, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """True when ``host`` is a loopback address (or ``localhost``): nobody else can connect."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(kg_or_reader: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options: Any) -> None:
    """Serve a ``KnowledgeGraph`` (or ``GraphReader``) with uvicorn until interrupted.

    ``options`` go to ``create_app`` (``timeout``, ``max_rows``, ``allow_network``, ``cors``).
    """
    import uvicorn

    app = create_app(kg_or_reader, **options)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)


__all__ = ["CSP", "DEFAULT_HOST", "DEFAULT_MAX_ROWS", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "create_app",
           "is_loopback", "serve"]
