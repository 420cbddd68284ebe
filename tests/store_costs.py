"""What a piece of work costs the store, counted rather than timed (deterministic): SQLite
VM steps, or the SQL statements run (as the trace shows them, values included)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from continuity.store import Store


class Count:
    value = 0
    texts: list[str]  # ``statements`` only: each statement run, in order, values included

    def __init__(self) -> None:
        self.texts = []


@contextmanager
def vm_steps(store: Store) -> Iterator[Count]:
    """``count.value``: the VM steps, in hundreds, run inside the block."""
    count = Count()

    def step() -> int:
        count.value += 1
        return 0

    conn: Any = store._conn  # sqlcipher3's Connection: the stubs lack the handler
    conn.set_progress_handler(step, 100)
    try:
        yield count
    finally:
        conn.set_progress_handler(None, 100)


@contextmanager
def statements(store: Store) -> Iterator[Count]:
    """``count.value``: the statements run inside the block; ``count.texts``: each of them."""
    count = Count()

    def trace(sql: str) -> None:
        count.value += 1
        count.texts.append(sql)

    conn: Any = store._conn
    conn.set_trace_callback(trace)
    try:
        yield count
    finally:
        conn.set_trace_callback(None)
