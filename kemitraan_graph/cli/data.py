"""``demo``, ``export``, ``validate`` and ``stats``: commands over the whole graph."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..export import RDF_FORMATS
from ..inference import REASONERS
from .common import (
    CommandError,
    Env,
    emit,
    handle_errors,
    lang_option,
    output_option,
    pass_env,
    progress_bar,
    to_terminal,
)


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the HTML views.")
@lang_option
@pass_env
@handle_errors
def demo(env: Env, out_dir: Path, lang: str) -> None:
    """Load, validate, summarise, run three library queries and write the HTML views."""
    from ..demo import run_demo

    report = run_demo(env.kg(), out_dir, lang=lang)
    env.say(report.text)
    if not report.valid:
        raise CommandError("the bundled data does not validate (see above)", 1)


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(list(RDF_FORMATS)), default="turtle", show_default=True)
@output_option
@click.option("--inferred", is_flag=True, help="Add the OWL-RL closure (in its own graph for TriG).")
@click.option("--reasoner", type=click.Choice(REASONERS), default="owlrl", show_default=True)
@pass_env
@handle_errors
def export(env: Env, fmt, output, inferred, reasoner) -> None:
    """Write the merged graph (ontology + data)."""
    data = env.kg().export(fmt, output, inferred=inferred, reasoner=reasoner)
    if data is not None:
        emit(data, None)
    else:
        env.say(f"wrote {output}", err=True)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), help="Other SHACL shapes file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@pass_env
@handle_errors
def validate(env: Env, paths, shapes, fmt, lang) -> None:
    """Check ontology + data (+ PATHs) against the SHACL shapes; exit 1 on violations."""
    kg = env.kg(tuple(paths))
    with progress_bar(env, "validating") as progress:
        report = kg.validate(shapes, progress=progress)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": report.to_json()},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text(lang), nl=False)
    if not report.conforms:
        raise CommandError(f"{len(report.violations)} violation(s)", 1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many top actors.")
@lang_option
@pass_env
@handle_errors
def stats(env: Env, fmt, top, lang) -> None:
    """Counts per class, partnership type, sector and country; top actors."""
    from ..summary import format_stats

    data = env.kg().stats(top=top, lang=lang)
    if fmt == "json":
        click.echo(to_terminal(json.dumps(data, ensure_ascii=False, indent=2)))
    else:
        click.echo(to_terminal(format_stats(data), display=True))
