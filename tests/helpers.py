"""Helpers shared by the test modules (import them from here, not from conftest)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small" / "two-cases.ttl"
#: reused vocabularies kept in the repository (a clone needs nothing beside it)
IMPORTS = ROOT / "ontology" / "imports"


def kemitraan_exe() -> str:
    exe = Path(sys.executable).parent / "kemitraan"
    return str(exe) if exe.exists() else shutil.which("kemitraan") or "kemitraan"


def synthetic_cases(n: int, path: Path) -> Path:
    """Write ``n`` synthetic cases with the benchmark generator (seeded)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return write(n, path)
