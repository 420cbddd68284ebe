"""Patient identity following the French identity-vigilance reference (RNIV)."""

from __future__ import annotations

import functools
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from stdnum.fr import nir

from continuity import oids
from continuity.names import clean_name, is_valid_name, keys_of_names, search_key
from continuity.text import no_control
from continuity.validation import custom

OLDEST_BIRTH_YEAR = 1890
PLACEHOLDER_BIRTH_NAME = "INCONNU"
PLACEHOLDER_FIRST_NAME = "X"


class Sex(StrEnum):
    F = "F"
    M = "M"
    I = "I"  # noqa: E741 - RNIV code for "indéterminé"


class IdentityStatus(StrEnum):
    PROVISOIRE = "provisoire"
    RECUPEREE = "recuperee"
    VALIDEE = "validee"
    QUALIFIEE = "qualifiee"


class CollectionMode(StrEnum):
    """How the traits were collected (FR Core ``fr-core-cs-method-collection``)."""

    SM = "SM"  # saisie manuelle
    CV = "CV"  # carte Vitale
    INSI = "INSI"  # téléservice INSi
    CB = "CB"  # code-barres (INS Datamatrix)
    RFID = "RFID"


class IdentityDocument(StrEnum):
    """The document presented (FR Core ``fr-core-cs-mode-validation-identity``)."""

    AN = "AN"  # extrait d'acte de naissance
    CC = "CC"  # carnet de circulation
    CE = "CE"  # carte européenne
    CM = "CM"  # carte militaire
    CN = "CN"  # carte nationale d'identité
    CS = "CS"  # carte de séjour
    LE = "LE"  # livret de famille
    PA = "PA"  # passeport
    PC = "PC"  # permis de conduire
    TC = "TC"  # tiers de confiance
    DC = "DC"  # document de circulation pour étranger mineur
    AC = "AC"  # acte de naissance + carte Vitale avec photo
    IE = "IE"  # identification électronique eIDAS


COLLECTION_LABELS: dict[CollectionMode, tuple[str, str]] = {
    CollectionMode.SM: ("saisie manuelle", "typed in"),
    CollectionMode.CV: ("carte Vitale", "Carte Vitale"),
    CollectionMode.INSI: ("téléservice INSi", "INSi teleservice"),
    CollectionMode.CB: ("code-barres", "barcode"),
    CollectionMode.RFID: ("puce RFID", "RFID chip"),
}
DOCUMENT_LABELS: dict[IdentityDocument, tuple[str, str]] = {
    IdentityDocument.AN: ("extrait d'acte de naissance", "birth certificate extract"),
    IdentityDocument.CC: ("carnet de circulation", "travel booklet"),
    IdentityDocument.CE: ("carte européenne", "European card"),
    IdentityDocument.CM: ("carte militaire", "military card"),
    IdentityDocument.CN: ("carte nationale d'identité", "national identity card"),
    IdentityDocument.CS: ("carte de séjour", "residence permit"),
    IdentityDocument.LE: ("livret de famille", "family record book"),
    IdentityDocument.PA: ("passeport", "passport"),
    IdentityDocument.PC: ("permis de conduire", "driving licence"),
    IdentityDocument.TC: ("tiers de confiance", "trusted third party"),
    IdentityDocument.DC: (
        "document de circulation pour étranger mineur",
        "travel document for a foreign minor",
    ),
    IdentityDocument.AC: (
        "acte de naissance et carte Vitale avec photo",
        "birth certificate and photo Carte Vitale",
    ),
    IdentityDocument.IE: ("identification électronique eIDAS", "eIDAS electronic identification"),
}


# RNIV: the identity documents of a high level of trust that validate an identity. A minor
# without one may be identified by a birth certificate extract or the family record book
# (with a parent's or guardian's high-trust document), or the travel document of a foreign
# minor. A carte Vitale is no identity document; the others (driving licence...) do not validate.
HIGH_TRUST_DOCUMENTS = frozenset({IdentityDocument.CN, IdentityDocument.PA, IdentityDocument.CS})
MINOR_DOCUMENTS = frozenset({IdentityDocument.LE, IdentityDocument.AN, IdentityDocument.DC})
ADULT_AGE = 18


def validating_documents(identity: Identity, today: date) -> frozenset[IdentityDocument]:
    """The documents that can validate this identity on ``today`` (a minor's too)."""
    if identity.age_on(today) < ADULT_AGE:
        return HIGH_TRUST_DOCUMENTS | MINOR_DOCUMENTS
    return HIGH_TRUST_DOCUMENTS


