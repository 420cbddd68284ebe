"""The seal: every record's current state committed in the audit chain.

Every write the kit makes goes through its one connection, on which temporary
triggers (``CREATE TEMP TRIGGER``: they exist for this connection only) note the
key of each record of a covered table that an ``INSERT``, ``UPDATE`` or ``DELETE``
touches, with the record's state before the transaction's first write of it. When
the transaction commits, the store appends one audit entry ``records.commit``, in
the same transaction, carrying for each record that changed ``[table, key, was,
now]``: the hashes of its state before and after (``None``: the record did not
exist, or no longer does).

A record's state hash is the SHA-256 (first 128 bits, in hex) of the canonical JSON
of its row: every column, by name, sorted; SQLite's own ``json_object`` gives the
values, so the state is read the same way when written and when verified.

``audit verify`` replays the chain (``committed``) and compares it with the records
(``current_states``): a record whose state is not its last committed hash
(*altered*), a record no entry committed (*uncommitted*), a committed record no
longer there (*missing*), and a write whose ``was`` is not the hash committed before
(*changed outside*: the record was edited behind the kit's back, then written over).
A write from any other connection (an insider's SQL shell) fires none of these
triggers, so it is never committed.

A schema migration changes rows' shape (a new column): it is followed, in its own
exclusive transaction, by a ``records.adopt`` entry committing every record whose
state differs from the chain's, with its state before the migration as ``was``.
Only the first adoption of a chain (the upgrade of a store that had no seal yet) may
commit records no entry committed before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from continuity.audit import RecordProblem
from continuity.schema import his_index_table_names

COMMIT_ACTION = "records.commit"
ADOPT_ACTION = "records.adopt"
ENTITY = "records"
HASH_CHARS = 32  # 128 bits: a second preimage cannot be searched for

# Covered tables and the columns of their primary key (a test checks them against the schema).
COVERED: dict[str, tuple[str, ...]] = {
    "patients": ("id",),
    "patient_name_keys": ("key", "patient_id"),
    "stays": ("id",),
    "movements": ("id",),
    "outbox": ("seq",),
    "his_identifiers": ("id",),
    "paper_forms": ("number",),
    "users": ("username",),
    "site": ("code",),
    "ufs": ("code",),
    "beds": ("uf_code", "code"),
    "workstations": ("code",),
    "services": ("code",),
    "status_changes": ("seq",),
    "crisis_log": ("seq",),
    "instructions": ("id",),
    "instruction_acks": ("instruction_id", "workstation"),
    "snapshot_imports": ("sha256",),
    "changes": ("change_id",),
    "exchange_bundles": ("sha256",),
    "exchange_refused": ("sha256",),
    "peer_keys": ("workstation",),
    "audit_witnesses": ("workstation",),
    "conflicts": ("id",),
    "identity_merges": ("id",),
    "meta": ("key",),
}

# Tables left out, each with its reason (a test checks every table is in one list or the other).
EXCLUDED: dict[str, str] = {
    "audit": "the chain itself: each entry's hash commits to it and to every entry before",
    "drafts": (
        "forms being typed, rewritten a second after each key and read back by their owner only; "
        "nothing in them is a record until the form is saved, which is then audited and sealed"
    ),
    "stay_claims": (
        "derived: the bed each stay's sealed movements give it, as last merged; deleted by a "
        "trigger whenever those movements change (continuity.merge.apply._claim)"
    ),
    "bed_claims": (
        "derived: the stays without a bed that settling a bed must look at, recomputed from "
        "the stays' sealed movements whenever it is read (continuity.merge.apply.settle_bed)"
    ),
    **{
        table: (
            "the HIS identity index, millions of rows replaced at each import: its compact seal is "
            "the digest of all its rows in the audit entry of each import (continuity.store.his_index)"
        )
        for gen in "ab"
        for table in his_index_table_names(gen)
    },
}

# ``meta`` rows left out: the chain's own head, moved by every entry (verified on its own).
EXCLUDED_META_KEYS: tuple[str, ...] = ("audit_head",)


class _Conn(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


# ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, the
# canonical form, without building an encoder at each call (what ``dumps`` does when given
# options): the same text, so the same hashes.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_DECODE = json.JSONDecoder().decode


def state_hash(row_json: str | None) -> str | None:
    """The hash of a record's state, from SQLite's ``json_object`` of the row (None: no row)."""
    if row_json is None:
        return None
    canonical = _CANONICAL(_DECODE(row_json))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_CHARS]


def _columns(conn: _Conn, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})").fetchall()]


def _json_of(prefix: str, columns: Iterable[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}{c}" for c in columns) + ")"


def existing_tables(conn: _Conn) -> list[str]:
    """The covered tables this store has; none before it has an audit chain (schema v1)."""
    made = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall()}
    return [t for t in COVERED if t in made] if "audit" in made else []


def _keys(prefix: str, table: str) -> tuple[str, str]:
    pk = COVERED[table]
    return f"{prefix}{pk[0]}", (f"{prefix}{pk[1]}" if len(pk) > 1 else "''")


def _when(prefix: str, table: str) -> str:
    if table != "meta":
        return ""
    keys = ", ".join(f"'{k}'" for k in EXCLUDED_META_KEYS)
    return f" WHEN {prefix}key NOT IN ({keys})"


class Seal:
    """One connection's triggers and the statements reading what they noted (built at install)."""

    def __init__(self) -> None:
        self._reads: dict[str, str] = {}

    def install(self, conn: _Conn) -> None:
        """Create the record of touched rows and the triggers (again after a migration)."""
        uninstall(conn)
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS seal_touched (tbl TEXT NOT NULL, k1 NOT NULL,"
            " k2 NOT NULL, old TEXT, PRIMARY KEY (tbl, k1, k2))"
        )
        self._reads = {}
        for table in existing_tables(conn):
            cols = _columns(conn, table)
            new1, new2 = _keys("NEW.", table)
            old1, old2 = _keys("OLD.", table)
            old_json = _json_of("OLD.", cols)
            conn.execute(
                f"CREATE TEMP TRIGGER seal_{table}_i AFTER INSERT ON main.{table}{_when('NEW.', table)}"
                f" BEGIN {_note(table, new1, new2, 'NULL')} END"
            )
            conn.execute(
                f"CREATE TEMP TRIGGER seal_{table}_u AFTER UPDATE ON main.{table}{_when('OLD.', table)}"
                f" BEGIN {_note(table, old1, old2, old_json)} {_note(table, new1, new2, 'NULL')} END"
            )
            conn.execute(
                f"CREATE TEMP TRIGGER seal_{table}_d AFTER DELETE ON main.{table}{_when('OLD.', table)}"
                f" BEGIN {_note(table, old1, old2, old_json)} END"
            )
            pk = COVERED[table]
            join = " AND ".join(f"x.{c} = t.k{n + 1}" for n, c in enumerate(pk))
            self._reads[table] = (
                f"SELECT t.k1, t.k2, t.old, CASE WHEN x.{pk[0]} IS NULL THEN NULL ELSE"
                f" {_json_of('x.', cols)} END FROM temp.seal_touched t LEFT JOIN main.{table} x"
                f" ON {join} WHERE t.tbl = '{table}'"
            )

    def take_touched(self, conn: _Conn) -> list[list[Any]]:
        """``[table, key, was, now]`` of each record this transaction changed; forgets them."""
        tables = [r[0] for r in conn.execute("SELECT DISTINCT tbl FROM temp.seal_touched").fetchall()]
        if not tables:
            return []
        out: list[list[Any]] = []
        for table in sorted(tables, key=list(COVERED).index):
            for k1, k2, old, now in conn.execute(self._reads[table]).fetchall():
                was, current = state_hash(old), state_hash(now)
                if was != current:
                    out.append([table, _key_of(table, k1, k2), was, current])
        conn.execute("DELETE FROM temp.seal_touched")
        return out


