"""Users, passwords, key slots and the audit check (IT administration)."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from continuity import audit, keyslots, passwords, rekey
from continuity.domain.users import Permission, Role, User
from continuity.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StoreError
from continuity.folders import PARTIAL_SUFFIX, fsync_folder, write_failure
from continuity.services import witnesses
from continuity.services.witnesses import WitnessCheck
from continuity.session import RECOVERY_ACTOR, Session, Workspace
from continuity.slot_registry import update_registry
from continuity.text import check_text
from continuity.validation import build

IDLE_POLICY_KEY = "policy.idle_lock_minutes"
# argon2id parameters given explicitly at provisioning (tests, benchmarks); absent on a
# store provisioned normally, whose slots all get the kit's defaults.
KDF_META_KEY = "keyslots.kdf"


def idle_lock_minutes(session: Session) -> int | None:
    """The site's longest idle time before the workstation locks (users may choose less)."""
    session.require(Permission.READ_STATUS)
    value = session.store.get_meta(IDLE_POLICY_KEY)
    return int(value) if value and value.isdigit() else None


def _slot_kdf(session: Session) -> keyslots.KdfParams | None:
    """The argon2id parameters of a new key slot of this store: those it was provisioned
    with, when given explicitly; else None (the kit's defaults, ``keyslots.KdfParams()``)."""
    return keyslots.kdf_from_text(session.store.get_meta(KDF_META_KEY))


def _require_live(session: Session) -> None:
    """Slots belong to the live store: a copy (exercise...) is opened through them, and
    changes none (a slot added from a drill would open the real store)."""
    if session.workspace.is_copy:
        raise InvalidInput(
            "Gérez les comptes et les clés sur la base réelle du poste, pas sur une copie "
            "(exercice) : ses comptes sont ceux de la base réelle.",
            "Manage accounts and keys on the workstation's real store, not on a copy "
            "(exercise): it uses the real store's accounts.",
        )


def list_users(session: Session) -> list[User]:
    session.require(Permission.MANAGE_USERS)
    return session.store.users.list_users()


def add_user(session: Session, user: User, password: str) -> None:
    """Create the user and wrap the database key with their password in a new slot."""
    session.require(Permission.MANAGE_USERS)
    check_text(user.display_name, "Nom affiché", "Display name")
    passwords.check_password(password, user.username)
    _require_live(session)
    store = session.store
    for uf in user.ufs:
        if not store.reference.uf_exists(uf):
            raise NotFound(f"UF inconnue : {uf}.", f"Unknown UF: {uf}.")
    with keyslots.attempt_lock(session.workspace.live_folder):
        slots = session.workspace.load_slots()
        with store.transaction():
            store.users.insert_user(user)
            store.audit.append_audit(
                session.actor,
                "user.add",
                "user",
                user.username,
                1,
                {"role": user.role.value, "ufs": list(user.ufs)},
            )
            sid = keyslots.user_slot_id(user.username)
            keyslots.wrap(slots, sid, password.encode(), session.db_key, _slot_kdf(session))
            update_registry(store, slots, {sid: keyslots.fingerprint(slots.slots[sid])})
            session.workspace.save_slots(slots)


def change_password(session: Session, username: str, new_password: str) -> None:
    """A user changes their own password; an IT admin (or the recovery key) resets anyone's."""
    name = username.strip().lower()
    if name != session.user.username:
        session.require(Permission.MANAGE_USERS)
    passwords.check_password(new_password, name)
    _require_live(session)
    store = session.store
    target = store.users.get_user(name)
    if target is None or not target.active:
        raise NotFound("Utilisateur inconnu.", "Unknown user.")
    with keyslots.attempt_lock(session.workspace.live_folder):
        slots = session.workspace.load_slots()
        with store.transaction():
            store.audit.append_audit(
                session.actor,
                "user.password",
                "user",
                name,
                1,
                {"reset_by_other": name != session.user.username},
            )
            # a new key pair: the old password opens nothing sealed from now on
            sid = keyslots.user_slot_id(name)
            keyslots.wrap(slots, sid, new_password.encode(), session.db_key, _slot_kdf(session))
            update_registry(store, slots, {sid: keyslots.fingerprint(slots.slots[sid])})
            session.workspace.save_slots(slots)


