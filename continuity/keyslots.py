"""Key slots: the random database key, opened by each user's password and by a recovery key.

Like LUKS, the data is encrypted with one random key and each secret (a user's
password, the printed recovery key) derives a key-encryption key (KEK) with
argon2id. Format 2 (this kit) puts one X25519 key pair in each slot: the KEK
wraps the slot's private key (AES-256-GCM, the store and slot names as
associated data), and the database key is *sealed* to the slot's public key
(an ephemeral X25519 exchange, HKDF-SHA256, AES-256-GCM). Sealing needs no
secret, so a re-key (``continuity keys rotate``) seals a fresh database key to
every slot without anyone's password. Format 1 (kits up to 0.2.0) wrapped the
database key itself with the KEK; such a slot is converted at its next
successful unlock, when its secret is known.

Each format-2 slot carries a MAC made with a key derived from the database key
(``slot_mac``): a slot planted by someone who can write the folder but holds no
key is not authentic, and a re-key seals nothing to it.

The slot file also holds the wrong-secret counters, one per name tried (a hash
of the slot's name, so unknown user names get counters too, and the same
answers and delays), counted under an exclusive lock (``attempt_lock``) held from
the load to the save. A counter only grows (``failed``); the failures since the
last success are ``failed - cleared``. What those counters can and cannot
guarantee against someone who can write the data folder: docs/security.md
(« Clés / Keys »). The slot file holds salts, parameters, wrapped private keys,
sealed keys and counters, never a key or a password in clear.

Python cannot reliably wipe memory, so keys held while the store is open live
in process memory until it is locked.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from stdnum.iso7064 import mod_37_36

from continuity import passwords
from continuity.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound, RateLimited, StoreError
from continuity.folders import write_private

KEY_BYTES = 32
FORMAT = 2
LEGACY_FORMAT = 1
RECOVERY_SLOT = "recovery"
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 300.0
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
# Counters of names that have no slot (mistyped or guessed names) are kept, the oldest
# forgotten beyond this many; the counters of the slots' own names are never forgotten.
MAX_UNKNOWN_COUNTERS = 256
ATTEMPT_LOCK = ".keyslots.verrou"
_RECOVERY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_RECOVERY_BODY = 29

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class KdfParams:
    """argon2id parameters; the default takes about 0.1 s on a 2-core workstation.

    Every slot records the parameters it was wrapped with. A store provisioned with
    explicit parameters records them (``kdf_text``) in its encrypted meta table, and its
    new slots take them too (tests do this to run faster); a store provisioned normally
    records none, and every slot it ever gets uses these defaults.
    """

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2


def kdf_text(kdf: KdfParams) -> str:
    return json.dumps(asdict(kdf), sort_keys=True)


def kdf_from_text(text: str | None) -> KdfParams | None:
    """Parameters written by ``kdf_text``; None (the defaults) when none or unreadable."""
    if not text:
        return None
    try:
        values = json.loads(text)
        kdf = KdfParams(**values)
    except (ValueError, TypeError):
        return None
    fields = asdict(kdf).values()
    return kdf if all(type(v) is int and v > 0 for v in fields) else None


@dataclass(frozen=True)
class Sealed:
    """The database key sealed to a slot's public key (ephemeral X25519 + HKDF + AES-GCM)."""

    ephemeral: str
    nonce: str
    ciphertext: str


@dataclass
class Slot:
    """One secret's slot. ``version`` 2: ``wrapped`` is the X25519 private key, the database
    key is in ``sealed``; ``version`` 1 (up to 0.2.0): ``wrapped`` is the database key."""

    slot_id: str
    salt: str
    nonce: str
    wrapped: str
    kdf: KdfParams
    version: int = FORMAT
    public: str = ""
    sealed: Sealed | None = None
    mac: str = ""
    # A slot converted from format 1 keeps its format-1 wrap of the same database key, so
    # that a rollback to a kit up to 0.2.0 can write a file that kit reads
    # (``legacy_file``); a re-key drops it (it wraps the old key), a new slot has none.
    legacy_nonce: str = ""
    legacy_wrapped: str = ""


