"""``init``, ``check`` and ``docs``: extension projects, the ontology quality report, offline docs."""

from __future__ import annotations

from pathlib import Path

import click

from ..quality import FORMATS, LEVELS
from ..terms import LANGS
from .common import CommandError, Env, emit, handle_errors, lang_option, output_option, pass_env


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="Project name (default: the folder's name).")
@click.option("--prefix", default="ext", show_default=True, help="Prefix of the project's own terms.")
@click.option("--namespace", help="IRI of the project's terms (ends in # or /).")
@click.option("--base", help="Base IRI for the project's new individuals (cases, actors).")
@click.option("--lang", type=click.Choice(list(LANGS)), default="en", show_default=True,
              help="The project's default language.")
@pass_env
@handle_errors
def init(env: Env, directory: Path, name, prefix, namespace, base, lang) -> None:
    """Create an extension project: kemitraan.toml, a module importing the core, an example term,
    case, query, check and test, and a README."""
    from ..project import scaffold

    files = scaffold(directory, name=name, prefix=prefix, namespace=namespace, base=base, lang=lang)
    for f in files:
        env.say(f"wrote {f}", err=True)
    env.say(f"next: cd {directory} && kemitraan validate && kemitraan check", err=True)


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice([lv.lower() for lv in LEVELS] + ["none"], case_sensitive=False),
              default="error", show_default=True, help="Exit 1 when a finding is at this level or worse.")
@click.option("--no-reason", is_flag=True, help="Skip the OWL-RL consistency check (the slow part).")
@click.option("--checks", "checks", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Another folder of violation queries (*.rq; repeatable).")
@lang_option
@output_option
@pass_env
@handle_errors
def check(env: Env, fmt, fail_on, no_reason, checks, lang, output) -> None:
    """Ontology quality report: labels, definitions, undefined or deprecated terms, parents, duplicate
    labels, imports, OWL-RL consistency and the checks/*.rq queries; exit 1 on errors."""
    report = env.kg().check(reason=not no_reason, checks=checks)
    emit(report.format(fmt, lang), output)
    if report.fails(fail_on):
        raise CommandError(f"{len(report.findings)} finding(s), {report.count('ERROR')} error(s)", 1)


@click.command()
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder for the HTML documentation.")
@lang_option
@pass_env
@handle_errors
def docs(env: Env, out_dir: Path, lang: str) -> None:
    """Offline HTML documentation of the ontology and vocabularies (Indonesian/English switch)."""
    files = env.kg().write_docs(out_dir, lang=lang)
    for f in files:
        env.say(f"wrote {f}", err=True)


__all__ = ["check", "docs", "init", "output_option"]