def ins_birth_place_matches(number: str, insee: str | None) -> bool:
    """Does an INS (a NIR) agree with the birth place's INSEE code?

    Characters 6 to 10 of a NIR are the birth place: the commune's INSEE code for someone
    born in France (overseas 97x included), 99 and the country's code for someone born
    abroad, which is the INSEE code of the birth place as well. Corsica: 20 before 1976,
    2A/2B after (either is accepted for a code 2A/2B). Only a NIR of someone registered at
    birth (sex digit 1 or 2) is checked: temporary numbers (NIA, 7 or 8) carry no place, and
    a birth in the former departments of North Africa (91 to 96 before 1968: Algeria before
    1962, Morocco, Tunisia) is coded today as the country (99xxx), which the number alone
    cannot tell from Essonne or Val-d'Oise: such a pair is not refused.
    """
    if not insee or number[:1] not in "12":
        return True
    place = number[5:10].upper()
    if place[:2] in ("91", "92", "93", "94", "95", "96") and insee.startswith("99"):
        return True
    code = insee.upper()
    if place == code:
        return True
    return code[:2] in ("2A", "2B") and place == "20" + code[2:]


def strict_traits(identity: Identity) -> tuple[object, ...]:
    """The RNIV strict traits (what a change of would void a validation or qualification)."""
    return (
        identity.birth_name,
        tuple(identity.first_names),
        identity.birth_date,
        identity.sex,
        identity.birth_place_insee,
        identity.ins or identity.ins_unverified,
    )


def homonym_key(identity: Identity) -> tuple[str, str, date]:
    """Birth name and first birth first name (accent, case and punctuation insensitive),
    and the birth date: two identities sharing it are homonyms (RNIV)."""
    return (search_key(identity.birth_name), search_key(identity.first_names[0]), identity.birth_date)


@functools.lru_cache(maxsize=1 << 13)
def _checked_name(value: str) -> tuple[str, str | None, dict[str, str]]:
    """(the name cleaned, the error code or None, its context): names repeat (a CHU's index of
    2 million identities holds a few hundred thousand distinct ones), the check is pure."""
    try:
        text = clean_name(no_control(value))  # controls refused; tab and line breaks: spaces
    except PydanticCustomError as exc:
        return "", exc.type, {k: str(v) for k, v in (exc.context or {}).items()}
    if not any(c.isalpha() for c in text):
        return "", "name.empty", {}
    if not is_valid_name(text):
        return "", "name.chars", {}
    return text, None, {}


def _name(value: str) -> str:
    text, error, context = _checked_name(value)
    if error is not None:
        raise custom(error, **context)
    return text


