"""Length-prefixed pickles between the kit's own processes (``sync.index_worker`` and its parent)."""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

FRAME = struct.Struct("!I")
MAX_FRAME = 64 << 20  # a chunk of lines of at most 16 KiB each, pickled


def write_frame(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any | None:
    """The next value, or None at the end of the stream. Only the kit's own processes write
    these pipes (pickle is not for data from outside)."""
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        return None
    (size,) = FRAME.unpack(head)
    if size > MAX_FRAME:
        raise ValueError("frame too large")
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - the parent process's own frames