def remove_user(session: Session, username: str) -> rekey.Rotation:
    """Deactivate the user (history keeps their name), delete their key slot, then re-key the
    store (``rotate_key``; postponed, and said so, while it is open elsewhere)."""
    session.require(Permission.MANAGE_USERS)
    _require_live(session)
    name = username.strip().lower()
    if name == session.user.username:
        raise Conflict(
            "Vous ne pouvez pas supprimer votre propre compte.", "You cannot remove your own account."
        )
    store = session.store
    target = store.users.get_user(name)
    if target is None or not target.active:
        raise NotFound("Utilisateur inconnu.", "Unknown user.")
    admins = [u for u in store.users.list_users() if u.role is Role.IT_ADMIN and u.active]
    if target.role is Role.IT_ADMIN and len(admins) == 1:
        raise Conflict(
            "Impossible de supprimer le dernier administrateur.", "Cannot remove the last administrator."
        )
    with keyslots.attempt_lock(session.workspace.live_folder):
        slots = session.workspace.load_slots()
        with store.transaction():
            store.users.set_user_active(name, False)
            store.audit.append_audit(session.actor, "user.remove", "user", name, 1, {})
            update_registry(store, slots, {keyslots.user_slot_id(name): None})
            slots.slots.pop(keyslots.user_slot_id(name), None)
            if slots.pending is not None:
                slots.pending.pop(keyslots.user_slot_id(name), None)
            session.workspace.save_slots(slots)
    return _rotate_or_postpone(session, f"user.remove {name}")


class RecoveryKeyChange(BaseModel):
    """The new recovery key (shown once, to print) and the re-key that followed it."""

    model_config = ConfigDict(frozen=True)
    key: str
    rotation: rekey.Rotation


def new_recovery_key(
    session: Session, show: Callable[[str], None], *, drop_unconverted: bool = False
) -> RecoveryKeyChange:
    """Issue a new recovery key and re-key the store (``rotate_key``): the old key opens
    nothing any more, even with an old copy of the slot file.

    ``show`` displays the new key (once, to print) BEFORE anything replaces the old one:
    the new key is kept aside (``SlotFile.recovery_next``, opening nothing), shown, then
    the re-key makes it the recovery slot. A re-key that fails (a full disk) discards it and
    the old key still works; a display killed leaves the old key working, and doctor says
    a new key was prepared but not put in place. Needs the store alone (``Conflict``).
    """
    session.require(Permission.MANAGE_KEYS)
    if session.actor == RECOVERY_ACTOR:
        raise PermissionDenied(
            "La clé de secours ne peut pas se remplacer elle-même.", "The recovery key cannot replace itself."
        )
    _require_live(session)
    return _with_new_recovery(session, "key.recovery", show, drop_unconverted=drop_unconverted)


def _with_new_recovery(
    session: Session, reason: str, show: Callable[[str], None], *, drop_unconverted: bool
) -> RecoveryKeyChange:
    with session.alone():  # refused now, before any key is shown, while it is open elsewhere
        pass
    rekey.check_room(session.workspace.folder)
    store = session.store
    users = {keyslots.user_slot_id(u.username): u.username for u in store.users.list_users()}
    todo = rekey.plan(session, session.workspace.load_slots(), session.db_key)
    rekey.refuse_unfinished(todo, users, drop_unconverted, replace_recovery=True)
    key = keyslots.generate_recovery_key()
    with keyslots.attempt_lock(session.workspace.live_folder):
        slots = session.workspace.load_slots()
        if slots.pending is not None:
            raise keyslots.rekey_unfinished()
        scratch = keyslots.SlotFile(store_id=slots.store_id)
        keyslots.wrap(
            scratch,
            keyslots.RECOVERY_SLOT,
            keyslots.parse_recovery_key(key),
            session.db_key,
            _slot_kdf(session),
        )
        slots.recovery_next = scratch.slots[keyslots.RECOVERY_SLOT]
        with store.transaction():
            store.audit.append_audit(session.actor, "key.recovery", "keyslot", keyslots.RECOVERY_SLOT, 1, {})
            update_registry(store, slots, {keyslots.RECOVERY_NEXT: slots.recovery_next.public})
            session.workspace.save_slots(slots)
    show(key)
    try:
        rotation = rekey.rotate(
            session, reason, users, drop_unconverted=drop_unconverted, replace_recovery=True
        )
    except BaseException:
        _discard_recovery_next(session)
        raise
    return RecoveryKeyChange(key=key, rotation=rotation)


