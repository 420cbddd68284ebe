"""The kit's own journal: warnings about the workstation (a health file not written...).

One small rotating file in the data folder, owner-only, for IT. What goes in it is
the kit's own messages, which name no patient (errors carry types and numbers, not
their text); it is listed in docs/security.md with the other files kept in clear.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

JOURNAL_FILE = "journal.log"
MAX_BYTES = 256 * 1024
BACKUPS = 2
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Journal(logging.handlers.RotatingFileHandler):
    """The journal file; a record it cannot write (a full disk) is dropped, not printed with
    a traceback on standard error as ``logging`` does by default."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.dropped += 1

    dropped = 0


def start(folder: Path, level: int = logging.WARNING) -> Path | None:
    """Send the kit's warnings to ``folder/journal.log`` (once per folder); None if it cannot."""
    path = folder / JOURNAL_FILE
    root = logging.getLogger("continuity")
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
        handler = _Journal(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return path


def stop() -> None:
    """Close the journal files (at the end of the application, and between tests)."""
    root = logging.getLogger("continuity")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
