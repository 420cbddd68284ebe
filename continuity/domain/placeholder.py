"""Placeholder identities (RNIV "identité d'attente") with a distinct, pronounceable name.

An unknown or unconscious patient gets the birth name

    <placeholder name> <workstation word> <sequence number in French words>

for example ``INCONNU ALPHA UN``, then ``INCONNU ALPHA DEUX`` on the same
workstation and ``INCONNU BRAVO UN`` on the next one; first name ``X``, born on
1 January of the estimated year, flagged as a placeholder, status *provisoire*.

Letters only, on purpose: the RNIV allows letters, space, hyphen and apostrophe in
a name, and so does ``Identity`` (an identity with digits would be refused by the
HIS's identity checks and could not come back in a snapshot). Numbers are therefore
spelled in words (1990 spelling: every part joined by hyphens), which is also how
they are said aloud at a bedside or on the phone.

Why the name is distinct across the site, with every workstation working offline:

- the workstation word is the n-th word of the site's list, n being the rank of the
  workstation's block of provisional numbers among the blocks of the site file.
  Blocks are disjoint and fixed for the life of a workstation (its IPPs come from
  it), so the rank is the same on every workstation provisioned from the site
  file, whatever the order in which the file lists them; a new workstation gets a
  block above the existing ones, hence the next word;
- the sequence number is a counter of the workstation's own store, taken in the
  admission's transaction: never reused, never shared.

Two different (word, number) pairs always give two different names: words are
single words of letters, the number has no space, and beyond the list's length the
word part continues as ``ALPHA-ALPHA``, ``ALPHA-BRAVO``... (bijective numbering).
A counter per store, rather than the patient's provisional number, keeps the
numbers small (UN, DEUX, TROIS...) where the provisional number, shared with the
stays' NDAs and nine digits long, would spell a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from continuity.domain.identity import PLACEHOLDER_FIRST_NAME, Identity, UnknownPatient
from continuity.errors import IdentifiersExhausted
from continuity.validation import build

# ICAO/NATO spelling alphabet, letters only: said the same way in French and English.
NATO_WORDS: tuple[str, ...] = (
    "ALPHA",
    "BRAVO",
    "CHARLIE",
    "DELTA",
    "ECHO",
    "FOXTROT",
    "GOLF",
    "HOTEL",
    "INDIA",
    "JULIETT",
    "KILO",
    "LIMA",
    "MIKE",
    "NOVEMBER",
    "OSCAR",
    "PAPA",
    "QUEBEC",
    "ROMEO",
    "SIERRA",
    "TANGO",
    "UNIFORM",
    "VICTOR",
    "WHISKEY",
    "XRAY",
    "YANKEE",
    "ZULU",
)
MAX_SEQUENCE = 999_999

_SMALL = (
    "",
    "UN",
    "DEUX",
    "TROIS",
    "QUATRE",
    "CINQ",
    "SIX",
    "SEPT",
    "HUIT",
    "NEUF",
    "DIX",
    "ONZE",
    "DOUZE",
    "TREIZE",
    "QUATORZE",
    "QUINZE",
    "SEIZE",
)
_TENS = ("", "DIX", "VINGT", "TRENTE", "QUARANTE", "CINQUANTE", "SOIXANTE")


def _below_100(n: int, final: bool) -> str:
    if n <= 16:
        return _SMALL[n]
    if n < 20:
        return "DIX-" + _SMALL[n - 10]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return "SOIXANTE-ET-ONZE" if unit == 1 else "SOIXANTE-" + _below_100(10 + unit, final)
    if tens == 8:
        return "QUATRE-VINGT-" + _SMALL[unit] if unit else "QUATRE-VINGT" + ("S" if final else "")
    if tens == 9:
        return "QUATRE-VINGT-" + _below_100(10 + unit, final)
    if unit == 0:
        return _TENS[tens]
    return _TENS[tens] + ("-ET-UN" if unit == 1 else "-" + _SMALL[unit])


def _below_1000(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_100(rest, final)
    head = "CENT" if hundreds == 1 else _SMALL[hundreds] + "-CENT" + ("S" if rest == 0 and final else "")
    return head if rest == 0 else head + "-" + _below_100(rest, final)


def french_number(n: int) -> str:
    """``n`` (1 to 999 999) in French words, capitals, 1990 spelling: 21 -> VINGT-ET-UN."""
    if not 1 <= n <= MAX_SEQUENCE:
        raise ValueError("sequence number outside 1..999999")
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append("MILLE" if thousands == 1 else _below_1000(thousands, final=False) + "-MILLE")
    if rest:
        parts.append(_below_1000(rest, final=True))
    return "-".join(parts)


def workstation_word(words: Sequence[str], position: int) -> str:
    """The word of the workstation of rank ``position`` (0 for the lowest block).

    Past the end of the list: two words, then three (``ALPHA-ALPHA`` follows ``ZULU``).
    """
    if not words or position < 0:
        raise ValueError("no placeholder words, or a negative position")
    parts = []
    n = position
    while True:
        n, rest = divmod(n, len(words))
        parts.append(words[rest])
        if n == 0:
            return "-".join(reversed(parts))
        n -= 1


def placeholder_birth_name(name: str, words: Sequence[str], rank: int, sequence: int) -> str:
    """The birth name of the ``sequence``-th unknown patient of the workstation of ``rank``."""
    if sequence > MAX_SEQUENCE:
        raise IdentifiersExhausted(
            "Plus de nom d'identité d'attente disponible sur ce poste.",
            "No placeholder name left on this workstation.",
        )
    return f"{name} {workstation_word(words, rank)} {french_number(sequence)}"


def placeholder_identity(unknown: UnknownPatient, birth_name: str) -> Identity:
    """The placeholder identity of an unknown patient, under its distinct birth name."""
    data = {
        "birth_name": birth_name,
        "first_names": [PLACEHOLDER_FIRST_NAME],
        "birth_date": date(unknown.estimated_birth_year, 1, 1),
        "sex": unknown.sex,
        "placeholder": True,
    }
    return build(Identity, data, "Identité d'attente", "Placeholder identity")
