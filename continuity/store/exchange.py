"""Workstation exchange: changes received from other workstations, bundles, refused bundles."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.exchange import PeerKey, ReceivedChange
from continuity.store.base import Manager
from continuity.store.rows import _iso


class ExchangeManager(Manager):
    """``store.exchange``: ``changes``, ``exchange_bundles``, ``exchange_refused``, ``peer_keys``;
    the workstations.

    Used by continuity.services.exchange: what this workstation exports is read from
    its audit chain (``store.audit``); what others sent is kept in ``changes``.
    """

    def change_known(self, change_id: str) -> bool:
        return self._one("SELECT 1 FROM changes WHERE change_id = ?", (change_id,)) is not None

    def insert_change(self, change: ReceivedChange, status: str, waits_for: str | None = None) -> None:
        self._write(
            "INSERT INTO changes(change_id, origin, origin_seq, action, entity, entity_id,"
            " at, actor, payload, status, received_at, waits_for)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                change.change_id,
                change.origin,
                change.origin_seq,
                change.action,
                change.entity,
                change.entity_id,
                _iso(change.at),
                change.actor,
                json.dumps(change.payload, ensure_ascii=False, sort_keys=True, default=str),
                status,
                _iso(self._clock()),
                waits_for,
            ),
        )

    def set_change_status(self, change_id: str, status: str, waits_for: str | None = None) -> None:
        self._write(
            "UPDATE changes SET status = ?, waits_for = ? WHERE change_id = ?", (status, waits_for, change_id)
        )

    def _changes(self, where: str, params: Sequence[Any]) -> list[ReceivedChange]:
        return [
            ReceivedChange(
                change_id=r[0],
                origin=r[1],
                origin_seq=r[2],
                action=r[3],
                entity=r[4],
                entity_id=r[5],
                at=datetime.fromisoformat(r[6]),
                actor=r[7],
                payload=json.loads(r[8]),
            )
            for r in self._all(
                "SELECT change_id, origin, origin_seq, action, entity, entity_id, at, actor, payload"
                f" FROM changes WHERE {where} ORDER BY origin, origin_seq",
                params,
            )
        ]

    def waiting_changes(self) -> list[ReceivedChange]:
        return self._changes("status = 'waiting'", ())

    def changes_waiting_for(self, keys: Sequence[str], *, or_unknown: bool = False) -> list[ReceivedChange]:
        """The waiting changes that wait for one of ``keys`` (and, ``or_unknown``, those
        received before their wait was recorded)."""
        marks = ",".join("?" * len(keys))
        unknown = " OR waits_for IS NULL" if or_unknown else ""
        return self._changes(f"status = 'waiting' AND (waits_for IN ({marks}){unknown})", list(keys))

    def received_changes_of(
        self, entity: str, entity_id: str, actions: Sequence[str]
    ) -> list[ReceivedChange]:
        marks = ",".join("?" * len(actions))
        return self._changes(
            f"status = 'applied' AND entity = ? AND entity_id = ? AND action IN ({marks})",
            [entity, entity_id, *actions],
        )

    def count_waiting(self) -> int:
        """Through the index of the waiting ones: not a scan of every change received."""
        return int(self._one("SELECT count(*) FROM changes WHERE status = 'waiting'")[0])

    def count_changes(self) -> dict[str, int]:
        return {r[0]: int(r[1]) for r in self._all("SELECT status, count(*) FROM changes GROUP BY status")}

    def bundle_known(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM exchange_bundles WHERE sha256 = ?", (sha256,)) is not None

    def record_bundle(
        self, sha256: str, workstation: str, seq: int, created_at: datetime, changes: int
    ) -> None:
        self._write(
            "INSERT OR IGNORE INTO exchange_bundles(sha256, workstation, seq, created_at,"
            " received_at, changes) VALUES (?, ?, ?, ?, ?, ?)",
            (sha256, workstation, seq, _iso(created_at), _iso(self._clock()), changes),
        )

    def bundles_by_workstation(self) -> dict[str, list[tuple[int, datetime, datetime]]]:
        """Workstation -> [(seq, created at, received at)] of the bundles received, by seq."""
        out: dict[str, list[tuple[int, datetime, datetime]]] = {}
        for r in self._all(
            "SELECT workstation, seq, created_at, received_at FROM exchange_bundles ORDER BY workstation, seq"
        ):
            out.setdefault(r[0], []).append(
                (int(r[1]), datetime.fromisoformat(r[2]), datetime.fromisoformat(r[3]))
            )
        return out

    def workstations(self) -> list[tuple[str, str, bool]]:
        """(code, name, is this one) of the site's workstations."""
        return [
            (r[0], r[1], bool(r[2]))
            for r in self._all("SELECT code, name, is_local FROM workstations ORDER BY code")
        ]

    def bundle_refused(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM exchange_refused WHERE sha256 = ?", (sha256,)) is not None

    def record_refused_bundle(self, sha256: str, file_name: str, reason: str) -> None:
        self._write(
            "INSERT OR IGNORE INTO exchange_refused(sha256, file_name, refused_at, reason)"
            " VALUES (?, ?, ?, ?)",
            (sha256, file_name, _iso(self._clock()), reason),
        )

    def forget_refused_bundles(self) -> None:
        """A new exchange key: bundles refused under the old one are looked at again."""
        self._write("DELETE FROM exchange_refused")

    def refused_bundles(self) -> list[tuple[str, datetime, str]]:
        return [
            (r[0], datetime.fromisoformat(r[1]), r[2])
            for r in self._all(
                "SELECT file_name, refused_at, reason FROM exchange_refused ORDER BY refused_at DESC"
            )
        ]

    def peer_key(self, workstation: str) -> PeerKey | None:
        found = [p for p in self.peer_keys() if p.workstation == workstation]
        return found[0] if found else None

    def peer_keys(self) -> list[PeerKey]:
        return [
            PeerKey(
                workstation=r[0],
                fingerprint=r[1],
                public_key=r[2],
                declared_at=datetime.fromisoformat(r[3]),
                declared_by=r[4],
            )
            for r in self._all(
                "SELECT workstation, fingerprint, public_key, declared_at, declared_by"
                " FROM peer_keys ORDER BY workstation"
            )
        ]

    def set_peer_key(self, workstation: str, fingerprint: str, public_key: str | None, actor: str) -> None:
        self._write(
            "INSERT INTO peer_keys(workstation, fingerprint, public_key, declared_at, declared_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(workstation) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, public_key = excluded.public_key,"
            " declared_at = excluded.declared_at, declared_by = excluded.declared_by",
            (workstation, fingerprint, public_key, _iso(self._clock()), actor),
        )

    def delete_peer_key(self, workstation: str) -> None:
        self._write("DELETE FROM peer_keys WHERE workstation = ?", (workstation,))