def _optional_name(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _name(value)


_THIS_YEAR = date.today().year  # only a date of this year or later can be in the future


def _birth_date(value: date) -> date:
    if value.year >= _THIS_YEAR and value > date.today():
        raise custom("date.future")
    if value.year < OLDEST_BIRTH_YEAR:
        raise custom("date.too_old", min_year=OLDEST_BIRTH_YEAR)
    return value


def _estimated_year(value: int) -> int:
    if value > date.today().year:
        raise custom("date.future")
    if value < OLDEST_BIRTH_YEAR:
        raise custom("date.too_old", min_year=OLDEST_BIRTH_YEAR)
    return value


_INSEE = re.compile(r"(\d{5}|2[AB]\d{3})")


def _insee(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if not _INSEE.fullmatch(code):
        raise custom("insee.format")
    return code


def _ins(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) == 15 and value.isdigit() and value.isascii():  # python-stdnum's rule, inline
        if int(value[13:]) != 97 - int(value[:13]) % 97:
            raise custom("ins.invalid")
        return value
    compact = nir.compact(value)
    if not nir.is_valid(compact):
        raise custom("ins.invalid")
    return str(compact)


def _place_name(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _name(value)


Name = Annotated[str, Field(max_length=80), AfterValidator(_name)]
LATER_TRAITS = frozenset(
    {
        "ins_unverified",
        "ins_oid",
        "birth_place_name",
        "collection_mode",
        "document_type",
        "insi_queried_on",
        # schema v13 (RNIV identity vigilance)
        "doubtful",
        "fictitious",
        "document_expires_on",
        "validated_by",
        "validated_on",
    }
)


def _ins_oid(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if value.strip() not in oids.INS_OIDS:
        raise custom("ins.oid")
    return value.strip()


OptionalName = Annotated[str | None, Field(default=None, max_length=80), AfterValidator(_optional_name)]


STATUS_LABELS: dict[IdentityStatus, tuple[str, str]] = {
    IdentityStatus.PROVISOIRE: ("provisoire", "provisional"),
    IdentityStatus.RECUPEREE: ("récupérée", "retrieved"),
    IdentityStatus.VALIDEE: ("validée", "validated"),
    IdentityStatus.QUALIFIEE: ("qualifiée", "qualified"),
}


class Identity(BaseModel):
    """Identity traits of a patient. Names are kept in capitals with their accents."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    birth_name: Name
    used_name: OptionalName = None
    first_names: Annotated[list[Name], Field(min_length=1, max_length=10)]
    used_first_name: OptionalName = None
    birth_date: Annotated[date, AfterValidator(_birth_date)]
    sex: Sex
    birth_place_insee: Annotated[str | None, AfterValidator(_insee)] = None
    birth_place_name: Annotated[str | None, Field(max_length=80), AfterValidator(_place_name)] = None
    ins: Annotated[str | None, AfterValidator(_ins)] = None
    ins_unverified: Annotated[str | None, AfterValidator(_ins)] = None
    # The INS domain it was received under when not the one its number implies: the test or
    # demonstration arcs of an HIS's pre-production, which must go back under the same arc.
    ins_oid: Annotated[str | None, AfterValidator(_ins_oid)] = None
    status: IdentityStatus = IdentityStatus.PROVISOIRE
    placeholder: bool = False
    collection_mode: CollectionMode | None = None
    document_type: IdentityDocument | None = None
    insi_queried_on: date | None = None
    # RNIV attributes: a doubtful or fictitious identity stays provisional; never both.
    doubtful: bool = False
    fictitious: bool = False
    document_expires_on: date | None = None
    validated_by: Annotated[str | None, Field(max_length=120)] = None  # who checked the document
    validated_on: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _ins_only_when_qualified(cls, data: Any) -> Any:
        """The INS is kept as such only for a qualified identity (Référentiel INS).

        For any other status, an INS given is kept as an unverified trait, never sent
        or shown as an INS; a qualified identity given only that trait takes it as its INS.
        """
        if not isinstance(data, dict):
            return data
        qualified = str(data.get("status") or "") == IdentityStatus.QUALIFIEE.value
        if not qualified and data.get("ins"):
            data = {**data, "ins_unverified": data.get("ins_unverified") or data["ins"], "ins": None}
        elif qualified and not data.get("ins") and data.get("ins_unverified"):
            data = {**data, "ins": data["ins_unverified"], "ins_unverified": None}
        elif qualified and data.get("ins"):
            data = {**data, "ins_unverified": None}
        return data

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.placeholder and self.status is not IdentityStatus.PROVISOIRE:
            raise custom("placeholder.status")
        if self.doubtful and self.fictitious:
            raise custom("identity.doubtful_fictitious")
        if (self.doubtful or self.fictitious) and self.status is not IdentityStatus.PROVISOIRE:
            raise custom("identity.attribute_status")
        if self.status is IdentityStatus.QUALIFIEE and not self.ins:
            raise custom("ins.required", status=self.status.value)
        if self.status is IdentityStatus.RECUPEREE and not self.ins_unverified:
            raise custom("ins.required", status=self.status.value)
        number = self.ins or self.ins_unverified
        if number:
            sex_digit, yy, mm = number[0], number[1:3], number[3:5]
            if (sex_digit == "1" and self.sex is Sex.F) or (sex_digit == "2" and self.sex is Sex.M):
                raise custom("ins.sex")
            month_known = mm.isdigit() and 1 <= int(mm) <= 12
            if yy != f"{self.birth_date.year % 100:02d}" or (
                month_known and int(mm) != self.birth_date.month
            ):
                raise custom("ins.birth")
        return self

    def data(self) -> dict[str, Any]:
        """The identity as JSON data for audit entries, bundles and hashes.

        The traits added with schema v11 are left out while unset, so the data of an identity
        that has none is what earlier versions wrote and read: same hashes, same bundles.
        """
        values = self.model_dump(mode="json")
        return {k: v for k, v in values.items() if not (k in LATER_TRAITS and v in (None, False))}

    @property
    def ins_type(self) -> str | None:
        """FR Core type of the INS (fr-core-cs-v2-0203): INS-NIR, or INS-NIA for a temporary
        NIR (it starts with 7 or 8), or the test or demonstration arc it came under."""
        if not self.ins:
            return None
        if self.ins_oid:
            return oids.INS_TYPE_OF_OID[self.ins_oid]
        return "INS-NIA" if self.ins[0] in "78" else "INS-NIR"

    @classmethod
    def unknown(cls, sex: Sex, estimated_birth_year: int) -> Identity:
        """Placeholder identity for an unknown or unconscious patient (RNIV 'identité d'attente').

        Every such patient gets the same name here: an admission gives them a distinct
        one instead (``patients.admit(..., unknown=UnknownPatient(...))``).
        """
        return cls(
            birth_name=PLACEHOLDER_BIRTH_NAME,
            first_names=[PLACEHOLDER_FIRST_NAME],
            birth_date=date(estimated_birth_year, 1, 1),
            sex=sex,
            placeholder=True,
        )

    def search_keys(self) -> set[str]:
        """The keys it is found under: every word of its birth and used names and first names,
        and each whole name (``continuity.names.name_keys``)."""
        return keys_of_names((self.birth_name, self.used_name, self.used_first_name, *self.first_names))

    @property
    def display_name(self) -> str:
        family = self.used_name or self.birth_name
        first = self.used_first_name or self.first_names[0]
        return f"{family} {first.title()}"

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


class UnknownPatient(BaseModel):
    """What is known of an unknown or unconscious patient: the service names them.

    ``patients.admit(..., unknown=...)`` builds their placeholder identity, with a
    name distinct across the site (``continuity.domain.placeholder``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    sex: Sex
    estimated_birth_year: Annotated[int, AfterValidator(_estimated_year)]
