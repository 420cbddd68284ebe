"""What a form needs from the core's validation: impossible dates named as such, errors by field."""

from __future__ import annotations

from datetime import date

import pytest

from continuity.dates import parse_date, parse_local_datetime
from continuity.domain.identity import Identity
from continuity.errors import FieldError, InvalidInput
from continuity.validation import build


@pytest.mark.parametrize(
    "text", ["31/02/2020", "31-02-2020", "31.02.2020", "2020-02-31", "31022020", "31/2/2020"]
)
def test_an_impossible_date_is_said_not_to_exist(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text)
    assert caught.value.message_fr == "Le 31/02/2020 n'existe pas."
    assert caught.value.message_en == "31/02/2020 does not exist."


@pytest.mark.parametrize("text", ["29/02/2021", "31/04/2021", "00/01/2021", "12/13/2021"])
def test_other_impossible_dates(text: str) -> None:
    with pytest.raises(InvalidInput, match="n'existe pas"):
        parse_date(text)


@pytest.mark.parametrize("text", ["abc", "31/02", "2020/31/02/1", "1er mars"])
def test_a_date_of_the_wrong_form_says_what_form_is_expected(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text)
    assert "Date invalide" in caught.value.message_fr and "JJ/MM/AAAA" in caught.value.message_fr


def test_real_dates_still_parse() -> None:
    assert parse_date("29/02/2020") == date(2020, 2, 29)
    assert parse_date("1/3/1950") == date(1950, 3, 1)
    assert parse_date("12031950") == date(1950, 3, 12)


def test_an_impossible_admission_time_is_said_not_to_exist() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_local_datetime("30/02/2026 10:15")
    assert caught.value.message_fr == "Le 30/02/2026 n'existe pas."
    with pytest.raises(InvalidInput, match="Date et heure invalides"):
        parse_local_datetime("hier")


def test_identity_errors_name_their_fields_and_keep_their_wording() -> None:
    with pytest.raises(InvalidInput) as caught:
        build(
            Identity,
            {"birth_name": "Dupont3", "first_names": [], "birth_date": "1970-01-01"},
            "Identité",
            "Identity",
        )
    exc = caught.value
    # the details (what the CLI prints) are unchanged
    assert exc.details == [
        "nom de naissance : caractères non autorisés : lettres, espace, tiret et apostrophe seulement"
        " / birth name: characters not allowed: letters, space, hyphen and apostrophe only",
        "prénoms de naissance : au moins 1 valeur(s) attendue(s) / first names: at least 1 value(s) expected",
        "sexe : champ obligatoire / sex: required field",
    ]
    assert exc.fields == (
        FieldError(
            "birth_name",
            "caractères non autorisés : lettres, espace, tiret et apostrophe seulement",
            "characters not allowed: letters, space, hyphen and apostrophe only",
        ),
        FieldError("first_names", "au moins 1 valeur(s) attendue(s)", "at least 1 value(s) expected"),
        FieldError("sex", "champ obligatoire", "required field"),
    )


def test_errors_of_the_whole_identity_go_to_the_field_they_are_about() -> None:
    data = {"birth_name": "Martin", "first_names": ["Paul", "J3an"], "birth_date": "1970-01-01", "sex": "F"}
    with pytest.raises(InvalidInput) as caught:
        build(Identity, {**data, "status": "qualifiee"}, "Identité", "Identity")
    assert [(f.field, f.message_fr) for f in caught.value.fields] == [
        ("first_names", "n°2 : caractères non autorisés : lettres, espace, tiret et apostrophe seulement"),
    ]
    data["first_names"] = ["Paul"]
    with pytest.raises(InvalidInput) as caught:
        build(Identity, {**data, "status": "qualifiee"}, "Identité", "Identity")
    assert [(f.field, f.message_fr) for f in caught.value.fields] == [
        ("ins", "le statut qualifiee exige un matricule INS")
    ]
    assert caught.value.details == [
        "le statut qualifiee exige un matricule INS / status qualifiee requires an INS number"
    ]
