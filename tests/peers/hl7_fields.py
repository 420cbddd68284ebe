"""What hl7apy (STRICT) reads in an ADT message, in the canonical form of tests/peers/hl7_parse.mjs.

A list of segments ``[name, {"<field number>": [repetition [component [subcomponent]]]}]``,
escape sequences decoded (hl7apy keeps them), trailing empty parts dropped, MSH-1 and MSH-2
left out. hl7apy parses and validates the standard segments against the v2.5 structure at
STRICT level and names each component and subcomponent by its position (``CX_4``, ``HD_2``);
it sets the French Z segments aside, so those are parsed on their own, positionally.
"""

from __future__ import annotations

import re
from typing import Any

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Group, Segment
from hl7apy.parser import parse_message, parse_segment

Canonical = list[list[Any]]
ESCAPES = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}


def unescape(text: str) -> str:
    return re.sub(r"\\([FSTRE])\\", lambda m: ESCAPES[m.group(1)], text)


def _position(name: str, index: int, positional: bool) -> int:
    """1-based position of a child: its index for a Z segment, else the number in its name
    (``CX_4`` -> 4); a primitive datatype (``ST``, ``IS``) is the only part, position 1."""
    if positional:
        return index + 1
    match = re.search(r"_(\d+)$", name)
    return int(match.group(1)) if match else 1


def _placed(items: list[tuple[int, Any]], empty: Any) -> list[Any]:
    out: list[Any] = []
    for position, value in items:
        while len(out) < position - 1:
            out.append(empty)
        out.append(value)
    return out


def _trim(values: list[Any], empty: Any) -> list[Any]:
    out = list(values)
    while out and out[-1] == empty:
        out.pop()
    return out


def _repetition(field: Any, positional: bool) -> list[list[str]]:
    components: list[tuple[int, list[str]]] = []
    for i, component in enumerate(field.children):
        subs = [
            (_position(s.name, j, positional), unescape(s.to_er7())) for j, s in enumerate(component.children)
        ]
        components.append((_position(component.name, i, positional), _trim(_placed(subs, ""), "")))
    return _trim(_placed(components, []), [])


def _segment(segment: Any, positional: bool) -> list[Any]:
    fields: dict[str, list[list[list[str]]]] = {}
    for field in segment.children:
        number = int(field.name.split("_")[1])
        if segment.name == "MSH" and number < 3:
            continue
        fields.setdefault(str(number), []).append(_repetition(field, positional))
    out = {n: _trim(reps, []) for n, reps in fields.items()}
    return [segment.name, {n: reps for n, reps in sorted(out.items(), key=lambda x: int(x[0])) if reps}]


def _segments(element: Any) -> list[Any]:
    if isinstance(element, Segment):
        return [element]
    found: list[Any] = []
    if isinstance(element, Group) or hasattr(element, "children"):
        for child in element.children:
            found += _segments(child)
    return found


def read(er7: str) -> Canonical:
    """hl7apy's reading of one message (raises if hl7apy refuses it at STRICT level)."""
    message = parse_message(er7, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    message.validate()
    standard = [_segment(s, positional=False) for s in _segments(message)]
    z = [
        _segment(parse_segment(line, version="2.5"), positional=True)
        for line in er7.split("\r")
        if line.startswith("Z")
    ]
    return standard + z