@dataclass
class Counter:
    """Wrong secrets tried under one name: ``failed`` only grows, ``cleared`` is its value at
    the last success, so ``failed - cleared`` failures count towards the delay."""

    failed: int = 0
    cleared: int = 0
    retry_after: str | None = None
    last: str | None = None

    @property
    def failures(self) -> int:
        return max(0, self.failed - self.cleared)


@dataclass
class SlotFile:
    store_id: str
    slots: dict[str, Slot] = field(default_factory=dict)
    format: int = FORMAT
    # A re-key under way: every slot sealed to the new key, written before the database is
    # re-encrypted; it becomes ``slots`` once every database of the folder has the new key.
    pending: dict[str, Slot] | None = None
    counters: dict[str, Counter] = field(default_factory=dict)
    total_failed: int = 0
    # A new recovery key being put in place (``services.admin.new_recovery_key``): wrapped
    # and sealed to the current key, but opening nothing until the re-key that follows its
    # display makes it the recovery slot; the old recovery slot stays until then.
    recovery_next: Slot | None = None


def user_slot_id(username: str) -> str:
    return f"user:{username}"


RECOVERY_NEXT = "recovery:next"  # the registry's name of ``SlotFile.recovery_next``


def fingerprint(slot: Slot) -> str:
    """What the store's registry of slots records of a slot: its public key (format 2), its
    salt (format 1, kept when the slot is converted, so a conversion is recognised)."""
    return slot.public if slot.version == FORMAT else "v1:" + slot.salt


def is_registered(registry: dict[str, str], slot_id: str, slot: Slot) -> bool:
    """Whether ``slot`` is the one the store's registry knows under ``slot_id`` (a format-1
    slot registered and converted since, on a store that could not record it, included)."""
    known = registry.get(slot_id)
    if known is None:
        return False
    return known == fingerprint(slot) or (bool(slot.legacy_wrapped) and known == "v1:" + slot.salt)


def new_database_key() -> bytearray:
    return bytearray(secrets.token_bytes(KEY_BYTES))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _derive(secret: bytes, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        secret,
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _aad(store_id: str, slot_id: str, version: int = FORMAT) -> bytes:
    return f"continuity-keyslot-v{version}|{store_id}|{slot_id}".encode()


def check_password_strength(password: str) -> None:
    """The kit's password rules (``continuity.passwords``): length, common passwords."""
    passwords.check_password(password)


# ------------------------------------------------------------------ sealing, MAC
def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _seal_info(store_id: str, slot_id: str, ephemeral: bytes, public: bytes) -> bytes:
    return b"|".join((b"continuity-seal-v2", store_id.encode(), slot_id.encode(), ephemeral, public))


def seal(store_id: str, slot_id: str, public_b64: str, db_key: bytes | bytearray) -> Sealed:
    """Seal ``db_key`` to a slot's public key: only its private key opens it."""
    public = _unb64(public_b64)
    ephemeral = X25519PrivateKey.generate()
    eph_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    info = _seal_info(store_id, slot_id, eph_public, public)
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)
    nonce = secrets.token_bytes(12)
    return Sealed(_b64(eph_public), _b64(nonce), _b64(AESGCM(key).encrypt(nonce, bytes(db_key), info)))


def _unseal(store_id: str, slot: Slot, private: X25519PrivateKey, sealed: Sealed) -> bytearray:
    eph_public = _unb64(sealed.ephemeral)
    public = _raw_public(private.public_key())
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
    info = _seal_info(store_id, slot.slot_id, eph_public, public)
    key = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(shared)
    return bytearray(AESGCM(key).decrypt(_unb64(sealed.nonce), _unb64(sealed.ciphertext), info))


def _mac_key(db_key: bytes | bytearray, store_id: str) -> bytes:
    info = f"continuity-keyslot-mac|{store_id}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(bytes(db_key))


def slot_mac(store_id: str, slot: Slot, db_key: bytes | bytearray) -> str:
    """Authenticates what a re-key relies on (the slot's name, public key, wrapped private
    key, salt and parameters), with a key only the database key gives."""
    body = json.dumps(
        [slot.slot_id, slot.version, slot.public, slot.wrapped, slot.salt, slot.nonce, asdict(slot.kdf)],
        sort_keys=True,
    ).encode()
    return _b64(hmac.new(_mac_key(db_key, store_id), body, hashlib.sha256).digest())


