"""Crisis cell: service statuses, the main courante (crisis log), and the dashboard's indicator counts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from continuity.domain.crisis import (
    Acknowledgement,
    DegradedStatus,
    Instruction,
    LogCategory,
    LogEntry,
    ServiceStatusView,
)
from continuity.domain.identity import IdentityStatus
from continuity.domain.movement import MovementKind
from continuity.errors import NotFound
from continuity.store.base import Manager
from continuity.store.rows import _dt, _iso


class CrisisManager(Manager):
    """``store.crisis``: the ``services``, ``status_changes``, ``crisis_log``, ``instructions``
    and ``instruction_acks`` tables; indicators."""

    def service_exists(self, code: str) -> bool:
        return self._one("SELECT 1 FROM services WHERE code = ?", (code,)) is not None

    def require_service(self, code: str) -> None:
        if not self.service_exists(code):
            raise NotFound(f"Service inconnu : {code}.", f"Unknown service: {code}.")

    def service_statuses(self) -> list[ServiceStatusView]:
        rows = self._all(
            "SELECT s.code, s.name, c.status, c.changed_at, c.changed_by, c.note, c.origin FROM services s"
            " LEFT JOIN status_changes c ON c.seq = (SELECT x.seq FROM status_changes x"
            " WHERE x.service_code = s.code ORDER BY julianday(x.changed_at) DESC,"
            " coalesce(x.origin, '') DESC, coalesce(x.change_id, '') DESC, x.seq DESC LIMIT 1)"
            " ORDER BY s.position"
        )
        return [
            ServiceStatusView(
                code=r[0],
                name=r[1],
                status=r[2] or DegradedStatus.NORMAL,
                changed_at=_dt(r[3]),
                changed_by=r[4],
                note=r[5],
                workstation=r[6],
            )
            for r in rows
        ]

    def add_status_change(
        self,
        code: str,
        status: DegradedStatus,
        by: str,
        note: str | None,
        at: datetime | None = None,
        change_id: str | None = None,
        origin: str | None = None,
    ) -> int:
        cur = self._write(
            "INSERT INTO status_changes(service_code, status, changed_at,"
            " changed_by, note, change_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, status.value, _iso(at or self._clock()), by, note, change_id, origin),
        )
        return int(cur.lastrowid)

    def status_change_known(self, change_id: str) -> bool:
        return self._one("SELECT 1 FROM status_changes WHERE change_id = ?", (change_id,)) is not None

    def name_change(self, table: str, seq: int, change_id: str, origin: str) -> None:
        """The site-wide id of a status change or log entry made here (its audit entry's)."""
        if table == "status_changes":
            self._write(
                "UPDATE status_changes SET change_id = ?, origin = ? WHERE seq = ?", (change_id, origin, seq)
            )
        else:
            self._write(
                "UPDATE crisis_log SET change_id = ?, origin = ? WHERE seq = ?", (change_id, origin, seq)
            )

    def add_log_entry(
        self,
        author: str,
        category: LogCategory,
        text: str,
        service_code: str | None,
        at: datetime | None = None,
        change_id: str | None = None,
        origin: str | None = None,
    ) -> LogEntry:
        when = at or self._clock()
        cur = self._write(
            "INSERT INTO crisis_log(at, author, category, text, service_code, change_id, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_iso(when), author, category.value, text, service_code, change_id, origin),
        )
        return LogEntry(
            seq=int(cur.lastrowid),
            at=when,
            author=author,
            category=category,
            text=text,
            service_code=service_code,
            workstation=origin,
        )

    def log_entry_known(self, change_id: str) -> bool:
        return self._one("SELECT 1 FROM crisis_log WHERE change_id = ?", (change_id,)) is not None

    def log_entries(
        self, since: datetime | None, category: LogCategory | None, service_code: str | None, limit: int
    ) -> list[LogEntry]:
        """Newest first by the time written (entries received late from another workstation
        take their place in time)."""
        sql = ["SELECT seq, at, author, category, text, service_code, origin FROM crisis_log WHERE 1=1"]
        params: list[Any] = []
        if since is not None:
            sql.append("AND julianday(at) >= julianday(?)")
            params.append(_iso(since))
        if category is not None:
            sql.append("AND category = ?")
            params.append(category.value)
        if service_code is not None:
            sql.append("AND service_code = ?")
            params.append(service_code)
        sql.append("ORDER BY at DESC, seq DESC LIMIT ?")
        params.append(limit)
        return [
            LogEntry(
                seq=r[0],
                at=datetime.fromisoformat(r[1]),
                author=r[2],
                category=LogCategory(r[3]),
                text=r[4],
                service_code=r[5],
                workstation=r[6],
            )
            for r in self._all(" ".join(sql), params)
        ]

    # Instructions of the crisis cell and their acknowledgements (continuity.services.instructions).
    def add_instruction(self, instruction: Instruction) -> None:
        self._write(
            "INSERT OR IGNORE INTO instructions(id, at, author, origin, text, ufs) VALUES (?, ?, ?, ?, ?, ?)",
            (
                instruction.id,
                _iso(instruction.at),
                instruction.author,
                instruction.workstation,
                instruction.text,
                json.dumps(list(instruction.ufs)),
            ),
        )

    def add_acknowledgement(self, instruction_id: str, ack: Acknowledgement) -> bool:
        """False when that workstation had acknowledged it already (the first one stays)."""
        cur = self._write(
            "INSERT OR IGNORE INTO instruction_acks(instruction_id, workstation, username, at)"
            " VALUES (?, ?, ?, ?)",
            (instruction_id, ack.workstation, ack.username, _iso(ack.at)),
        )
        return bool(cur.rowcount)

    def instructions(self, instruction_id: str | None = None) -> list[Instruction]:
        """Newest first, each with its acknowledgements (oldest first)."""
        where, params = ("WHERE id = ?", (instruction_id,)) if instruction_id else ("", ())
        acks: dict[str, list[Acknowledgement]] = {}
        ack_where = "WHERE instruction_id = ?" if instruction_id else ""
        for r in self._all(
            f"SELECT instruction_id, workstation, username, at FROM instruction_acks {ack_where}"
            " ORDER BY at, workstation",
            params,
        ):
            acks.setdefault(r[0], []).append(
                Acknowledgement(workstation=r[1], username=r[2], at=datetime.fromisoformat(r[3]))
            )
        return [
            Instruction(
                id=r[0],
                at=datetime.fromisoformat(r[1]),
                author=r[2],
                workstation=r[3],
                text=r[4],
                ufs=tuple(json.loads(r[5])),
                acknowledgements=tuple(acks.get(r[0], ())),
            )
            for r in self._all(
                f"SELECT id, at, author, origin, text, ufs FROM instructions {where}"
                " ORDER BY at DESC, rowid DESC",
                params,
            )
        ]

    # Indicators: read-only queries for the crisis-cell dashboard (continuity.services.indicators).
    # Times are compared with julianday() so ISO strings with different offsets compare
    # as instants.
    def first_status_change_at(self, status: DegradedStatus) -> datetime | None:
        """When any service first took ``status`` (the earliest such change recorded)."""
        row = self._one(
            "SELECT changed_at FROM status_changes WHERE status = ? ORDER BY seq LIMIT 1", (status.value,)
        )
        return _dt(row[0]) if row else None

    def count_movements_since(self, kind: MovementKind, since: datetime) -> int:
        """Movements of ``kind`` at or after ``since`` that no cancellation has removed."""
        row = self._one(
            "SELECT count(*) FROM movements m WHERE m.kind = ?"
            " AND julianday(m.at) >= julianday(?)"
            " AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.cancels = m.id)",
            (kind.value, _iso(since)),
        )
        return int(row[0])

    def movement_times_since(self, kind: MovementKind, since: datetime) -> list[datetime]:
        """Times of the movements of ``kind`` at or after ``since`` not cancelled, oldest first."""
        rows = self._all(
            "SELECT m.at FROM movements m WHERE m.kind = ?"
            " AND julianday(m.at) >= julianday(?)"
            " AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.cancels = m.id)"
            " ORDER BY julianday(m.at)",
            (kind.value, _iso(since)),
        )
        return [datetime.fromisoformat(r[0]) for r in rows]

    def bed_counts_by_uf(self) -> dict[str, tuple[int, int]]:
        """UF code -> (number of beds, number of blocked beds)."""
        return {
            r[0]: (int(r[1]), int(r[2]))
            for r in self._all(
                "SELECT uf_code, count(*), coalesce(sum(blocked != 0), 0) FROM beds GROUP BY uf_code"
            )
        }

    def count_open_stays_with_identity(self, status: IdentityStatus) -> int:
        """Patients in an open stay (present or on leave) whose identity has ``status``."""
        row = self._one(
            "SELECT count(*) FROM stays s JOIN patients p ON p.id = s.patient_id"
            " WHERE s.state IN ('present', 'leave') AND p.identity_status = ?",
            (status.value,),
        )
        return int(row[0])
