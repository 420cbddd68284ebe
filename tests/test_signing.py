"""continuity.signing: Ed25519 keys, signatures, fingerprints."""

from __future__ import annotations

import base64
import re

import pytest

from continuity import signing
from continuity.errors import InvalidInput
from continuity.services import exchange
from continuity.session import Session, Workspace


def test_sign_and_verify_round_trip() -> None:
    private = signing.new_private_key()
    public = signing.public_key(private)
    assert len(private) == 32 and len(public) == 32
    signature = signing.sign(private, b"message")
    assert signing.verify(public, b"message", signature)
    assert not signing.verify(public, b"messagf", signature)
    other = signing.public_key(signing.new_private_key())
    assert not signing.verify(other, b"message", signature)
    # Wrong lengths and garbage are simply not valid, never an exception.
    assert not signing.verify(public[:31], b"message", signature)
    assert not signing.verify(public, b"message", signature[:63])
    assert not signing.verify(b"\0" * 32, b"message", b"\0" * 64)


def test_fingerprint_is_eight_groups_of_four_hex_digits() -> None:
    public = signing.public_key(signing.new_private_key())
    fp = signing.fingerprint(public)
    assert re.fullmatch(r"([0-9A-F]{4}-){7}[0-9A-F]{4}", fp)
    assert fp == signing.fingerprint(public)
    assert fp != signing.fingerprint(signing.public_key(signing.new_private_key()))


def test_public_key_text_round_trip_base64_and_hex() -> None:
    public = signing.public_key(signing.new_private_key())
    text = signing.public_key_text(public)
    assert len(text) == 44 and base64.b64decode(text) == public
    assert signing.parse_public_key(text) == public
    assert signing.parse_public_key(" " + text + "\n") == public
    assert signing.parse_public_key(public.hex()) == public
    for bad in ["", "abc", base64.b64encode(b"x" * 31).decode(), "g" * 64]:
        with pytest.raises(InvalidInput):
            signing.parse_public_key(bad)


def test_a_workstation_is_declared_by_its_key_or_its_fingerprint() -> None:
    public = signing.public_key(signing.new_private_key())
    fp = signing.fingerprint(public)
    assert signing.parse_declared(signing.public_key_text(public)) == (fp, public)
    assert signing.parse_declared(fp) == (fp, None)
    assert signing.parse_declared(fp.lower().replace("-", " ")) == (fp, None)
    with pytest.raises(InvalidInput):
        signing.parse_declared(fp[:-1])


def test_each_workstation_has_its_own_key_kept_only_in_its_encrypted_store(
    admin_session: Session, nurse: Session, workspace: Workspace
) -> None:
    private = exchange.own_signing_key(admin_session)
    assert exchange.own_signing_key(nurse) == private  # one key per workstation, not per user
    assert exchange.own_public_key(nurse) == signing.public_key(private)
    stored = admin_session.store.get_meta(signing.SIGNING_META_KEY)
    assert stored is not None and base64.b64decode(stored) == private
    for path in workspace.folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert private not in data and stored.encode() not in data


def test_a_store_from_before_signing_gets_its_key_at_first_need(admin_session: Session) -> None:
    store = admin_session.store
    with store.transaction():
        store._write("DELETE FROM meta WHERE key = ?", (signing.SIGNING_META_KEY,))
    public = exchange.own_public_key(admin_session)
    assert exchange.own_public_key(admin_session) == public  # made once
    [entry] = store.audit.audit_after(0, ("exchange.signing_key_new",))
    assert signing.fingerprint(public) in entry.payload
