"""One exception type per kind of failure; each carries where it happened."""

from __future__ import annotations

from dataclasses import dataclass


class KemitraanError(Exception):
    """Base class of every error the library raises on purpose."""

    #: exit code the CLI uses: 2 bad input, 1 a failed check
    exit_code = 2


@dataclass
class LoadError(KemitraanError):
    """A file could not be read or parsed."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class QueryError(KemitraanError):
    """A query is malformed, refused by a guard, or failed while running."""

    message: str
    line: int | None = None
    column: int | None = None
    source: str | None = None  # query name or file

    def __str__(self) -> str:
        where = self.source or "query"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class QueryRefused(QueryError):
    """A query asked for something the guard forbids (update, network access)."""

    #: what would allow it (``"network"``: ``allow_network=True``), so that each front end can name
    #: its own switch (the CLI says ``--allow-network``)
    needs: str | None = None


class QueryTimeout(QueryError):
    """A query ran past its time limit."""


class QueryCrashed(QueryError):
    """The query engine died while evaluating a query (its memory cap, or a crash); the caller lives on."""


@dataclass
class ParameterError(KemitraanError):
    """A query parameter is unknown, missing or of the wrong type."""

    name: str
    message: str

    def __str__(self) -> str:
        return f"parameter {self.name!r}: {self.message}"


class ValidationFailed(KemitraanError):
    """The graph does not conform to the shapes (carries the report)."""

    exit_code = 1

    def __init__(self, report):
        self.report = report
        super().__init__(f"{len(report.violations)} SHACL violation(s)")


class StoreError(KemitraanError):
    """A store could not be opened or used."""


class ViewError(KemitraanError):
    """A network view was asked for with bad arguments."""


@dataclass
class CellProblem:
    """One problem in a table: where (sheet, row, column) and what."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"sheet {self.sheet!r}" if self.sheet else "", f"row {self.row}" if self.row else "",
                 f"column {self.column!r}" if self.column else ""]
        place = ", ".join(w for w in where if w)
        return f"{place}: {self.message}" if place else self.message


class TableError(KemitraanError):
    """A table (spreadsheet, CSV, YAML) to import has problems; each names its sheet, row and column."""

    def __init__(self, path: str, problems: list[CellProblem]):
        self.path, self.problems = path, list(problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s), nothing written\n"
                         + "\n".join(f"  {path}: {p}" for p in self.problems))


class LanguageError(KemitraanError, ValueError):
    """A language code other than the supported ones (``terms.LANGS``)."""


@dataclass
class OutputError(KemitraanError):
    """An output file cannot be written where it was asked for (not a regular file, ...)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
