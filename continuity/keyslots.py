"""Key slots: the random database key, wrapped once per user password and once by a recovery key.

Like LUKS, the data is encrypted with one random key; each secret (a user's
password, the printed recovery key) derives a key-encryption key with
argon2id and wraps the database key with AES-256-GCM in its own slot. Adding
or removing a user or changing a password rewrites one slot and never
re-encrypts the data. The slot file holds salts, parameters, wrapped keys
and failure counters, never a key or password in clear.

Limits worth knowing: a removed user who kept an old copy of the slot file
and their old password can still unwrap the key (as with LUKS); the fix is
to re-key the database. Python cannot reliably wipe memory, so keys held
while the store is open live in process memory until it is locked.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from stdnum.iso7064 import mod_37_36

from continuity import passwords
from continuity.errors import AuthenticationFailed, InvalidInput, NotFound, RateLimited, StoreError
from continuity.folders import write_private

KEY_BYTES = 32
FORMAT = 1
RECOVERY_SLOT = "recovery"
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 300.0
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
_RECOVERY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_RECOVERY_BODY = 29


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


@dataclass
class Slot:
    slot_id: str
    salt: str
    nonce: str
    wrapped: str
    kdf: KdfParams
    failures: int = 0
    retry_after: str | None = None


@dataclass
class SlotFile:
    store_id: str
    slots: dict[str, Slot] = field(default_factory=dict)
    format: int = FORMAT


def user_slot_id(username: str) -> str:
    return f"user:{username}"


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


def _aad(store_id: str, slot_id: str) -> bytes:
    return f"continuity-keyslot-v{FORMAT}|{store_id}|{slot_id}".encode()


def check_password_strength(password: str) -> None:
    """The kit's password rules (``continuity.passwords``): length, common passwords."""
    passwords.check_password(password)


def wrap(
    slots: SlotFile, slot_id: str, secret: bytes, db_key: bytes | bytearray, kdf: KdfParams | None = None
) -> None:
    """Put ``db_key`` wrapped by ``secret`` into slot ``slot_id`` (replacing any old one)."""
    params = kdf or KdfParams()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(secret, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, bytes(db_key), _aad(slots.store_id, slot_id))
    slots.slots[slot_id] = Slot(slot_id, _b64(salt), _b64(nonce), _b64(wrapped), params)


def _dummy_derivation(secret: bytes, slots: SlotFile) -> None:
    """Spend the same time as a real unwrap so unknown user names are not revealed by timing:
    with the parameters of this file's slots (the recovery slot's, else any), else the defaults."""
    known = slots.slots.get(RECOVERY_SLOT) or next(iter(slots.slots.values()), None)
    _derive(secret, b"\0" * 16, known.kdf if known else KdfParams())


def unwrap(slots: SlotFile, slot_id: str, secret: bytes, now: datetime) -> bytearray:
    """Return the database key or raise; failures are counted and slow down later attempts.

    The caller must save ``slots`` afterwards, whatever the outcome, so the
    counter survives a restart.
    """
    slot = slots.slots.get(slot_id)
    if slot is None:
        _dummy_derivation(secret, slots)
        raise _bad_credentials()
    if slot.retry_after and now < datetime.fromisoformat(slot.retry_after):
        raise RateLimited((datetime.fromisoformat(slot.retry_after) - now).total_seconds())
    kek = _derive(secret, _unb64(slot.salt), slot.kdf)
    try:
        key = AESGCM(kek).decrypt(_unb64(slot.nonce), _unb64(slot.wrapped), _aad(slots.store_id, slot_id))
    except InvalidTag:
        slot.failures += 1
        if slot.failures >= FREE_FAILURES:
            delay = min(MAX_DELAY_SECONDS, 2.0 ** (slot.failures - FREE_FAILURES))
            slot.retry_after = (now + timedelta(seconds=delay)).isoformat()
        raise _bad_credentials() from None
    slot.failures, slot.retry_after = 0, None
    return bytearray(key)


def _bad_credentials() -> AuthenticationFailed:
    return AuthenticationFailed("Identifiant ou mot de passe incorrect.", "Wrong user name or password.")


def new_slot_file() -> SlotFile:
    return SlotFile(store_id=str(uuid.uuid4()))


STALE_TEMP_SECONDS = 60


def remove_stale_temp_files(folder: Path, now: float) -> None:
    """Temp files left by a save killed before its rename; they hold only wrapped keys."""
    for leftover in folder.glob(".keyslots-*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_TEMP_SECONDS:
                leftover.unlink()


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
    if raw.get("format") != FORMAT:
        raise StoreError("Format du fichier des clés inconnu.", "Unknown key-slot file format.")
    slots = {sid: Slot(**{**s, "kdf": KdfParams(**s["kdf"])}) for sid, s in raw["slots"].items()}
    return SlotFile(store_id=raw["store_id"], slots=slots, format=raw["format"])


def save(path: Path, slots: SlotFile) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of each."""
    write_private(path, json.dumps(asdict(slots), indent=2, sort_keys=True))


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
