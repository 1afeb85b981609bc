"""``kemitraan cases``: the table of cases a researcher opens in R, Stata or a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from ..tables import CASE_FORMATS
from .common import Env, emit, handle_errors, lang_option, output_option, pass_env


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(list(CASE_FORMATS)), default="csv", show_default=True)
@lang_option
@output_option
@pass_env
@handle_errors
def cases(env: Env, fmt: str, lang: str, output: Path | None) -> None:
    """One row per case: labels (id/en), kind, sectors, countries, dates, parties, sources."""
    data = env.kg().cases(lang=lang).serialize(fmt)
    if isinstance(data, bytes) and output is None:
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    emit(data, output)
    if output is not None:
        env.say(f"wrote {output}", err=True)
