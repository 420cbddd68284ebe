"""Hash chain over the audit table: each entry commits to the one before it.

Changing, removing or reordering any entry breaks every hash after it, which
``verify`` reports with the first sequence number that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    version: int
    payload: str
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    version: int,
    payload: str,
) -> str:
    material: list[Any] = [prev_hash, seq, at, actor, action, entity, entity_id, version, payload]
    canonical = json.dumps(material, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditReport:
    entries: int
    ok: bool
    first_bad_seq: int | None
    head: str


def verify(rows: Iterable[AuditRow]) -> AuditReport:
    prev, expected_seq, count = GENESIS, 1, 0
    for row in rows:
        count += 1
        recomputed = entry_hash(
            prev, row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.version, row.payload
        )
        if row.seq != expected_seq or row.prev_hash != prev or row.hash != recomputed:
            return AuditReport(entries=count, ok=False, first_bad_seq=row.seq, head=prev)
        prev, expected_seq = row.hash, expected_seq + 1
    return AuditReport(entries=count, ok=True, first_bad_seq=None, head=prev)


class RecordProblem(BaseModel):
    """A record whose state the chain does not vouch for (``continuity.store.seal``)."""

    model_config = ConfigDict(frozen=True)
    table: str
    key: str  # the record's key as shown: an id, a number or a code, never a name
    kind: str  # altered | uncommitted | missing | changed_outside
    seq: int | None = None  # the audit entry concerned (its last commit, or the write over an edit)