def _note(table: str, k1: str, k2: str, old: str) -> str:
    """The trigger statement noting a record the first time the transaction touches it.

    Not ``INSERT OR IGNORE``: a statement's own conflict clause (an upsert's) would
    override the trigger's. Unqualified: the temporary table, found first (older SQLite
    refuses ``temp.`` in a trigger's writes).
    """
    return (
        f"INSERT INTO seal_touched(tbl, k1, k2, old) SELECT '{table}', {k1}, {k2}, {old}"
        f" WHERE NOT EXISTS (SELECT 1 FROM seal_touched WHERE tbl = '{table}'"
        f" AND k1 = {k1} AND k2 = {k2});"
    )


def uninstall(conn: _Conn) -> None:
    for (name,) in conn.execute(
        "SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'seal\\_%' ESCAPE '\\'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER temp.{name}")


def forget_touched(conn: _Conn) -> None:
    conn.execute("DELETE FROM temp.seal_touched")


def _key_of(table: str, k1: Any, k2: Any) -> list[Any]:
    return [k1, k2] if len(COVERED[table]) > 1 else [k1]


def current_states(conn: _Conn) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    """(table, key, state hash) of every record of every covered table."""
    for table in existing_tables(conn):
        pk = COVERED[table]
        where = ""
        if table == "meta":
            where = " WHERE key NOT IN (" + ", ".join(f"'{k}'" for k in EXCLUDED_META_KEYS) + ")"
        cursor = conn.execute(
            f"SELECT {', '.join(pk)}, {_json_of('', _columns(conn, table))} FROM main.{table}{where}"
        )
        for row in cursor:
            digest = state_hash(row[-1])
            assert digest is not None
            yield table, tuple(row[:-1]), digest


