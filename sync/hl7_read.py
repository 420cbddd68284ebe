"""Reading HL7 v2 text from outside (ACKs, snapshot batches, merge files) with python-hl7, safely.

python-hl7 trusts its input: encoding characters (MSH-2) that repeat the field separator or
each other, or hold a segment terminator, trip an ``assert`` in its parser, and a plain field
read as a component raises ``TypeError``. ``parse`` checks MSH-1/MSH-2 first and turns
whatever the library raises on a malformed message into ``Unreadable``; ``value`` and
``reps`` read a field by position and give "" (or 0) where the message lacks it.
"""

from __future__ import annotations

import contextlib
from typing import Any

import hl7

DEFAULT_ENCODING = "^~\\&"  # component, repetition, escape, sub-component


class Unreadable(ValueError):
    """Not a well-formed HL7 v2 message (the reader says which, in the kit's words)."""


def check_header(text: str) -> None:
    """MSH (or FHS/BHS), a field separator and encoding characters that are all distinct.

    Missing encoding characters take python-hl7's defaults (``^~\\&``), which must not
    collide with the given ones either.
    """
    if text[:3] not in ("MSH", "FHS", "BHS") or len(text) < 4:
        raise Unreadable("not an HL7 message")
    separator = text[3]
    end = text.find(separator, 4)
    given = text[4:] if end < 0 else text[4:end]
    if len(given) > 4:
        raise Unreadable("more than four encoding characters in MSH-2")
    used = separator + given + DEFAULT_ENCODING[len(given) :]
    if len(set(used)) != len(used) or any(c.isalnum() or not c.isprintable() or c == " " for c in used):
        raise Unreadable("invalid separators in MSH-1/MSH-2")


def parse(text: str) -> hl7.Message:
    """One message (segments separated by CR), or ``Unreadable``."""
    text = text.strip()
    check_header(text)
    try:
        return hl7.parse(text)
    except Exception:  # python-hl7 raises what it happens to: AssertionError, IndexError...
        raise Unreadable("malformed HL7 message") from None


def segment(msg: hl7.Message, name: str) -> Any:
    """The first segment ``name`` of the message, or None."""
    try:
        return msg.segment(name)
    except (KeyError, IndexError):
        return None


def value(segment: Any, field: int, rep: int = 1, comp: int = 1, sub: int | None = None) -> str:
    """Field ``field``, repetition ``rep``, component ``comp`` (all from 1) as text, or "".

    ``sub``: only that sub-component of the component (else all of it, as the message has it).
    """
    if segment is None:
        return ""
    try:
        found: Any = segment(field)
        for index in (rep, comp) if sub is None else (rep, comp, sub):
            if isinstance(found, str):
                return found.strip() if index == 1 else ""
            found = found(index)
    except (IndexError, KeyError, TypeError):
        return ""
    return str(found).strip()


def reps(segment: Any, field: int) -> int:
    """How many repetitions field ``field`` has (0 when absent)."""
    if segment is None:
        return 0
    try:
        found = segment(field)
    except (IndexError, KeyError, TypeError):
        return 0
    return 1 if isinstance(found, str) else len(found)


def text(segment: Any, field: int) -> str:
    """The whole field ``field`` as the message has it (repetitions and components included), or ""."""
    if segment is None:
        return ""
    try:
        return str(segment(field))
    except (IndexError, KeyError, TypeError):
        return ""


def unescape(msg: hl7.Message, raw: str) -> str:
    """HL7 escape sequences (v2.5 section 2.7) read back in one pass, logging nothing.

    python-hl7's own ``unescape`` logs the whole field for each malformed sequence (quadratic,
    and patient text on stderr) and repeats a line break as often as ``\\.sp<n>\\`` asks (a
    memory bomb). Here: the delimiters, ``\\X..\\`` bytes (UTF-8), formatting commands as one
    space; highlighting, character sets and anything unknown or empty are dropped.
    """
    esc = msg.esc
    if esc not in raw:
        return raw
    seps = msg.separators  # segment, field, repetition, component, sub-component
    named = {"F": seps[1], "R": seps[2], "S": seps[3], "T": seps[4], "E": esc}
    out: list[str] = []
    at = 0
    while True:
        start = raw.find(esc, at)
        if start < 0:
            out.append(raw[at:])
            break
        out.append(raw[at:start])
        end = raw.find(esc, start + 1)
        if end < 0:  # an escape character alone at the end: kept as it is
            out.append(raw[start:])
            break
        code = raw[start + 1 : end]
        if code in named:
            out.append(named[code])
        elif code.startswith(".") and code:
            out.append(" ")
        elif code.startswith("X") and len(code) % 2 == 1:
            with contextlib.suppress(ValueError):  # not hexadecimal: dropped
                out.append(bytes.fromhex(code[1:]).decode("utf-8", errors="replace"))
        at = end + 1
    return "".join(out)
