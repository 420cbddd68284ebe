"""continuity.signing: Ed25519 keys, signatures, fingerprints."""

from __future__ import annotations

import base64
import re

import pytest

from continuity import signing
from continuity.errors import InvalidInput


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