def all_states(conn: _Conn) -> dict[tuple[str, tuple[Any, ...]], str]:
    return {(t, k): h for t, k, h in current_states(conn)}


def shown_key(table: str, key: Iterable[Any]) -> str:
    parts = [str(k) for k in key]
    if table == "patient_name_keys":  # the key is derived from a name: show the patient only
        return f"patient {parts[1]}"
    return "/".join(parts)


@dataclass
class Committed:
    """The chain's replay: each record's last committed hash, and the writes over an edit."""

    hashes: dict[tuple[str, tuple[Any, ...]], tuple[str | None, int]]
    problems: list[RecordProblem]
    adoptions: int


def replay(entries: Iterable[tuple[int, str, str]]) -> Committed:
    """Read the seal entries ``(seq, action, payload)`` of a verified chain, in order."""
    hashes: dict[tuple[str, tuple[Any, ...]], tuple[str | None, int]] = {}
    problems: list[RecordProblem] = []
    adoptions = 0
    sealed = False  # a seal entry seen: from then on, an adoption may not commit a new record
    for seq, action, payload in entries:
        adopt = action == ADOPT_ACTION
        if not adopt and action != COMMIT_ACTION:
            continue
        records = json.loads(payload).get("records", [])
        for table, key, was, now in records:
            ident = (table, tuple(key))
            before = hashes.get(ident)
            if adopt:
                if before is None and sealed:
                    problems.append(
                        RecordProblem(table=table, key=shown_key(table, key), kind="uncommitted", seq=seq)
                    )
                    continue
                if before is not None and before[0] != was:
                    problems.append(
                        RecordProblem(table=table, key=shown_key(table, key), kind="changed_outside", seq=seq)
                    )
            elif (before[0] if before else None) != was:
                problems.append(
                    RecordProblem(table=table, key=shown_key(table, key), kind="changed_outside", seq=seq)
                )
            hashes[ident] = (now, seq)
        adoptions += adopt
        sealed = True
    return Committed(hashes, problems, adoptions)


def compare(committed: Committed, current: Mapping[tuple[str, tuple[Any, ...]], str]) -> list[RecordProblem]:
    """Every record whose state is not the one the chain committed last, and why."""
    problems = list(committed.problems)
    for ident, digest in current.items():
        last = committed.hashes.get(ident)
        if last is None or last[0] is None:
            problems.append(RecordProblem(table=ident[0], key=shown_key(*ident), kind="uncommitted"))
        elif last[0] != digest:
            problems.append(RecordProblem(table=ident[0], key=shown_key(*ident), kind="altered", seq=last[1]))
    for ident, (last_hash, seq) in committed.hashes.items():
        if last_hash is not None and ident not in current:
            problems.append(RecordProblem(table=ident[0], key=shown_key(*ident), kind="missing", seq=seq))
    return problems


def adoption(
    committed: Committed,
    before: Mapping[tuple[str, tuple[Any, ...]], str],
    after: Mapping[tuple[str, tuple[Any, ...]], str],
) -> list[list[Any]]:
    """``[table, key, was, now]`` for a migration: every record whose state is not the chain's."""
    out: list[list[Any]] = []
    for ident in sorted(
        set(after) | {i for i, (h, _) in committed.hashes.items() if h is not None}, key=repr
    ):
        now = after.get(ident)
        last = committed.hashes.get(ident)
        if (last[0] if last else None) != now:
            out.append([ident[0], list(ident[1]), before.get(ident), now])
    return out
