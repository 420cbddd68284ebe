"""The HIS's own identifiers (IPP, NDA, FHIR ids), checked wherever they enter the kit.

They arrive from snapshots, A40/A47 merge files, FHIR responses, other workstations'
bundles and ``continuity sync map``, and leave again inside HL7 messages, FHIR
requests and CSV files. Two layers:

- **Always** (whatever the site declares): 1 to 64 characters; no control character
  (C0, DEL, C1, bidi), no space, none of the HL7 separators and escape ``| ^ ~ \\ &``
  (which would break or re-escape the message sent back: ``\\F\\`` would leave as
  ``\\E\\F\\E\\``), and no ``= + - @`` first (a formula in a spreadsheet).
- **The authority's pattern** (the site file's ``[his]`` ``ipp_pattern`` and
  ``nda_pattern``, or ``continuity sync config --ipp-pattern``): the whole value must
  match it. By default digits and capital letters, 1 to 20 of them. FHIR server ids
  follow FHIR's own rule (``[A-Za-z0-9-.]{1,64}``).

A refusal names the kind of identifier and the rule it breaks, never the value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from continuity.domain.outbox import IdentifierKind
from continuity.domain.snapshot import HisIdentifiers, Snapshot
from continuity.errors import InvalidInput
from continuity.text import code_point, is_control
from continuity.validation import PATTERN_RULE as PATTERN_RULE

IPP_PATTERN_KEY = "sync.his_ipp_pattern"  # where the store keeps the declared patterns (meta)
NDA_PATTERN_KEY = "sync.his_nda_pattern"
PATTERN_KEYS = {IdentifierKind.IPP: IPP_PATTERN_KEY, IdentifierKind.NDA: NDA_PATTERN_KEY}
DEFAULT_PATTERN = r"[0-9A-Z]{1,20}"
FHIR_ID_PATTERN = r"[A-Za-z0-9\-.]{1,64}"
MAX_LENGTH = 64
MAX_PATTERN_LENGTH = 200
RESERVED = frozenset("|^~\\&")
FORMULA_START = ("=", "+", "-", "@")
_PLAIN = re.compile(r"[0-9A-Za-z]{1,64}")  # letters and digits only: none of the checks below applies

# The kit's own provisional domains before OIDs are declared (HL7 namespace, FHIR systems):
# never a name of the HIS's, or the kit's provisional IPPs would go out as the HIS's own.
KIT_NAMESPACE = "CONTINUITE"
KIT_SYSTEM_PREFIX = "urn:continuite:"


def kits_own_name(authority: str | None = None, system: str | None = None) -> bool:
    """The name of one of the kit's own identifier domains (an HL7 namespace or a FHIR system)."""
    return bool(authority and authority.strip().upper().startswith(KIT_NAMESPACE)) or bool(
        system and system.strip().lower().startswith(KIT_SYSTEM_PREFIX)
    )


LABELS: dict[IdentifierKind, tuple[str, str]] = {
    IdentifierKind.IPP: ("IPP du DPI", "HIS IPP"),
    IdentifierKind.NDA: ("NDA du DPI", "HIS NDA"),
    IdentifierKind.FHIR_PATIENT: ("identifiant FHIR du patient", "FHIR patient id"),
    IdentifierKind.FHIR_ENCOUNTER: ("identifiant FHIR du séjour", "FHIR encounter id"),
}


# The repetitions a declared pattern may make the matcher try, at most: the product, over its
# repeated elements, of how many lengths each may take (``*``, ``+`` and ``{m,}``: up to
# MAX_LENGTH). One ``\\d+`` is 65; ``[A-Z]{1,3}\\d{1,20}`` is 60; four ``\\d+`` are refused.
MAX_REPETITION_CHOICES = 10_000
_CLASS_ESCAPES = frozenset("dDwWsS")
_QUANTIFIER = re.compile(r"\{(\d{1,3})(,(\d{0,3}))?\}")


