"""How the store's pages are sealed: SQLCipher 4, AES-256, and an HMAC-SHA256 per page.

SQLCipher 4 authenticates each 4 KiB page with HMAC-SHA512 unless told otherwise; reading a
page that is not in the page cache costs its HMAC, and on a search over the HIS index (pages
of a 1 GB file read at random) that HMAC was more than half of what encryption cost. SHA-256 runs in
the processor's SHA extensions (x86 since 2016-2019, ARMv8), SHA-512 does not: measured on an
AMD EPYC, a row read from a page out of the cache took 13.4 µs in plain SQLite, 29.0 µs with
HMAC-SHA512, 20.4 µs with HMAC-SHA256 (``bench/results/index-latest.json`` for the searches).
A 256-bit HMAC key and tag keep the page forgery-proof (SQLCipher 3 used SHA-1).

Stores made by kit 0.1 to 0.3 carry SQLCipher 4's defaults (``LEGACY``): they are opened as
they are, written as they are, and rewritten with ``CURRENT`` when their key is next rotated
(``continuity keys rotate``: ``rekey.rekey_file``), the one moment the file is rewritten whole
with the store closed; the copies kept beside it (for a rollback) keep their layout.
Whatever opens a store's file goes through ``unlock`` or ``open_any``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, Final

import sqlcipher3

from continuity.store.base import _DB_ERRORS

CURRENT: Final = "HMAC_SHA256"
LEGACY: Final = "HMAC_SHA512"  # SQLCipher 4's default: stores made by kit 0.1 to 0.3
ALGORITHMS: Final = (CURRENT, LEGACY)  # the order a store's file is tried in


def key_literal(key: bytes | bytearray) -> str:
    """A raw 256-bit key as SQLCipher reads it (no passphrase derivation)."""
    return f"x'{bytes(key).hex()}'"


def unlock(conn: Any, key: bytes | bytearray, hmac: str = CURRENT, schema: str = "main") -> None:
    """Key ``schema`` of ``conn`` and say how its pages are sealed; before any read of it."""
    if schema == "main":
        conn.execute(f'PRAGMA key = "{key_literal(key)}"')
    conn.execute(f"PRAGMA {schema}.cipher_hmac_algorithm = {hmac}")


def attach(conn: Any, path: str, schema: str, key: bytes | bytearray, hmac: str = CURRENT) -> None:
    """Attach a database file to ``conn`` as ``schema``, sealed as ``hmac`` says."""
    conn.execute(f"ATTACH DATABASE ? AS {schema} KEY ?", (path, key_literal(key)))
    unlock(conn, key, hmac, schema)


def hmac_of(conn: Any) -> str | None:
    """How the pages of the database open on ``conn`` are sealed (None: not SQLCipher)."""
    try:
        row = conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()
    except _DB_ERRORS:
        return None
    return str(row[0]) if row and row[0] else None


_LOG_LEVEL = threading.Lock()  # SQLCipher's log level is one for the whole process


@contextlib.contextmanager
def quiet(conn: Any) -> Iterator[None]:
    """SQLCipher says nothing on stderr meanwhile: a key or format tried and refused is an
    expected answer, not an error to log."""
    with _LOG_LEVEL:
        level = conn.execute("PRAGMA cipher_log_level").fetchone()
        conn.execute("PRAGMA cipher_log_level = NONE")
        try:
            yield
        finally:
            if level and str(level[0]).isalpha():
                conn.execute(f"PRAGMA cipher_log_level = {level[0]}")


def open_any(connect: Callable[[], Any], key: bytes | bytearray) -> tuple[Any, str]:
    """A connection from ``connect()`` that reads the database with ``key``, and the HMAC its
    pages carry: each of ``ALGORITHMS`` is tried, on a new connection each time. When ``key``
    opens it in none (a wrong key, a damaged file, a disk that cannot take its journal),
    raises an attempt's error that is not "not a database" if there is one (a full disk under
    a store of an older kit is told as such), else the first attempt's. A missing file is
    created, empty, in ``CURRENT``."""
    errors: list[BaseException] = []
    for hmac in ALGORITHMS:
        conn = connect()
        try:
            with quiet(conn):
                unlock(conn, key, hmac)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except _DB_ERRORS as exc:
            conn.close()
            errors.append(exc)
            continue
        return conn, hmac
    # the layout that is not the file's says "not a database"; the other may say why it failed
    raise next((e for e in errors if "not a database" not in str(e)), errors[0])


def open_file(path: str, key: bytes | bytearray, **connect: Any) -> tuple[Any, str]:
    """``open_any`` on ``sqlcipher3.connect(path, isolation_level=None, **connect)``."""
    return open_any(lambda: sqlcipher3.connect(path, isolation_level=None, **connect), key)
