"""A file dropped into a watched folder (an HIS snapshot, a workstation bundle), read once.

The content, its time and its SHA-256 are taken together, so what is imported, what is
remembered as imported or refused, and what is checked for being cut short all speak
of the same bytes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

UNREADABLE_FR = "Fichier illisible (droits d'accès)."
UNREADABLE_EN = "File cannot be read (permissions)."


@dataclass(frozen=True)
class Dropped:
    raw: bytes
    modified: float  # st_mtime
    sha256: str

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.modified).astimezone()

    def still_settling(self, grace: float) -> bool:
        """Modified less than ``grace`` seconds ago: a file that looks cut short may be still coming."""
        return time.time() - self.modified < grace


def read_dropped(path: Path) -> Dropped | None:
    """The file as it is now, or None when it went away; ``OSError`` when it cannot be read."""
    try:
        raw = path.read_bytes()
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return None
    return Dropped(raw=raw, modified=modified, sha256=hashlib.sha256(raw).hexdigest())
