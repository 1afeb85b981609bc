"""The ``kemitraan`` command: thin click wrappers over the library.

Each command parses options, calls one library function and formats its output. Library errors
become ``Error: ...`` on stderr with exit code 2 (bad input) or 1 (a failed check).
A new command goes in the module of its group (``query``, ``data``, ``network``) or a new one,
and is registered below with ``add_command``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import __version__
from ..store import BACKENDS, DEFAULT_BACKEND
from . import data, network, query, serve
from .common import Env


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kemitraan")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent Oxigraph store folder (reopened without re-parsing unchanged files).")
@click.option("--backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True,
              help="Store backend: embedded Oxigraph, or pure-rdflib memory.")
@click.option("--data", "data", multiple=True, type=click.Path(exists=False),
              help="An extra RDF file or folder to load (repeatable).")
@click.option("--no-bundled", is_flag=True, help="Leave the bundled data set out (the ontology stays).")
@click.option("--asserted", is_flag=True,
              help="Only the stated triples: no class or property reasoning (subclasses, inverses, chains).")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more about loading and timing.")
@click.pass_context
def cli(ctx: click.Context, store, backend, data, no_bundled, asserted, quiet, verbose) -> None:
    """Kemitraan Graph: a knowledge graph of partnerships and their stakeholders.

    Load the ontology and data, validate them, run SPARQL competency questions, export, and
    draw network views.
    """
    env = Env(store, backend, data, not no_bundled, quiet, verbose, asserted=asserted)
    ctx.obj = env
    ctx.call_on_close(env.close)


for command in (data.demo, query.list_queries, query.query, data.export, data.validate, data.stats,
                network.viz, network.analyze, network.export_network, serve.serve):
    cli.add_command(command)


def main() -> None:  # the console script
    cli(prog_name="kemitraan")


__all__ = ["cli", "main"]
