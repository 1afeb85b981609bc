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
from . import data, importer, network, query, remote, serve, tables
from . import project as project_cmds
from .common import Env


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kemitraan")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent Oxigraph store folder (reopened without re-parsing unchanged files).")
@click.option("--read-only", "read_only", is_flag=True,
              help="Open --store read-only (several readers at once); an error if a file changed since.")
@click.option("--backend", type=click.Choice(list(BACKENDS)), default=DEFAULT_BACKEND, show_default=True,
              help="Store backend: embedded Oxigraph, or pure-rdflib memory.")
@click.option("--data", "data", multiple=True, type=click.Path(exists=False),
              help="An extra RDF file or folder to load (repeatable).")
@click.option("--no-bundled", is_flag=True, help="Leave the bundled data set out (the ontology stays).")
@click.option("--asserted", is_flag=True,
              help="Only the stated triples: no class or property reasoning (subclasses, inverses, chains).")
@click.option("--endpoint", envvar="KEMITRAAN_ENDPOINT", metavar="URL",
              help="Query this SPARQL server (what `kemitraan push` wrote) instead of loading files here.")
@click.option("--update-endpoint", envvar="KEMITRAAN_UPDATE_ENDPOINT", metavar="URL",
              help="The server's SPARQL Update URL, for push (default: --endpoint).")
@click.option("--graph-store", envvar="KEMITRAAN_GRAPH_STORE", metavar="URL",
              help="The server's Graph Store Protocol URL; push then PUTs the graph.")
@click.option("--project", "project", type=click.Path(exists=True, path_type=Path),
              help="An extension project's kemitraan.toml (default: the one in the working folder, if any).")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more about loading and timing.")
@click.pass_context
def cli(ctx: click.Context, store, read_only, backend, data, no_bundled, asserted, endpoint, update_endpoint,
        graph_store, project, quiet, verbose) -> None:
    """Kemitraan Graph: a knowledge graph of partnerships and their stakeholders.

    Load the ontology and data, validate them, run SPARQL competency questions, export, and
    draw network views.
    """
    env = Env(store, backend, data, not no_bundled, quiet, verbose, asserted=asserted)
    env.read_only = read_only
    env.project_path = project
    env.remote = remote.remote_options(endpoint, update_endpoint, graph_store)
    ctx.obj = env
    ctx.call_on_close(env.close)


for command in (data.demo, query.list_queries, query.query, data.export, data.validate, data.stats,
                network.viz, network.analyze, network.export_network, serve.serve,
                remote.push, tables.cases, importer.import_,
                project_cmds.init, project_cmds.check, project_cmds.docs):
    cli.add_command(command)


def main() -> None:  # the console script
    cli(prog_name="kemitraan")


__all__ = ["cli", "main"]
