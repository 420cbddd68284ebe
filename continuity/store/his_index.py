"""The HIS identity index: up to a few million identities, searched by name in a few ms.

Two generations of tables, ``a`` and ``b`` (``continuity.schema.his_index_tables``); ``meta``
names the one in use. A full import builds the spare generation over several transactions
(nothing reads it meanwhile) and swaps it in with one write of ``meta``: the index in use
changes all at once or not at all, whatever happens to the build (cancel, crash, full disk).

Search keys (why not FTS5): a row of ``his_index_<g>_keys`` per name key of an identity
(each word of the birth and used names and first names, and each whole name, as
``continuity.names.name_keys``), carrying in ``names`` every key of the identity. A query's
longest word is a range scan of the key; its other words are matched on ``names`` in the same
index rows, so a search reads consecutive index pages only, and the identity rows of the few
identities it returns. With a birth date, the birth-date table is the narrower one (a day
holds ~60 identities of 2 million): those are read and matched on their names. FTS5 (available in
this SQLCipher build) returns matches in rowid order: the first 50 by name would need every
match of a two-letter prefix (a hundred thousand at 2 million) read and sorted.

The IPPs and birth dates are tables ordered by them (``WITHOUT ROWID``) rather than indexes
of the identity table. A full import writes the key rows, the IPPs and the birth dates of each
batch as sorted runs, and merges each kind into its table in one ordered pass: every page is
written once, full, instead of random inserts over a table larger than the page cache. SQLite's
own sorter (``CREATE INDEX``, ``ORDER BY``) would hold the whole set in memory, twice
(``temp_store = MEMORY``, so that nothing goes to a clear temporary file): 130 MB at 2 million.

The index tables are left out of the per-record seal (2 million state hashes per import);
its compact seal is ``IndexState.digest``: the sum, modulo 2^128, of the hashes of every row,
kept in the audit entry of each import and checked by ``digest()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from continuity.domain.his_index import IndexHit, IndexState
from continuity.domain.identity import Identity
from continuity.errors import StoreError
from continuity.his_index_rows import IndexRow, row_digest
from continuity.names import prefix_upper_bound
from continuity.schema import HIS_INDEX_KEYED_TABLES, his_index_table_names, his_index_tables, split_sql
from continuity.store.base import _INTEGRITY_ERRORS, Manager
from continuity.store.his_index_runs import RUN_KINDS, RUN_PREFIX, listed_twice, sorted_runs
from continuity.store.rows import _dt

GENERATION_KEY = "his_index.generation"  # "a" or "b": the tables in use; unset: no index yet
STATE_KEY = "his_index.state"  # IndexState as JSON
_GENERATIONS = ("a", "b")
_DIGEST_MOD = 1 << 128
BORN_ON_CAP = 5000  # identities read for one search by birth date (a day holds ~60 of 2 million)
BUILD_CACHE_KIB = -16384  # 16 MiB (negative: KiB, as PRAGMA cache_size takes it)


def _has_prefixes(identity: Identity, prefixes: Sequence[str]) -> bool:
    keys = identity.search_keys()
    return all(any(k.startswith(p) for k in keys) for p in prefixes)


def _hit(ipp: str, authority: str | None, data: str) -> IndexHit:
    identity = Identity.model_validate_json(data)  # JSON read in pydantic's core: ~8 µs
    return IndexHit.model_construct(ipp=ipp, authority=authority, identity=identity)


class HisIndexManager(Manager):
    """``store.his_index``: the identity index in use, its spare generation, and searches."""

    def _write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._write(sql, rows, many=True)  # type: ignore[arg-type]

    def _write_script(self, script: str) -> None:
        """Schema statements in the open transaction (the generations; they note no concern)."""
        if not self._store._in_tx:
            raise StoreError("Écriture hors transaction.", "Write outside a transaction.")
        for statement in split_sql(script):
            self._store._conn.execute(statement)

    # ---------------------------------------------------------------- state
    def generation(self) -> str | None:
        gen = self._store.get_meta(GENERATION_KEY)
        return gen if gen in _GENERATIONS else None

    def state(self) -> IndexState | None:
        raw = self._store.get_meta(STATE_KEY)
        return IndexState.model_validate_json(raw) if raw and self.generation() else None

    def count(self) -> int:
        gen = self.generation()
        return int(self._one(f"SELECT count(*) FROM his_index_{gen}")[0]) if gen else 0

    def spare(self) -> str:
        return "b" if self.generation() == "a" else "a"

    # ---------------------------------------------------------------- full build
    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """A small page cache while a full index is written: the build appends, it re-reads
        nothing, and the 128 MiB that searches keep decrypted would be memory taken for nothing."""
        before = int(self._one("PRAGMA cache_size")[0])
        self._store._conn.execute(f"PRAGMA cache_size = {BUILD_CACHE_KIB}")
        try:
            yield
        finally:
            self._store._conn.execute(f"PRAGMA cache_size = {before}")

    def reset_spare(self) -> str:
        """Empty the spare generation (and any run left by a build that did not finish); return
        its name."""
        gen = self.spare()
        for run in self.leftover_runs():
            self._write_script(f"DROP TABLE {run};")
        self._drop_generation(gen)
        self._write_script(his_index_tables(gen))
        return gen

    def _drop_generation(self, gen: str) -> None:
        self._write_script(
            "".join(f"DROP TABLE IF EXISTS {table};\n" for table in his_index_table_names(gen))
        )

    def leftover_runs(self) -> list[str]:
        return [
            r[0]
            for r in self._all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name",
                (RUN_PREFIX + "%",),
            )
        ]

    def load_batch(self, gen: str, run: int, rows: Sequence[IndexRow]) -> None:
        """Append a batch: its identities to the spare generation; its keys, IPPs and birth
        dates as one sorted run each. An IPP twice in the batch is refused (``InvalidInput``)."""
        first = int(self._one(f"SELECT coalesce(max(rid), 0) FROM his_index_{gen}")[0]) + 1
        self._write_many(
            f"INSERT INTO his_index_{gen}(rid, ipp, authority, birth_date, data) VALUES (?, ?, ?, ?, ?)",
            ((first + i, r.ipp, r.authority, r.birth_date, r.data) for i, r in enumerate(rows)),
        )
        runs = sorted_runs(first, rows)
        for kind, (columns, _) in RUN_KINDS.items():
            name = f"{RUN_PREFIX}{kind}_{run:05d}"
            self._write_script(f"CREATE TABLE {name} {HIS_INDEX_KEYED_TABLES[kind]};")
            marks = ", ".join("?" * (columns.count(",") + 1))
            try:
                self._write_many(f"INSERT INTO {name}({columns}) VALUES ({marks})", runs[kind])
            except _INTEGRITY_ERRORS:
                raise listed_twice() from None

    def finish_spare(self, gen: str) -> None:
        """Merge each kind's sorted runs into its table in one ordered pass (SQLite merges
        them: ``MERGE (UNION ALL)``, no sorter), the biggest kind first, whose runs' pages are
        then reused by the others. In the caller's transaction. An IPP in two batches is
        refused (``InvalidInput``)."""
        runs = self.leftover_runs()
        for kind, (columns, order) in RUN_KINDS.items():
            mine = [r for r in runs if r.startswith(f"{RUN_PREFIX}{kind}_")]
            if not mine:
                continue
            union = " UNION ALL ".join(f"SELECT {columns} FROM {run}" for run in mine)
            try:
                self._write(f"INSERT INTO his_index_{gen}_{kind}({columns}) {union} ORDER BY {order}")
            except _INTEGRITY_ERRORS:
                raise listed_twice() from None
            self.drop_runs(mine)  # their pages are free for the next kind's table

    def drop_runs(self, runs: Sequence[str]) -> None:
        """Drop sorted runs without zeroing their pages (``secure_delete`` off for this only):
        they hold the very rows of the tables just built, which stay in the store."""
        before = int(self._one("PRAGMA secure_delete")[0])
        self._store._conn.execute("PRAGMA secure_delete = OFF")
        try:
            for run in runs:
                self._write_script(f"DROP TABLE {run};")
        finally:
            self._store._conn.execute(f"PRAGMA secure_delete = {before}")

    def swap(self, gen: str, state: IndexState) -> None:
        """Put the built generation in use (one ``meta`` write, in the caller's transaction)."""
        self._store.set_meta(GENERATION_KEY, gen)
        self._store.set_meta(STATE_KEY, state.model_dump_json())

    def empty(self, gen: str) -> None:
        """Free the generation no longer in use (its pages are reused by the next build)."""
        self._drop_generation(gen)
        self._write_script(his_index_tables(gen))

    # ---------------------------------------------------------------- deltas
    def upsert(self, rows: Sequence[IndexRow]) -> tuple[int, int, int]:
        """Add or replace identities of the index in use; return (added, updated, digest change)."""
        gen = self._require()
        added = updated = change = 0
        for r in rows:
            old = self._current(gen, r.ipp)
            if old is None:
                cur = self._write(
                    f"INSERT INTO his_index_{gen}(ipp, authority, birth_date, data) VALUES (?, ?, ?, ?)",
                    (r.ipp, r.authority, r.birth_date, r.data),
                )
                rid = int(cur.lastrowid)
                self._write(f"INSERT INTO his_index_{gen}_ipps(ipp, rid) VALUES (?, ?)", (r.ipp, rid))
                added += 1
            else:
                rid = int(old[0])
                change -= self._unlist(gen, r.ipp, old)
                self._write(
                    f"UPDATE his_index_{gen} SET authority = ?, birth_date = ?, data = ? WHERE rid = ?",
                    (r.authority, r.birth_date, r.data, rid),
                )
                updated += 1
            change += r.digest
            self._write(
                f"INSERT INTO his_index_{gen}_births(birth_date, rid) VALUES (?, ?)", (r.birth_date, rid)
            )
            self._write_many(
                f"INSERT INTO his_index_{gen}_keys(key, rid, names) VALUES (?, ?, ?)",
                ((key, rid, r.names) for key in r.keys),
            )
        return added, updated, change

    def remove(self, ipps: Iterable[str]) -> tuple[int, int]:
        """Remove identities from the index in use; return (removed, digest change)."""
        gen = self._require()
        removed = change = 0
        for ipp in ipps:
            old = self._current(gen, ipp)
            if old is None:
                continue
            change -= self._unlist(gen, ipp, old)
            self._write(f"DELETE FROM his_index_{gen}_ipps WHERE ipp = ?", (ipp,))
            self._write(f"DELETE FROM his_index_{gen} WHERE rid = ?", (old[0],))
            removed += 1
        return removed, change

    def _current(self, gen: str, ipp: str) -> tuple[int, str | None, str, str] | None:
        """(rid, authority, birth date, data) of an IPP in a generation."""
        row = self._one(
            f"SELECT m.rid, m.authority, m.birth_date, m.data FROM his_index_{gen}_ipps i"
            f" JOIN his_index_{gen} m ON m.rid = i.rid WHERE i.ipp = ?",
            (ipp,),
        )
        return (int(row[0]), row[1], row[2], row[3]) if row else None

    def _unlist(self, gen: str, ipp: str, old: tuple[int, str | None, str, str]) -> int:
        """Delete an identity's birth date and search keys (by their primary keys: the old
        identity gives them); return its row digest."""
        rid, authority, born, data = old
        self._write(f"DELETE FROM his_index_{gen}_births WHERE birth_date = ? AND rid = ?", (born, rid))
        self._write_many(
            f"DELETE FROM his_index_{gen}_keys WHERE key = ? AND rid = ?",
            ((key, rid) for key in Identity.model_validate_json(data).search_keys()),
        )
        return row_digest(ipp, authority, data)

    def _require(self) -> str:
        gen = self.generation()
        if gen is None:
            raise LookupError("no HIS index")
        return gen

    # ---------------------------------------------------------------- reading
    def digest(self, gen: str | None = None) -> int:
        """The sum of the row digests of a generation (in use by default): its compact seal."""
        gen = gen or self.generation()
        if gen is None:
            return 0
        total = 0
        for ipp, authority, data in self._store._conn.execute(
            f"SELECT ipp, authority, data FROM his_index_{gen}"
        ):
            total += row_digest(ipp, authority, data)
        return total % _DIGEST_MOD

    def admitted_from_index(self) -> list[tuple[str, str, Identity, datetime | None]]:
        """(patient id, IPP, identity, HIS time it is as of) of the patients admitted here from
        the index and not corrected here since: an index import refreshes them as a snapshot does."""
        rows = self._all(
            "SELECT id, his_as_of FROM patients WHERE from_index = 1 AND edited_here = 0 AND ipp IS NOT NULL"
        )
        found = []
        for patient_id, as_of in rows:
            record = self._store.patients.get_patient(patient_id)
            if record is not None and record.ipp:
                found.append((record.id, record.ipp, record.identity, _dt(as_of)))
        return found

    def by_ipp(self, ipp: str) -> IndexHit | None:
        gen = self.generation()
        if gen is None:
            return None
        row = self._current(gen, ipp)
        return _hit(ipp, row[1], row[3]) if row else None

    def born_on(self, dates: Sequence[date], limit: int = 500) -> list[IndexHit]:
        gen = self.generation()
        if gen is None or not dates:
            return []
        marks = ",".join("?" * len(dates))
        rows = self._all(
            f"SELECT m.ipp, m.authority, m.data FROM his_index_{gen}_births b"
            f" JOIN his_index_{gen} m ON m.rid = b.rid WHERE b.birth_date IN ({marks})"
            " ORDER BY b.birth_date, b.rid LIMIT ?",
            [*(d.isoformat() for d in dates), limit],
        )
        return [_hit(*r) for r in rows]

    def search(self, prefixes: Sequence[str], birth_dates: Sequence[date], limit: int) -> list[IndexHit]:
        """Identities having, for each prefix, a name key starting with it (and, when given,
        one of the birth dates), in name-key order: the longest prefix is the range scan."""
        gen = self.generation()
        if gen is None:
            return []
        if birth_dates:
            # a day holds ~60 of 2 million identities: its table is narrower than any name key
            born = self.born_on(birth_dates, BORN_ON_CAP)
            hits = [h for h in born if _has_prefixes(h.identity, prefixes)]
            return sorted(hits, key=lambda h: (h.identity.birth_name, h.identity.first_names))[:limit]
        ordered = sorted(prefixes, key=len, reverse=True)
        drive, others = ordered[0], ordered[1:]
        sql = [f"SELECT rid FROM his_index_{gen}_keys WHERE key >= ? AND key < ?"]
        params: list[Any] = [drive, prefix_upper_bound(drive)]
        for prefix in others:
            sql.append("AND instr(' ' || names, ?) > 0")
            params.append(" " + prefix)
        sql.append("ORDER BY key, rid")
        rids: dict[int, None] = {}
        cursor = self._store._conn.execute(" ".join(sql), params)
        try:
            for (rid,) in cursor:
                rids.setdefault(rid)
                if len(rids) == limit:
                    break
        finally:
            cursor.close()
        if not rids:
            return []
        marks = ",".join("?" * len(rids))
        found = {
            r[0]: _hit(*r[1:])
            for r in self._all(
                f"SELECT rid, ipp, authority, data FROM his_index_{gen} WHERE rid IN ({marks})", list(rids)
            )
        }
        return [found[rid] for rid in rids if rid in found]
