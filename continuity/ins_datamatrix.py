"""The INS Datamatrix: the 2D code ANS specifies on documents carrying a qualified INS.

A scanner set up as a keyboard types the code's content; this module reads that text,
checks it, and gives the traits it carries. Nothing here is trusted: the content is
bounded, every character and every field is checked, and errors name the field or the
position, never the content (it is patient data).

Layout (ANS, « Datamatrix INS », a 2D-Doc): a header of 26 characters, then the message,
a sequence of fields each introduced by its data identifier:

- header: ``DC04`` (2D-Doc version 4: certification authority, certificate, issue and
  signature dates, document type, perimeter, country) or ``IS01`` followed by 22 characters
  (the INS Datamatrix's own header, all zeros on the codes seen);
- ``S1`` INS matricule, 15 characters (NIR or NIA, with its key); ``S2`` OID of its domain
  (INS-NIR 1.2.250.1.213.1.4.8, INS-NIA .9, test and demonstration arcs .10, .11);
  ``S3`` list of birth first names (separated by spaces, civil-status order); ``S4`` birth
  name; ``S5`` sex (M or F); ``S6`` birth date (JJ-MM-AAAA); ``S7`` INSEE code of the birth
  place (5 characters; optional);
- variable fields (S2, S3, S4) end at the group separator (GS, 0x1D), which a keyboard
  scanner often does not type: they then end where the next identifier starts (their
  characters never include an ``S`` followed by a digit);
- after the unit separator (US, 0x1F), a 2D-Doc's signature, which is not checked here
  (the certificates are not on the workstation): the traits read stay **unverified**
  whatever the code says, and the identity is qualified only by the HIS (INSi).

A scanner may prefix an AIM symbology identifier (``]d1``...): it is dropped.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from stdnum.fr import nir

from continuity import oids
from continuity.domain.identity import CollectionMode, Identity, ins_birth_place_matches
from continuity.errors import InvalidInput
from continuity.validation import build

MAX_LENGTH = 600  # a code of every field at its longest is under 300 characters
HEADER_LENGTH = 26
GS, US = "\x1d", "\x1f"
HEADERS = ("DC04", "IS01")
_AIM = re.compile(r"\][dQ][0-9]")
_HEADER = re.compile(r"[0-9A-Z]{26}")
_IDENTIFIER = re.compile(r"S[1-7]")
# One character: what the fields may hold (upper-case ASCII, digits, space, - ' .) and GS.
_ALLOWED = re.compile(r"[0-9A-Z \-'.\x1d]*")

# identifier -> (French label, English label, fixed length or None, maximum length)
FIELDS: dict[str, tuple[str, str, int | None, int]] = {
    "S1": ("matricule INS", "INS number", 15, 15),
    "S2": ("OID de l'INS", "INS OID", None, 20),
    "S3": ("prénoms de naissance", "birth first names", None, 100),
    "S4": ("nom de naissance", "birth name", None, 100),
    "S5": ("sexe", "sex", 1, 1),
    "S6": ("date de naissance", "birth date", 10, 10),
    "S7": ("lieu de naissance (INSEE)", "birth place (INSEE)", 5, 5),
}
REQUIRED = ("S1", "S2", "S3", "S4", "S5", "S6")


class ScannedIns(BaseModel):
    """The traits an INS Datamatrix carries, checked; the INS is an unverified trait."""

    model_config = ConfigDict(frozen=True)
    ins: str
    oid: str
    birth_name: str
    first_names: list[str]
    sex: str
    birth_date: date
    birth_place_insee: str | None = None

    def identity_data(self) -> dict[str, Any]:
        """Identity traits for ``Identity``: the INS kept unverified, collected by barcode."""
        data: dict[str, Any] = {
            "birth_name": self.birth_name,
            "first_names": list(self.first_names),
            "birth_date": self.birth_date,
            "sex": self.sex,
            "ins_unverified": self.ins,
            "collection_mode": CollectionMode.CB.value,
        }
        if self.birth_place_insee:
            data["birth_place_insee"] = self.birth_place_insee
        if self.oid in oids.TEST_INS_OIDS:
            data["ins_oid"] = self.oid  # a test or demonstration arc: it goes back under it
        return data


def _refused(fr: str, en: str) -> InvalidInput:
    return InvalidInput(f"Code Datamatrix INS refusé : {fr}", f"INS Datamatrix refused: {en}")


def _field_refused(key: str, fr: str, en: str) -> InvalidInput:
    label_fr, label_en, _, _ = FIELDS[key]
    return _refused(f"{label_fr} ({key}) {fr}.", f"{label_en} ({key}) {en}.")


def _strip(text: str) -> str:
    text = text.strip(" \r\n\t")
    if _AIM.match(text):
        text = text[3:]
    return text


def looks_like_ins_datamatrix(text: str) -> bool:
    """Does this typed text start like an INS Datamatrix (its header)? For a form to tell a
    scan from a name typed by hand; says nothing of the rest."""
    return _strip(text[: MAX_LENGTH + 8])[:4] in HEADERS


def _fields(message: str) -> dict[str, str]:
    found: dict[str, str] = {}
    pos = 0
    while pos < len(message):
        if message[pos] == GS:
            pos += 1
            continue
        key = message[pos : pos + 2]
        if key not in FIELDS:
            raise _refused(
                f"identifiant de donnée inattendu à la position {HEADER_LENGTH + pos + 1}.",
                f"unexpected data identifier at position {HEADER_LENGTH + pos + 1}.",
            )
        if key in found:
            raise _field_refused(key, "en double", "given twice")
        pos += 2
        _, _, fixed, longest = FIELDS[key]
        if fixed is not None:
            value = message[pos : pos + fixed]
            pos += fixed
        else:
            end = pos
            while end < len(message) and message[end] != GS and not _IDENTIFIER.match(message, end):
                end += 1
            value = message[pos:end].strip()
            pos = end
            if len(value) > longest:
                raise _field_refused(key, f"trop long (au plus {longest})", f"too long (at most {longest})")
        if fixed is not None and len(value) != fixed:
            raise _field_refused(key, f"incomplet ({fixed} caractères)", f"incomplete ({fixed} characters)")
        if not value or GS in value:
            raise _field_refused(key, "vide ou coupé", "empty or cut")
        found[key] = value
    return found


def _birth_date(value: str) -> date:
    match = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", value)
    try:
        if match is None:
            raise ValueError
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    except ValueError:
        raise _field_refused("S6", "invalide (JJ-MM-AAAA)", "invalid (DD-MM-YYYY)") from None


def parse_ins_datamatrix(text: str) -> ScannedIns:
    """Read and check the content of an INS Datamatrix (as a scanner types it)."""
    if len(text) > MAX_LENGTH:
        raise _refused(
            f"trop long (au plus {MAX_LENGTH} caractères) : ce n'est pas un code INS.",
            f"too long (at most {MAX_LENGTH} characters): this is no INS code.",
        )
    content = _strip(text)
    if content[:4] not in HEADERS or not _HEADER.fullmatch(content[:HEADER_LENGTH]):
        raise _refused(
            "en-tête non reconnu (attendu : DC04 ou IS01, 26 caractères).",
            "unknown header (expected: DC04 or IS01, 26 characters).",
        )
    message = content[HEADER_LENGTH:].split(US, 1)[0]  # after US: the signature, not read
    bad = next((i for i, c in enumerate(message) if not _ALLOWED.fullmatch(c)), None)
    if bad is not None:
        raise _refused(
            f"caractère non admis à la position {HEADER_LENGTH + bad + 1} (le lecteur est-il réglé "
            "sur la disposition du clavier du poste ?).",
            f"character not allowed at position {HEADER_LENGTH + bad + 1} (is the scanner set to "
            "the workstation's keyboard layout?).",
        )
    found = _fields(message)
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise _field_refused(missing[0], "absent", "missing")
    number, oid = found["S1"], found["S2"]
    if not nir.is_valid(number):
        raise _field_refused("S1", "invalide (clé de contrôle)", "invalid (check key)")
    if oid not in oids.INS_OIDS:
        raise _field_refused("S2", "inconnu (ni INS-NIR ni INS-NIA)", "unknown (neither INS-NIR nor INS-NIA)")
    temporary = number[0] in "78"
    if (oid == oids.INS_OID_OF_TYPE["INS-NIA"]) != temporary:
        raise _field_refused("S2", "ne correspond pas au matricule (NIR ou NIA)", "does not match the number")
    if found["S5"] not in ("M", "F"):
        raise _field_refused("S5", "invalide (M ou F)", "invalid (M or F)")
    place = found.get("S7")
    if place is not None and not ins_birth_place_matches(number, place):
        raise _field_refused("S7", "ne correspond pas au matricule INS", "does not match the INS number")
    scanned = ScannedIns(
        ins=number,
        oid=oid,
        birth_name=found["S4"],
        first_names=found["S3"].split(),
        sex=found["S5"],
        birth_date=_birth_date(found["S6"]),
        birth_place_insee=place,
    )
    # the domain's checks: names, birth date, the INS against the sex and the birth date
    try:
        build(Identity, scanned.identity_data(), "Code Datamatrix INS", "INS Datamatrix")
    except InvalidInput as exc:
        raise InvalidInput(
            "Code Datamatrix INS refusé : traits invalides ou incohérents.",
            "INS Datamatrix refused: invalid or inconsistent traits.",
            details=exc.detail_pairs,
        ) from None
    return scanned
