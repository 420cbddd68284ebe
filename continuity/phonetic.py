"""A French phonetic key for names, and the name likeness of the identity-vigilance queue.

``phonetic_key`` writes a name as it sounds in French, in the manner of Soundex-FR and
Phonex (both public-domain descriptions, no code taken): accents, spaces, hyphens and
apostrophes go; letters written differently for one sound are unified (PH/F, C/K/QU,
G before E or I/J, TH/T, AU/EAU/O, AI/EI/E, Y/I, Z/S, W/V, B before V); silent endings
go (DUPOND/DUPONT, RENAUD/RENAULT, a final mute E); the nasal vowels are told apart from
a vowel followed by N or M (JEAN/JEANNE, SIMON/SIMONE); doubled letters become one.

It is a blocking and comparison aid for a person who decides, never a decision: two
keys alike only put two identities side by side in the CIV's queue.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

from continuity.names import search_key

_RULES: tuple[tuple[str, str], ...] = (
    # silent or special endings first (they depend on the letters as written)
    (r"AULT$", "O"),
    (r"(?<=[AEIOU])(?:LT|LD)$", "L"),
    (r"(?<=.)[DTSXZP]+$", ""),
    (r"(?<=..)ER$", "E"),  # GAUTIER, GAUTHIER: the R of -IER, -ER is not heard
    # consonants written in several ways
    (r"CHR", "KR"),
    (r"CHL", "KL"),
    (r"SCH", "S"),
    (r"CH", "S"),
    (r"SH", "S"),
    (r"PH", "F"),
    (r"TH", "T"),
    (r"GH", "G"),
    (r"H", ""),
    (r"GU(?=[EIY])", "G"),
    (r"G(?=[EIY])", "J"),
    (r"QU", "K"),
    (r"Q", "K"),
    (r"CK", "K"),
    (r"SC(?=[EIY])", "S"),
    (r"C(?=[EIY])", "S"),
    (r"C", "K"),
    (r"BV", "V"),
    (r"W", "V"),
    (r"X", "KS"),
    (r"Z", "S"),
    (r"Y", "I"),
    # vowels
    (r"EAU", "O"),
    (r"AU", "O"),
    (r"OU", "U"),
    (r"(?:AI|EI)(?![NM])", "E"),
    # nasal vowels: a vowel before N or M that is not before a vowel, N or M
    (r"(?:AI|EI|I|U)[NM](?![AEIOUNM])", "2"),
    (r"(?:A|E)[NM](?![AEIOUNM])", "1"),
    (r"O[NM](?![AEIOUNM])", "3"),
    (r"(?<=.)E$", ""),  # the final mute E
)
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in _RULES)
_DOUBLES = re.compile(r"(.)\1+")
_WORDS = re.compile(r"[ '\-]+")
PARTICLES = frozenset({"LE", "LA", "LES", "DE", "DU", "DES", "D", "L", "DI", "DA", "VAN", "VON", "DEL"})
TYPO_RATIO = 0.85


@functools.lru_cache(maxsize=65536)
def phonetic_key(name: str) -> str:
    """The name as it sounds in French (capital letters and the nasal marks 1, 2, 3)."""
    text = search_key(name)
    if not text:
        return ""
    text = _DOUBLES.sub(r"\1", text)
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return _DOUBLES.sub(r"\1", text) or search_key(name)


@functools.lru_cache(maxsize=65536)
def _parts(name: str) -> tuple[str, ...]:
    """The words of a compound name that can stand alone (not a particle, two letters or more)."""
    words = [search_key(w) for w in _WORDS.split(name)]
    return tuple(w for w in words if len(w) >= 2 and w not in PARTICLES)


def _same(a: str, b: str) -> bool:
    ka, kb = search_key(a), search_key(b)
    if not ka or not kb:
        return False
    if ka == kb or phonetic_key(a) == phonetic_key(b):
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= TYPO_RATIO


def family_alike(names_a: Sequence[str], names_b: Sequence[str]) -> bool:
    """Two lists of family names (birth name, used name) share one, as written or as heard,
    or one is a part of the other's compound name (MARTIN-DUPONT and DUPONT)."""
    for a in names_a:
        for b in names_b:
            if _same(a, b):
                return True
            parts_a, parts_b = _parts(a), _parts(b)
            if len(parts_a) > 1 and any(_same(p, b) for p in parts_a):
                return True
            if len(parts_b) > 1 and any(_same(a, p) for p in parts_b):
                return True
    return False


def first_alike(firsts_a: Sequence[str], firsts_b: Sequence[str]) -> bool:
    """Two lists of first names share one (as written or heard), or the first word of a
    compound first name is the other one (JEAN-PIERRE and JEAN)."""
    for a in firsts_a:
        for b in firsts_b:
            if _same(a, b):
                return True
            parts_a, parts_b = _parts(a), _parts(b)
            if len(parts_a) > 1 and _same(parts_a[0], b):
                return True
            if len(parts_b) > 1 and _same(a, parts_b[0]):
                return True
    return False
