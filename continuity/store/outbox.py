"""Outbox: the events waiting for the HIS, their delivery state and exports."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from continuity.domain.outbox import EventStatus, OutboxEvent
from continuity.errors import Conflict
from continuity.store.base import Manager
from continuity.store.rows import _OUTBOX_COLS, _iso, _outbox_event


class OutboxManager(Manager):
    """``store.outbox``: the ``outbox`` table."""

    def enqueue(
        self,
        kind: str,
        patient_id: str,
        stay_id: str | None,
        movement_id: str | None,
        payload: dict[str, Any],
    ) -> str:
        event_id = str(uuid.uuid4())
        self._write(
            "INSERT INTO outbox(event_id, created_at, kind, patient_id, stay_id,"
            " movement_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                _iso(self._clock()),
                kind,
                patient_id,
                stay_id,
                movement_id,
                json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
            ),
        )
        return event_id

    def outbox_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._all("SELECT status, count(*) FROM outbox GROUP BY status")}

    def count_unacknowledged(self) -> int:
        """The sync backlog: events the HIS has not acknowledged yet (pending, sent, refused)."""
        return int(
            self._one("SELECT count(*) FROM outbox WHERE status NOT IN ('acknowledged', 'superseded')")[0]
        )

    def outbox_events(self, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._all(
            "SELECT seq, event_id, created_at, kind, patient_id, stay_id,"
            " movement_id, status FROM outbox ORDER BY seq LIMIT ?",
            (limit,),
        )
        keys = ("seq", "event_id", "created_at", "kind", "patient_id", "stay_id", "movement_id", "status")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def deliverable_events(
        self, limit: int, *, not_exported: bool = False, after_seq: int = 0
    ) -> list[OutboxEvent]:
        """Events not yet acknowledged, oldest first, except those behind an event in error.

        A patient's events wait behind its earliest event in error (or committed by the
        HIS, its application ACK still awaited: it may yet be refused), so the HIS never
        receives a patient's events out of order, and while a conflict between
        workstations about the patient is open, so the HIS gets the settled history. A merge
        (A40) also waits behind the merged identity's earlier events in error or committed:
        the HIS gets that identity's history before it is told of the merge.
        """
        sql = (
            f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.status IN ('pending', 'sent')"
            " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.patient_id = o.patient_id"
            " AND e.status IN ('error', 'committed') AND e.seq < o.seq) AND o.seq > ?"
            # ...and a merge (A40) behind the merged identity's earlier events that wait so (its
            # other earlier events go first, in seq order: the HIS gets them under the identity
            # it knows before it is told of the merge)
            " AND NOT (o.kind = 'identity_merge' AND EXISTS (SELECT 1 FROM outbox m"
            " WHERE m.patient_id = json_extract(o.payload, '$.merged_id')"
            " AND m.status IN ('error', 'committed') AND m.seq < o.seq))"
            # ...and behind a conflict between workstations not settled yet
            " AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.resolved_at IS NULL"
            " AND ((c.entity = 'patient' AND c.entity_id = o.patient_id) OR (c.entity = 'stay'"
            " AND c.entity_id IN (SELECT id FROM stays WHERE patient_id = o.patient_id))))"
        )
        params: list[Any] = [after_seq]
        if not_exported:
            sql += " AND o.exported_at IS NULL"
        return [_outbox_event(r) for r in self._all(sql + " ORDER BY o.seq LIMIT ?", [*params, limit])]

    def outbox_event(self, event_id: str) -> OutboxEvent | None:
        row = self._one(f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.event_id = ?", (event_id,))
        return _outbox_event(row) if row else None

    def outbox_by_status(self, status: EventStatus, limit: int = 1000) -> list[OutboxEvent]:
        return [
            _outbox_event(r)
            for r in self._all(
                f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.status = ? ORDER BY o.seq LIMIT ?",
                (status.value, limit),
            )
        ]

    def outbox_of_patient(self, patient_id: str) -> list[OutboxEvent]:
        return [
            _outbox_event(r)
            for r in self._all(
                f"SELECT {_OUTBOX_COLS} FROM outbox o WHERE o.patient_id = ? ORDER BY o.seq", (patient_id,)
            )
        ]

    def his_may_know(self, patient_id: str) -> bool:
        """Whether an event of the patient was handed to the HIS (sent, held, accepted) or exported."""
        row = self._one(
            "SELECT 1 FROM outbox WHERE patient_id = ? AND (exported_at IS NOT NULL"
            " OR status IN ('sent', 'committed', 'acknowledged')) LIMIT 1",
            (patient_id,),
        )
        return row is not None

    def unsent_event_ids(self, patient_id: str, stay_ids: Sequence[str] | None = None) -> list[str]:
        """The patient's events never handed to the HIS: pending (or refused) and never exported."""
        sql = (
            "SELECT event_id FROM outbox WHERE patient_id = ? AND status IN ('pending', 'error')"
            " AND exported_at IS NULL"
        )
        params: list[Any] = [patient_id]
        if stay_ids is not None:
            if not stay_ids:
                return []
            sql += f" AND stay_id IN ({','.join('?' * len(stay_ids))})"
            params += list(stay_ids)
        return [r[0] for r in self._all(sql + " ORDER BY seq", params)]

    def repoint_events(self, event_ids: Sequence[str], patient_id: str) -> list[str]:
        """Give events never handed to the HIS to another patient; the ids actually re-pointed."""
        done = []
        for event_id in event_ids:
            cur = self._write(
                "UPDATE outbox SET patient_id = ? WHERE event_id = ? AND status IN ('pending', 'error')"
                " AND exported_at IS NULL",
                (patient_id, event_id),
            )
            if cur.rowcount:
                done.append(event_id)
        return done

    def mark_events_sent(self, event_ids: Sequence[str]) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1,"
                " updated_at = ? WHERE event_id = ? AND status IN ('pending', 'sent')",
                (now, event_id),
            )

    def mark_events_pending(self, event_ids: Sequence[str]) -> None:
        """Marked sent for a chunk but never put on the wire (run stopped or patient held)."""
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0)"
                " WHERE event_id = ? AND status = 'sent'",
                (event_id,),
            )

    def mark_events_acknowledged(self, event_ids: Sequence[str], target: str) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write(
                "UPDATE outbox SET status = 'acknowledged', delivered_to = ?,"
                " last_error = NULL, next_attempt_at = NULL, updated_at = ?"
                " WHERE event_id = ?",
                (target, now, event_id),
            )

    def mark_event_retry(self, event_id: str, error: str, next_attempt_at: datetime) -> None:
        """A delivery that failed on the way (no reply, dropped connection): try again later."""
        self._write(
            "UPDATE outbox SET last_error = ?, next_attempt_at = ?, updated_at = ?"
            " WHERE event_id = ? AND status IN ('pending', 'sent')",
            (error, _iso(next_attempt_at), _iso(self._clock()), event_id),
        )

    def mark_event_refused(self, event_id: str, error: str, his_reply: str) -> None:
        self._write(
            "UPDATE outbox SET status = 'error', last_error = ?, his_reply = ?,"
            " next_attempt_at = NULL, updated_at = ? WHERE event_id = ?",
            (error, his_reply, _iso(self._clock()), event_id),
        )

    def mark_event_committed(self, event_id: str) -> None:
        """HL7 enhanced mode: the HIS holds it (CA); settled by its application ACK, never resent."""
        self._write(
            "UPDATE outbox SET status = 'committed', last_error = NULL, next_attempt_at = NULL,"
            " updated_at = ? WHERE event_id = ? AND status IN ('pending', 'sent')",
            (_iso(self._clock()), event_id),
        )

    def oldest_committed_at(self) -> datetime | None:
        """When the HIS committed the oldest event whose application ACK is still awaited."""
        row = self._one("SELECT min(updated_at) FROM outbox WHERE status = 'committed'")
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def committed_since(self, event_id: str) -> datetime | None:
        row = self._one(
            "SELECT updated_at FROM outbox WHERE event_id = ? AND status = 'committed'", (event_id,)
        )
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def requeue_event(self, event_id: str) -> str:
        """Back to pending: an event in error (corrected), or committed and never answered
        (a deliberate resend, same control ID). Returns the status it had."""
        row = self._one("SELECT status FROM outbox WHERE event_id = ?", (event_id,))
        cur = self._write(
            "UPDATE outbox SET status = 'pending', next_attempt_at = NULL,"
            " updated_at = ? WHERE event_id = ? AND status IN ('error', 'committed')",
            (_iso(self._clock()), event_id),
        )
        if cur.rowcount != 1:
            raise Conflict(
                "Cet événement n'est ni en erreur ni en attente d'accusé applicatif.",
                "This event is neither in error nor awaiting an application ACK.",
            )
        return str(row[0])

    def mark_events_exported(self, event_ids: Sequence[str]) -> None:
        now = _iso(self._clock())
        for event_id in event_ids:
            self._write("UPDATE outbox SET exported_at = ? WHERE event_id = ?", (now, event_id))
