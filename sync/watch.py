"""Watching a folder with watchdog and telling when a file dropped into it is complete.

A file is complete when its writer closed it (inotify reports the close on
Linux), when it was renamed into the folder (the safe way to drop a file), or,
where no close is reported (Windows, network shares), when neither its size nor
its modification time changed for ``settle`` seconds. Files already there when
the watch starts (dropped while the kit was closed) are picked up too. Hidden
and temporary names (``.x``, ``~x``, ``*.tmp``, ``*.partial``...) are ignored:
writers that can should write under such a name and rename when done.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

TEMPORARY_SUFFIXES = (".tmp", ".partial", ".part", ".crdownload", ".swp", ".lock")
DEFAULT_SETTLE_SECONDS = 1.0
RETRY_SECONDS = 1.0


def is_candidate(path: Path) -> bool:
    name = path.name
    return not (
        name.startswith((".", "~"))
        or name.lower().endswith(TEMPORARY_SUFFIXES)
        or name.endswith(".erreur.txt")
    )


@dataclass
class _Tracked:
    changed_at: float  # monotonic time of the last change seen
    size: int
    mtime_ns: int
    closed: bool  # closed by its writer (or renamed in) with this size and mtime


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class _Handler(FileSystemEventHandler):
    def __init__(self, watch: FolderWatch):
        self._watch = watch

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        if isinstance(event, FileMovedEvent):
            self._watch.note(Path(os.fsdecode(event.dest_path)), closed=True)
        elif isinstance(event, FileClosedEvent):
            self._watch.note(Path(os.fsdecode(event.src_path)), closed=True)
        elif isinstance(event, FileCreatedEvent | FileModifiedEvent):
            self._watch.note(Path(os.fsdecode(event.src_path)), closed=False)


class FolderWatch:
    """Tracks the files of one folder (not its sub-folders) until each is complete."""

    def __init__(
        self,
        folder: Path,
        *,
        settle: float = DEFAULT_SETTLE_SECONDS,
        accept: Callable[[Path], bool] = is_candidate,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.folder = Path(folder)
        self.settle = settle
        self._accept = accept
        self._clock = clock
        self._lock = threading.Lock()
        self._tracked: dict[Path, _Tracked] = {}
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        """Watch from now on, and take the files already in the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._observer is not None:
            return
        observer = Observer()
        observer.schedule(_Handler(self), str(self.folder), recursive=False)
        observer.daemon = True
        observer.start()
        self._observer = observer
        now = time.time()
        for path in sorted(self.folder.iterdir()):
            stat = _stat(path)
            if stat is not None and path.is_file():
                # Files that have not changed for a while were dropped while the kit was
                # closed; a recent one may still be being written: watch it as usual.
                self.note(path, closed=False, settled=now - stat[1] / 1e9 >= self.settle)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    def note(self, path: Path, *, closed: bool, settled: bool = False) -> None:
        """Something happened to ``path``; ``settled``: it has not changed for a long time."""
        if path.parent != self.folder or not self._accept(path):
            return
        stat = _stat(path)
        if stat is None:
            return
        now = self._clock()
        with self._lock:
            self._tracked[path] = _Tracked(
                changed_at=now - self.settle if settled else now,
                size=stat[0],
                mtime_ns=stat[1],
                closed=closed,
            )

    def retry_later(self, path: Path, delay: float = RETRY_SECONDS) -> None:
        """The file turned out incomplete: look at it again after ``delay``."""
        stat = _stat(path)
        if stat is None:
            return
        with self._lock:
            self._tracked[path] = _Tracked(
                changed_at=self._clock() + delay - self.settle, size=stat[0], mtime_ns=stat[1], closed=False
            )

    def ready(self) -> list[Path]:
        """Files complete now, oldest change first; they stop being tracked."""
        now = self._clock()
        done: list[tuple[float, Path]] = []
        with self._lock:
            for path, t in list(self._tracked.items()):
                stat = _stat(path)
                if stat is None:
                    del self._tracked[path]
                    continue
                if stat != (t.size, t.mtime_ns):
                    t.size, t.mtime_ns, t.changed_at, t.closed = stat[0], stat[1], now, False
                    continue
                if t.closed or now - t.changed_at >= self.settle:
                    done.append((t.changed_at, path))
                    del self._tracked[path]
        return [path for _, path in sorted(done)]