def slot_is_authentic(store_id: str, slot: Slot, db_key: bytes | bytearray) -> bool:
    return (
        slot.version == FORMAT
        and bool(slot.mac)
        and hmac.compare_digest(slot.mac, slot_mac(store_id, slot, db_key))
    )


def resealed(store_id: str, slot: Slot, new_key: bytes | bytearray) -> Slot:
    """The same slot (same key pair, same password) with ``new_key`` sealed in it."""
    fresh = Slot(
        **{
            **slot.__dict__,
            "sealed": seal(store_id, slot.slot_id, slot.public, new_key),
            "legacy_nonce": "",
            "legacy_wrapped": "",
        }
    )
    fresh.mac = slot_mac(store_id, fresh, new_key)
    return fresh


# ------------------------------------------------------------------ wrapping
def _new_slot(
    store_id: str, slot_id: str, kek: bytes, salt: bytes, params: KdfParams, db_key: bytes | bytearray
) -> Slot:
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(kek).encrypt(nonce, raw_private, _aad(store_id, slot_id))
    public = _b64(_raw_public(private.public_key()))
    slot = Slot(slot_id, _b64(salt), _b64(nonce), _b64(wrapped), params, FORMAT, public)
    slot.sealed = seal(store_id, slot_id, public, db_key)
    slot.mac = slot_mac(store_id, slot, db_key)
    return slot


def wrap(
    slots: SlotFile, slot_id: str, secret: bytes, db_key: bytes | bytearray, kdf: KdfParams | None = None
) -> None:
    """Put a new slot ``slot_id`` opened by ``secret`` (replacing any old one): a new key pair,
    so a secret it replaces opens nothing sealed from now on."""
    if slots.pending is not None:
        raise rekey_unfinished()
    params = kdf or KdfParams()
    salt = secrets.token_bytes(16)
    kek = _derive(secret, salt, params)
    slots.slots[slot_id] = _new_slot(slots.store_id, slot_id, kek, salt, params, db_key)


def rekey_unfinished() -> Conflict:
    return Conflict(
        "Un changement de clé de la base est inachevé : lancez « continuity keys rotate » "
        "(poste fermé ailleurs), puis recommencez.",
        "A re-key of the database is unfinished: run 'continuity keys rotate' (with the store "
        "closed elsewhere), then try again.",
    )


def _dummy_derivation(secret: bytes, slots: SlotFile) -> None:
    """Spend the same time as a real unwrap so unknown user names are not revealed by timing:
    with the parameters of this file's slots (the recovery slot's, else any), else the defaults."""
    known = slots.slots.get(RECOVERY_SLOT) or next(iter(slots.slots.values()), None)
    _derive(secret, b"\0" * 16, known.kdf if known else KdfParams())


# ------------------------------------------------------------------ counters
def counter_tag(store_id: str, slot_id: str) -> str:
    """The name of a counter: a hash of the slot's name, whether or not that slot exists."""
    return hashlib.sha256(f"continuity-attempts|{store_id}|{slot_id}".encode()).hexdigest()[:32]


def _delay(failures: int) -> float:
    return min(MAX_DELAY_SECONDS, 2.0 ** (failures - FREE_FAILURES))


def _known_tags(slots: SlotFile) -> set[str]:
    ids = set(slots.slots) | set(slots.pending or {})
    return {counter_tag(slots.store_id, sid) for sid in ids}


def _bound_counters(slots: SlotFile) -> None:
    known = _known_tags(slots)
    unknown = [t for t in slots.counters if t not in known]
    if len(unknown) <= MAX_UNKNOWN_COUNTERS:
        return
    unknown.sort(key=lambda t: slots.counters[t].last or "")
    for tag in unknown[: len(unknown) - MAX_UNKNOWN_COUNTERS]:
        del slots.counters[tag]


