"""Writes that never leave half a file and respect the target.

A temp file is written beside the target, flushed to disk, then ``os.replace``\\ d over it, so a
reader sees the old file or the new one, never a part. The target is respected:

* a symlink is written through: its target is replaced, the link stays a link;
* an existing file keeps its permission bits (a 0600 file stays 0600) and, where allowed, its owner;
  a new file gets the usual ``0666 & ~umask``;
* anything that is not a regular file (a directory, a device such as ``/dev/null`` or
  ``/dev/stdout``, a FIFO, a socket) is refused with :class:`~kemitraan_graph.errors.OutputError`;
  nothing is written. ``-`` (standard output) is the callers' business, never a file name here;
* temp files of ours (``.NAME.PID.*.tmp``) that a killed writer left beside the target are removed
  on the next write: those of a process that is gone, and any older than ``STALE_TEMP_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import OutputError

#: temp files of ours older than this are removed whoever wrote them
STALE_TEMP_SECONDS = 3600

#: the middle of our temp names: ``PID.random`` (``random`` alone from older versions)
_TEMP_MIDDLE = re.compile(r"(?:(\d+)\.)?[a-z0-9_]+")

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def resolve_target(path: str | Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` replaces (symlinks followed) and its stat, or None if new.

    Raises OutputError when that is not a regular file.
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise OutputError(str(given), f"cannot be written: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        shown = f"{given} (-> {target})" if target != given else str(given)
        raise OutputError(shown, f"is {kind}, not a regular file: refusing to replace it")
    return target, st


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temp file beside ``path``; on success it replaces ``path``, on error it is removed."""
    target, existing = resolve_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
            if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != _owner(tmp):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.chown(tmp, existing.st_uid, existing.st_gid)
        else:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a new file gets the usual mode
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def clean_stale_temps(target: Path) -> list[Path]:
    """Remove temp files of ours beside ``target`` whose writer is gone; returns those removed."""
    import glob

    removed = []
    now = time.time()
    pattern = os.path.join(glob.escape(str(target.parent)), f".{glob.escape(target.name)}.*.tmp")
    for name in glob.glob(pattern):
        p = Path(name)
        try:
            st = p.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        middle = p.name[len(target.name) + 2:-len(".tmp")]
        ours = _TEMP_MIDDLE.fullmatch(middle)
        if ours is None:
            continue  # another file's temp (``.NAME.x.PID.*.tmp``) or not ours at all
        pid = int(ours.group(1)) if ours.group(1) else None
        writer_gone = pid is not None and pid != os.getpid() and not _alive(pid)
        if writer_gone or now - st.st_mtime > STALE_TEMP_SECONDS:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
                removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OSError:
        return False
    return True


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as f:
        f.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_write(path, "wb") as f:
        f.write(data)


__all__ = ["STALE_TEMP_SECONDS", "atomic_write", "clean_stale_temps", "resolve_target", "write_bytes",
           "write_text"]
