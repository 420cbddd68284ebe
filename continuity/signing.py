"""Per-workstation signing keys: Ed25519 (``cryptography``), raw 32-byte keys.

Each workstation holds its own private key, only in the encrypted store's meta
table (``SIGNING_META_KEY``, base64; see ``continuity.services.exchange.own_signing_key``).
The other workstations know its public key, declared at provisioning (site file) or
with ``continuity exchange peer add``; a person compares the *fingerprint* aloud or
on paper before declaring it.

Fingerprint: the SHA-256 of the raw public key, its first 16 bytes written as 8
groups of 4 upper-case hexadecimal digits separated by dashes
(``3F2A-9C01-77B4-0E1D-A5C2-88F0-1B3E-D4A9``): only the digits 0-9 and the letters
A-F, so nothing to confuse when read over the phone (128 bits: a collision cannot be
searched for).

The public key itself is written in base64 (44 characters) when a person copies it
(``public_key_text``/``parse_public_key``; hexadecimal is accepted too). A workstation may
also be declared by its fingerprint alone (``parse_declared``): its bundles carry the public
key, accepted only if its fingerprint is the one declared.

Every use of a key signs a message that begins with its own fixed label (a bundle: the line
``CONTINUITE-ECHANGE``), so that a signature made for one purpose is never valid for another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from continuity.errors import InvalidInput

SIGNING_META_KEY = "signing_private_key"
KEY_BYTES = 32
SIGNATURE_BYTES = 64
_RAW = serialization.Encoding.Raw


def new_private_key() -> bytes:
    """A fresh random private key (raw 32 bytes)."""
    return Ed25519PrivateKey.generate().private_bytes(
        _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _private(private: bytes) -> Ed25519PrivateKey:
    if len(private) != KEY_BYTES:
        raise InvalidInput("Clé de signature invalide.", "Invalid signing key.")
    return Ed25519PrivateKey.from_private_bytes(private)


def public_key(private: bytes) -> bytes:
    """The public key (raw 32 bytes) of a private key."""
    return _private(private).public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def sign(private: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message``."""
    return _private(private).sign(message)


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True only if ``signature`` is a valid signature of ``message`` by ``public``.

    Never raises: a key or signature of the wrong length or form is simply not valid.
    """
    if len(public) != KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: bytes) -> str:
    """8 groups of 4 hex digits: the first 16 bytes of the SHA-256 of the public key."""
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))


def public_key_text(public: bytes) -> str:
    """The public key as a person copies it: base64 (44 characters)."""
    return base64.b64encode(public).decode("ascii")


def parse_public_key(text: str) -> bytes:
    """A public key typed or pasted: base64 (44 characters) or hexadecimal (64 digits)."""
    cleaned = re.sub(r"[\s:-]", "", text)
    raw: bytes | None = None
    if re.fullmatch(r"[0-9A-Fa-f]{64}", cleaned):
        raw = bytes.fromhex(cleaned)
    else:
        try:
            raw = base64.b64decode(cleaned, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != KEY_BYTES:
        raise InvalidInput(
            "Clé publique invalide : 44 caractères base64 (ou 64 chiffres hexadécimaux) attendus.",
            "Invalid public key: 44 base64 characters (or 64 hexadecimal digits) expected.",
        )
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidInput("Clé publique invalide.", "Invalid public key.") from None
    return raw


_FINGERPRINT = re.compile(r"[0-9A-F]{32}")


def parse_fingerprint(text: str) -> str:
    """A fingerprint typed by a person (any case, dashes and spaces optional), written as ``fingerprint``."""
    cleaned = re.sub(r"[\s:-]", "", text).upper()
    if not _FINGERPRINT.fullmatch(cleaned):
        raise InvalidInput(
            "Empreinte invalide : 8 groupes de 4 chiffres hexadécimaux attendus.",
            "Invalid fingerprint: 8 groups of 4 hexadecimal digits expected.",
        )
    return "-".join(cleaned[i : i + 4] for i in range(0, 32, 4))


def parse_declared(text: str) -> tuple[str, bytes | None]:
    """A workstation's key as declared: (fingerprint, public key), the key None for a fingerprint alone."""
    cleaned = re.sub(r"[\s:-]", "", text)
    if _FINGERPRINT.fullmatch(cleaned.upper()):
        return parse_fingerprint(cleaned), None
    public = parse_public_key(text)
    return fingerprint(public), public