@dataclass
class Unlocked:
    """What a right secret opened: the current database key, the re-key's new one when a
    re-key is under way, and whether the slot file changed (it must then be saved)."""

    key: bytearray
    pending_key: bytearray | None
    changed: bool
    # Wrong secrets tried under this name since its last success (told at sign-in).
    failures: int = 0


def attempt(slots: SlotFile, slot_id: str, secret: bytes, clock: Callable[[], datetime]) -> Unlocked:
    """Try ``secret`` on ``slot_id`` (known or not: same answers, same delays).

    Raises ``RateLimited`` while a delay runs (nothing changed), ``AuthenticationFailed``
    on a wrong secret or an unknown name (the counter grew: the caller saves ``slots``).
    A success clears the failures and converts a format-1 slot (``changed`` is then True);
    a success with nothing to clear and nothing to convert changes nothing.
    Call under ``attempt_lock``, from the load to the save, so that parallel attempts are
    counted one after the other.
    """
    tag = counter_tag(slots.store_id, slot_id)
    counter = slots.counters.get(tag) or Counter()
    now = clock()
    until = _wait_until(counter, now)
    if until is not None and now < until:
        if counter.last is None or _parse_time(counter.last) is None:
            counter.last = now.isoformat()  # erased: the delay runs from now (saved by the caller)
            slots.counters[tag] = counter
            raise RateLimited((until - now).total_seconds())
        raise RateLimited((until - now).total_seconds())
    slot = slots.slots.get(slot_id)
    opened: Unlocked | None = None
    if slot is None:
        _dummy_derivation(secret, slots)
    else:
        opened = _open_slot(slots, slot, secret)
    if opened is None:
        now = clock()  # the delay runs from the answer, not from the question
        counter.failed += 1
        slots.total_failed += 1
        counter.last = now.isoformat()
        if counter.failures >= FREE_FAILURES:
            counter.retry_after = (now + timedelta(seconds=_delay(counter.failures))).isoformat()
        slots.counters[tag] = counter
        _bound_counters(slots)
        raise _bad_credentials()
    opened.failures = counter.failures
    if counter.failures or counter.retry_after or counter.cleared > counter.failed:
        counter.cleared = counter.failed = max(counter.failed, counter.cleared)
        counter.retry_after = None
        slots.counters[tag] = counter
        opened.changed = True
    return opened


