"""Real read-only and real full file systems for the tests (Linux, as root: ``mount``).

A read-only bind mount of a folder (``read_only_view``) and a small tmpfs
(``small_disk``); each test skips with its reason where they cannot be made (not
root, no mount namespace rights, not Linux). chmod would not do: the tests run as
root here, whom file modes do not stop, while a read-only mount and a full file
system stop everyone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        pytest.skip("needs Linux and mount(8) to make a real read-only or full file system")
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a read-only view or a small tmpfs (file modes do not stop root)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount refused here ({done.stderr.strip()}): no real read-only or full file system")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@contextlib.contextmanager
def read_only_view(folder: Path, view: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount at ``view``: no write gets through, root's neither."""
    view.mkdir(parents=True, exist_ok=True)
    _mount("--bind", str(folder), str(view))
    try:
        _mount("-o", "remount,bind,ro", str(view))
        probe = view / ".probe"
        try:
            probe.touch()
        except OSError as exc:
            assert exc.errno == errno.EROFS
        else:
            probe.unlink()
            pytest.skip("the read-only bind mount accepted a write")
        yield view
    finally:
        _umount(view)


@contextlib.contextmanager
def small_disk(where: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` KiB mounted at ``where`` (a real file system that fills up)."""
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(where))
    try:
        yield where
    finally:
        _umount(where)


def fill(disk: Path, leave_kib: int = 0) -> list[Path]:
    """Fill ``disk`` with filler files of 16 KiB until it is full, then free ``leave_kib`` KiB."""
    chunk = b"\0" * 16 * 1024
    fillers: list[Path] = []
    while True:
        path = disk / f"remplissage-{len(fillers):05d}"
        try:
            with open(path, "wb") as f:
                f.write(chunk)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
            path.unlink(missing_ok=True)
            break
        fillers.append(path)
    for _ in range(0, leave_kib, 16):
        fillers.pop().unlink()
    # What is left is smaller than a filler (tmpfs counts whole pages): fill it byte by byte.
    if not leave_kib:
        with contextlib.suppress(OSError), open(disk / "remplissage-fin", "wb", buffering=0) as f:
            for _ in range(16):
                f.write(b"\0" * 1024)
    return fillers


def free(fillers: list[Path], disk: Path) -> None:
    for path in [*fillers, disk / "remplissage-fin"]:
        path.unlink(missing_ok=True)
