"""Audit: the hash-chained audit log and the reads of it (verification, exchange export)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from continuity import audit
from continuity.store import seal
from continuity.store.base import Manager
from continuity.store.rows import _iso
from continuity.witness import AuditHead


class AuditManager(Manager):
    """``store.audit``: the ``audit`` table."""

    def append_audit(
        self, actor: str, action: str, entity: str, entity_id: str, version: int, payload: dict[str, Any]
    ) -> None:
        if not action.startswith("records."):
            self._store.tx_actor = actor
        last = self._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        seq, prev = (last[0] + 1, last[1]) if last else (1, audit.GENESIS)
        at = _iso(self._clock()) or ""
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        digest = audit.entry_hash(prev, seq, at, actor, action, entity, entity_id, version, body)
        self._write(
            "INSERT INTO audit(seq, at, actor, action, entity, entity_id, version, payload,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, actor, action, entity, entity_id, version, body, prev, digest),
        )
        self._store.set_meta("audit_head", f"{seq}:{digest}")
        self._store.pending_head = (seq, digest)

    def audit_rows(self) -> Iterator[audit.AuditRow]:
        cur = self._store._conn.execute(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            " FROM audit ORDER BY seq"
        )
        for r in cur:
            yield audit.AuditRow(*r)

    def audit_after(
        self, seq: int, actions: Sequence[str], prefixes: Sequence[str] = (), limit: int = -1
    ) -> list[audit.AuditRow]:
        """Audit rows after ``seq`` whose action is one of ``actions`` or starts with a prefix
        (the first ``limit`` of them; -1: all)."""
        clauses = [f"action IN ({','.join('?' * len(actions))})"] if actions else []
        clauses += ["action LIKE ?"] * len(prefixes)
        rows = self._all(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            f" FROM audit WHERE seq > ? AND ({' OR '.join(clauses)}) ORDER BY seq LIMIT ?",
            [seq, *actions, *(p + "%" for p in prefixes), limit],
        )
        return [audit.AuditRow(*r) for r in rows]

    def audit_of(self, entity: str, entity_id: str, actions: Sequence[str]) -> list[audit.AuditRow]:
        rows = self._all(
            "SELECT seq, at, actor, action, entity, entity_id, version, payload, prev_hash, hash"
            f" FROM audit WHERE entity = ? AND entity_id = ? AND action IN"
            f" ({','.join('?' * len(actions))}) ORDER BY seq",
            [entity, entity_id, *actions],
        )
        return [audit.AuditRow(*r) for r in rows]

    def seal_entries(self) -> Iterator[tuple[int, str, str]]:
        """(seq, action, payload) of the entries committing records' states, in order."""
        yield from self._store._conn.execute(
            "SELECT seq, action, payload FROM audit WHERE action IN (?, ?) ORDER BY seq",
            (seal.COMMIT_ACTION, seal.ADOPT_ACTION),
        )

    def record_problems(self) -> tuple[list[audit.RecordProblem], int]:
        """Every record whose state the chain does not vouch for; and how many adoptions."""
        committed = seal.replay(self.seal_entries())
        return seal.compare(committed, seal.all_states(self._store._conn)), committed.adoptions

    def commit_records(self, actor: str, records: list[list[Any]]) -> None:
        self.append_audit(actor, seal.COMMIT_ACTION, seal.ENTITY, "", 1, {"records": records})

    def adopt_records(self, states_before: dict[Any, str], current: int, target: int) -> None:
        """In a migration's transaction: commit every record whose state is not the chain's
        (``records.adopt``), with its state before the migration."""
        if not self._one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'"):
            return
        committed = seal.replay(self.seal_entries())
        records = seal.adoption(committed, states_before, seal.all_states(self._store._conn))
        if records:
            payload = {"from_schema": current, "to_schema": target, "records": records}
            self.append_audit("@upgrade", seal.ADOPT_ACTION, seal.ENTITY, str(target), 1, payload)

    def head(self) -> tuple[int, str] | None:
        """(seq, hash) of the chain's last entry."""
        row = self._one("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        return (int(row[0]), str(row[1])) if row else None

    def hash_at(self, seq: int) -> str | None:
        row = self._one("SELECT hash FROM audit WHERE seq = ?", (seq,))
        return str(row[0]) if row else None

    # -------------------------------------------- other workstations' heads, witnessed here
    def peer_head(self, workstation: str) -> tuple[AuditHead, int, str | None] | None:
        """(head, bundle it came in, contradicting head JSON) held for a peer."""
        found = [p for p in self.peer_heads() if p[0].workstation == workstation]
        return found[0] if found else None

    def peer_heads(self) -> list[tuple[AuditHead, int, str | None]]:
        return [
            (
                AuditHead(
                    workstation=r[0],
                    seq=r[1],
                    hash=r[2],
                    at=datetime.fromisoformat(r[3]),
                    signer=r[4],
                    signature=r[5],
                ),
                int(r[6]),
                r[7],
            )
            for r in self._all(
                "SELECT workstation, seq, hash, at, signer, signature, bundle_seq, contradicted"
                " FROM audit_witnesses ORDER BY workstation"
            )
        ]

    def keep_peer_head(self, head: AuditHead, bundle_seq: int) -> None:
        self._write(
            "INSERT INTO audit_witnesses(workstation, seq, hash, at, signer, signature, bundle_seq,"
            " received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workstation) DO UPDATE SET"
            " seq = excluded.seq, hash = excluded.hash, at = excluded.at, signer = excluded.signer,"
            " signature = excluded.signature, bundle_seq = excluded.bundle_seq,"
            " received_at = excluded.received_at",
            (
                head.workstation,
                head.seq,
                head.hash,
                _iso(head.at),
                head.signer,
                head.signature,
                bundle_seq,
                _iso(self._clock()),
            ),
        )

    def contradict_peer_head(self, head: AuditHead) -> None:
        self._write(
            "UPDATE audit_witnesses SET contradicted = ? WHERE workstation = ? AND contradicted IS NULL",
            (head.model_dump_json(), head.workstation),
        )

    def count_audit(self) -> int:
        return int(self._one("SELECT count(*) FROM audit")[0])
