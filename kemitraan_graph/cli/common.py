"""What every command shares: global options (``Env``), option decorators, output, errors, progress.

Each command module (``query``, ``data``, ``network``) holds click commands that parse options,
call one library function and format its output; ``cli/__init__.py`` registers them.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..errors import KemitraanError, QueryRefused, QueryTimeout
from ..terms import DEFAULT_LANG, LANGS

LANG_CHOICE = click.Choice(list(LANGS))
#: seconds a load must last before a progress bar appears
PROGRESS_DELAY = 1.0


class CommandError(click.ClickException):
    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


class Env:
    """Global options, and the knowledge graph opened once on first use."""

    def __init__(self, store, backend, data, bundled, quiet, verbose, asserted=False):
        self.store, self.backend, self.data, self.bundled = store, backend, list(data), bundled
        self.asserted = asserted
        self.read_only = False  # --read-only
        self.quiet, self.verbose = quiet, verbose
        self._kg = None
        #: ``--endpoint`` & co. (``cli.remote.remote_options``): queries go to that server
        self.remote: dict[str, str | None] | None = None
        self._remote_kg = None
        #: ``--project`` (else ``kemitraan.toml`` in the working folder): ``project()``
        self.project_path: Path | None = None

    def project(self):
        """The extension project in use (``--project`` or ./kemitraan.toml), or None."""
        from ..project import find_project, read_project

        path = self.project_path or find_project()
        return read_project(path) if path else None

    def kg(self, extra: tuple[str, ...] = (), *, local: bool = False):
        """The graph: on the server of ``--endpoint`` if given (unless ``local``), else loaded here."""
        if self.remote and not local:
            if self._remote_kg is None:
                from ..api import KnowledgeGraph

                self._remote_kg = KnowledgeGraph.connect(**self.remote)
            return self._remote_kg
        if self._kg is None:
            from ..api import KnowledgeGraph

            with progress_bar(self, "loading") as progress:
                self._kg = KnowledgeGraph.load(
                    self.data + list(extra), bundled=self.bundled, backend=self.backend,
                    store=self.store, progress=progress, asserted=self.asserted,
                    read_only=self.read_only, project=self.project())
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
        if self._remote_kg is not None:
            self._remote_kg.close()


def _delayed_progress():
    """A rich ``Progress`` that draws nothing until it has run ``PROGRESS_DELAY`` seconds.

    rich's own refresh thread decides when to draw (no timer of ours), so a load that ends
    before the delay leaves the terminal untouched, and one that ends later removes its bar.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    class DelayedProgress(Progress):
        started = time.monotonic()

        def get_renderables(self):
            if time.monotonic() - self.started >= PROGRESS_DELAY:
                yield from super().get_renderables()

    bar = DelayedProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                          TextColumn("{task.completed}/{task.total} files"), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=True)
    bar.started = time.monotonic()
    return bar


@contextmanager
def progress_bar(env: Env, what: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback ``(file, done, total)`` drawing on a terminal; None when piped or quiet."""
    if env.quiet or not sys.stderr.isatty():
        yield None
        return
    bar = _delayed_progress()
    task = bar.add_task(what, total=None)

    def update(name: str, done: int, total: int) -> None:
        bar.update(task, completed=done, total=total, description=f"{what} {Path(name).name}")

    with bar:
        yield update


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into click errors: message on stderr, exit 2 (or the error's own code)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except QueryTimeout as exc:
            raise CommandError(f"{exc} (use --timeout to allow longer)", exc.exit_code) from None
        except QueryRefused as exc:
            advice = "; pass --allow-network to allow it" if exc.needs == "network" else ""
            raise CommandError(f"{exc}{advice}", exc.exit_code) from None
        except KemitraanError as exc:
            raise CommandError(str(exc), exc.exit_code) from None
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc), 2) from None

    return wrapper


pass_env = click.make_pass_decorator(Env)


def _default_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    """``--lang`` as given, else the extension project's default language, else ``DEFAULT_LANG``."""
    if value is not None:
        return value
    env = ctx.find_object(Env)
    try:
        project = env.project() if env is not None else None
    except KemitraanError:
        project = None  # a broken project file is reported by the command that loads it
    return project.lang if project is not None else DEFAULT_LANG


def lang_option(fn: Callable) -> Callable:
    return click.option("--lang", type=LANG_CHOICE, default=None, callback=_default_lang,
                        show_default=f"{DEFAULT_LANG}, or the project's lang",
                        help="Language of labels and titles (falls back to the other one).")(fn)


def output_option(fn: Callable) -> Callable:
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this file (atomically) instead of standard output.")(fn)


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (then no control character of the data may reach it)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def to_terminal(text: str, *, display: bool = False) -> str:
    """``text`` for standard output: control characters of the data removed when it is a terminal,
    always when it is ``display`` text (a table, a summary) rather than data."""
    if display or stdout_is_terminal():
        from ..safe_text import for_terminal

        return for_terminal(text, newlines=True, tabs=True)
    return text


def emit(text: str | bytes | Iterable[str], output: Path | None, *, display: bool = False) -> None:
    """Write ``text`` to ``output`` (atomically), or to standard output when it is None or ``-``.
    ``text`` may be an iterable of pieces, written as they come: an error on the way leaves a file
    target untouched."""
    from ..atomic import atomic_write, write_bytes, write_text

    to_stdout = output is None or str(output) == "-"
    if isinstance(text, bytes):
        if to_stdout:
            click.echo(to_terminal(text.decode("utf-8"), display=display), nl=False)
        else:
            write_bytes(output, text)
    elif isinstance(text, str):
        if to_stdout:
            click.echo(to_terminal(text, display=display), nl=False)
        else:
            write_text(output, text)
    elif to_stdout:
        for piece in text:
            click.echo(to_terminal(piece, display=display), nl=False)
    else:
        with atomic_write(output) as f:
            for piece in text:
                f.write(piece)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {v!r}", param_hint="--param")
        out[name.strip()] = value
    return out


__all__ = ["CommandError", "Env", "emit", "handle_errors", "lang_option", "output_option", "parse_params",
           "pass_env", "progress_bar", "stdout_is_terminal", "to_terminal"]
