"""Text from outside the kit: what is refused where it enters, what is stripped before it is
shown, and the formula guard of every CSV the kit writes.

Three rules, one module, so that the command line and the application apply the same:

- **Entering** (typed, or imported from a file, the HIS or another workstation): a
  control character has no business in a name, a reason or a note. The C0 controls,
  DEL, the C1 controls, the bidirectional overrides and marks (which reorder what a
  reader sees: ``U+202E`` makes ``txt.exe`` look like ``exe.txt``), the invisible
  characters (zero-width, word joiner, BOM) and the Unicode line and paragraph
  separators are **refused**,
  with a message naming the field and the character's code point, never the text.
  Only the ordinary whitespace a keyboard or a paste gives (tab, line feed, carriage
  return) is accepted, and **turned into a space** (single-line fields) or, in a field
  of several lines, line breaks are kept as ``\\n`` and a tab becomes a space.
- **Shown** (``for_display``): what the HIS or another system wrote (an ACK's text,
  a file name) is shown without its terminal escape sequences (CSI, OSC), control
  characters or bidi characters; line breaks and tabs become spaces. The stored value
  is kept as it came, for IT.
- **CSV** (``csv_cell``, ``writer``): a text cell starting with ``= + - @``, a tab or a
  carriage return gets a leading apostrophe (OWASP, CSV injection), so a spreadsheet
  shows it as text and never runs it as a formula. Numbers the kit writes itself
  (``int``, ``float``) are left as numbers, a negative one included: they come from
  the kit, not from outside, and a spreadsheet must still add them up.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from continuity.errors import InvalidInput
from continuity.validation import custom

BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters nobody sees: zero-width space, non-joiner, joiner, word joiner, the invisible
# operators, the byte-order mark (two names that look alike would differ, a search would
# miss); and the Unicode line and paragraph separators (a line break where none is allowed).
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
LINE_SEPARATORS = frozenset("\u2028\u2029")
WHITESPACE = frozenset("\t\n\r")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks (BEL or ST ends it)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI as one C1 character
    r"|\x1b[ -/]*[0-~]?"  # any other escape: ESC and what follows it
)
_SPACES = re.compile("[\t\r\n\u2028\u2029]+")


def is_control(char: str) -> bool:
    """C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F), a bidi override, isolate or mark,
    an invisible character (U+200B-U+200D, U+2060-U+2064, U+FEFF) or a Unicode line or
    paragraph separator (U+2028, U+2029)."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI or char in INVISIBLE or char in LINE_SEPARATORS


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI | INVISIBLE | LINE_SEPARATORS)) + "]")


def strip_controls(text: str) -> str:
    """``text`` without the characters ``is_control`` names (one regular expression: this
    runs on every field of every message sent)."""
    return _CONTROLS.sub("", text)


def forbidden(text: str) -> str | None:
    """The first character refused in typed or imported text, or None.

    Tab, carriage return and line feed are whitespace, not refused (see ``normalise``).
    """
    return next((c for c in text if is_control(c) and c not in WHITESPACE), None)


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def normalise(text: str, *, multiline: bool = False) -> str:
    """Whitespace a keyboard or a paste gives: CRLF and CR become LF (kept only in a field of
    several lines), tabs (and line breaks in a single-line field) become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text if multiline else text.replace("\n", " ")


def no_control(value: str) -> str:
    """Pydantic ``AfterValidator`` of a single-line text: controls refused, whitespace a space."""
    bad = forbidden(value)
    if bad is not None:
        raise custom("text.control", char=code_point(bad))
    return normalise(value)


def no_control_lines(value: str) -> str:
    """Pydantic ``AfterValidator`` of a text of several lines (line breaks kept as LF)."""
    bad = forbidden(value)
    if bad is not None:
        raise custom("text.control", char=code_point(bad))
    return normalise(value, multiline=True)


def refused_message(label_fr: str, label_en: str, char: str) -> InvalidInput:
    return InvalidInput(
        f"{label_fr} : caractère de contrôle non autorisé ({code_point(char)}).",
        f"{label_en}: control character not allowed ({code_point(char)}).",
    )


def check_text(value: str | None, label_fr: str, label_en: str, *, multiline: bool = False) -> str | None:
    """A free text given to a service (a reason, a note): refused with a bilingual message
    naming the field if it holds a control character; else with its whitespace normalised."""
    if value is None:
        return None
    bad = forbidden(value)
    if bad is not None:
        raise refused_message(label_fr, label_en, bad)
    return normalise(value, multiline=multiline)


def for_display(text: str | None) -> str:
    """Text someone else wrote (the HIS's reply, a file name), safe to show a person: no
    escape sequence, control, bidi or invisible character; line breaks (U+2028 and U+2029
    too) and tabs become one space."""
    if not text:
        return ""
    cleaned = _ESCAPE_SEQUENCE.sub("", text)
    cleaned = _SPACES.sub(" ", cleaned)
    return "".join(c for c in cleaned if not is_control(c))


def csv_cell(value: Any) -> Any:
    """A cell as the kit writes it: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _GuardedWriter:
    """``csv.writer`` whose every text cell goes through ``csv_cell``."""

    def __init__(self, out: TextIO, **options: Any):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: TextIO, **options: Any) -> _GuardedWriter:
    """The only way the kit writes CSV (``tests/test_hostile_input.py`` checks it)."""
    return _GuardedWriter(out, **options)


def write_dicts(
    out: TextIO, fields: Sequence[str], rows: Iterable[Mapping[str, Any]], **options: Any
) -> None:
    """A header line, then one line per row (missing keys empty), every cell guarded."""
    guarded = writer(out, **options)
    guarded.writerow(fields)  # the kit's own names: never a formula, guarded all the same
    for row in rows:
        guarded.writerow([row.get(f, "") for f in fields])
