"""``import``: cases from a spreadsheet, CSV or YAML file into a validated Turtle file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ValidationFailed
from .common import CommandError, Env, handle_errors, lang_option, pass_env


@click.command("import")
@click.argument("table", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Turtle file to write (atomically), e.g. data/NAME.ttl; without it the Turtle is printed.")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the spreadsheet template (.xlsx, vocabularies as drop-down lists) instead.")
@click.option("--report", "report_fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Form of the report of matched and new parties (on stderr).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the new file.")
@lang_option
@pass_env
@handle_errors
def import_(env: Env, table, output, template, report_fmt, no_validate, lang) -> None:
    """Cases from FILE.csv|xlsx|ods|yaml (one row a case) into RDF, parties reconciled, SHACL-checked.

    Columns: id, label_id, label_en, description_id, description_en, kind, sector, country, place,
    start_date, end_date, value, currency, agreement_kind, agreement_label_id, agreement_label_en,
    agreement_signed, agreement_id, sources, parties ('name | kind | role', one a line).
    On any problem (named by sheet, row and column) nothing is written.
    """
    if template is not None:
        if table is not None:
            raise CommandError("give either TABLE or --template, not both")
        env.kg().write_import_template(template)
        env.say(f"wrote the template {template}", err=True)
        return
    if table is None:
        raise CommandError("give a TABLE to import (or --template FILE.xlsx)")
    try:
        report, text = env.kg().import_table(table, output, validate=not no_validate)
    except ValidationFailed as exc:
        click.echo(exc.report.to_text(lang), err=True, nl=False)
        raise CommandError(f"{table}: the imported cases do not validate ({len(exc.report.violations)} "
                           "violation(s)); nothing written", 1) from None
    if output is None:
        click.echo(text, nl=False)
    if report_fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2), err=True)
    elif not env.quiet or report.warnings:
        click.echo(report.to_text(), err=True, nl=False)