def check_pattern(pattern: str) -> str:
    """A pattern declared for an authority: a regular expression of the safe subset (a
    sequence of literals, classes ``[..]``, ``.``, ``\\d \\w \\s`` and their negations, each
    repeated at most once by ``? * + {m} {m,n} {m,}``; ``^`` first and ``$`` last), with few
    enough ways of splitting a value among its repetitions (``MAX_REPETITION_CHOICES``):
    no pattern can make the matcher backtrack for long on an identifier of 64 characters.

    Raises ``ValueError`` (a pydantic validator turns it into the site file's message)."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError("pattern too long")
    choices, i, n = 1, 0, len(pattern)
    while i < n:
        c = pattern[i]
        if (c == "^" and i == 0) or (c == "$" and i == n - 1):
            i += 1
            continue
        if c == "[":
            i = _class_end(pattern, i)
        elif c == "\\":
            if i + 1 >= n or not (pattern[i + 1] in _CLASS_ESCAPES or not pattern[i + 1].isalnum()):
                raise ValueError("escape outside the safe subset")
            i += 2
        elif c in "()|*+?{}]^$":
            raise ValueError("outside the safe subset")
        else:
            i += 1
        low, high, i = _quantifier(pattern, i)
        choices *= high - low + 1
        if choices > MAX_REPETITION_CHOICES:
            raise ValueError("too many repetitions")
    try:
        re.compile(pattern)
    except re.error:
        raise ValueError("invalid regular expression") from None
    return pattern


def _class_end(pattern: str, start: int) -> int:
    """After the class ``[..]`` opening at ``start`` (no nested ``[``, escapes of one character)."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    first = i
    while i < len(pattern):
        c = pattern[i]
        if c == "]" and i > first:
            return i + 1
        if c == "[":
            raise ValueError("nested class")
        if c == "\\":
            if i + 1 >= len(pattern) or (pattern[i + 1].isalnum() and pattern[i + 1] not in _CLASS_ESCAPES):
                raise ValueError("escape outside the safe subset")
            i += 1
        i += 1
    raise ValueError("unclosed class")


def _quantifier(pattern: str, i: int) -> tuple[int, int, int]:
    """The repetition of the element ending before ``i`` (min, max, after it); not repeated again."""
    low, high = 1, 1
    if i < len(pattern) and pattern[i] in "?*+":
        low, high = {"?": (0, 1), "*": (0, MAX_LENGTH), "+": (1, MAX_LENGTH)}[pattern[i]]
        i += 1
    elif i < len(pattern) and pattern[i] == "{":
        match = _QUANTIFIER.match(pattern, i)
        if match is None:
            raise ValueError("invalid repetition")
        low = int(match.group(1))
        high = low if match.group(2) is None else int(match.group(3) or MAX_LENGTH)
        if high < low:
            raise ValueError("invalid repetition")
        high = min(high, MAX_LENGTH)
        low = min(low, high)
        i = match.end()
    if i < len(pattern) and pattern[i] in "?*+{":
        raise ValueError("nested repetition")
    return low, high, i


def _refuse(kind: IdentifierKind, why_fr: str, why_en: str, where: tuple[str, str] | None) -> InvalidInput:
    label_fr, label_en = LABELS[kind]
    prefix_fr, prefix_en = (f"{where[0]} : ", f"{where[1]}: ") if where else ("", "")
    return InvalidInput(
        f"{prefix_fr}{label_fr} invalide : {why_fr}.", f"{prefix_en}{label_en} invalid: {why_en}."
    )


@functools.lru_cache(maxsize=64)
def accepts_plainly(pattern: str | None = None) -> Callable[[str], bool]:
    """A predicate true for the usual identifier (letters and digits matching ``pattern``),
    compiled once per pattern: ``check_his_id``'s fast path, also called alone for millions
    of IPPs. False is no refusal: ``check_his_id`` then says what, if anything, is wrong."""
    plain, matches = _PLAIN.fullmatch, re.compile(pattern or DEFAULT_PATTERN).fullmatch
    return lambda value: plain(value) is not None and matches(value) is not None


def check_his_id(
    kind: IdentifierKind,
    value: str,
    pattern: str | None = None,
    *,
    where: tuple[str, str] | None = None,
) -> str:
    """The identifier, trimmed of the spaces around it, or a bilingual ``InvalidInput``.

    ``pattern`` is the authority's (None: the default for IPP/NDA, FHIR's rule for FHIR
    ids); ``where`` names the record in a file (« Patient n°3 », "Patient #3").
    """
    if accepts_plainly(pattern)(value):
        return value  # the usual case (a CHU's index holds 2 million IPPs)
    bad = next((c for c in value if is_control(c)), None)
    if bad is not None:
        raise _refuse(
            kind,
            f"caractère de contrôle ({code_point(bad)})",
            f"control character ({code_point(bad)})",
            where,
        )
    text = value.strip(" ")
    if not text:
        raise _refuse(kind, "vide", "empty", where)
    if len(text) > MAX_LENGTH:
        raise _refuse(kind, f"plus de {MAX_LENGTH} caractères", f"more than {MAX_LENGTH} characters", where)
    if any(c in RESERVED or c.isspace() for c in text):
        raise _refuse(
            kind,
            "espace ou séparateur HL7 (| ^ ~ \\ &)",
            "space or HL7 separator (| ^ ~ \\ &)",
            where,
        )
    if text.startswith(FORMULA_START):
        raise _refuse(kind, "commence par = + - ou @", "starts with = + - or @", where)
    rule = pattern or (
        FHIR_ID_PATTERN
        if kind in (IdentifierKind.FHIR_PATIENT, IdentifierKind.FHIR_ENCOUNTER)
        else DEFAULT_PATTERN
    )
    if re.fullmatch(rule, text) is None:
        raise _refuse(
            kind,
            f"ne suit pas le format déclaré pour le DPI ({rule})",
            f"does not follow the format declared for the HIS ({rule})",
            where,
        )
    return text


def check_snapshot(snapshot: Snapshot, ids: HisIdentifiers) -> None:
    """Every IPP and NDA of a snapshot, against the rules and the declared patterns."""
    for number, patient in enumerate(snapshot.patients, start=1):
        check_his_id(
            IdentifierKind.IPP,
            patient.ipp,
            ids.ipp_pattern,
            where=(f"Patient n°{number}", f"Patient #{number}"),
        )
    for number, stay in enumerate(snapshot.stays, start=1):
        where = (f"Séjour n°{number}", f"Stay #{number}")
        check_his_id(IdentifierKind.NDA, stay.nda, ids.nda_pattern, where=where)
        check_his_id(IdentifierKind.IPP, stay.ipp, ids.ipp_pattern, where=where)