def _parse_time(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _wait_until(counter: Counter, now: datetime) -> datetime | None:
    """When the next try of this name is allowed: from the failures since the last success
    and the time of the last one, never from the stored deadline (``retry_after`` is only
    written for older kits and for people reading the file), so erasing it changes nothing;
    a last time erased or unreadable counts as now."""
    if counter.failures < FREE_FAILURES:
        return None
    last = _parse_time(counter.last) if counter.last else None
    return (last or now) + timedelta(seconds=_delay(counter.failures))


def _open_slot(slots: SlotFile, slot: Slot, secret: bytes) -> Unlocked | None:
    kek = _derive(secret, _unb64(slot.salt), slot.kdf)
    try:
        inner = AESGCM(kek).decrypt(
            _unb64(slot.nonce), _unb64(slot.wrapped), _aad(slots.store_id, slot.slot_id, slot.version)
        )
    except (InvalidTag, ValueError):
        return None
    if slot.version == LEGACY_FORMAT:  # convert: the secret is known now
        db_key = bytearray(inner)
        converted = _new_slot(slots.store_id, slot.slot_id, kek, _unb64(slot.salt), slot.kdf, db_key)
        converted.legacy_nonce, converted.legacy_wrapped = slot.nonce, slot.wrapped
        slots.slots[slot.slot_id] = converted
        return Unlocked(db_key, None, True)
    try:
        private = X25519PrivateKey.from_private_bytes(inner)
        if slot.sealed is None:
            return None
        key = _unseal(slots.store_id, slot, private, slot.sealed)
        pending = (slots.pending or {}).get(slot.slot_id)
        pending_key = (
            _unseal(slots.store_id, pending, private, pending.sealed)
            if pending is not None and pending.sealed is not None and pending.public == slot.public
            else None
        )
    except (InvalidTag, ValueError):
        return None
    return Unlocked(key, pending_key, False)


def unwrap(slots: SlotFile, slot_id: str, secret: bytes, now: datetime) -> bytearray:
    """The current database key behind ``slot_id``, or raise (see ``attempt``)."""
    return attempt(slots, slot_id, secret, lambda: now).key


def _bad_credentials() -> AuthenticationFailed:
    return AuthenticationFailed("Identifiant ou mot de passe incorrect.", "Wrong user name or password.")


# ------------------------------------------------------------------ the counters' high-water marks
TOTAL_MARK = "*"


def counter_marks(slots: SlotFile) -> dict[str, int]:
    """What the store remembers of the counters: ``failed`` (and ``c:`` ``cleared``) of each
    slot's name, and the total of failures (``TOTAL_MARK``); a later unlock refuses to
    believe a counter that went below it."""
    marks = {TOTAL_MARK: slots.total_failed}
    for tag in _known_tags(slots):
        counter = slots.counters.get(tag) or Counter()
        marks[tag], marks["c:" + tag] = counter.failed, counter.cleared
    return {tag: value for tag, value in marks.items() if value > 0}


def counters_gone_back(slots: SlotFile, seen: dict[str, int], now: datetime) -> list[str]:
    """The slots whose counter is below what the store saw last (``TOTAL_MARK`` for the
    total), put back as the store saw them, their delay running again from ``now``."""
    back = []
    if slots.total_failed < seen.get(TOTAL_MARK, 0):
        back.append(TOTAL_MARK)
        slots.total_failed = seen[TOTAL_MARK]
    for sid in slots.slots:
        tag = counter_tag(slots.store_id, sid)
        counter = slots.counters.get(tag) or Counter()
        if counter.failed >= seen.get(tag, 0) and counter.cleared <= counter.failed:
            continue
        back.append(sid)
        counter.failed = max(counter.failed, seen.get(tag, 0))
        counter.cleared = min(seen.get("c:" + tag, 0), counter.failed)
        counter.retry_after = None
        if counter.failures >= FREE_FAILURES:
            counter.retry_after = (now + timedelta(seconds=_delay(counter.failures))).isoformat()
        slots.counters[tag] = counter
    return back


# ------------------------------------------------------------------ the file
def new_slot_file() -> SlotFile:
    return SlotFile(store_id=str(uuid.uuid4()))


STALE_TEMP_SECONDS = 60


def remove_stale_temp_files(folder: Path, now: float) -> None:
    """Temp files left by a save killed before its rename; they hold only wrapped keys."""
    for leftover in folder.glob(".keyslots-*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_TEMP_SECONDS:
                leftover.unlink()


def _slot_from(raw: dict[str, Any], version: int) -> Slot:
    sealed = raw.get("sealed")
    return Slot(
        slot_id=str(raw["slot_id"]),
        salt=str(raw["salt"]),
        nonce=str(raw["nonce"]),
        wrapped=str(raw["wrapped"]),
        kdf=KdfParams(**raw["kdf"]),
        version=int(raw.get("version", version)),
        public=str(raw.get("public", "")),
        sealed=Sealed(**sealed) if sealed else None,
        mac=str(raw.get("mac", "")),
        legacy_nonce=str(raw.get("legacy_nonce", "")),
        legacy_wrapped=str(raw.get("legacy_wrapped", "")),
    )


def _counter_from(raw: dict[str, Any]) -> Counter:
    def count(name: str) -> int:
        value = raw.get(name, 0)
        return value if type(value) is int and value >= 0 else 0

    retry = raw.get("retry_after")
    last = raw.get("last")
    return Counter(
        count("failed"),
        count("cleared"),
        retry if isinstance(retry, str) else None,
        last if isinstance(last, str) else None,
    )


def _parse(raw: dict[str, Any]) -> SlotFile:
    fmt = raw.get("format")
    if fmt not in (LEGACY_FORMAT, FORMAT):
        raise StoreError("Format du fichier des clés inconnu.", "Unknown key-slot file format.")
    store_id = str(raw["store_id"])
    slots = {sid: _slot_from(s, fmt) for sid, s in raw["slots"].items()}
    pending = raw.get("pending")
    counters = {str(t): _counter_from(c) for t, c in (raw.get("counters") or {}).items()}
    result = SlotFile(
        store_id=store_id,
        slots=slots,
        format=FORMAT,
        pending={sid: _slot_from(s, FORMAT) for sid, s in pending.items()} if pending else None,
        counters=counters,
        total_failed=max(0, int(raw.get("total_failed", 0))),
        recovery_next=_slot_from(raw["recovery_next"], FORMAT) if raw.get("recovery_next") else None,
    )
    if fmt == LEGACY_FORMAT:  # its counters were in the slots: carried over, not reset
        for sid, s in raw["slots"].items():
            failures = int(s.get("failures") or 0)
            if failures or s.get("retry_after"):
                result.counters[counter_tag(store_id, sid)] = Counter(failures, 0, s.get("retry_after"))
                result.total_failed += failures
    return result


def load(path: Path) -> SlotFile:
    remove_stale_temp_files(path.parent, time.time())
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFound(
            "Aucun magasin chiffré ici : lancez d'abord « continuity init ».",
            "No encrypted store here: run 'continuity init' first.",
        ) from None
    except (OSError, ValueError) as exc:
        raise StoreError("Fichier des clés illisible.", "Key-slot file unreadable.") from exc
    if not isinstance(raw, dict):
        raise StoreError("Fichier des clés illisible.", "Key-slot file unreadable.")
    try:
        return _parse(raw)
    except StoreError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreError("Fichier des clés illisible.", "Key-slot file unreadable.") from exc


def save(path: Path, slots: SlotFile) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of each."""
    data = asdict(slots)
    data["format"] = FORMAT
    write_private(path, json.dumps(data, indent=2, sort_keys=True))


def legacy_file(slots: SlotFile) -> dict[str, Any] | None:
    """The slot file as a kit up to 0.2.0 reads it (format 1), from the slots that still hold
    a format-1 wrap of the current key (those not used since the upgrade, and those converted
    since): None when none does (the key was changed since: such a kit could open nothing).
    Slots made since the upgrade (new users, new passwords, a new recovery key) are not in it."""
    entries: dict[str, dict[str, Any]] = {}
    for sid, slot in slots.slots.items():
        if slot.version == LEGACY_FORMAT:
            nonce, wrapped = slot.nonce, slot.wrapped
        elif slot.legacy_wrapped:
            nonce, wrapped = slot.legacy_nonce, slot.legacy_wrapped
        else:
            continue
        counter = slots.counters.get(counter_tag(slots.store_id, sid)) or Counter()
        entries[sid] = {
            "slot_id": sid,
            "salt": slot.salt,
            "nonce": nonce,
            "wrapped": wrapped,
            "kdf": asdict(slot.kdf),
            "failures": counter.failures,
            "retry_after": counter.retry_after,
        }
    if not entries or slots.pending is not None:
        return None
    return {"format": LEGACY_FORMAT, "store_id": slots.store_id, "slots": entries}


@contextlib.contextmanager
def attempt_lock(folder: Path) -> Iterator[None]:
    """Hold the slot file alone, across processes, from its load to its save (POSIX flock on
    a lock file beside it; the kernel drops it when a process dies). A folder where the lock
    file cannot be made (read-only) is read without it: nothing can be counted there anyway."""
    if fcntl is None:
        yield
        return
    path = folder / ATTEMPT_LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ recovery key
def generate_recovery_key() -> str:
    """A printable 150-bit key in groups of five, the last character an ISO 7064 check."""
    body = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_BODY))
    full = body + mod_37_36.calc_check_digit(body)
    groups = [full[i : i + 5] for i in range(0, len(full), 5)]
    return "-".join(groups)


def parse_recovery_key(text: str) -> bytes:
    compact = "".join(c for c in text.upper() if c.isalnum())
    if len(compact) != _RECOVERY_BODY + 1 or not mod_37_36.is_valid(compact):
        raise InvalidInput(
            "Clé de secours invalide : vérifiez chaque groupe de caractères.",
            "Invalid recovery key: check each group of characters.",
        )
    return compact.encode("ascii")


def now_utc() -> datetime:
    return datetime.now(UTC)
