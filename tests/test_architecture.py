"""The package's shape: every module is in a stage of ARCHITECTURE.md, and imports only point back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "kemitraan_graph"


def stages() -> dict[str, int]:
    """Top-level module or package name -> stage number, read from ARCHITECTURE.md's table."""
    out: dict[str, int] = {}
    for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|[^|]*\|([^|]*)\|", line)
        if not m:
            continue
        # the module names outside parentheses are the stage's top-level modules
        names = re.sub(r"\([^)]*\)", "", m.group(2))
        for name in re.findall(r"`([\w_]+)`", names):
            out[name] = int(m.group(1))
    return out


def module_name(path: Path, pkg: Path = PKG) -> str:
    rel = path.relative_to(pkg).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def top(name: str) -> str:
    return name.split(".", 1)[0] if name else "__init__"


def imports_of(path: Path, pkg: Path = PKG) -> set[str]:
    """Modules of the package that ``path`` imports (anywhere in the file, functions included)."""
    me = module_name(path, pkg)
    package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join(base + ([node.module] if node.module else []))
                names = [target] if node.module else [".".join(base + [a.name]) for a in node.names]
                out |= set(names)
            elif node.module and node.module.startswith("kemitraan_graph"):
                out.add(node.module.removeprefix("kemitraan_graph").lstrip("."))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("kemitraan_graph."):
                    out.add(a.name.removeprefix("kemitraan_graph."))
    return {o for o in out if o != me}


def modules(pkg: Path = PKG) -> list[Path]:
    return sorted(p for p in pkg.rglob("*.py") if "vendor" not in p.parts)


def test_the_table_names_stages():
    s = stages()
    assert s["errors"] == 0 and s["store"] == 1 and s["cli"] == 7
    assert len(set(s.values())) == 8


def test_every_module_is_in_a_stage():
    s = stages()
    missing = sorted({module_name(p) for p in modules() if top(module_name(p)) not in s})
    assert not missing, f"add these to a stage in ARCHITECTURE.md: {missing}"


def backward_imports(pkg: Path = PKG) -> list[str]:
    s = stages()
    bad = []
    for p in modules(pkg):
        me = module_name(p, pkg)
        for target in imports_of(p, pkg):
            if top(target) in s and top(me) in s and s[top(target)] > s[top(me)]:
                bad.append(f"{me} (stage {s[top(me)]}) imports {target} (stage {s[top(target)]})")
    return bad


def test_imports_point_only_to_earlier_stages():
    bad = backward_imports()
    assert not bad, "\n".join(bad)


def test_no_import_cycles_between_modules():
    graph = {module_name(p): imports_of(p) for p in modules()}
    known = set(graph)

    def resolve(t: str) -> str | None:
        while t and t not in known:
            t = t.rpartition(".")[0]
        return t or None

    edges = {m: {r for t in ts if (r := resolve(t)) and r != m and not m.startswith(r + ".")}
             for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for n in edges.get(m, ()):
            if state.get(n) == 1:
                cycles.append(" -> ".join(stack[stack.index(n):] + [n]) if n in stack else f"{m} -> {n}")
            elif n not in state:
                visit(n, stack + [n])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert not cycles, "\n".join(cycles)


def test_the_checker_catches_a_backward_import(tmp_path):
    """The rule can fail: a store module importing the CLI is reported (in a copy of the package)."""
    import shutil

    copy = tmp_path / "kemitraan_graph"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.js", "*.json", "*.css"))
    (copy / "store" / "_probe_for_test.py").write_text("from ..cli import main\n", encoding="utf-8")
    assert "store._probe_for_test (stage 1) imports cli (stage 7)" in backward_imports(copy)
    assert backward_imports(copy) == ["store._probe_for_test (stage 1) imports cli (stage 7)"]
