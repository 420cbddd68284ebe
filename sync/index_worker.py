"""A worker process validating lines of an HIS identity index (``python -m sync.index_worker``).

Started by ``sync.his_index_files`` for a big file: it reads chunks of lines on stdin and
writes back, in the same order, the rows to store (or the first error of the chunk), each
as a length-prefixed pickle. It imports only what validating a line needs (a worker started
by ``multiprocessing`` would import the caller's main module: the whole GUI), holds what it
reads in memory only, and ends when its stdin closes.
"""

from __future__ import annotations

import pickle
import struct
import sys
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


def main() -> int:
    from sync.his_index_files import parse_in_worker

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (task := read_frame(source)) is not None:
        lines, columns = task
        write_frame(sink, parse_in_worker(lines, columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
