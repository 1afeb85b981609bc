"""Helpers shared by the test modules (import them from here, not from conftest)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc, wait: float = 15) -> None:
    """Terminate a server process; kill it if it does not stop within ``wait`` seconds."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@contextmanager
def kemitraan_server(data: list[Path], *options: str, cwd: Path = ROOT) -> Iterator[str]:
    """``kemitraan -q --no-bundled --data D... serve OPTIONS`` as a subprocess on a free loopback port,
    ready (``/queries`` answers 200) within 30 s; yields its base URL and always stops it."""
    import subprocess
    import tempfile
    import time
    import urllib.request

    import pytest

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [kemitraan_exe(), "-q", "--no-bundled"]
    for d in data:
        args += ["--data", str(d)]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([*args, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
                                stdout=log, stderr=log, stdin=subprocess.DEVNULL, cwd=cwd)
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"server exited with {proc.returncode}: {log.read().decode(errors='replace')}")
                try:
                    with urllib.request.urlopen(base + "/queries", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("server did not answer within 30 s")
                time.sleep(0.05)
            yield base
        finally:
            stop_process(proc)
