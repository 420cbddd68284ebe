"""Identity traits: RNIV validation with bilingual errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from continuity.domain.identity import Identity, IdentityStatus, Sex
from continuity.errors import InvalidInput
from continuity.validation import build


def make(**over: object) -> Identity:
    data: dict[str, object] = {
        "birth_name": "Lefèvre",
        "first_names": ["Jeanne", "Marie"],
        "birth_date": "1950-03-12",
        "sex": "F",
    }
    data.update(over)
    return build(Identity, data, "Identité", "Identity")


def test_names_are_cleaned_to_capitals_keeping_accents() -> None:
    i = make(birth_name="  le  goff-d’Œillet ", used_name="", first_names=["anne-sophie"])
    assert i.birth_name == "LE GOFF-D'ŒILLET"
    assert i.used_name is None
    assert i.first_names == ["ANNE-SOPHIE"]
    assert i.display_name == "LE GOFF-D'ŒILLET Anne-Sophie"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("birth_name", "Dupont3", "caractères non autorisés"),
        ("birth_name", "---", "au moins une lettre"),
        ("birth_name", "X" * 81, "trop long"),
        ("first_names", [], "au moins 1"),
        ("birth_date", (date.today() + timedelta(days=1)).isoformat(), "futur"),
        ("birth_date", "1850-01-01", "antérieure à 1890"),
        ("birth_date", "1950-02-30", "date invalide"),
        ("sex", "X", "valeur non reconnue"),
        ("birth_place_insee", "7654", "code INSEE invalide"),
        ("ins", "1234567890123 45", "INS invalide"),
    ],
)
def test_bad_traits_are_refused_with_french_and_english(field: str, value: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make(**{field: value})
    text = err.value.bilingual()
    assert fragment in text
    assert "Identity: invalid input" in text


def test_missing_fields_are_listed() -> None:
    with pytest.raises(InvalidInput) as err:
        build(Identity, {"birth_name": "MARTIN"}, "Identité", "Identity")
    details = "\n".join(err.value.details)
    for label in ("prénoms de naissance", "date de naissance", "sexe"):
        assert f"{label} : champ obligatoire" in details


def test_corsican_insee_code_and_valid_ins() -> None:
    # NIR of a woman born in March 1950 (key computed from the number, mod 97).
    body = "2500376540001"
    key = 97 - int(body) % 97
    i = make(birth_place_insee="2a004", ins=f"{body}{key:02d}", status="qualifiee")
    assert i.birth_place_insee == "2A004"
    assert i.status is IdentityStatus.QUALIFIEE


def test_ins_must_match_sex_and_birth() -> None:
    body = "1500376540001"
    with pytest.raises(InvalidInput, match="ne correspond pas au sexe"):
        make(ins=f"{body}{97 - int(body) % 97:02d}")
    body = "2510376540001"
    with pytest.raises(InvalidInput) as err:
        make(ins=f"{body}{97 - int(body) % 97:02d}")
    assert "date de naissance" in err.value.bilingual()


def test_qualified_status_requires_ins() -> None:
    with pytest.raises(InvalidInput, match="exige un matricule INS"):
        make(status="qualifiee")


def test_placeholder_identity_for_unknown_patient() -> None:
    i = Identity.unknown(Sex.M, 1970)
    assert i.placeholder and i.status is IdentityStatus.PROVISOIRE
    assert i.birth_date == date(1970, 1, 1)
    with pytest.raises(InvalidInput, match="identité d'attente"):
        make(placeholder=True, status="validee")


def test_age() -> None:
    i = make(birth_date="2000-06-15")
    assert i.age_on(date(2026, 6, 14)) == 25
    assert i.age_on(date(2026, 6, 15)) == 26
