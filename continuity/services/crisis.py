"""Crisis cell: degraded-mode status per service and the main courante."""

from __future__ import annotations

from datetime import datetime

from continuity.domain.crisis import (
    STATUS_LABELS,
    DegradedStatus,
    LogCategory,
    LogEntry,
    LogEntryInput,
    ServiceStatusView,
    status_change_text,
)
from continuity.domain.users import Permission
from continuity.errors import Conflict, NotFound, PermissionDenied
from continuity.session import Session
from continuity.store import Store
from continuity.text import check_text
from continuity.validation import build


def service_statuses(session: Session) -> list[ServiceStatusView]:
    session.require(Permission.READ_STATUS)
    return session.store.crisis.service_statuses()


def set_status(
    session: Session, service_code: str, status: DegradedStatus, note: str | None = None
) -> ServiceStatusView:
    """Change a service's status; the change is written to the main courante in the same
    transaction (by the same author, for that service: from what to what, and the note)."""
    session.require(Permission.SET_STATUS)
    note = check_text(note, "Note", "Note", multiline=True)
    store = session.store
    code = service_code.strip().upper()
    with store.transaction():
        current = next((s for s in store.crisis.service_statuses() if s.code == code), None)
        if current is None:
            raise NotFound(f"Service inconnu : {code}.", f"Unknown service: {code}.")
        if current.status is status and current.changed_at is not None:
            fr, en = STATUS_LABELS[status]
            raise Conflict(
                f"Le service {code} est déjà en statut « {fr} ».", f"Service {code} is already '{en}'."
            )
        at = session.clock()
        seq = store.crisis.add_status_change(code, status, session.actor, note, at=at)
        store.audit.append_audit(
            session.actor,
            "service.status",
            "service",
            code,
            seq,
            {"from": current.status.value, "to": status.value, "note": note, "at": at.isoformat()},
        )
        _name_after_audit(store, "status_changes", seq)
        text = status_change_text(code, current.status, status, note)
        _write_log_entry(session, LogCategory.DECISION, text, code)
    return next(s for s in store.crisis.service_statuses() if s.code == code)


def add_log_entry(
    session: Session, text: str, category: LogCategory = LogCategory.INFO, service_code: str | None = None
) -> LogEntry:
    """An entry of the main courante. Ward staff write only for their own UFs (the entry
    reaches the crisis cell with the next bundle)."""
    if not session.user.can(Permission.WRITE_LOG):
        if not (service_code or "").strip():
            raise PermissionDenied(
                "Précisez le service (votre UF) de cette entrée de main courante.",
                "Give the service (your UF) of this main courante entry.",
            )
        session.require(Permission.WRITE_SERVICE_LOG, (service_code or "").strip().upper())
    entry = build(
        LogEntryInput,
        {
            "text": text,
            "category": category,
            "service_code": service_code.strip().upper() if service_code else None,
        },
        "Main courante",
        "Crisis log",
    )
    store = session.store
    with store.transaction():
        if entry.service_code:
            store.crisis.require_service(entry.service_code)
        saved = _write_log_entry(session, entry.category, entry.text, entry.service_code)
    return saved


def _write_log_entry(
    session: Session, category: LogCategory, text: str, service_code: str | None
) -> LogEntry:
    """The entry and its audit entry, inside the caller's transaction (permission checked
    by the caller)."""
    store = session.store
    at = session.clock()
    saved = store.crisis.add_log_entry(session.actor, category, text, service_code, at=at)
    store.audit.append_audit(
        session.actor,
        "log.add",
        "crisis_log",
        str(saved.seq),
        1,
        {
            "category": saved.category.value,
            "text": saved.text,
            "service_code": saved.service_code,
            "at": at.isoformat(),
        },
    )
    return saved.model_copy(update={"workstation": _name_after_audit(store, "crisis_log", saved.seq)})


def _name_after_audit(store: Store, table: str, seq: int) -> str:
    """Give the row just audited its site-wide id, its audit entry's as other workstations
    receive it (``<workstation>:<audit seq>``); return this workstation's code."""
    head = store.audit.head()
    assert head is not None
    origin = store.reference.local_workstation().code
    store.crisis.name_change(table, seq, f"{origin}:{head[0]}", origin)
    return origin


def log_entries(
    session: Session,
    *,
    since: datetime | None = None,
    category: LogCategory | None = None,
    service_code: str | None = None,
    limit: int = 200,
) -> list[LogEntry]:
    """Newest first."""
    session.require(Permission.READ_LOG)
    return session.store.crisis.log_entries(
        since, category, service_code.upper() if service_code else None, limit
    )


def site_name(session: Session) -> str:
    session.require(Permission.READ_STATUS)
    return session.store.reference.site_name()[1]


def uf_names(session: Session) -> dict[str, str]:
    """Code -> name of every UF of the site (reference data, no patient: every role reads it)."""
    session.require(Permission.READ_STATUS)
    return dict(session.store.reference.list_ufs())


EXERCISE_KEY = "exercise_mode"
EXERCISE_COPY_KEY = "exercise_copy"  # set for good on a drill's own store


def exercise_mode(session: Session) -> bool:
    """Drill mode: the workstation is used for a crisis exercise, not a real outage."""
    session.require(Permission.READ_STATUS)
    return session.store.get_meta(EXERCISE_KEY) == "on"


def set_exercise_mode(session: Session, on: bool) -> None:
    session.require(Permission.SET_STATUS)
    store = session.store
    if not on and store.get_meta(EXERCISE_COPY_KEY):
        raise Conflict(
            "Cette base est celle d'un exercice : elle reste en mode exercice.",
            "This is an exercise's store: it stays in exercise mode.",
        )
    with store.transaction():
        store.set_meta(EXERCISE_KEY, "on" if on else "off")
        store.audit.append_audit(session.actor, "site.exercise_mode", "site", "exercise", 1, {"on": on})
