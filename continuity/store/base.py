"""What every manager shares: the Store it belongs to, and the database error types."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

import sqlcipher3

if TYPE_CHECKING:
    from continuity.store.core import Store

_DB_ERRORS: tuple[type[Exception], ...] = (sqlcipher3.DatabaseError, sqlite3.DatabaseError)
_INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlcipher3.IntegrityError, sqlite3.IntegrityError)


class Manager:
    """One concern of a Store: it uses the Store's connection, transaction and clock, never its own."""

    def __init__(self, store: Store) -> None:
        self._store = store
        # The Store's own bound helpers: writes are refused outside its transaction.
        self._write = store._write
        self._one = store._one
        self._all = store._all

    def _clock(self) -> datetime:
        return self._store._clock()