def _discard_recovery_next(session: Session) -> None:
    """A re-key that failed: the new recovery key shown goes, unless it already opens the
    store (the re-key got past the live database: the next unlock finishes it)."""
    with contextlib.suppress(OSError, StoreError), keyslots.attempt_lock(session.workspace.live_folder):
        slots = session.workspace.load_slots()
        if slots.pending is None and slots.recovery_next is not None:
            slots.recovery_next = None
            session.workspace.save_slots(slots)
            with session.store.transaction():
                update_registry(session.store, slots, {keyslots.RECOVERY_NEXT: None})


def rotate_key(
    session: Session,
    reason: str,
    *,
    drop_unconverted: bool = False,
    show_recovery: Callable[[str], None] | None = None,
) -> rekey.Rotation:
    """Re-key: a fresh random database key, the store and every copy it keeps re-encrypted,
    the slots of the recovery key and of the active users re-sealed, every other slot of the
    file dropped and reported (``continuity.rekey``). IT administrators, with the store alone
    (``Conflict`` while it is open elsewhere). ``reason`` goes into the audit (a lost
    device or stick, a departure...).

    Slots of the old format (users not signed in since the upgrade) cannot follow: refused
    (``Conflict`` naming them) unless ``drop_unconverted``. A recovery slot of the old format
    is replaced by a new recovery key, given to ``show_recovery`` before the re-key
    (``Conflict`` without it)."""
    session.require(Permission.MANAGE_KEYS)
    reason = " ".join(reason.split())[:200] or "manual"
    users = {keyslots.user_slot_id(u.username): u.username for u in session.store.users.list_users()}
    todo = rekey.plan(session, session.workspace.load_slots(), session.db_key)
    if todo.recovery_unconverted and show_recovery is not None and session.actor != RECOVERY_ACTOR:
        return _with_new_recovery(session, reason, show_recovery, drop_unconverted=drop_unconverted).rotation
    return rekey.rotate(session, reason, users, drop_unconverted=drop_unconverted)


def rotation_due(session: Session) -> str | None:
    """Why a re-key is waiting (a user removed while the store was open elsewhere, or
    before users of the old format signed in), or None."""
    session.require(Permission.READ_STATUS)
    return session.store.get_meta(rekey.ROTATION_DUE_KEY) or None


def _rotate_or_postpone(session: Session, reason: str) -> rekey.Rotation:
    """Re-key now; while the store is open elsewhere, or when the re-key would take access
    from users of the old format (or the recovery key), record that one is due instead
    (doctor and the commands say what to do, then to run ``continuity keys rotate``)."""
    users = {keyslots.user_slot_id(u.username): u.username for u in session.store.users.list_users()}
    todo = rekey.plan(session, session.workspace.load_slots(), session.db_key)
    waiting = tuple(users.get(sid, sid) for sid in todo.unconverted)
    if not waiting and not todo.recovery_unconverted:
        try:
            return rotate_key(session, reason)
        except Conflict:
            pass
    with session.store.transaction():
        session.store.set_meta(rekey.ROTATION_DUE_KEY, reason)
    return rekey.Rotation(
        done=False, reason=reason, must_sign_in=waiting, recovery_unconverted=todo.recovery_unconverted
    )


class AuditCheck(BaseModel):
    model_config = ConfigDict(frozen=True)
    entries: int
    ok: bool
    first_bad_seq: int | None
    head_matches: bool
    # Records whose current state the chain does not vouch for (continuity.store.seal).
    records: list[audit.RecordProblem] = []
    adoptions: int = 0  # records.adopt entries: schema upgrades that committed every record
    # The chain against the witnesses of its head kept outside the store (continuity.witness).
    witnesses: list[WitnessCheck] = []

    @property
    def valid(self) -> bool:
        return self.ok and self.head_matches and not self.records and all(w.ok for w in self.witnesses)


