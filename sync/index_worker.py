"""A worker process validating lines of an HIS identity index (``python -m sync.index_worker``).

Started by ``sync.his_index_files`` for a big file: it reads chunks of lines on stdin and
writes back, in the same order, the rows to store (or the first error of the chunk), each
as a length-prefixed pickle. It imports only what validating a line needs (a worker started
by ``multiprocessing`` would import the caller's main module: the whole GUI), holds what it
reads in memory only, and ends when its stdin closes.
"""

from __future__ import annotations

import sys

from sync.frames import read_frame, write_frame
from sync.his_index_files import parse_in_worker


def main() -> int:

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (task := read_frame(source)) is not None:
        lines, columns = task
        write_frame(sink, parse_in_worker(lines, columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
