"""Users, passwords, key slots and the audit check (IT administration)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from continuity import audit, keyslots
from continuity.domain.users import Permission, Role, User
from continuity.errors import Conflict, NotFound, PermissionDenied
from continuity.session import RECOVERY_ACTOR, Session


def list_users(session: Session) -> list[User]:
    session.require(Permission.MANAGE_USERS)
    return session.store.list_users()


def add_user(session: Session, user: User, password: str) -> None:
    """Create the user and wrap the database key with their password in a new slot."""
    session.require(Permission.MANAGE_USERS)
    keyslots.check_password_strength(password)
    store = session.store
    for uf in user.ufs:
        if not store.uf_exists(uf):
            raise NotFound(f"UF inconnue : {uf}.", f"Unknown UF: {uf}.")
    slots = session.workspace.load_slots()
    with store.transaction():
        store.insert_user(user)
        store.append_audit(session.actor, "user.add", "user", user.username, 1,
                           {"role": user.role.value, "ufs": list(user.ufs)})
        keyslots.wrap(slots, keyslots.user_slot_id(user.username), password.encode(),
                      session.db_key)
        session.workspace.save_slots(slots)


def change_password(session: Session, username: str, new_password: str) -> None:
    """A user changes their own password; an IT admin (or the recovery key) resets anyone's."""
    name = username.strip().lower()
    if name != session.user.username:
        session.require(Permission.MANAGE_USERS)
    keyslots.check_password_strength(new_password)
    store = session.store
    target = store.get_user(name)
    if target is None or not target.active:
        raise NotFound("Utilisateur inconnu.", "Unknown user.")
    slots = session.workspace.load_slots()
    with store.transaction():
        store.append_audit(session.actor, "user.password", "user", name, 1,
                           {"reset_by_other": name != session.user.username})
        keyslots.wrap(slots, keyslots.user_slot_id(name), new_password.encode(), session.db_key)
        session.workspace.save_slots(slots)


def remove_user(session: Session, username: str) -> None:
    """Deactivate the user (history keeps their name) and delete their key slot."""
    session.require(Permission.MANAGE_USERS)
    name = username.strip().lower()
    if name == session.user.username:
        raise Conflict("Vous ne pouvez pas supprimer votre propre compte.",
                       "You cannot remove your own account.")
    store = session.store
    target = store.get_user(name)
    if target is None or not target.active:
        raise NotFound("Utilisateur inconnu.", "Unknown user.")
    admins = [u for u in store.list_users() if u.role is Role.IT_ADMIN and u.active]
    if target.role is Role.IT_ADMIN and len(admins) == 1:
        raise Conflict("Impossible de supprimer le dernier administrateur.",
                       "Cannot remove the last administrator.")
    slots = session.workspace.load_slots()
    with store.transaction():
        store.set_user_active(name, False)
        store.append_audit(session.actor, "user.remove", "user", name, 1, {})
        slots.slots.pop(keyslots.user_slot_id(name), None)
        session.workspace.save_slots(slots)


def new_recovery_key(session: Session) -> str:
    """Replace the recovery slot; the returned key is shown once and must be printed."""
    session.require(Permission.MANAGE_KEYS)
    if session.actor == RECOVERY_ACTOR:
        raise PermissionDenied("La clé de secours ne peut pas se remplacer elle-même.",
                               "The recovery key cannot replace itself.")
    key = keyslots.generate_recovery_key()
    slots = session.workspace.load_slots()
    store = session.store
    with store.transaction():
        store.append_audit(session.actor, "key.recovery", "keyslot", keyslots.RECOVERY_SLOT, 1, {})
        keyslots.wrap(slots, keyslots.RECOVERY_SLOT, keyslots.parse_recovery_key(key),
                      session.db_key)
        session.workspace.save_slots(slots)
    return key


class AuditCheck(BaseModel):
    model_config = ConfigDict(frozen=True)
    entries: int
    ok: bool
    first_bad_seq: int | None
    head_matches: bool

    @property
    def valid(self) -> bool:
        return self.ok and self.head_matches


def verify_audit(session: Session) -> AuditCheck:
    """Recompute the hash chain; also catch entries cut off the end (head kept in meta)."""
    session.require(Permission.VERIFY_AUDIT)
    report = audit.verify(session.store.audit_rows())
    head = session.store.get_meta("audit_head")
    expected = f"{report.entries}:{report.head}" if report.entries else None
    return AuditCheck(entries=report.entries, ok=report.ok, first_bad_seq=report.first_bad_seq,
                      head_matches=(not report.ok) or head == expected)

