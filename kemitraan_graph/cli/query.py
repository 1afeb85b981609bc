"""``kemitraan queries`` and ``kemitraan query``: the SPARQL competency questions."""

from __future__ import annotations

import json

import click

from ..results import ALL_FORMATS
from ..runner import DEFAULT_TIMEOUT
from .common import Env, emit, handle_errors, lang_option, output_option, parse_params, pass_env


@click.command("queries")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def list_queries(lang: str, fmt: str) -> None:
    """List the library's SPARQL competency questions."""
    from ..querylib import discover

    lib = discover()
    if fmt == "json":
        click.echo(json.dumps([{
            "name": q.name, "title": q.get_title(lang), "description": q.get_description(lang), "view": q.view,
            "params": [p.__dict__ for p in q.params]} for q in lib.values()], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("name", "title", "params", "view"):
        table.add_column(col, overflow="fold")
    for q in lib.values():
        params = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "") for p in q.params)
        table.add_row(q.name, q.get_title(lang), params, q.view)
    Console(width=max(100, Console().width), markup=False, emoji=False).print(table)


@click.command()
@click.argument("name", required=False)
@click.option("--text", help="SPARQL query text instead of a library name or file.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(ALL_FORMATS), default="table", show_default=True)
@lang_option
@click.option("--limit", type=click.IntRange(min=0), help="Show at most N rows.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop the query after S seconds (0: no limit).")
@click.option("--allow-network", is_flag=True, help="Allow SERVICE and FROM of graphs not in the store.")
@output_option
@pass_env
@handle_errors
def query(env: Env, name, text, params, fmt, lang, limit, timeout, allow_network, output) -> None:
    """Run a library query by NAME, an .rq FILE, or --text '...'."""
    if bool(name) == bool(text):
        raise click.UsageError("give a query NAME or FILE, or --text, but not both")
    kg = env.kg()
    result = kg.query(text or name, allow_network=allow_network, timeout=timeout or None,
                      **parse_params(params))
    emit(kg.format(result.limited(limit), fmt, lang), output)
