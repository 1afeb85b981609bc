"""``kemitraan serve``: the graph as a SPARQL 1.1 Protocol endpoint with the query library."""

from __future__ import annotations

import click

from ..serve import DEFAULT_HOST, DEFAULT_MAX_ROWS, DEFAULT_PORT, DEFAULT_TIMEOUT, is_loopback
from ..serve import serve as run_server
from .common import CommandError, Env, handle_errors, pass_env


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to bind (loopback by default; anything else is reachable by others).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop each query after S seconds and answer 503 (0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=0), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Send at most N rows (or triples) per answer.")
@click.option("--allow-network", is_flag=True, help="Allow SERVICE and FROM of graphs not in the store.")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update (POST). Off loopback it needs --update-token.")
@click.option("--update-token", envvar="KEMITRAAN_UPDATE_TOKEN", metavar="TOKEN",
              help="Updates must send 'Authorization: Bearer TOKEN' (env KEMITRAAN_UPDATE_TOKEN).")
@click.option("--cors", "cors", metavar="ORIGIN", multiple=True,
              help="Let pages from ORIGIN read answers (repeatable; no CORS by default).")
@click.option("--base", default="/", show_default=True, metavar="URL",
              help="This server's public URL: the pages at /id/... and /ontology (the IRIs under "
                   "https://w3id.org/kemitraan/) link there.")
@pass_env
@handle_errors
def serve(env: Env, host, port, timeout, max_rows, allow_network, allow_update, update_token, cors, base) -> None:
    """Serve the graph: SPARQL at /sparql, the query library at /queries, a query page at /."""
    if update_token is not None and not update_token.strip():
        raise CommandError("--update-token is empty")
    if allow_update and not update_token and not is_loopback(host):
        raise CommandError(f"--allow-update on {host} (not loopback) needs --update-token TOKEN "
                           "(or KEMITRAAN_UPDATE_TOKEN): anyone who can reach this machine could change the graph")
    if allow_update and env.read_only:
        raise CommandError("--allow-update cannot change a store opened with --read-only; drop one of them")
    if not is_loopback(host):
        click.echo(f"warning: binding {host}, not loopback: anyone who can reach this machine can query "
                   "the graph", err=True)
    kg = env.kg()
    if allow_update and not kg.backend.accepts_updates:
        raise CommandError(f"--allow-update needs the oxigraph backend (this graph is on {kg.backend.name})")
    env.say(f"serving {len(kg)} triples at http://{host}:{port}/ (SPARQL at /sparql; Ctrl+C stops)", err=True)
    options = {"allow_update": True, "update_token": update_token} if allow_update else {}
    run_server(kg, host=host, port=port, timeout=timeout, max_rows=max_rows, allow_network=allow_network,
               cors=list(cors) or None, base=base, **options)
