"""Name normalisation: display form and accent-insensitive search keys."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_ALLOWED = re.compile(r"^[^\W\d_]+(?:[ '\-]+[^\W\d_]+)*['\-]?$")
_SPACES = re.compile(r"\s+")
_NON_LETTER = re.compile(r"[^A-Z]")
_WORD_SPLIT = re.compile(r"[ '\-]+")


def clean_name(raw: str) -> str:
    """Trim, collapse spaces, unify apostrophes and put in capitals (RNIV convention)."""
    text = unicodedata.normalize("NFC", raw).translate(_APOSTROPHES)
    text = _SPACES.sub(" ", text).strip().strip("-").strip()
    return text.upper()


def is_valid_name(text: str) -> bool:
    return bool(_ALLOWED.match(text))


def search_key(text: str) -> str:
    """Capital ASCII letters only: 'Lefèvre' and "d'Œillet" become LEFEVRE and DOEILLET."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_LETTER.sub("", stripped.upper())


def keys_of_names(names: Iterable[str | None]) -> set[str]:
    """The search keys of an identity: those of each of its names (``name_keys``)."""
    keys: set[str] = set()
    for name in names:
        if name:
            keys |= _name_keys(name)
    return keys


def name_keys(text: str) -> set[str]:
    """Keys under which a name is found: the whole name and each of its words."""
    return set(_name_keys(text))


@functools.lru_cache(maxsize=1 << 13)  # names repeat: the HIS index's 2 million identities
def _name_keys(text: str) -> frozenset[str]:
    keys = {search_key(text)}
    keys.update(search_key(w) for w in _WORD_SPLIT.split(text))
    return frozenset(k for k in keys if k)


def prefix_upper_bound(prefix: str) -> str:
    """Smallest key greater than every key starting with ``prefix`` (keys are A-Z only)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