def verify_audit(session: Session, given: list[tuple[int, str]] | None = None) -> AuditCheck:
    """Recompute the hash chain; also catch entries cut off the end (head kept in meta);
    then recompute every record's state hash and compare it with the chain's; then check
    the chain holds every witness of its head (the witness file, the last bundle's, those
    ``given``: (number, hash) read on another workstation or on paper)."""
    session.require(Permission.VERIFY_AUDIT)
    checks = witnesses.check_witnesses(session, given)
    report = audit.verify(session.store.audit.audit_rows())
    head = session.store.get_meta("audit_head")
    expected = f"{report.entries}:{report.head}" if report.entries else None
    problems, adoptions = session.store.audit.record_problems()
    return AuditCheck(
        entries=report.entries,
        ok=report.ok,
        first_bad_seq=report.first_bad_seq,
        head_matches=(not report.ok) or head == expected,
        records=problems,
        adoptions=adoptions,
        witnesses=checks,
    )


# ------------------------------------------------------------------ user creation form
def site_ufs(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every UF of the site, to choose a new user's UFs."""
    session.require(Permission.MANAGE_USERS)
    return session.store.reference.list_ufs()


def create_user(
    session: Session, username: str, display_name: str, role: Role, ufs: Sequence[str], password: str
) -> User:
    """Validate a user typed in a form (bilingual ``InvalidInput``) and add it with its slot.

    A blank display name falls back to the user name, as on the command line.
    """
    session.require(Permission.MANAGE_USERS)
    name = username.strip().lower()
    display_name = check_text(display_name, "Nom affiché", "Display name") or ""
    user = build(
        User,
        {
            "username": name,
            "display_name": display_name.strip() or name,
            "role": role,
            "ufs": tuple(u.strip().upper() for u in ufs),
        },
        "Utilisateur",
        "User",
    )
    add_user(session, user, password)
    return user


# ----------------------------------------------------------------------------- backup
BACKUP_PREFIX = "continuity-backup-"


def _unwritable(folder: Path, exc: OSError) -> StoreError:
    full_or_read_only = write_failure(exc, folder)  # DiskFull, ReadOnlyFolder
    if full_or_read_only is not None:
        return full_or_read_only
    if isinstance(exc, PermissionError):
        return StoreError(
            f"Droits insuffisants pour écrire dans {folder} : choisissez un autre dossier.",
            f"No permission to write into {folder}: choose another folder.",
        )
    return StoreError(
        f"Impossible d'écrire la sauvegarde dans {folder} (support retiré ou dossier inaccessible ?).",
        f"Cannot write the backup into {folder} (medium removed or folder unreachable?).",
    )


def _check_destination(session: Session, destination_folder: Path) -> Path:
    try:
        destination = Path(destination_folder).expanduser().resolve()
        data = session.workspace.folder.resolve()
    except (OSError, RuntimeError):
        raise InvalidInput("Dossier de destination invalide.", "Invalid destination folder.") from None
    if destination.is_relative_to(data):
        raise InvalidInput(
            "Choisissez un dossier hors du dossier de données du poste : une sauvegarde à côté "
            "de l'original disparaîtrait avec lui.",
            "Choose a folder outside the workstation's data folder: a backup next to the "
            "original would be lost with it.",
        )
    if not destination.exists():
        raise NotFound(
            f"Dossier de destination introuvable : {destination}.",
            f"Destination folder not found: {destination}.",
        )
    if not destination.is_dir():
        raise InvalidInput(
            f"La destination n'est pas un dossier : {destination}.",
            f"The destination is not a folder: {destination}.",
        )
    return destination


def _new_backup_folder(destination: Path, stamp: str) -> tuple[Path, Path]:
    """(the new private sub-folder being written, the name it takes once complete); never
    reuses one (two backups in the same second). It is written as ``NAME.partial`` and
    renamed only when whole, so a backup cut short (medium pulled, process killed) never
    has the name of a complete one (``maintenance.backup_files`` refuses it)."""
    for n in range(1, 100):
        final = destination / (f"{BACKUP_PREFIX}{stamp}" + (f"-{n}" if n > 1 else ""))
        partial = final.with_name(final.name + PARTIAL_SUFFIX)
        if final.exists():
            continue
        try:
            partial.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _unwritable(destination, exc) from None
        return partial, final
    raise Conflict(
        "Trop de sauvegardes à la même seconde : réessayez.",
        "Too many backups in the same second: try again.",
    )


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(session: Session, destination_folder: Path) -> Path:
    """Write an encrypted copy of the store and of its key slots into a new sub-folder.

    Needs ``MANAGE_KEYS`` (IT administrators): the copy carries every key slot, so
    whoever holds it holds what the data folder's owner holds, and like the key slots
    it must be kept in custody. The database is copied page by page through SQLite's
    online backup API, as one consistent snapshot, re-encrypted with the same key:
    nothing is ever written in clear. The copy opens like a data folder
    (``Workspace(folder).unlock(user, password)``) with the passwords and recovery key
    valid at the time of the backup. Returns the new sub-folder.
    """
    session.require(Permission.MANAGE_KEYS)
    store = session.store
    destination = _check_destination(session, destination_folder)
    stamp = session.clock().astimezone().strftime("%Y%m%d-%H%M%S")
    target, final = _new_backup_folder(destination, stamp)
    try:
        db_copy = target / Workspace.DB_NAME
        # Created empty and private before SQLite opens it: no moment with wider rights.
        os.close(os.open(db_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        slots = session.workspace.load_slots()
        store.backup.backup_into(db_copy, session.db_key)
        _fsync_file(db_copy)
        witnesses.write_copy_witness(session, db_copy)
        keyslots.save(target / Workspace.SLOTS_NAME, slots)
        fsync_folder(target)
        os.rename(target, final)  # whole on the medium: now it has a backup's name
        target = final
        fsync_folder(destination)
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise _unwritable(destination, exc) from None
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    with store.transaction():
        store.audit.append_audit(
            session.actor, "backup.create", "backup", target.name, 1, {"folder": str(target)}
        )
    return target


# ------------------------------------------------------------------ workstation info
class WorkstationInfo(BaseModel):
    """What IT and the crisis cell need to know about this workstation; no patient data."""

    model_config = ConfigDict(frozen=True)
    site_code: str
    site_name: str
    workstation_code: str
    workstation_name: str
    block_start: int
    block_end: int
    remaining_numbers: int
    data_folder: Path
    database_bytes: int
    wal_bytes: int
    schema_version: int
    sqlcipher_version: str
    active_users: int
    inactive_users: int
    audit_entries: int


def integrity_ok(session: Session) -> bool:
    """SQLite's integrity check of the whole store (after a restore; doctor runs its own, for every role)."""
    session.require(Permission.VERIFY_AUDIT)
    return session.store.integrity_ok()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def workstation_info(session: Session) -> WorkstationInfo:
    """Site, workstation, identifier block, files and versions (IT admin and crisis cell)."""
    session.require(Permission.VERIFY_AUDIT)
    store = session.store
    workspace = session.workspace
    site_code, site_name = store.reference.site_name()
    ws = store.reference.local_workstation()
    users = store.users.list_users()
    active = sum(1 for u in users if u.active)
    return WorkstationInfo(
        site_code=site_code,
        site_name=site_name,
        workstation_code=ws.code,
        workstation_name=ws.name,
        block_start=ws.block[0],
        block_end=ws.block[1],
        remaining_numbers=store.reference.remaining_numbers(),
        data_folder=workspace.folder.resolve(),
        database_bytes=_size(workspace.db_path),
        wal_bytes=_size(workspace.db_path.with_name(workspace.db_path.name + "-wal")),
        schema_version=store.user_version(),
        sqlcipher_version=store.cipher_version(),
        active_users=active,
        inactive_users=len(users) - active,
        audit_entries=store.audit.count_audit(),
    )
