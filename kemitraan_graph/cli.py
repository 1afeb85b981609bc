"""The ``kemitraan`` command: thin click wrappers over the library.

Each command parses options, calls one library function and formats its output. Library errors
become ``Error: ...`` on stderr with exit code 2 (bad input) or 1 (a failed check).
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import KemitraanError

LANGS = click.Choice(["id", "en"])


class CommandError(click.ClickException):
    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


class Env:
    """Global options, and the knowledge graph opened once on first use."""

    def __init__(self, store, backend, data, bundled, quiet, verbose):
        self.store, self.backend, self.data, self.bundled = store, backend, list(data), bundled
        self.quiet, self.verbose = quiet, verbose
        self._kg = None

    def kg(self, extra: tuple[str, ...] = ()):
        if self._kg is None:
            from .api import KnowledgeGraph

            with progress_bar(self, "loading") as progress:
                self._kg = KnowledgeGraph.load(
                    self.data + list(extra), bundled=self.bundled, backend=self.backend,
                    store=self.store, progress=progress)
            report = self._kg.load_report
            for w in report.warnings:
                self.say(f"warning: {w}", err=True)
            if self.verbose:
                self.say(f"loaded {len(report.loaded)} file(s), kept {len(report.unchanged)} unchanged, "
                         f"{report.triples} triples in {report.seconds:.2f} s", err=True)
        return self._kg

    def say(self, text: str, err: bool = False) -> None:
        if not self.quiet or err:
            click.echo(text, err=err)

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()


class progress_bar:
    """A rich progress bar on a terminal for work that lasts over a second; nothing when piped or quiet."""

    DELAY = 1.0

    def __init__(self, env: Env, what: str):
        self.env, self.what = env, what
        self._progress = None
        self._task = None
        self._state = ("", 0, 1)
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Callable[[str, int, int], None] | None:
        if self.env.quiet or not sys.stderr.isatty():
            return None
        self._timer = threading.Timer(self.DELAY, self._start)
        self._timer.daemon = True
        self._timer.start()
        return self.update

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            name, done, total = self._state
            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.completed}/{task.total} files"), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True)
            self._task = self._progress.add_task(self.what, total=total, completed=done)
            self._progress.start()

    def update(self, name: str, done: int, total: int) -> None:
        with self._lock:
            self._state = (name, done, total)
            if self._progress is not None:
                self._progress.update(self._task, completed=done, total=total,
                                      description=f"{self.what} {Path(name).name}")

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._progress is not None:
                self._progress.stop()


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into click errors: message on stderr, exit 2 (or the error's own code)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KemitraanError as exc:
            raise CommandError(str(exc), exc.exit_code) from None
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc), 2) from None

    return wrapper


pass_env = click.make_pass_decorator(Env)


def lang_option(fn: Callable) -> Callable:
    return click.option("--lang", type=LANGS, default="en", show_default=True,
                        help="Language of labels and titles (falls back to the other one).")(fn)


def output_option(fn: Callable) -> Callable:
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this file (atomically) instead of standard output.")(fn)


def emit(text: str | bytes, output: Path | None) -> None:
    from .atomic import write_bytes, write_text

    if output is None:
        if isinstance(text, bytes):
            click.echo(text.decode("utf-8"), nl=False)
        else:
            click.echo(text, nl=False)
    elif isinstance(text, bytes):
        write_bytes(output, text)
    else:
        write_text(output, text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kemitraan")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              help="Persistent Oxigraph store folder (reopened without re-parsing unchanged files).")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Store backend: embedded Oxigraph, or pure-rdflib memory.")
@click.option("--data", "data", multiple=True, type=click.Path(exists=False),
              help="An extra RDF file or folder to load (repeatable).")
@click.option("--no-bundled", is_flag=True, help="Leave the bundled data set out (the ontology stays).")
@click.option("-q", "--quiet", is_flag=True, help="Print only results and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Say more about loading and timing.")
@click.pass_context
def cli(ctx: click.Context, store, backend, data, no_bundled, quiet, verbose) -> None:
    """Kemitraan Graph: a knowledge graph of partnerships and their stakeholders.

    Load the ontology and data, validate them, run SPARQL competency questions, export, and
    draw network views.
    """
    env = Env(store, backend, data, not no_bundled, quiet, verbose)
    ctx.obj = env
    ctx.call_on_close(env.close)


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Folder for the HTML views.")
@lang_option
@pass_env
@handle_errors
def demo(env: Env, out_dir: Path, lang: str) -> None:
    """Load, validate, summarise, run three library queries and write the HTML views."""
    from .demo import run_demo

    report = run_demo(env.kg(), out_dir, lang=lang)
    env.say(report.text)
    if not report.valid:
        raise CommandError("the bundled data does not validate (see above)", 1)


@cli.command("queries")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def list_queries(lang: str, fmt: str) -> None:
    """List the library's SPARQL competency questions."""
    from .querylib import discover

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


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {v!r}", param_hint="--param")
        out[name.strip()] = value
    return out


@cli.command()
@click.argument("name", required=False)
@click.option("--text", help="SPARQL query text instead of a library name or file.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "-f", "fmt", type=click.Choice(
    ["table", "csv", "tsv", "json", "sparql-json", "sparql-xml", "turtle", "ntriples"]),
    default="table", show_default=True)
@lang_option
@click.option("--limit", type=click.IntRange(min=0), help="Show at most N rows.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
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


@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["turtle", "ntriples", "trig", "jsonld"]),
              default="turtle", show_default=True)
@output_option
@click.option("--inferred", is_flag=True, help="Add the OWL-RL closure (in its own graph for TriG).")
@click.option("--reasoner", type=click.Choice(["owlrl", "rdfs"]), default="owlrl", show_default=True)
@pass_env
@handle_errors
def export(env: Env, fmt, output, inferred, reasoner) -> None:
    """Write the merged graph (ontology + data)."""
    data = env.kg().export(fmt, output, inferred=inferred, reasoner=reasoner)
    if data is not None:
        emit(data, None)
    else:
        env.say(f"wrote {output}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False), help="Other SHACL shapes file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@pass_env
@handle_errors
def validate(env: Env, paths, shapes, fmt, lang) -> None:
    """Check ontology + data (+ PATHs) against the SHACL shapes; exit 1 on violations."""
    report = env.kg(tuple(paths)).validate(shapes)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "violations": report.to_json()},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text(lang), nl=False)
    if not report.conforms:
        raise CommandError(f"{len(report.violations)} violation(s)", 1)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many top actors.")
@lang_option
@pass_env
@handle_errors
def stats(env: Env, fmt, top, lang) -> None:
    """Counts per class, partnership type, sector and country; top actors."""
    from .summary import format_stats

    data = env.kg().stats(top=top, lang=lang)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else format_stats(data))


from . import network_cli  # noqa: E402, F401  (registers viz, analyze, export-network)


def main() -> None:  # the console script
    cli(prog_name="kemitraan")


if __name__ == "__main__":  # pragma: no cover
    main()
