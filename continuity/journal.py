"""The kit's own journal: warnings about the workstation (a health file not written...).

One small rotating file in the data folder, owner-only, for IT. What goes in it is
the kit's own messages, which name no patient (errors carry types and numbers, not
their text); it is listed in docs/security.md with the other files kept in clear.

``confine`` is called first by each composition root (the ``continuity`` command, the
watcher it runs, the application): libraries log what they were handed, python-hl7 a
whole HL7 field with a traceback on a malformed escape, so no library's record is
written anywhere (stderr included), and the kit's own records never carry an
exception's text (only its type), which could quote the data it failed on.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

JOURNAL_FILE = "journal.log"
MAX_BYTES = 256 * 1024
BACKUPS = 2
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
KIT_LOGGER = "continuity"
SILENT = logging.CRITICAL + 1


class SafeFormatter(logging.Formatter):
    """The kit's format, with an exception reduced to its type (its text may quote data)."""

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's name
        kind = ei[0] if isinstance(ei, tuple) and ei else None
        return f"({kind.__name__})" if isinstance(kind, type) else ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging's name
        return ""


class _Sink(logging.NullHandler):
    """Marks the root handler ``confine`` adds (records reaching it are dropped)."""


class _KitConsole(logging.StreamHandler):  # type: ignore[type-arg]
    """The kit's own warnings on stderr, for the command line (``confine(stderr=True)``);
    the stderr of the moment (a test's capture, a redirected stream), not the first one."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # not setStream: it would flush a stream maybe closed by now
        super().emit(record)


def confine(*, stderr: bool = False) -> None:
    """No library writes anything anywhere; the kit's warnings go to the journal (and stderr).

    - every logger but the kit's is silenced: the root logger's level is above CRITICAL
      (a library's logger inherits it, so its records are not even made) and a null
      handler stands in for the last-resort handler that would print to stderr; a
      library logger that set its own level or handlers is silenced one by one;
    - ``warnings`` go through logging, so they are silenced too;
    - a failing handler prints no traceback of the record (``raiseExceptions``);
    - ``stderr``: the kit's own warnings are also printed, exceptions by type only.
    Idempotent: called again (tests call ``cli.main`` many times) it adds nothing.
    """
    root = logging.getLogger()
    root.setLevel(SILENT)
    if not any(isinstance(h, _Sink) for h in root.handlers):
        root.addHandler(_Sink())
    logging.lastResort = None
    logging.raiseExceptions = False
    logging.captureWarnings(True)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and not _is_kit(name):
            logger.setLevel(SILENT)
            logger.propagate = True
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
    kit = logging.getLogger(KIT_LOGGER)
    if kit.level == logging.NOTSET or kit.level > logging.WARNING:
        kit.setLevel(logging.WARNING)
    if stderr and not any(isinstance(h, _KitConsole) for h in kit.handlers):
        console = _KitConsole(sys.stderr)
        console.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
        kit.addHandler(console)


def unconfine() -> None:
    """Undo the handlers ``confine`` added (between tests)."""
    root = logging.getLogger()
    for sink in [h for h in root.handlers if isinstance(h, _Sink)]:
        root.removeHandler(sink)
    kit = logging.getLogger(KIT_LOGGER)
    for console in [h for h in kit.handlers if isinstance(h, _KitConsole)]:
        kit.removeHandler(console)
    logging.captureWarnings(False)


def _is_kit(name: str) -> bool:
    return name == KIT_LOGGER or name.startswith(KIT_LOGGER + ".")


class _Journal(logging.handlers.RotatingFileHandler):
    """The journal's files, the new one after each rotation included, created owner-only; a
    record it cannot write (a full disk) is dropped, not printed with a traceback on
    standard error as ``logging`` does by default."""

    dropped = 0

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        return io.TextIOWrapper(os.fdopen(fd, "ab"), encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.dropped += 1


def start(folder: Path, level: int = logging.WARNING) -> Path | None:
    """Send the kit's warnings to ``folder/journal.log`` (once per folder); None if it cannot."""
    path = folder / JOURNAL_FILE
    root = logging.getLogger(KIT_LOGGER)
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
        handler = _Journal(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(SafeFormatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


def stop() -> None:
    """Close the journal files (at the end of the application, and between tests)."""
    root = logging.getLogger(KIT_LOGGER)
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
