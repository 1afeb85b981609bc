"""``kemitraan queries`` and ``kemitraan query``: the SPARQL competency questions."""

from __future__ import annotations

import json
import time

import click

from ..results import ALL_FORMATS
from ..runner import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from .common import Env, emit, handle_errors, lang_option, output_option, parse_params, pass_env


@click.command("queries")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_env
@handle_errors
def list_queries(env: Env, lang: str, fmt: str) -> None:
    """List the library's SPARQL competency questions (and an extension project's)."""
    from ..querylib import discover
    from ..resources import query_dirs

    project = env.project()
    lib = discover(query_dirs() + list(project.queries)) if project else discover()
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
@click.option("--limit", type=click.IntRange(min=0), help="Stop after N rows (the evaluation stops there too).")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              help="Stop the query after S seconds (0: no limit).")
@click.option("--max-memory", type=click.IntRange(min=0), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              metavar="MB", help="Stop the query when it needs more than MB megabytes (0: no limit).")
@click.option("--allow-network", is_flag=True, help="Allow SERVICE and FROM of graphs not in the store.")
@click.option("--labels", is_flag=True,
              help="Add a NAME_label column (in --lang) after every IRI column, for csv, tsv, json and the rest.")
@output_option
@pass_env
@handle_errors
def query(env: Env, name, text, params, fmt, lang, limit, timeout, max_memory, allow_network, labels,
          output) -> None:
    """Run a library query by NAME, an .rq FILE, or --text '...'."""
    if bool(name) == bool(text):
        raise click.UsageError("give a query NAME or FILE, or --text, but not both")
    kg = env.kg()
    given = parse_params(params)
    lang = given.pop("lang", lang)  # -p lang=.. is the query's own lang parameter, as --lang
    started = time.monotonic()  # the time limit covers evaluating the query and writing its answer
    result = kg.query(text or name, allow_network=allow_network, timeout=timeout or None, limit=limit,
                      max_memory_mb=max_memory or None, labels=labels, lang=lang, **given)
    shown = result.limited(limit)
    emit(kg.format_chunks(shown, fmt, lang, deadline=started + timeout if timeout else None), output)
    notes = list(shown.notes)  # formatting may add a note (characters dropped from XML)
    takes_lang = name in kg.library and any(p.name == "lang" for p in kg.library[name].params)
    explicit = click.get_current_context().get_parameter_source("lang") == click.core.ParameterSource.COMMANDLINE
    if explicit and fmt != "table" and not labels and not takes_lang:
        notes.append(f"note: --lang changes only labels: add --labels for a NAME_label column in -f {fmt}")
    for note in notes:  # on stderr; --quiet keeps the warnings only
        if note.startswith("warning:") or not env.quiet:
            click.echo(note, err=True)
