"""Writes that respect the target (kemitraan_graph.atomic): links, modes, devices, stale temp files."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kemitraan_graph.atomic import STALE_TEMP_SECONDS, atomic_write, clean_stale_temps, write_bytes, write_text
from kemitraan_graph.errors import KemitraanError, OutputError

ROOT = Path(__file__).resolve().parents[1]


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_plain_write_and_replace(tmp_path):
    out = tmp_path / "sub" / "out.txt"
    write_text(out, "one")
    write_text(out, "two")
    assert out.read_text(encoding="utf-8") == "two"
    assert _temps(out.parent) == []


def test_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.ttl"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new"
    # a chain of links, and a relative one
    link2 = tmp_path / "link2.ttl"
    link2.symlink_to("link.ttl")
    write_bytes(link2, b"newer")
    assert link2.is_symlink() and link.is_symlink() and real.read_bytes() == b"newer"


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "made.txt")
    write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text(encoding="utf-8") == "x"


def test_mode_of_an_existing_file_is_kept(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text("{}", encoding="utf-8")
    secret.chmod(0o600)
    write_text(secret, '{"a": 1}')
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o750)
    write_text(script, "#!/bin/sh\necho hi\n")
    assert stat.S_IMODE(script.stat().st_mode) == 0o750


def test_new_file_gets_the_usual_mode(tmp_path):
    fresh = tmp_path / "fresh.txt"
    write_text(fresh, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: os.mkfifo(p), "a FIFO"),
])
def test_non_regular_targets_are_refused(tmp_path, make, kind):
    target = tmp_path / "target"
    make(target)
    with pytest.raises(OutputError) as info:
        write_text(target, "x")
    assert kind in str(info.value) and "not a regular file" in str(info.value)
    assert isinstance(info.value, KemitraanError) and info.value.exit_code == 2
    assert _temps(tmp_path) == []


def test_device_is_refused_and_left_alone():
    before = os.stat("/dev/null")
    with pytest.raises(OutputError, match="character device"):
        write_text("/dev/null", "x")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "out.ttl"
    link.symlink_to("/dev/null")
    with pytest.raises(OutputError, match=r"-> /dev/null\): is a character device"):
        write_text(link, "x")
    assert link.is_symlink()


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(out) as f:
        f.write("half")
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old"
    assert _temps(tmp_path) == []


def test_stale_temps_are_cleaned(tmp_path):
    out = tmp_path / "out.txt"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(dead.stdout)
    gone = tmp_path / f".out.txt.{dead_pid}.abc123.tmp"        # writer gone
    old = tmp_path / ".out.txt.zz9_old.tmp"                     # older naming, old
    live = tmp_path / f".out.txt.{os.getppid()}.x1.tmp"         # writer alive, recent: kept
    other = tmp_path / f".out.txt.gz.{dead_pid}.abc.tmp"        # another file's temp: kept
    for p in (gone, old, live, other):
        p.write_text("partial", encoding="utf-8")
    past = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(old, (past, past))
    write_text(out, "x")
    assert _temps(tmp_path) == sorted([live.name, other.name])
    os.utime(live, (past, past))
    assert clean_stale_temps(out) == [live]


def test_sigkill_mid_write_leaves_nothing_after_the_next_write(tmp_path):
    out = tmp_path / "big.txt"
    out.write_text("old", encoding="utf-8")
    writer = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from kemitraan_graph.atomic import atomic_write
        with atomic_write({str(out)!r}) as f:
            f.write("partial" * 1000)
            f.flush()
            print("writing", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        assert len(_temps(tmp_path)) == 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert out.read_text(encoding="utf-8") == "old"  # the old file is whole
    assert len(_temps(tmp_path)) == 1                # the killed writer's temp is left behind...
    write_text(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert _temps(tmp_path) == []                    # ...until the next write
