"""Applying the crisis cell's changes received from other workstations: service statuses,
main courante entries, instructions and their acknowledgements.

Each is checked against the author's role as this workstation knows it (its users are
the site's): a change its author could not have made here, a ward setting a service's
status for instance, is refused (``PermissionDenied``: a conflict, never applied). A status
is the one recorded last (``store.crisis.service_statuses``); entries are only added.
"""

from __future__ import annotations

from datetime import datetime

from continuity.domain.crisis import Acknowledgement, DegradedStatus, Instruction, LogCategory
from continuity.domain.exchange import ReceivedChange
from continuity.domain.users import Permission, Role, User
from continuity.errors import PermissionDenied
from continuity.store import Store

ACTIONS = ("service.status", "log.add", "instruction.send", "instruction.ack")


def apply_crisis_change(store: Store, change: ReceivedChange) -> str | None:
    """None once applied, or what it waits for (``continuity.merge.apply.apply_change``)."""
    action, p = change.action, change.payload
    at = datetime.fromisoformat(p["at"]) if p.get("at") else change.at
    if action == "service.status":
        _allowed(store, change, Permission.SET_STATUS)
        code = change.entity_id
        store.crisis.require_service(code)
        if not store.crisis.status_change_known(change.change_id):
            status = DegradedStatus(p["to"])
            store.crisis.add_status_change(
                code,
                status,
                change.actor,
                p.get("note"),
                at=at,
                change_id=change.change_id,
                origin=change.origin,
            )
        return None
    if action == "log.add":
        service = p.get("service_code")
        user = _author(store, change)
        if not user.can(Permission.WRITE_LOG) and not (
            service and user.can(Permission.WRITE_SERVICE_LOG, service)
        ):
            raise _refused(change)
        if service:
            store.crisis.require_service(service)
        if not store.crisis.log_entry_known(change.change_id):
            store.crisis.add_log_entry(
                change.actor,
                LogCategory(p["category"]),
                p["text"],
                service,
                at=at,
                change_id=change.change_id,
                origin=change.origin,
            )
        return None
    if action == "instruction.send":
        _allowed(store, change, Permission.SEND_INSTRUCTIONS)
        store.crisis.add_instruction(
            Instruction(
                id=change.entity_id,
                at=at,
                author=change.actor,
                workstation=change.origin,
                text=p["text"],
                ufs=tuple(p.get("ufs") or ()),
            )
        )
        return None
    if action == "instruction.ack":
        found = store.crisis.instructions(change.entity_id)
        if not found:
            return f"instruction:{change.entity_id}"
        user = _author(store, change)
        if user.role is not Role.WARD_STAFF or not found[0].addressed_to(user.ufs):
            raise _refused(change)
        if p.get("workstation") != change.origin:  # a workstation acknowledges for itself only
            raise _refused(change)
        store.crisis.add_acknowledgement(
            change.entity_id, Acknowledgement(workstation=change.origin, username=change.actor, at=at)
        )
        return None
    return None


def provides(change: ReceivedChange) -> tuple[str, ...]:
    return (f"instruction:{change.entity_id}",) if change.action == "instruction.send" else ()


def _author(store: Store, change: ReceivedChange) -> User:
    user = store.users.get_user(change.actor)
    if user is None or not user.active:
        raise PermissionDenied(
            "Auteur inconnu (ou désactivé) sur ce poste : changement refusé.",
            "Author unknown (or deactivated) on this workstation: change refused.",
        )
    return user


def _allowed(store: Store, change: ReceivedChange, permission: Permission) -> None:
    if not _author(store, change).can(permission):
        raise _refused(change)


def _refused(change: ReceivedChange) -> PermissionDenied:
    return PermissionDenied(
        f"Changement « {change.action} » refusé : le rôle de son auteur ne le permet pas.",
        f"Change '{change.action}' refused: its author's role does not allow it.",
    )
