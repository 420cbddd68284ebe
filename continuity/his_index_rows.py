"""The stored form of an identity of the HIS index: its row, search keys and digest.

Pure (no SQL): computed where the index file is read, in the worker processes that
validate its lines (``sync.his_index_files``), and written by ``continuity.store.his_index``.
The search keys are described there.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from continuity.domain.his_index import IndexEntry
from continuity.domain.identity import Identity


class IndexRow(NamedTuple):
    """One identity as stored: computed once, written to the rows and the keys."""

    ipp: str
    authority: str | None
    birth_date: str
    data: str
    keys: tuple[str, ...]
    names: str
    digest: int  # ``row_digest``: the row's part of the index's compact seal


def row_digest(ipp: str, authority: str | None, data: str) -> int:
    """128 bits of the SHA-256 of the row; the unit separator cannot be in an IPP, an
    authority or the JSON of an identity (controls are refused in all three)."""
    text = f"{ipp}\x1f{authority or ''}\x1f{data}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:16], "big")


def index_row(ipp: str, authority: str | None, identity: Identity) -> IndexRow:
    data = identity.model_dump_json(exclude_defaults=True)  # what differs from a bare identity
    born = identity.birth_date.isoformat()
    ordered = tuple(sorted(identity.search_keys()))  # as local patients are found
    names = " ".join(ordered)
    return IndexRow(ipp, authority, born, data, ordered, names, row_digest(ipp, authority, data))


# An entry as (IPP, authority, row; None: a removal): plain tuples, which cross from the worker
# processes that validate an index file to the one that writes it ten times faster than models.
Prepared = tuple[str, str | None, IndexRow | None]


def prepare(entry: IndexEntry) -> Prepared:
    if entry.removed or entry.identity is None:
        return entry.ipp, entry.authority, None
    return entry.ipp, entry.authority, index_row(entry.ipp, entry.authority, entry.identity)
