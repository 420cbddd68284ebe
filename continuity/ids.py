"""Provisional identifiers (IPP and NDA) allocated from a workstation's block.

An identifier is the block number on 9 digits followed by a Damm check digit.
The Damm algorithm catches every single-digit error and every swap of two
adjacent digits, the two mistakes made when keying a number back from paper.
"""

from __future__ import annotations

import re

from stdnum import damm

from continuity.errors import InvalidInput

MIN_NUMBER = 1
MAX_NUMBER = 999_999_999
_SEPARATORS = re.compile(r"[\s.\-/]")


def format_id(number: int) -> str:
    if not MIN_NUMBER <= number <= MAX_NUMBER:
        raise ValueError("number outside the provisional range")
    body = f"{number:09d}"
    return body + str(damm.calc_check_digit(body))


def parse_id(text: str) -> int:
    """Return the block number of a typed or scanned identifier, or raise ``InvalidInput``."""
    compact = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\d{10}", compact):
        raise InvalidInput(
            "Identifiant provisoire invalide : 10 chiffres attendus.",
            "Invalid provisional identifier: 10 digits expected.",
        )
    if not damm.is_valid(compact):
        raise InvalidInput(
            "Identifiant provisoire invalide : le chiffre de contrôle ne correspond pas "
            "(erreur de saisie probable).",
            "Invalid provisional identifier: the check digit does not match (probable typing error).",
        )
    return int(compact[:9])


def looks_like_id(text: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", _SEPARATORS.sub("", text)))
