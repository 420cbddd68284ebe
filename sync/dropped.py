"""A file dropped into a watched folder (an HIS snapshot, a workstation bundle), read once.

The content, its time and its SHA-256 are taken together, so what is imported, what is
remembered as imported or refused, and what is checked for being cut short all speak
of the same bytes. A file larger than the limit given is never read into memory: it is
hashed as it streams by (so that its refusal is remembered) and ``TooLarge`` is raised.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NoReturn

from continuity.domain.exchange import MIB
from continuity.errors import InvalidInput

UNREADABLE_FR = "Fichier illisible (droits d'accès)."
UNREADABLE_EN = "File cannot be read (permissions)."
_CHUNK = 1 << 20


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


def _mib(size: int) -> str:
    return f"{size / MIB:.1f}".rstrip("0").rstrip(".")


class TooLarge(InvalidInput):
    """The file is larger than the workstation reads; ``sha256`` and ``modified`` of what was there."""

    def __init__(self, size: int, limit: int, sha256: str, modified: float):
        super().__init__(
            f"Fichier trop volumineux ({_mib(size)} Mo, limite {_mib(limit)} Mo) : refusé sans être lu.",
            f"File too large ({_mib(size)} MB, limit {_mib(limit)} MB): refused without being read.",
        )
        self.size = size
        self.limit = limit
        self.sha256 = sha256
        self.modified = modified


def _too_large(f: BinaryIO, start: bytes, limit: int, modified: float) -> NoReturn:
    digest = hashlib.sha256(start)
    size = len(start)
    while chunk := f.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    raise TooLarge(size, limit, digest.hexdigest(), modified)


def read_dropped(path: Path, max_bytes: int | None = None) -> Dropped | None:
    """The file as it is now, or None when it went away; ``OSError`` when it cannot be read.

    ``max_bytes``: a larger file raises ``TooLarge`` (read by chunks for its digest only).
    """
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            modified = st.st_mtime
            if max_bytes is None:
                raw = f.read()
            elif st.st_size > max_bytes:
                _too_large(f, b"", max_bytes, modified)
            else:  # the size read, not the size seen: it may have grown since
                raw = f.read(max_bytes + 1)
                if len(raw) > max_bytes:
                    _too_large(f, raw, max_bytes, modified)
    except FileNotFoundError:
        return None
    return Dropped(raw=raw, modified=modified, sha256=hashlib.sha256(raw).hexdigest())
