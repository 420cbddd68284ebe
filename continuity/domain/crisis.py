"""Degraded-mode status per service and the crisis cell's timestamped log (main courante)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from continuity.text import no_control_lines
from continuity.validation import custom


class DegradedStatus(StrEnum):
    NORMAL = "normal"
    DEGRADED = "degraded"
    RECOVERY = "recovery"
    RESTORED = "restored"


STATUS_LABELS: dict[DegradedStatus, tuple[str, str]] = {
    DegradedStatus.NORMAL: ("normal", "normal"),
    DegradedStatus.DEGRADED: ("mode dégradé", "degraded"),
    DegradedStatus.RECOVERY: ("reprise (ressaisie et synchronisation)", "recovery (back-entry and sync)"),
    DegradedStatus.RESTORED: ("rétabli", "restored"),
}


LOG_TEXT_MAX = 4000  # characters of a main courante entry


def status_change_text(
    service_code: str, before: DegradedStatus, after: DegradedStatus, note: str | None
) -> str:
    """The main courante entry of a status change (French, like the rest of the record):
    the service, from what to what, and the note; cut to ``LOG_TEXT_MAX`` characters (the
    whole note stays in the status)."""
    text = f"Statut du service {service_code} : {STATUS_LABELS[before][0]} → {STATUS_LABELS[after][0]}."
    if note and note.strip():
        text += f" Note : {note.strip()}"
    return text if len(text) <= LOG_TEXT_MAX else text[: LOG_TEXT_MAX - 1] + "…"


class LogCategory(StrEnum):
    INFO = "info"
    DECISION = "decision"
    ACTION = "action"
    ALERT = "alert"


def _text(value: str) -> str:
    text = no_control_lines(value).strip()  # controls refused; line breaks kept
    if not text:
        raise custom("text.blank")
    return text


class StatusChange(BaseModel):
    model_config = ConfigDict(frozen=True)
    service_code: str
    status: DegradedStatus
    changed_at: datetime
    changed_by: str
    note: str | None = None


class ServiceStatusView(BaseModel):
    """A service with its current status (``None`` fields when never set: normal by default).

    Set on several workstations, the current status is the one recorded last, ties broken
    by workstation then change id: the same on every workstation whatever the order the
    changes arrived in."""

    model_config = ConfigDict(frozen=True)
    code: str
    name: str
    status: DegradedStatus
    changed_at: datetime | None
    changed_by: str | None
    note: str | None
    workstation: str | None = None


class LogEntryInput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: Annotated[str, Field(max_length=LOG_TEXT_MAX), AfterValidator(_text)]
    category: LogCategory = LogCategory.INFO
    service_code: str | None = None


class LogEntry(BaseModel):
    """A main courante entry; ``workstation``: where it was written (None: before kit 0.4)."""

    model_config = ConfigDict(frozen=True)
    seq: int
    at: datetime
    author: str
    category: LogCategory
    text: str
    service_code: str | None
    workstation: str | None = None


INSTRUCTION_TEXT_MAX = 500  # an instruction is a short message: « Bascule en procédure papier »


class InstructionInput(BaseModel):
    """What the crisis cell sends: a short text, to every UF (``ufs`` empty) or to some."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    text: Annotated[str, Field(max_length=INSTRUCTION_TEXT_MAX), AfterValidator(_text)]
    ufs: tuple[str, ...] = ()


class Acknowledgement(BaseModel):
    model_config = ConfigDict(frozen=True)
    workstation: str
    username: str
    at: datetime


class Instruction(BaseModel):
    """An instruction of the crisis cell, with the workstations that acknowledged it."""

    model_config = ConfigDict(frozen=True)
    id: str
    at: datetime
    author: str
    workstation: str
    text: str
    ufs: tuple[str, ...]  # empty: every UF
    acknowledgements: tuple[Acknowledgement, ...] = ()

    def addressed_to(self, ufs: tuple[str, ...] | frozenset[str]) -> bool:
        return not self.ufs or bool(set(self.ufs) & set(ufs))

    def acknowledged_on(self, workstation: str) -> bool:
        return any(a.workstation == workstation for a in self.acknowledgements)
