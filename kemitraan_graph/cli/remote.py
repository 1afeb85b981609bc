"""``kemitraan push``, and the global ``--endpoint`` options that put a SPARQL server behind the CLI."""

from __future__ import annotations

import click

from .common import CommandError, Env, handle_errors, pass_env


def remote_options(endpoint: str | None, update_endpoint: str | None,
                   graph_store: str | None) -> dict[str, str | None] | None:
    """The ``KnowledgeGraph.connect`` arguments of the global options; None without any of them."""
    if not (endpoint or update_endpoint or graph_store):
        return None
    return {"endpoint": endpoint, "update_endpoint": update_endpoint, "graph_store": graph_store}


@click.command("push")
@pass_env
@handle_errors
def push(env: Env) -> None:
    """Upload the ontology, the data and the derived triples to the SPARQL server of --endpoint.

    The union of everything (the derived entailments included) is the graph every remote query
    reads as its default graph; each file's graph is uploaded too, under its own name (GRAPH ?g
    names the file, as here). With --graph-store each graph is PUT (Graph Store Protocol), else written
    by SPARQL Update (--update-endpoint, or --endpoint). A second push replaces each graph, never
    duplicates it, and drops the graphs of files that are gone.
    """
    if not env.remote:
        raise CommandError("push needs a server: give --endpoint URL (and --graph-store or --update-endpoint)")
    report = env.kg(local=True).push(**env.remote)
    env.say(f"pushed {report.triples} triples into <{report.graph}> and {report.graphs} named graphs "
            f"(one per file) at {report.target} ({report.method})")
